"""The public site: public reviews by committee, a review, a recommendation with its accepted
updates, a published appendix as PDF, a search, the sitemap and the open-data CSV."""

from collections import Counter

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from ..choices import Status
from ..register.filters import search
from ..trackers.writing import write_csv
from . import records
from .caching import public_view

SEARCH_TERMS_MAX = 200


def status_counts(recommendations) -> list[tuple[Status, int]]:
    found = Counter(recommendation.current_status for recommendation in recommendations)
    return [(status, found[status]) for status in Status if status in found]


@require_safe
@public_view
def home(request):
    reviews = list(records.public_reviews().order_by("committee__name", "title"))
    by_review: dict[int, list] = {}
    for recommendation in (
        records.public_recommendations().select_related(None).only("review", "current_status")
    ):
        by_review.setdefault(recommendation.review_id, []).append(recommendation)
    committees: dict = {}
    for review in reviews:
        review.status_counts = status_counts(by_review.get(review.pk, []))
        review.recommendation_count = len(by_review.get(review.pk, []))
        committees.setdefault(review.committee, []).append(review)
    return render(request, "public/home.html", {"committees": committees.items()})


@require_safe
@public_view
def show_review(request, pk):
    today = timezone.localdate()
    review = records.get_public(records.public_reviews(), pk)
    recommendations = list(
        review.recommendations.with_flags(today).select_related("lead_organisation")
    )
    return render(
        request,
        "public/show_review.html",
        {
            "review": review,
            "recommendations": recommendations,
            "status_counts": status_counts(recommendations),
            "appendices": records.public_appendices().filter(review=review),
        },
    )


@require_safe
@public_view
def show_recommendation(request, pk):
    today = timezone.localdate()
    recommendation = records.get_public(
        records.with_accepted_updates(records.public_recommendations().with_flags(today)), pk
    )
    updates = [
        (update, records.organisation_of(update)) for update in recommendation.accepted_updates
    ]
    return render(
        request,
        "public/show_recommendation.html",
        {"recommendation": recommendation, "updates": updates},
    )


@require_safe
@public_view
def download_appendix_pdf(request, pk):
    appendix = records.get_public(records.public_appendices(), pk)
    response = HttpResponse(bytes(appendix.pdf), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="appendix-{appendix.number}-{appendix.as_at.isoformat()}.pdf"'
    )
    return response


@require_safe
@public_view
def search_recommendations(request):
    # NUL is no part of any word, and PostgreSQL refuses it in a query (found by fuzzing).
    terms = " ".join(request.GET.get("q", "").replace("\x00", " ").split())[:SEARCH_TERMS_MAX]
    results = []
    if terms:
        found, rank = search(records.public_recommendations(), terms)
        results = list(
            found.order_by("-search_rank", "review__title", "sort_key")
            if rank is not None
            else found.order_by("review__title", "sort_key")
        )
    return render(request, "public/search.html", {"terms": terms, "results": results})


@require_safe
@public_view
def download_csv(request):
    """The open data in the tracker format of the import: public reviews, accepted updates."""
    recommendations = records.public_recommendations().order_by(
        "review__committee__name", "review__title", "sort_key"
    )
    response = HttpResponse(write_csv(recommendations), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="recommendations.csv"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
@public_view
def sitemap(request):
    paths = [reverse("public:home")]
    paths += [
        reverse("public:show_review", args=[pk])
        for pk in records.public_reviews().order_by("pk").values_list("pk", flat=True)
    ]
    paths += [
        reverse("public:show_recommendation", args=[pk])
        for pk in records.public_recommendations().order_by("pk").values_list("pk", flat=True)
    ]
    urls = [request.build_absolute_uri(path) for path in paths]
    return render(request, "public/sitemap.xml", {"urls": urls}, content_type="application/xml")
