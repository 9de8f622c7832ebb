"""The public JSON API: read-only, anonymous, rate-limited per address, open to any origin."""

from django.conf import settings
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.throttling import AnonRateThrottle

from .. import records
from ..caching import public_view
from .serializers import (
    AppendixSerializer,
    RecommendationDetailSerializer,
    RecommendationFilters,
    RecommendationSerializer,
    ReviewDetailSerializer,
    ReviewSerializer,
)

NOT_FOUND = OpenApiResponse(description="No such public record (or a page past the last).")
BAD_FILTER = OpenApiResponse(description="A filter's value is not valid; the body says which.")


class PublicRateThrottle(AnonRateThrottle):
    """Requests per address, counted in Django's cache, at `settings.PUBLIC_API_RATE`."""

    def get_rate(self):
        return settings.PUBLIC_API_RATE


class Pages(PageNumberPagination):
    page_size = 50


class PublicAPIView(generics.GenericAPIView):
    """Anonymous (no session, so no CSRF and nothing of a signed-in user), read-only, throttled,
    `Access-Control-Allow-Origin: *` and cacheable, answering conditional requests with 304."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [PublicRateThrottle]
    renderer_classes = [JSONRenderer]
    pagination_class = Pages
    http_method_names = ["get", "head", "options"]

    @classmethod
    def as_view(cls, **initkwargs):
        return public_view(super().as_view(**initkwargs))

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        return response

    def get_object(self):
        return records.get_public(self.get_queryset(), self.kwargs["pk"])


@extend_schema(responses={200: ReviewSerializer(many=True), 404: NOT_FOUND})
class ReviewList(PublicAPIView, generics.ListAPIView):
    """Public reviews, by committee and title."""

    serializer_class = ReviewSerializer

    def get_queryset(self):
        return records.public_reviews().order_by("committee__name", "title", "pk")


@extend_schema(responses={200: ReviewDetailSerializer, 404: NOT_FOUND})
class ReviewDetail(PublicAPIView, generics.RetrieveAPIView):
    """A public review with its recommendations and published appendices."""

    serializer_class = ReviewDetailSerializer
    pagination_class = None

    def get_queryset(self):
        return records.public_reviews()

    def get_object(self):
        review = super().get_object()
        review.public_recommendations = records.with_accepted_updates(
            review.recommendations.with_flags(timezone.localdate()).select_related(
                "review__committee", "lead_organisation"
            )
        )
        review.public_appendices = records.public_appendices().filter(review=review)
        return review


@extend_schema(
    parameters=[RecommendationFilters],
    responses={200: RecommendationSerializer(many=True), 400: BAD_FILTER, 404: NOT_FOUND},
)
class RecommendationList(PublicAPIView, generics.ListAPIView):
    """Recommendations of public reviews, filtered by committee, review, status, overdue (as at
    today) and updated since a date (their last accepted update on or after it)."""

    serializer_class = RecommendationSerializer

    def get_queryset(self):
        filters = RecommendationFilters(data=self.request.query_params)
        if not filters.is_valid():
            raise ValidationError(filters.errors)
        today = timezone.localdate()
        found = records.public_recommendations().with_flags(today).prefetch_related("partners")
        chosen = filters.validated_data
        if "committee" in chosen:
            found = found.filter(review__committee=chosen["committee"])
        if "review" in chosen:
            found = found.filter(review=chosen["review"])
        if "status" in chosen:
            found = found.filter(current_status=chosen["status"])
        if chosen.get("overdue") is not None:
            found = found.filter(is_overdue=chosen["overdue"])
        if "updated_since" in chosen:
            found = found.filter(last_update_date__gte=chosen["updated_since"])
        return found.order_by("review__committee__name", "review__title", "sort_key", "pk")


@extend_schema(responses={200: RecommendationDetailSerializer, 404: NOT_FOUND})
class RecommendationDetail(PublicAPIView, generics.RetrieveAPIView):
    """A recommendation of a public review with its accepted progress updates, oldest first."""

    serializer_class = RecommendationDetailSerializer
    pagination_class = None

    def get_queryset(self):
        return records.with_accepted_updates(
            records.public_recommendations().with_flags(timezone.localdate())
        )


@extend_schema(responses={200: AppendixSerializer(many=True), 404: NOT_FOUND})
class AppendixList(PublicAPIView, generics.ListAPIView):
    """Published appendices of public reviews, newest first, with the SHA-256 of each PDF."""

    serializer_class = AppendixSerializer

    def get_queryset(self):
        return records.public_appendices().order_by("-published_at", "-pk")


@extend_schema(responses={200: AppendixSerializer, 404: NOT_FOUND})
class AppendixDetail(PublicAPIView, generics.RetrieveAPIView):
    """A published appendix of a public review, with the SHA-256 of its PDF and a link to it."""

    serializer_class = AppendixSerializer
    pagination_class = None

    def get_queryset(self):
        return records.public_appendices()


@require_safe
@public_view
def index(request):
    """The human page: what the API offers and where its OpenAPI document is."""
    return render(request, "public/api_index.html", {"rate": settings.PUBLIC_API_RATE})
