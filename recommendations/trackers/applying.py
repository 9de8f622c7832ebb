"""Step 4: apply a plan in one transaction, with the audit history; and import a file whole."""

from django.db import connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from reviews.models import Committee, Organisation, Review

from ..models import ProgressUpdate, Recommendation, natural_sort_key
from .planning import Plan, RecommendationPlan, plan_import
from .reading import read_tracker


@transaction.atomic
def apply_plan(plan: Plan, user) -> None:
    """Write the plan in one transaction, every change in the audit history against `user`.

    Bulk writes keep a large import fast. simple-history's signals do not fire on them, so the
    history rows are written here too: with `bulk_create_with_history` for committees,
    organisations and reviews, and by hand for recommendations, whose history row must be
    written after their partners so that it records them (as simple-history does on save()).
    """
    now = timezone.now()
    committees = {
        committee.name.casefold(): committee
        for committee in bulk_create_with_history(
            [Committee(name=name) for name in plan.new_committees],
            Committee,
            default_user=user,
            default_date=now,
        )
    }
    organisations = {
        organisation.name.casefold(): organisation
        for organisation in bulk_create_with_history(
            [Organisation(name=name) for name in plan.new_organisations],
            Organisation,
            default_user=user,
            default_date=now,
        )
    }
    wanted_committees = {
        review.committee.casefold() for review in plan.reviews if review.is_new
    } - set(committees)
    committees.update(
        (committee.name.casefold(), committee)
        for committee in Committee.objects.filter(
            name__in=[review.committee for review in plan.reviews if review.is_new]
        )
        if committee.name.casefold() in wanted_committees
    )
    wanted_organisations = {
        name.casefold()
        for review in plan.reviews
        for rec in review.recommendations
        for name in ([rec.lead] if rec.lead else []) + (rec.partners or [])
    } - set(organisations)
    if wanted_organisations:
        organisations.update(
            (organisation.name.casefold(), organisation)
            for organisation in Organisation.objects.all()
            if organisation.name.casefold() in wanted_organisations
        )

    new_reviews = [review for review in plan.reviews if review.is_new]
    created_reviews = bulk_create_with_history(
        [
            Review(title=review.title, committee=committees[review.committee.casefold()])
            for review in new_reviews
        ],
        Review,
        default_user=user,
        default_date=now,
    )
    for review_plan, review in zip(new_reviews, created_reviews, strict=True):
        review_plan.existing = review

    to_create: list[tuple[RecommendationPlan, Recommendation]] = []
    to_change: list[tuple[RecommendationPlan, Recommendation]] = []
    changed_fields: set[str] = {"version"}
    rewritten: list[Recommendation] = []  # existing ones whose text changes
    for review_plan in plan.reviews:
        for rec_plan in review_plan.recommendations:
            if rec_plan.action == "create":
                recommendation = Recommendation(
                    review=review_plan.existing,
                    number=rec_plan.number,
                    sort_key=natural_sort_key(rec_plan.number),
                    created_at=now,
                    **rec_plan.values,
                )
                if rec_plan.lead:
                    recommendation.lead_organisation = organisations[rec_plan.lead.casefold()]
                to_create.append((rec_plan, recommendation))
            elif rec_plan.action == "change":
                recommendation = rec_plan.existing
                for name, value in rec_plan.values.items():
                    if getattr(recommendation, name) != value:
                        setattr(recommendation, name, value)
                        changed_fields.add(name)
                        if name == "text":
                            rewritten.append(recommendation)
                new_lead = organisations[rec_plan.lead.casefold()] if rec_plan.lead else None
                if any(change.column == "lead" for change in rec_plan.changes):
                    recommendation.lead_organisation = new_lead
                    changed_fields.add("lead_organisation")
                recommendation.version += 1
                to_change.append((rec_plan, recommendation))

    Recommendation.objects.bulk_create([rec for _plan, rec in to_create])
    if to_change:
        Recommendation.objects.bulk_update(
            [rec for _plan, rec in to_change], sorted(changed_fields), batch_size=500
        )

    Through = Recommendation.partners.through
    partners_changed = [
        (rec_plan, rec)
        for rec_plan, rec in to_change
        if any(change.column == "partners" for change in rec_plan.changes)
    ]
    if partners_changed:
        Through.objects.filter(recommendation__in=[rec for _plan, rec in partners_changed]).delete()
    Through.objects.bulk_create(
        [
            Through(recommendation=rec, organisation=organisations[name.casefold()])
            for rec_plan, rec in [*to_create, *partners_changed]
            for name in rec_plan.partners or []
        ],
        batch_size=2000,
    )
    _write_recommendation_history([rec for _plan, rec in to_create], "+", user, now)
    _write_recommendation_history([rec for _plan, rec in to_change], "~", user, now)

    updates = [
        (rec_plan, update)
        for review_plan in plan.reviews
        for rec_plan in review_plan.recommendations
        for update in rec_plan.new_updates
    ]
    created_by_plan = {id(rec_plan): rec for rec_plan, rec in to_create}
    ProgressUpdate.objects.bulk_create(
        [
            ProgressUpdate(
                recommendation=created_by_plan.get(id(rec_plan)) or rec_plan.existing,
                as_at=update.as_at,
                status=update.status,
                narrative=update.narrative,
                author=user,
                recorded_at=now,
            )
            for rec_plan, update in updates
        ],
        batch_size=2000,
    )
    # bulk_create skips ProgressUpdate.save(): bring the stored current status of every
    # recommendation given an update up to date, in one statement. Picked by a subquery (the
    # updates recorded now) rather than a list of ids, which could pass SQLite's parameter limit.
    updated = ProgressUpdate.objects.filter(recorded_at=now).values("recommendation")
    if updates:
        Recommendation.objects.filter(pk__in=updated).refresh_current_status()
    # The search document of those created or with new text and no new update (the refresh
    # above set the others'); on PostgreSQL only, where it exists, so the list of ids never
    # meets SQLite's parameter limit.
    rewritten.extend(rec for _plan, rec in to_create)
    if rewritten and connection.vendor == "postgresql":
        Recommendation.objects.filter(pk__in=[rec.pk for rec in rewritten]).exclude(
            pk__in=updated
        ).refresh_search_document()


def import_tracker(data: bytes, filename: str, *, user, dry_run: bool = False) -> Plan:
    """Read, check, plan and (unless `dry_run`) apply a tracker file, all in one transaction.

    Raises TrackerFileError listing every problem, in which case nothing is written.
    """
    with transaction.atomic():
        plan = plan_import(read_tracker(data, filename))
        if not dry_run:
            apply_plan(plan, user)
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
