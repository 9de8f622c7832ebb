"""Step 4: apply a plan in one transaction, with the audit history; and import a file whole."""

from collections.abc import Callable

from django.db import connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from reviews.models import Committee, Organisation, Review

from ..models import Outcome, ProgressUpdate, Recommendation, UpdateDecision, natural_sort_key
from .planning import Action, Plan, RecommendationPlan, plan_import
from .reading import read_tracker

# The steps of an import, in order, for a progress bar or page: `progress(step)` is called with the
# number of each (1-based) as it starts, and with len(IMPORT_STEPS) when all are done.
IMPORT_STEPS = [
    "Reading the file",
    "Checking every row against the register",
    "Writing committees, organisations and reviews",
    "Writing recommendations and their partners",
    "Writing the audit history",
    "Writing progress updates",
    "Done",
]
Progress = Callable[[int], None]

# An import adding at least this many updates refreshes PostgreSQL's statistics first.
ANALYZE_AFTER_UPDATES = 1_000


def _no_progress(step: int) -> None:
    pass


@transaction.atomic
def apply_plan(plan: Plan, user, *, progress: Progress = _no_progress) -> None:
    """Write the plan in one transaction, every change in the audit history against `user`.

    Bulk writes keep a large import fast. simple-history's signals do not fire on them, so the
    history rows are written here too: with `bulk_create_with_history` for committees,
    organisations and reviews, and by hand for recommendations, whose history row must be
    written after their partners so that it records them (as simple-history does on save()).
    """
    _PlanWriter(plan, user, progress).write()


class _PlanWriter:
    """Writes a plan in bulk, each kind of row after those it refers to."""

    def __init__(self, plan: Plan, user, progress: Progress = _no_progress):
        self.progress = progress
        self.plan = plan
        self.user = user
        self.now = timezone.now()
        self.committees: dict[str, Committee] = {}  # by casefolded name
        self.organisations: dict[str, Organisation] = {}  # by casefolded name
        self.to_create: list[tuple[RecommendationPlan, Recommendation]] = []
        self.to_change: list[tuple[RecommendationPlan, Recommendation]] = []
        self.changed_fields: set[str] = {"version"}
        self.rewritten: list[Recommendation] = []  # existing ones whose text changes

    def write(self) -> None:
        self.progress(3)
        self.committees = self._committees()
        self.organisations = self._organisations()
        self._create_reviews()
        self.progress(4)
        self._prepare_recommendations()
        self._save_recommendations()
        self._save_partners()
        self.progress(5)
        created = [rec for _plan, rec in self.to_create]
        _write_recommendation_history(created, "+", self.user, self.now)
        _write_recommendation_history(
            [rec for _plan, rec in self.to_change], "~", self.user, self.now
        )
        self.progress(6)
        self._add_updates()

    def _create_named(self, model, names: list[str]) -> dict:
        """Create one `model` row per name, with its history; returns them by casefolded name."""
        created = bulk_create_with_history(
            [model(name=name) for name in names],
            model,
            default_user=self.user,
            default_date=self.now,
        )
        return {row.name.casefold(): row for row in created}

    def _committees(self) -> dict[str, Committee]:
        """The committees of the new reviews, by casefolded name, the new ones created."""
        committees = self._create_named(Committee, self.plan.new_committees)
        names = [review.committee for review in self.plan.reviews if review.is_new]
        wanted = {name.casefold() for name in names} - set(committees)
        committees.update(
            (committee.name.casefold(), committee)
            for committee in Committee.objects.filter(name__in=names)
            if committee.name.casefold() in wanted
        )
        return committees

    def _organisations(self) -> dict[str, Organisation]:
        """The leads and partners the plan names, by casefolded name, the new ones created."""
        organisations = self._create_named(Organisation, self.plan.new_organisations)
        wanted = {
            name.casefold()
            for review in self.plan.reviews
            for rec in review.recommendations
            for name in ([rec.lead] if rec.lead else []) + (rec.partners or [])
        } - set(organisations)
        if wanted:
            organisations.update(
                (organisation.name.casefold(), organisation)
                for organisation in Organisation.objects.all()
                if organisation.name.casefold() in wanted
            )
        return organisations

    def _create_reviews(self) -> None:
        new_reviews = [review for review in self.plan.reviews if review.is_new]
        created = bulk_create_with_history(
            [
                Review(title=review.title, committee=self.committees[review.committee.casefold()])
                for review in new_reviews
            ],
            Review,
            default_user=self.user,
            default_date=self.now,
        )
        for review_plan, review in zip(new_reviews, created, strict=True):
            review_plan.existing = review

    def _prepare_recommendations(self) -> None:
        """Build the recommendations to create and make the changes to existing ones, unsaved."""
        for review_plan in self.plan.reviews:
            for rec_plan in review_plan.recommendations:
                if rec_plan.action == Action.CREATE:
                    self.to_create.append(
                        (rec_plan, self._new_recommendation(review_plan, rec_plan))
                    )
                elif rec_plan.action == Action.CHANGE:
                    self.to_change.append((rec_plan, self._changed_recommendation(rec_plan)))

    def _new_recommendation(self, review_plan, rec_plan: RecommendationPlan) -> Recommendation:
        recommendation = Recommendation(
            review=review_plan.existing,
            number=rec_plan.number,
            sort_key=natural_sort_key(rec_plan.number),
            created_at=self.now,
            **rec_plan.values,
        )
        if rec_plan.lead:
            recommendation.lead_organisation = self.organisations[rec_plan.lead.casefold()]
        return recommendation

    def _changed_recommendation(self, rec_plan: RecommendationPlan) -> Recommendation:
        recommendation = rec_plan.existing
        for name, value in rec_plan.values.items():
            if getattr(recommendation, name) != value:
                setattr(recommendation, name, value)
                self.changed_fields.add(name)
                if name == "text":
                    self.rewritten.append(recommendation)
        if any(change.column == "lead" for change in rec_plan.changes):
            lead = self.organisations[rec_plan.lead.casefold()] if rec_plan.lead else None
            recommendation.lead_organisation = lead
            self.changed_fields.add("lead_organisation")
        recommendation.version += 1
        return recommendation

    def _save_recommendations(self) -> None:
        Recommendation.objects.bulk_create([rec for _plan, rec in self.to_create])
        if self.to_change:
            Recommendation.objects.bulk_update(
                [rec for _plan, rec in self.to_change], sorted(self.changed_fields), batch_size=500
            )

    def _save_partners(self) -> None:
        """The partners of new recommendations, and the new partners of changed ones."""
        Through = Recommendation.partners.through
        partners_changed = [
            (rec_plan, rec)
            for rec_plan, rec in self.to_change
            if any(change.column == "partners" for change in rec_plan.changes)
        ]
        if partners_changed:
            Through.objects.filter(
                recommendation__in=[rec for _plan, rec in partners_changed]
            ).delete()
        Through.objects.bulk_create(
            [
                Through(recommendation=rec, organisation=self.organisations[name.casefold()])
                for rec_plan, rec in [*self.to_create, *partners_changed]
                for name in rec_plan.partners or []
            ],
            batch_size=2000,
        )

    def _add_updates(self) -> None:
        """Add the new progress updates, then bring what is derived from them up to date."""
        created_by_plan = {id(rec_plan): rec for rec_plan, rec in self.to_create}
        updates = [
            ProgressUpdate(
                recommendation=created_by_plan.get(id(rec_plan)) or rec_plan.existing,
                as_at=update.as_at,
                status=update.status,
                narrative=update.narrative,
                author=self.user,
                recorded_at=self.now,
            )
            for review_plan in self.plan.reviews
            for rec_plan in review_plan.recommendations
            for update in rec_plan.new_updates
        ]
        ProgressUpdate.objects.bulk_create(updates, batch_size=2000)
        # Imported updates are accepted at once, by the importer, as they are imported.
        UpdateDecision.objects.bulk_create(
            [
                UpdateDecision(
                    update=update,
                    outcome=Outcome.ACCEPTED,
                    decided_by=self.user,
                    decided_at=self.now,
                )
                for update in updates
            ],
            batch_size=2000,
        )
        # bulk_create skips ProgressUpdate.save(): bring the stored current status of every
        # recommendation given an update up to date, in one statement. Picked by a subquery (the
        # updates recorded now) rather than a list of ids, which could pass SQLite's parameter
        # limit.
        updated = ProgressUpdate.objects.filter(recorded_at=self.now).values("recommendation")
        if len(updates) >= ANALYZE_AFTER_UPDATES and connection.vendor == "postgresql":
            # PostgreSQL plans the refresh from its statistics, which know nothing yet of rows
            # this many: without them it can pick a plan that reads every update once for each
            # recommendation (minutes at 5,000). ANALYZE counts this transaction's own rows.
            with connection.cursor() as cursor:
                cursor.execute(
                    "ANALYZE recommendations_recommendation, recommendations_progressupdate, "
                    "recommendations_updatedecision"
                )
        if updates:
            Recommendation.objects.filter(pk__in=updated).refresh_current_status()
        # The search document of those created or with new text and no new update (the refresh
        # above set the others'); on PostgreSQL only, where it exists, so the list of ids never
        # meets SQLite's parameter limit.
        rewritten = [*self.rewritten, *(rec for _plan, rec in self.to_create)]
        if rewritten and connection.vendor == "postgresql":
            Recommendation.objects.filter(pk__in=[rec.pk for rec in rewritten]).exclude(
                pk__in=updated
            ).refresh_search_document()


def import_tracker(
    data: bytes,
    filename: str,
    *,
    user,
    dry_run: bool = False,
    progress: Progress = _no_progress,
    expected_fingerprint: str | None = None,
) -> Plan | None:
    """Read, check, plan and (unless `dry_run`) apply a tracker file, all in one transaction.

    Raises TrackerFileError listing every problem, in which case nothing is written. With
    `expected_fingerprint` (the plan a preview showed), a different plan is not applied and
    None is returned.
    """
    with transaction.atomic():
        progress(1)
        table = read_tracker(data, filename)
        progress(2)
        plan = plan_import(table)
        if expected_fingerprint is not None and plan.fingerprint() != expected_fingerprint:
            return None
        if not dry_run:
            apply_plan(plan, user, progress=progress)
    progress(len(IMPORT_STEPS))
    return plan


def _write_recommendation_history(recommendations, history_type, user, when) -> None:
    """One history row per recommendation, with its partners as they now stand."""
    if not recommendations:
        return
    manager = Recommendation.history
    history_rows = manager.bulk_history_create(
        recommendations,
        update=history_type == "~",
        default_user=user,
        default_date=when,
    )
    by_recommendation = {row.id: row for row in history_rows}
    PartnerHistory = manager.model.partners.model
    Through = Recommendation.partners.through
    PartnerHistory.objects.bulk_create(
        [
            PartnerHistory(
                history=by_recommendation[through.recommendation_id],
                id=through.id,
                recommendation_id=through.recommendation_id,
                organisation_id=through.organisation_id,
            )
            for through in Through.objects.filter(
                recommendation__in=[rec.pk for rec in recommendations]
            ).order_by("pk")
        ],
        batch_size=2000,
    )
