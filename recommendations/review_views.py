"""A review's page (its details and the register of its recommendations) and its history."""

from collections import Counter

from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from reviews.models import Review

from . import access
from .access import readers_only
from .choices import Status
from .history import history_of


@require_safe
@readers_only
def show_review(request, pk):
    review = get_object_or_404(Review.objects.select_related("committee"), pk=pk)
    today = timezone.localdate()
    recommendations = list(
        review.recommendations.with_current_status().select_related("lead_organisation")
    )
    stale = set(review.recommendations.stale(today).values_list("pk", flat=True))
    for recommendation in recommendations:
        recommendation.overdue = recommendation.is_overdue(today)
        recommendation.stale = recommendation.pk in stale
    counts = Counter(recommendation.current_status for recommendation in recommendations)
    return render(
        request,
        "recommendations/show_review.html",
        {
            "review": review,
            "recommendations": recommendations,
            "status_counts": [(status, counts[status]) for status in Status if counts[status]],
            "overdue_count": sum(r.overdue for r in recommendations),
            "stale_count": sum(r.stale for r in recommendations),
            "response_overdue": review.is_response_overdue(today),
            "may_edit": access.may_edit_register(request.user),
            "today": today,
        },
    )


@require_safe
@readers_only
def show_review_history(request, pk):
    review = get_object_or_404(Review.objects.select_related("committee"), pk=pk)
    return render(
        request,
        "recommendations/review_history.html",
        {"review": review, "entries": history_of(review)},
    )
