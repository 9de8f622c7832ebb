"""Each email of a request, built from its subject / text / HTML templates, and its delivery."""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from ..models import Email

logger = logging.getLogger(__name__)


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def email_context(email: Email) -> dict:
    update_request = email.request
    recommendations = email.recommendations.select_related("review").order_by(
        "review__title", "sort_key"
    )
    return {
        "email": email,
        "recipient": email.recipient,
        "update_request": update_request,
        "meeting": update_request.meeting,
        "deadline": update_request.deadline,
        "is_reminder": email.kind == Email.Kind.REMINDER,
        "is_overdue": email.kind == Email.Kind.REMINDER
        and timezone.localdate(email.queued_at) > update_request.deadline,
        "items": [
            {
                "recommendation": recommendation,
                "url": absolute_url(
                    reverse("recommendations:add_progress_update", args=[recommendation.pk])
                ),
            }
            for recommendation in recommendations
        ],
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
    }


def returned_email_context(email: Email) -> dict:
    decision = email.decision
    update = decision.update
    recommendation = update.recommendation
    return {
        "email": email,
        "recipient": email.recipient,
        "decision": decision,
        "update": update,
        "recommendation": recommendation,
        "url": absolute_url(recommendation.get_absolute_url()),
        "add_url": absolute_url(
            reverse("recommendations:add_progress_update", args=[recommendation.pk])
        ),
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
    }


def build_message(email: Email, address: str) -> EmailMultiAlternatives:
    if email.kind == Email.Kind.RETURNED:
        context, prefix = returned_email_context(email), "requests/returned_email"
    else:
        context, prefix = email_context(email), "requests/email"
    subject = " ".join(render_to_string(f"{prefix}_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"{prefix}_body.txt", context),
        to=[address],
    )
    message.attach_alternative(render_to_string(f"{prefix}_body.html", context), "text/html")
    return message


def claim(email: Email) -> bool:
    """Take the email for this attempt, so that two workers never send it twice: a conditional
    UPDATE (no lock held while the mail server answers). Clearing the error shows it queued
    again, so the retries of send_reminders leave it alone meanwhile."""
    claimed = Email.objects.filter(
        pk=email.pk, sent_at__isnull=True, attempts=email.attempts
    ).update(attempts=email.attempts + 1, error="")
    email.attempts += 1
    return bool(claimed)


def deliver(email: Email) -> bool:
    """Send one email to its recipient's address now, recording when it went or why it did not.
    Never raises for a mail server's refusal: the failure is kept, and retried later."""
    if not claim(email):
        return False
    address = email.recipient.email
    email.address = address
    if not address:
        email.error = "No email address"
    else:
        try:
            build_message(email, address).send()
        except Exception as error:  # any refusal or outage of the mail server
            logger.warning("Email %s to %s failed: %s", email.pk, address, error)
            email.error = str(error) or error.__class__.__name__
        else:
            email.sent_at = timezone.now()
            email.error = ""
    email.save(update_fields=["address", "error", "sent_at"])
    return email.sent_at is not None
