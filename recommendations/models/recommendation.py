"""A recommendation of a review, and the named querysets that answer "which ones"."""

import datetime
import re
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import connections, models, transaction
from django.db.models import Case, Count, F, Func, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, TruncDate
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from reviews.models import Meeting, Organisation, Review, WorkProgrammeItem
from scrutiny.dates import validate_in_range
from scrutiny.text import LONG_TEXT_MAX, SingleLineField, long_text_validator

from ..choices import Closure, Response, Status
from .register_version import register_changed
from .rules import (
    EFFECTIVE_TARGET,
    OPEN,
    STALE,
    STALE_AFTER_DAYS,
    UNFINISHED,
    flag,
    needs_update_condition,
    overdue_condition,
    response_overdue_condition,
)
from .search import search_document_expression

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


def _count_of(queryset) -> Coalesce:
    """A COUNT(*) of `queryset` as an expression (correlated if it refers outside), 0 when
    nothing matches."""
    counted = (
        queryset.order_by()
        .annotate(n=Func(function="COUNT", template="COUNT(*)", output_field=models.IntegerField()))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=models.IntegerField()), Value(0))


def _progress_updates(recommendation_model) -> models.QuerySet:
    """Every progress update, reached through the reverse relation so that this module need not
    import the update model (which builds on this one)."""
    return recommendation_model._meta.get_field("updates").related_model.objects.all()


class RecommendationQuerySet(models.QuerySet):
    def refresh_current_status(self) -> int:
        """Set the stored `current_status`, `last_update_date` and `last_recorded_at` of these
        recommendations from their updates, in one UPDATE statement whatever their number. An `update()`, so it writes
        no history: the two are derived from the updates, never edited. Returns the rows updated.

        Call it after adding updates by any means other than `ProgressUpdate.save()`, which calls
        it itself (bulk_create skips save()). The register's version moves on once the
        transaction commits, as after any save.
        """
        register_changed(using=self.db)
        return self.order_by().update(
            **self._derived_status_values(), **self._search_document_values()
        )

    def with_derived_status(self):
        """Annotate `derived_status`, `derived_last_update_date` and `derived_last_recorded_at`:
        what `current_status`, `last_update_date` and `last_recorded_at` should hold, from the
        updates (check_integrity compares them)."""
        values = self._derived_status_values()
        return self.annotate(
            derived_status=values["current_status"],
            derived_last_update_date=values["last_update_date"],
            derived_last_recorded_at=values["last_recorded_at"],
        )

    def _derived_status_values(self) -> dict:
        """The newest accepted update's status and as-at date (by as-at date, then time
        recorded, then id), and when the most recently recorded accepted update was recorded;
        "Not started" and none without one. Submitted and returned updates never count."""
        accepted = _progress_updates(self.model).filter(
            recommendation=OuterRef("pk"), decision__outcome="accepted"
        )
        newest = accepted.order_by("-as_at", "-recorded_at", "-pk")
        return {
            "current_status": Coalesce(
                Subquery(newest.values("status")[:1]),
                Value(Status.NOT_STARTED.value),
                output_field=models.CharField(),
            ),
            "last_update_date": Subquery(newest.values("as_at")[:1]),
            # In the order of the index update_recorded_newest, so that each recommendation's is
            # read from its own part of that index.
            "last_recorded_at": Subquery(
                accepted.order_by("-recorded_at").values("recorded_at")[:1],
                output_field=models.DateTimeField(),
            ),
        }

    def refresh_search_document(self) -> int:
        """Set the stored `search_document` of these recommendations (on PostgreSQL; elsewhere
        it stays empty and this does nothing), in one UPDATE. Call it after changing their text
        by any means other than `Recommendation.save()`, which calls it itself;
        `refresh_current_status()` sets it too."""
        values = self._search_document_values()
        return self.order_by().update(**values) if values else 0

    def _search_document_values(self) -> dict:
        """{"search_document": the expression} on PostgreSQL, else nothing."""
        if connections[self.db].vendor != "postgresql":
            return {}
        return {"search_document": search_document_expression(_progress_updates(self.model).model)}

    def with_effective_target(self):
        """Alias `effective_target`: the revised target date, else the original."""
        if "effective_target" in self.query.annotations:
            return self
        return self.alias(effective_target=EFFECTIVE_TARGET)

    def open(self):
        """Not yet closed by the committee."""
        return self.filter(OPEN)

    def closed(self):
        return self.exclude(closure="")

    def unfinished(self):
        """Open, with a current status that still expects work (not achieved or no longer applicable)."""
        return self.filter(UNFINISHED)

    def overdue(self, today: datetime.date):
        """Open, unfinished, and past the effective (revised, else original) target date."""
        return self.with_effective_target().filter(overdue_condition(today))

    def stale(self, today: datetime.date):
        """Open and unfinished, with no update since the review's progress was last reported.

        The reference point is the last past meeting with a progress report on the review on its
        work programme, or 90 days ago when there was none. A recommendation with no update at all
        is stale once its review's report (or, without one, its creation) is older than that.
        """
        return self._with_stale_terms(today).filter(STALE)

    def response_overdue(self, today: datetime.date):
        """Open and still awaiting the executive's response more than two months after the report."""
        return self.filter(response_overdue_condition(today))

    def needing_update(self, today: datetime.date):
        """Overdue or stale: what an officer is asked to update."""
        return (
            self._with_stale_terms(today)
            .with_effective_target()
            .filter(needs_update_condition(today))
        )

    def with_flags(self, today: datetime.date):
        """Each row with `is_overdue`, `is_stale` and `is_response_overdue` (booleans, from the
        same conditions as the named querysets) and `effective_target`, computed in the query."""
        return (
            self._with_stale_terms(today)
            .annotate(
                effective_target=EFFECTIVE_TARGET,
                is_overdue=flag(overdue_condition(today)),
                is_stale=flag(STALE),
                is_response_overdue=flag(response_overdue_condition(today)),
            )
            .select_related("review")
        )

    def needing_update_first(self, today: datetime.date):
        """`with_flags(today)`, in the order an officer works through them: overdue and stale
        first, then overdue or stale, then the rest; within each, by review title and number
        (then review and id, so that every row has one place and pages never overlap)."""
        return (
            self.with_flags(today)
            .alias(
                attention=Case(
                    When(overdue_condition(today) & STALE, then=Value(2)),
                    When(needs_update_condition(today), then=Value(1)),
                    default=Value(0),
                )
            )
            .order_by("-attention", "review__title", "sort_key", "review", "pk")
        )

    def _with_stale_terms(self, today: datetime.date):
        """Alias `stale_reference` (the date above) and `stale_since` (the newest update's date,
        else the review's report date, else the creation date), each written once in the SQL, so
        a database computes the reference once per row however the two are compared."""
        if "stale_reference" in self.query.annotations:
            return self
        return self.alias(**self._stale_terms(today))

    @staticmethod
    def stale_reference(today: datetime.date, review) -> Coalesce:
        """The date before which an update of a recommendation of `review` (a review, or an
        OuterRef to one) is stale: the last progress report on it before today, else 90 days
        ago."""
        last_reported = WorkProgrammeItem.objects.last_progress_report_date(
            review=review, before=today
        )
        fallback = today - datetime.timedelta(days=STALE_AFTER_DAYS)
        return Coalesce(
            Subquery(last_reported, output_field=models.DateField()),
            Value(fallback),
            output_field=models.DateField(),
        )

    @classmethod
    def _stale_terms(cls, today: datetime.date, review_outside: bool = False) -> dict:
        """The two terms of STALE. With `review_outside`, for a subquery of a Review query
        annotated with `stale_reference(today, OuterRef("pk"))` as `stale_reference`: the
        database then computes the reference once per review rather than once per row."""
        if review_outside:
            reference, report = OuterRef("stale_reference"), OuterRef("report_to_executive_date")
        else:
            reference = cls.stale_reference(today, OuterRef("review"))
            report = F("review__report_to_executive_date")
        return {
            "stale_reference": reference,
            "stale_since": Coalesce(
                "last_update_date", report, TruncDate("created_at"), output_field=models.DateField()
            ),
        }

    def of_outer_review(self, today: datetime.date):
        """These recommendations as a subquery of a Review query annotated with
        `stale_reference` (see `in_reviews`): those of each review, with the terms of the rules
        taken from the review outside."""
        return (
            self.filter(review=OuterRef("pk"))
            .alias(**self._stale_terms(today, review_outside=True))
            .with_effective_target()
        )

    def flag_counts(self, today: datetime.date, **extra: Q) -> dict[str, int]:
        """How many are open, overdue, stale and response overdue, in one query.

        Each count uses the same condition as its named queryset; `extra` adds counts of other
        conditions (which may use the annotations those conditions use). Each count
        is its own subquery, so that the database answers it from the index that suits it (see
        migration 0011) rather than reading every row; the ones that depend on a review's last
        progress report are counted review by review, so that its reference date is computed
        once per review rather than once per recommendation.
        """
        rows = self.with_effective_target()
        conditions = {
            "open": OPEN,
            "overdue": overdue_condition(today),
            "response_overdue": response_overdue_condition(today),
        }
        counts = {name: _count_of(rows.filter(q)) for name, q in conditions.items()}
        # The terms of STALE join the review: only for the conditions that use them.
        stale_terms = {"stale_since", "stale_reference"}
        counts |= {
            name: _count_of(
                (
                    rows._with_stale_terms(today)
                    if stale_terms & q.referenced_base_fields
                    else rows
                ).filter(q)
            )
            for name, q in extra.items()
        }
        counts["stale"] = self._sum_by_review(today, self.of_outer_review(today).filter(STALE))
        # One row of subqueries, each evaluated once; the row comes from any one-row query.
        found = Review.objects.order_by().annotate(**counts).values(*counts)[:1]
        found = next(iter(found), None)
        return found or dict.fromkeys(counts, 0)

    def _sum_by_review(self, today: datetime.date, of_outer_review) -> Coalesce:
        """The number of rows of `of_outer_review` (an `of_outer_review()` queryset) over all
        reviews, as an expression: each review's stale reference computed once."""
        per_review = (
            Review.objects.annotate(
                stale_reference=self.stale_reference(today, OuterRef("pk")),
                n=_count_of(of_outer_review),
            )
            .order_by()
            .annotate(total=Func(F("n"), function="SUM"))
            .values("total")
        )
        return Coalesce(Subquery(per_review, output_field=models.IntegerField()), Value(0))

    def status_counts_by_review(self) -> dict[int, dict[str, int]]:
        """{review id: {status code: how many of these recommendations have it}}, in one query
        (statuses with none left out)."""
        counts: dict[int, dict[str, int]] = {}
        rows = self.order_by().values_list("review", "current_status").annotate(n=Count("pk"))
        for review_id, status, n in rows:
            counts.setdefault(review_id, {})[status] = n
        return counts

    def led_or_supported_by(self, organisation: Organisation):
        return self.filter(Q(lead_organisation=organisation) | Q(partners=organisation)).distinct()


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
