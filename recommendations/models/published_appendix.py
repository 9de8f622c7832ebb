"""The frozen copy of an appendix that went to a meeting."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format

from reviews.models import Meeting, Review
from scrutiny.dates import validate_in_range, validate_not_in_future

from .append_only import AppendOnlyModel, AppendOnlyQuerySet


class PublishedAppendix(AppendOnlyModel):
    """The frozen copy of an appendix that went to a meeting: never changed, never deleted.

    `known_at` is the moment it was published (K): building the appendix again for its `as_at`
    and `known_at` gives the same HTML. A mistake is corrected by publishing a new one.
    """

    append_only_message = "A published appendix cannot be changed; publish a new one instead."

    review = models.ForeignKey(
        Review, on_delete=models.PROTECT, related_name="published_appendices"
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="published_appendices"
    )
    as_at = models.DateField("position as at", validators=[validate_in_range])
    known_at = models.DateTimeField("as known at")
    number = models.PositiveSmallIntegerField("appendix number")
    include_closed = models.BooleanField("includes closed recommendations", default=False)
    html = models.TextField(editable=False)
    pdf = models.BinaryField(editable=False)
    pdf_sha256 = models.CharField("SHA-256 of the PDF", max_length=64, editable=False)
    generator_version = models.CharField(max_length=100, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="published_appendices"
    )
    published_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = "published appendix"
        verbose_name_plural = "published appendices"

    def clean(self):
        """Published as at a date that has come: an appendix speaks for what has happened."""
        super().clean()
        try:
            validate_not_in_future(self.as_at, timezone.localdate())
        except ValidationError as error:
            raise ValidationError({"as_at": error}) from None

    def __str__(self) -> str:
        return f"Appendix {self.number}: {self.review} as at {date_format(self.as_at)}"
