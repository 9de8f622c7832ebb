"""A recommendation of a review, and the named querysets that answer "which ones"."""

import datetime
import re
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from reviews.models import Meeting, Organisation, Review
from scrutiny.dates import validate_in_range
from scrutiny.text import LONG_TEXT_MAX, SingleLineField, long_text_validator

from ..choices import Closure, Response, Status
from .recommendation_queryset import RecommendationQuerySet
from .rules import (
    EFFECTIVE_TARGET,
    OPEN,
    UNFINISHED,
)

if TYPE_CHECKING:
    from .progress_update import ProgressUpdate


def accepted_at_once(author) -> bool:
    """Whether an update by `author` counts as soon as it is recorded: when acceptance is off, or
    when its author is the scrutiny officer or an administrator (who would accept it)."""
    return not settings.UPDATES_NEED_ACCEPTANCE or author.has_perm(
        "recommendations.change_recommendation"
    )


def natural_sort_key(number: str) -> str:
    """Orders numbers as people read them: "2" before "10", "R3" before "R12"."""
    return re.sub(r"\d+", lambda digits: digits.group().zfill(10), number.strip().casefold())


# The fields of Recommendation that only `refresh_current_status()` (and, for the search
# document, `refresh_search_document()`) writes.
DERIVED_FIELDS = ["current_status", "last_update_date", "last_recorded_at", "search_document"]


class Recommendation(models.Model):
    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="recommendations")
    number = SingleLineField(
        max_length=20, help_text='As the review wrote it, for example "3" or "R12".'
    )
    sort_key = models.CharField(max_length=200, editable=False, db_index=True)
    text = models.TextField(
        "recommendation", max_length=LONG_TEXT_MAX, validators=[long_text_validator()]
    )
    lead_organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_recommendations",
    )
    lead_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_recommendations",
    )
    partners = models.ManyToManyField(
        Organisation, blank=True, related_name="supported_recommendations"
    )
    response = models.CharField(
        "executive response", max_length=20, choices=Response.choices, default=Response.AWAITING
    )
    response_text = models.TextField(
        "reasons given with the response",
        blank=True,
        max_length=LONG_TEXT_MAX,
        validators=[long_text_validator()],
    )
    target_date = models.DateField(null=True, blank=True, validators=[validate_in_range])
    revised_target_date = models.DateField(null=True, blank=True, validators=[validate_in_range])
    revision_reason = models.TextField(
        "reason for revising the target date",
        blank=True,
        max_length=LONG_TEXT_MAX,
        validators=[long_text_validator()],
    )
    is_priority = models.BooleanField("priority", default=False)
    closed_at_meeting = models.ForeignKey(
        Meeting,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="closed_recommendations",
    )
    closure = models.CharField("how it closed", max_length=20, choices=Closure.choices, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # Incremented on every edit through the application, so a stale form cannot overwrite.
    version = models.PositiveIntegerField(default=1)
    # Derived from the updates, never edited: the status of the newest update (by as-at date,
    # then when recorded, then id) and its as-at date. Kept by
    # `RecommendationQuerySet.refresh_current_status()` whenever updates are added; stored so that
    # the dashboard and register count and filter by them without a subquery per row. Not in
    # the history (a new update is not an edit of the recommendation), and never written by
    # `save()` on an existing recommendation, whose copy of them may be out of date.
    current_status = models.CharField(
        max_length=20,
        choices=Status.choices,
        default=Status.NOT_STARTED,
        db_index=True,
        editable=False,
    )
    last_update_date = models.DateField(null=True, editable=False)
    # Derived too: when the most recently recorded accepted update was recorded (which need not
    # be the newest by as-at date), so that "an update recorded in the last N days" is a range
    # of one index rather than a search of every update (migration 0016).
    last_recorded_at = models.DateTimeField(null=True, editable=False)
    # Derived too: the text and every update's narrative as a PostgreSQL text search document
    # (see `search_document_expression`), indexed (GIN, migration 0009) for the register's
    # search. Kept by `refresh_current_status()` when updates are added and by
    # `refresh_search_document()` when the text changes (`save()` calls it). Always empty on
    # SQLite, whose search is a plain match.
    search_document = SearchVectorField(null=True, editable=False)
    history = HistoricalRecords(
        excluded_fields=DERIVED_FIELDS,
        m2m_fields=[partners],
    )

    objects = RecommendationQuerySet.as_manager()

    class Meta:
        ordering = ["review", "sort_key"]
        # The dashboard's counts and the register's pages, answered from small indexes rather
        # than by reading every (wide) row; see docs/architecture.md, "At any size".
        indexes = [
            # Open, by review: the open and response-overdue counts, and the dashboard's
            # coming progress reports (open recommendations not updated since a date).
            models.Index(
                fields=["review", "response", "last_update_date"],
                condition=OPEN,
                name="recommendation_open",
            ),
            # Unfinished, by review, with what the overdue and stale rules read (as key columns,
            # which SQLite allows too): each review's overdue and stale counts without visiting
            # the rows.
            models.Index(
                fields=[
                    "review",
                    "last_update_date",
                    "created_at",
                    "revised_target_date",
                    "target_date",
                ],
                condition=UNFINISHED,
                name="recommendation_unfinished",
            ),
            # Unfinished, by effective target date: the overdue count.
            models.Index(EFFECTIVE_TARGET, condition=UNFINISHED, name="recommendation_overdue"),
            # The register's default order within a review, and its target date and last
            # update orders (descending, with no date last, on PostgreSQL: migration 0011).
            models.Index(fields=["review", "sort_key", "id"], name="recommendation_review_order"),
            models.Index(EFFECTIVE_TARGET, "id", name="recommendation_target_order"),
            models.Index(fields=["last_update_date"], name="recommendation_updated_order"),
            # "With an update recorded in the last N days": the dashboard's count and the
            # register's filter.
            models.Index(fields=["last_recorded_at"], name="recommendation_recorded"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "number"], name="recommendation_number_unique_in_review"
            ),
            models.CheckConstraint(
                condition=Q(closure="", closed_at_meeting__isnull=True)
                | (~Q(closure="") & Q(closed_at_meeting__isnull=False)),
                name="recommendation_closed_at_a_meeting",
            ),
        ]
        permissions = [
            ("import_tracker", "Can import tracker files"),
            ("publish_appendix", "Can publish an appendix to a meeting"),
        ]

    def __str__(self) -> str:
        return f"{self.review} — recommendation {self.number}"

    def save(self, *args, **kwargs):
        self.number = self.number.strip()
        self.sort_key = natural_sort_key(self.number)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "sort_key"}
        elif not self._state.adding and not kwargs.get("force_insert") and not args:
            # Every field but the derived ones, which an update may have changed since this
            # copy was read.
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name not in DERIVED_FIELDS
            ]
        text_changed = self._state.adding or (
            kwargs.get("update_fields") is None
            or (
                "text" in kwargs["update_fields"]
                and self.text != getattr(self, "_saved_text", None)
            )
        )
        super().save(*args, **kwargs)
        if text_changed:
            # Written after the row (it may be new), in the same transaction when there is one.
            Recommendation.objects.using(self._state.db).filter(
                pk=self.pk
            ).refresh_search_document()
            self.__dict__.pop("search_document", None)
        self._saved_text = self.__dict__.get("text")

    def get_absolute_url(self) -> str:
        return reverse("recommendations:show_recommendation", args=[self.pk])

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        instance = super().from_db(db, field_names, values, **kwargs)
        # The text as stored, so that save() refreshes the search document only when it changed.
        instance._saved_text = instance.__dict__.get("text")
        return instance

    @property
    def effective_target_date(self) -> datetime.date | None:
        return self.revised_target_date or self.target_date

    @property
    def is_closed(self) -> bool:
        return bool(self.closure)

    def status(self) -> Status:
        """The current status: the newest update's, else Not started (stored, see above)."""
        return Status(self.current_status)

    @transaction.atomic
    def record_progress(
        self,
        *,
        author,
        as_at: datetime.date,
        status: str,
        narrative: str,
        revised_target_date: datetime.date | None = None,
        revision_reason: str = "",
    ) -> "ProgressUpdate":
        """Append a progress update; a Slipped one may revise the target date, which takes effect
        when the update is accepted (in the same step when accepted at once).

        The update meets the model's rules (dates, length) or ValidationError is raised. It is
        submitted, for the scrutiny officer to accept or return, unless `accepted_at_once()`.
        """
        update = self.updates.model(
            recommendation=self,
            author=author,
            as_at=as_at,
            status=status,
            narrative=narrative,
            revised_target_date=revised_target_date,
            revision_reason=revision_reason if revised_target_date is not None else "",
        )
        update.full_clean(exclude=["recommendation", "author"])
        update.save()
        if accepted_at_once(author):
            # Accepting applies a revised target date (with history) and refreshes the status.
            update.accept(by=author, at=update.recorded_at)
        return update

    @transaction.atomic
    def close(self, *, meeting: Meeting, how: str, user) -> None:
        """Record the committee's sign-off: only a meeting closes a recommendation."""
        self.closed_at_meeting = meeting
        self.closure = how
        self.version += 1
        self._history_user = user
        self.save(update_fields=["closed_at_meeting", "closure", "version"])
