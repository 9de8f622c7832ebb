"""A dated statement of progress on one recommendation: append-only."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.formats import date_format

from scrutiny.dates import validate_in_range, validate_not_in_future
from scrutiny.text import LONG_TEXT_MAX, long_text_validator

from ..choices import Status
from .append_only import AppendOnlyModel, AppendOnlyQuerySet
from .recommendation import DERIVED_FIELDS, Recommendation


class ProgressUpdate(AppendOnlyModel):
    append_only_message = "Progress updates cannot be changed; record a new update instead."

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.PROTECT, related_name="updates"
    )
    as_at = models.DateField(
        "date", help_text="The date this update speaks for.", validators=[validate_in_range]
    )
    status = models.CharField(max_length=20, choices=Status.choices)
    narrative = models.TextField(
        "progress update", max_length=LONG_TEXT_MAX, validators=[long_text_validator()]
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="progress_updates"
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-as_at", "-recorded_at", "-pk"]
        indexes = [
            # The newest update of each recommendation, and its status, straight from the index:
            # refresh_current_status() looks it up this way for every recommendation it sets, so
            # the order matches it exactly (pk included) and the status is in the index.
            models.Index(
                fields=["recommendation", "-as_at", "-recorded_at", "-id", "status"],
                name="update_newest_first_status",
            ),
            # "Updates recorded in the last 30 days" on the dashboard and in the register.
            models.Index(fields=["recorded_at"], name="update_recorded_at"),
            # And which recommendations those are, from the index alone at any size.
            models.Index(fields=["recorded_at", "recommendation"], name="update_recorded_for"),
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} as at {date_format(self.as_at)}"

    @staticmethod
    def validate_as_at(as_at, *, today=None) -> None:
        """The rule for the date an update speaks for, beyond its field's range: it has come.
        Raises ValidationError. The tracker import calls it for each row with one `today`."""
        validate_not_in_future(as_at, today or timezone.localdate())

    def clean(self):
        super().clean()
        try:
            self.validate_as_at(self.as_at)
        except ValidationError as error:
            raise ValidationError({"as_at": error}) from None

    def save(self, *args, **kwargs):
        with transaction.atomic(using=kwargs.get("using")):
            super().save(*args, **kwargs)
            Recommendation.objects.filter(pk=self.recommendation_id).refresh_current_status()
        if self.__class__.recommendation.is_cached(self):
            # The copy in memory no longer knows its status: defer the two fields, so that
            # reading them loads them again, and saving it leaves them alone.
            for name in DERIVED_FIELDS:
                self.recommendation.__dict__.pop(name, None)

    @property
    def status_choice(self) -> Status:
        return Status(self.status)
