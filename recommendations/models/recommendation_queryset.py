"""The named querysets that answer "which recommendations": open, overdue, stale, theirs, and
the counts the dashboard and register make of them (see docs/domain.md)."""

import datetime

from django.db import connections, models
from django.db.models import Case, Count, F, Func, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, TruncDate

from reviews.models import Organisation, Review, WorkProgrammeItem

from ..choices import Status
from .expressions import count_of
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
        counts = {name: count_of(rows.filter(q)) for name, q in conditions.items()}
        # The terms of STALE join the review: only for the conditions that use them.
        stale_terms = {"stale_since", "stale_reference"}
        counts |= {
            name: count_of(
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
                n=count_of(of_outer_review),
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
