"""Asking for updates: a request for progress before a meeting, what it asked of whom, and every
email sent for it (see docs/domain.md, "The update cycle")."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from simple_history.models import HistoricalRecords

from reviews.models import Meeting
from scrutiny.dates import validate_in_range

from .expressions import count_of
from .progress_update import ProgressUpdate
from .recommendation import Recommendation


def answered_condition() -> Q:
    """The one rule for "answered": a progress update recorded for the recommendation on or after
    the request was made, and not returned, written against a `RequestedRecommendation` row.
    A submitted update answers: the officer has done what was asked, and a reminder should not
    chase them while the scrutiny officer checks it; a returned one does not, so they are chased
    again until they answer it with a new update."""
    return Q(Exists(_answers()))


def _answers() -> models.QuerySet:
    """The updates that answer a `RequestedRecommendation` (an OuterRef)."""
    return ProgressUpdate.objects.filter(
        recommendation=OuterRef("recommendation"), recorded_at__gte=OuterRef("request__created_at")
    ).exclude(decision__outcome="returned")


class UpdateRequestQuerySet(models.QuerySet):
    def with_answer_counts(self):
        """Each request with `requested_count` and `answered_count` (by the one rule above)."""
        requested = RequestedRecommendation.objects.filter(request=OuterRef("pk"))
        return self.annotate(
            requested_count=count_of(requested),
            answered_count=count_of(requested.filter(answered_condition())),
        )


class UpdateRequest(models.Model):
    """The clerk's request for progress on some recommendations, for a meeting, by a deadline."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="update_requests")
    deadline = models.DateField(validators=[validate_in_range])
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="update_requests_made"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    recommendations = models.ManyToManyField(
        Recommendation, through="RequestedRecommendation", related_name="update_requests"
    )
    history = HistoricalRecords()

    objects = UpdateRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Request for updates for {self.meeting}, by {date_format(self.deadline)}"

    def get_absolute_url(self) -> str:
        return reverse("recommendations:show_update_request", args=[self.pk])

    def clean(self):
        super().clean()
        if self.meeting_id and self.deadline and self.deadline > self.meeting.date:
            raise ValidationError(
                {
                    "deadline": f"Deadline must be on or before the meeting on {date_format(self.meeting.date)}"
                }
            )


class RequestedRecommendationQuerySet(models.QuerySet):
    def with_answers(self, today: datetime.date):
        """Each row with `is_answered`, `answered_at` (when the first update after the request
        was recorded) and `is_overdue` (unanswered after the deadline), from the one rule above."""
        first_answer = _answers().order_by("recorded_at").values("recorded_at")[:1]
        return self.annotate(
            is_answered=models.ExpressionWrapper(answered_condition(), models.BooleanField()),
            answered_at=models.Subquery(first_answer, output_field=models.DateTimeField()),
            is_overdue=models.ExpressionWrapper(
                ~answered_condition() & Q(request__deadline__lt=today), models.BooleanField()
            ),
        )

    def answered(self):
        return self.filter(answered_condition())

    def unanswered(self):
        return self.exclude(answered_condition())


class RequestedRecommendation(models.Model):
    """One recommendation a request asks about, and the people it was asked of (its lead
    officer, or else the officers of its lead organisation; none when there was nobody)."""

    request = models.ForeignKey(UpdateRequest, on_delete=models.CASCADE, related_name="requested")
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.PROTECT, related_name="requested_in"
    )
    asked = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="requested_recommendations"
    )

    objects = RequestedRecommendationQuerySet.as_manager()

    class Meta:
        ordering = ["recommendation__review__title", "recommendation__sort_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "recommendation"], name="recommendation_requested_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.recommendation} (requested)"


class EmailQuerySet(models.QuerySet):
    def failed(self):
        """Not sent, and the last attempt failed."""
        return self.filter(sent_at__isnull=True).exclude(error="")

    def to_on(self, user, day: datetime.date):
        """The emails of requests and reminders queued for `user` on `day` (local time): at most
        one a day goes. An email saying an update was returned is not one of them."""
        return self.filter(recipient=user, queued_at__date=day).exclude(kind=Email.Kind.RETURNED)


class Email(models.Model):
    """One email to one person for one request (the recommendations it listed), or telling an
    officer their update was returned (the decision), and what became of it. Sending goes
    through the task queue (recommendations/requests/tasks.py)."""

    class Kind(models.TextChoices):
        REQUEST = "request", "Request"
        REMINDER = "reminder", "Reminder"
        RETURNED = "returned", "Update returned"

    # None for an email telling an officer their update was returned (`decision`).
    request = models.ForeignKey(
        UpdateRequest, on_delete=models.CASCADE, related_name="emails", null=True, blank=True
    )
    decision = models.OneToOneField(
        "UpdateDecision", on_delete=models.PROTECT, related_name="email", null=True, blank=True
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="update_request_emails"
    )
    # The address it went to (the recipient's at the time it was sent).
    address = models.EmailField(blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    recommendations = models.ManyToManyField(Recommendation, related_name="+")
    queued_at = models.DateTimeField(default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)

    objects = EmailQuerySet.as_manager()

    class Meta:
        ordering = ["queued_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.recipient}"

    @property
    def state(self) -> str:
        if self.sent_at:
            return "sent"
        return "failed" if self.error else "queued"
