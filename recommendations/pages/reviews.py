"""The reviews list, a review's page (its details and the register of its recommendations) and
its history."""

from collections import Counter

from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from reviews.models import Review
from scrutiny.history import history_of

from .. import access
from ..access import readers_only
from ..choices import Status
from ..models import Recommendation


@require_safe
@readers_only
def list_reviews(request):
    today = timezone.localdate()
    counts = Recommendation.objects.status_counts_by_review()
    reviews = list(
        Review.objects.with_flags(today)
        .select_related("committee")
        .order_by("committee__name", "title")
    )
    for review in reviews:
        found = counts.get(review.pk, {})
        review.status_counts = [(status, found[status]) for status in Status if status in found]
        review.recommendation_count = sum(found.values())
    return render(request, "pages/list_reviews.html", {"reviews": reviews, "today": today})


@require_safe
@readers_only
def show_review(request, pk):
    today = timezone.localdate()
    review = get_object_or_404(Review.objects.with_flags(today).select_related("committee"), pk=pk)
    recommendations = list(
        review.recommendations.with_flags(today).select_related("lead_organisation")
    )
    found = Counter(recommendation.current_status for recommendation in recommendations)
    return render(
        request,
        "pages/show_review.html",
        {
            "review": review,
            "recommendations": recommendations,
            "status_counts": [(status, found[status]) for status in Status if status in found],
            "overdue_count": sum(r.is_overdue for r in recommendations),
            "stale_count": sum(r.is_stale for r in recommendations),
            "response_overdue": review.is_response_overdue,
            "may_edit": access.may_edit_register(request.user),
            "may_set_public": access.may_set_public(request.user),
            "today": today,
        },
    )


@require_safe
@readers_only
def show_review_history(request, pk):
    review = get_object_or_404(Review.objects.select_related("committee"), pk=pk)
    return render(
        request, "pages/review_history.html", {"review": review, "entries": history_of(review)}
    )
