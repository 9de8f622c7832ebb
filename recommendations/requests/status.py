"""What the request page shows: each requested recommendation's state and each person's emails."""

import datetime

from django.db.models import Prefetch

from ..models import Recommendation, UpdateRequest


def request_page_context(update_request: UpdateRequest, today: datetime.date) -> dict:
    rows = list(
        update_request.requested.with_answers(today)
        .select_related("recommendation__review")
        .prefetch_related("asked")
    )
    emails = (
        update_request.emails.select_related("recipient")
        .prefetch_related(
            Prefetch(
                "recommendations",
                queryset=Recommendation.objects.select_related("review").order_by(
                    "review__title", "sort_key"
                ),
            )
        )
        .order_by("recipient__first_name", "recipient__last_name", "recipient", "queued_at", "pk")
    )
    return {
        "update_request": update_request,
        "meeting": update_request.meeting,
        "rows": rows,
        "answered_count": sum(row.is_answered for row in rows),
        "emails": list(emails),
        "today": today,
    }
