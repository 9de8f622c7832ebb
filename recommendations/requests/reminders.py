"""The reminder rules: when a request's reminders are due, to whom, listing what.

Before the deadline (REMINDER_DAYS_BEFORE_DEADLINE days before it, 5 by default) and after it
(from the day after, until the meeting), each person with unanswered recommendations gets one
reminder listing only those; nobody gets more than one email a day. Safe to run as often as you
like: a person already emailed for the request since a stage began is not reminded again in it.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ..models import Email, UpdateRequest
from .tasks import queue_email


def reminder_stage(update_request: UpdateRequest, today: datetime.date) -> datetime.date | None:
    """The first day of the reminder stage `today` falls in, or None outside both stages."""
    before = update_request.deadline - datetime.timedelta(
        days=settings.REMINDER_DAYS_BEFORE_DEADLINE
    )
    if before <= today <= update_request.deadline:
        return before
    after = update_request.deadline + datetime.timedelta(days=1)
    if after <= today <= update_request.meeting.date:
        return after
    return None


def unanswered_by_person(update_request: UpdateRequest) -> dict:
    """{person: [their requested recommendations still unanswered and open]}."""
    rows = (
        update_request.requested.unanswered()
        .filter(recommendation__closure="")
        .select_related("recommendation")
        .prefetch_related("asked")
    )
    people: dict = {}
    for row in rows:
        for user in row.asked.all():
            people.setdefault(user, []).append(row.recommendation)
    return people


def queue_reminders(
    update_request: UpdateRequest, *, now: datetime.datetime, since: datetime.date | None = None
) -> list[Email]:
    """A reminder to each person with unanswered recommendations in the request, except anyone
    emailed today, or (with `since`) emailed for this request on or after that day."""
    today = timezone.localdate(now)
    queued = []
    with transaction.atomic():
        for user, recommendations in unanswered_by_person(update_request).items():
            if Email.objects.to_on(user, today).exists():
                continue
            if (
                since is not None
                and update_request.emails.filter(
                    recipient=user, queued_at__date__gte=since
                ).exists()
            ):
                continue
            email = Email.objects.create(
                request=update_request, recipient=user, kind=Email.Kind.REMINDER, queued_at=now
            )
            email.recommendations.set(recommendations)
            queue_email(email)
            queued.append(email)
    return queued


def retry_failed(queryset=None) -> int:
    """Queue again the emails whose last attempt failed (up to EMAIL_MAX_ATTEMPTS tries)."""
    emails = (Email.objects.all() if queryset is None else queryset).failed()
    retried = 0
    for email in emails.filter(attempts__lt=settings.EMAIL_MAX_ATTEMPTS):
        queue_email(email)
        retried += 1
    return retried


@dataclass
class RemindersSent:
    reminders: int
    retried: int


def send_due_reminders(now: datetime.datetime | None = None) -> RemindersSent:
    """Queue the reminders due at `now` for every request, and retry failed emails."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    # Nobody is chased once the meeting has been held.
    current = UpdateRequest.objects.filter(meeting__date__gte=today).select_related("meeting")
    retried = retry_failed()
    reminders = 0
    for update_request in current:
        stage = reminder_stage(update_request, today)
        if stage is not None:
            reminders += len(queue_reminders(update_request, now=now, since=stage))
    return RemindersSent(reminders=reminders, retried=retried)


def send_reminders_now(update_request: UpdateRequest, now: datetime.datetime | None = None):
    """The clerk's "Send reminders now": reminders to everyone still owing an answer (not twice
    in a day), and the request's failed emails tried again."""
    now = now or timezone.now()
    retried = retry_failed(update_request.emails.all())
    return RemindersSent(reminders=len(queue_reminders(update_request, now=now)), retried=retried)
