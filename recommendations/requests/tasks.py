"""The slow work of asking, run by the worker (`manage.py db_worker`): sending one email."""

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
