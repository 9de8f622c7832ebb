"""The slow work of asking, run by the worker (`manage.py db_worker`): sending one email; and the
functions that record an email and queue it, which the rest of the package calls."""

from django.tasks import task

from ..models import Email
from .emails import deliver


@task()
def send_email(email_id: int) -> bool:
    """Send the recorded email `email_id` unless it has gone already; True when it went."""
    email = (
        Email.objects.select_related("recipient", "request__meeting__committee")
        .filter(pk=email_id, sent_at__isnull=True)
        .first()
    )
    return deliver(email) if email is not None else False


def queue_email(email: Email) -> None:
    send_email.enqueue(email.pk)


def queue_returned_update_email(decision) -> Email:
    """Record and queue the email telling an update's author it was returned, and why."""
    email = Email.objects.create(
        recipient_id=decision.update.author_id,
        kind=Email.Kind.RETURNED,
        decision=decision,
        queued_at=decision.decided_at,
    )
    email.recommendations.set([decision.update.recommendation_id])
    queue_email(email)
    return email
