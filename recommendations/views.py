"""The register's entry pages. Pages for one resource live beside this module:
review_views.py, recommendation_views.py and progress_update_views.py."""

from django.db.models import Count
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from reviews.models import Review

from .access import readers_only
from .choices import Status
from .models import Recommendation


@require_safe
@readers_only
def list_reviews(request):
    today = timezone.localdate()
    counts = (
        Recommendation.objects.values("review", "current_status").annotate(n=Count("pk")).order_by()
    )
    by_review: dict[int, dict[str, int]] = {}
    for row in counts:
        by_review.setdefault(row["review"], {})[row["current_status"]] = row["n"]
    reviews = list(
        Review.objects.with_flags(today)
        .select_related("committee")
        .order_by("committee__name", "title")
    )
    for review in reviews:
        found = by_review.get(review.pk, {})
        review.status_counts = [
            (Status(code), found[code]) for code in Status.values if code in found
        ]
        review.recommendation_count = sum(found.values())
    return render(
        request, "recommendations/list_reviews.html", {"reviews": reviews, "today": today}
    )
