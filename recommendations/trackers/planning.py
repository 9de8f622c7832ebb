"""Step 3: compare the checked rows with the register, and plan what an import would do."""

import datetime
import enum
import hashlib
from dataclasses import dataclass, field

from django.utils.formats import date_format
from django.utils.translation import ngettext

from reviews.models import Committee, Organisation, Review

from ..choices import Response
from ..models import ProgressUpdate, Recommendation, natural_sort_key
from .cells import normalise_text, same_text
from .checking import RecommendationSpec, ReviewSpec, UpdateSpec, check_rows
from .columns import COLUMNS, DATE_COLUMNS, FIELD_LABELS, MODEL_FIELDS
from .problems import Problem, TrackerFileError
from .reading import RawTable


class Action(enum.StrEnum):
    """What an import does to one recommendation."""

    CREATE = "create"
    CHANGE = "change"
    UNCHANGED = "unchanged"


@dataclass
class FieldChange:
    column: str
    label: str
    old: str
    new: str


@dataclass
class RecommendationPlan:
    number: str
    row: int
    action: Action
    text: str
    existing: Recommendation | None
    values: dict  # model field -> new value, for the columns the file has
    lead: str | None  # organisation name when the lead column is present
    partners: list[str] | None  # organisation names when the partners column is present
    changes: list[FieldChange] = field(default_factory=list)
    new_updates: list[UpdateSpec] = field(default_factory=list)


@dataclass
class ReviewPlan:
    title: str
    is_new: bool
    committee: str
    existing: Review | None
    recommendations: list[RecommendationPlan] = field(default_factory=list)

    def _with(self, action: Action) -> list[RecommendationPlan]:
        return [plan for plan in self.recommendations if plan.action == action]

    @property
    def created(self):
        return self._with(Action.CREATE)

    @property
    def changed(self):
        return self._with(Action.CHANGE)

    @property
    def unchanged(self):
        return self._with(Action.UNCHANGED)

    @property
    def with_new_updates(self):
        return [plan for plan in self.recommendations if plan.new_updates]

    @property
    def new_update_count(self) -> int:
        return sum(len(plan.new_updates) for plan in self.recommendations)

    @property
    def has_changes(self) -> bool:
        return self.is_new or bool(self.created or self.changed or self.new_update_count)


@dataclass
class Plan:
    reviews: list[ReviewPlan]
    new_committees: list[str]
    new_organisations: list[str]

    @property
    def created_reviews(self) -> int:
        return sum(review.is_new for review in self.reviews)

    @property
    def created_recommendations(self) -> int:
        return sum(len(review.created) for review in self.reviews)

    @property
    def changed_recommendations(self) -> int:
        return sum(len(review.changed) for review in self.reviews)

    @property
    def unchanged_recommendations(self) -> int:
        return sum(len(review.unchanged) for review in self.reviews)

    @property
    def created_updates(self) -> int:
        return sum(review.new_update_count for review in self.reviews)

    @property
    def has_changes(self) -> bool:
        return bool(self.new_committees or self.new_organisations) or any(
            review.has_changes for review in self.reviews
        )

    def summary(self, *, dry_run: bool = False) -> str:
        """ "Created 1 review, 7 recommendations, 12 progress updates; updated 0; unchanged 0"."""
        reviews, recommendations = self.created_reviews, self.created_recommendations
        updates = self.created_updates
        created = ", ".join(
            [
                ngettext("%(count)s review", "%(count)s reviews", reviews)
                % {"count": f"{reviews:,}"},
                ngettext("%(count)s recommendation", "%(count)s recommendations", recommendations)
                % {"count": f"{recommendations:,}"},
                ngettext("%(count)s progress update", "%(count)s progress updates", updates)
                % {"count": f"{updates:,}"},
            ]
        )
        changed, unchanged = self.changed_recommendations, self.unchanged_recommendations
        if dry_run:
            return f"Would create {created}; would update {changed:,}; unchanged {unchanged:,}"
        return f"Created {created}; updated {changed:,}; unchanged {unchanged:,}"

    @property
    def planned_summary(self) -> str:
        """The summary of a plan not yet applied ("Would create …")."""
        return self.summary(dry_run=True)

    def fingerprint(self) -> str:
        """A digest of everything the plan would do, to tell whether two plans are the same."""
        parts = [repr(sorted(self.new_committees)), repr(sorted(self.new_organisations))]
        for review in self.reviews:
            parts.append(repr((review.title, review.is_new, review.committee)))
            for plan in review.recommendations:
                parts.append(
                    repr(
                        (
                            plan.number,
                            plan.action.value,
                            [(c.column, c.old, c.new) for c in plan.changes],
                            [u.key for u in plan.new_updates],
                        )
                    )
                )
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def plan_import(table: RawTable) -> Plan:
    """Check every row and compare the file with the register; raises TrackerFileError."""
    checked = check_rows(table)
    planner = _Planner(
        set(table.columns), _Register.load(list(checked.reviews)), problems=checked.problems
    )
    review_plans = {title: planner.plan_review(spec) for title, spec in checked.reviews.items()}
    for key, spec in checked.specs.items():
        plan = planner.plan_recommendation(key, spec)
        if plan is not None:
            review_plans[spec.review].recommendations.append(plan)
    if planner.problems:
        raise TrackerFileError(sorted(planner.problems, key=_problem_order))
    for review_plan in review_plans.values():
        review_plan.recommendations.sort(key=lambda plan: natural_sort_key(plan.number))
    return Plan(
        reviews=list(review_plans.values()),
        new_committees=sorted(planner.new_committees.values()),
        new_organisations=sorted(planner.new_organisations.values(), key=str.casefold),
    )


def _problem_order(problem: Problem) -> tuple:
    """By row, then in the order of the format's columns."""
    column = COLUMNS.index(problem.column) if problem.column in COLUMNS else -1
    return (problem.row or 0, column)


@dataclass
class _Register:
    """What the register holds of the reviews a file names, in a few queries."""

    reviews: dict[str, Review]  # by title
    committees: dict[str, str]  # casefolded name -> name
    organisations: dict[str, str]  # casefolded name -> name
    recommendations: dict[tuple[str, str], Recommendation]  # by title and casefolded number
    updates: dict[int, set[tuple]]  # recommendation id -> the keys of its updates

    @classmethod
    def load(cls, titles: list[str]) -> "_Register":
        reviews = {
            review.title: review
            for review in Review.objects.filter(title__in=titles).select_related("committee")
        }
        recommendations = (
            Recommendation.objects.filter(review__in=reviews.values())
            .select_related("review", "lead_organisation")
            .prefetch_related("partners")
        )
        updates: dict[int, set[tuple]] = {}
        for rec_id, as_at, status, narrative in ProgressUpdate.objects.filter(
            recommendation__review__in=reviews.values()
        ).values_list("recommendation", "as_at", "status", "narrative"):
            updates.setdefault(rec_id, set()).add((as_at, status, normalise_text(narrative)))
        return cls(
            reviews=reviews,
            committees={
                name.casefold(): name for name in Committee.objects.values_list("name", flat=True)
            },
            organisations={
                name.casefold(): name
                for name in Organisation.objects.values_list("name", flat=True)
            },
            recommendations={
                (rec.review.title, rec.number.casefold()): rec for rec in recommendations
            },
            updates=updates,
        )


class _Planner:
    """Plans each review and recommendation against the register, noting problems as it goes."""

    def __init__(self, columns: set[str], register: _Register, *, problems: list[Problem]):
        self.columns = columns
        self.register = register
        self.problems = problems
        self.new_committees: dict[str, str] = {}  # casefolded name -> name
        self.new_organisations: dict[str, str] = {}  # casefolded name -> name

    def plan_review(self, spec: ReviewSpec) -> ReviewPlan:
        review = self.register.reviews.get(spec.title)
        if review is not None:
            committee = review.committee.name
        else:
            committee = self._committee_of_new_review(spec)
        return ReviewPlan(
            title=spec.title, is_new=review is None, committee=committee, existing=review
        )

    def _committee_of_new_review(self, spec: ReviewSpec) -> str:
        committee = spec.committee
        if not committee:
            self.problems.append(
                Problem(
                    f"'{spec.title}' is a new review, so it needs its committee",
                    row=spec.row,
                    column="committee",
                )
            )
        elif committee.casefold() not in self.register.committees:
            self.new_committees.setdefault(committee.casefold(), committee)
        return self.register.committees.get(committee.casefold(), committee)

    def organisation_name(self, name: str) -> str:
        """The name the register knows an organisation by, noting it as new when it has none."""
        key = name.casefold()
        if key in self.register.organisations:
            return self.register.organisations[key]
        return self.new_organisations.setdefault(key, name)

    def plan_recommendation(
        self, key: tuple[str, str], spec: RecommendationSpec
    ) -> RecommendationPlan | None:
        existing = self.register.recommendations.get(key)
        given = {column: value for column, (value, _row) in spec.values.items()}
        text = given.get("recommendation", "")
        if existing is None and not text:
            self.problems.append(
                Problem(
                    f"recommendation {spec.number} of '{spec.review}' is new, so it needs its text",
                    row=spec.row,
                    column="recommendation",
                )
            )
            return None
        lead = self.organisation_name(given["lead"]) if given.get("lead") else None
        partners = (
            sorted(
                (self.organisation_name(name) for name in given.get("partners", [])),
                key=str.casefold,
            )
            if "partners" in self.columns
            else None
        )
        plan = RecommendationPlan(
            number=spec.number,
            row=spec.row,
            action=Action.CREATE if existing is None else Action.UNCHANGED,
            text=text or (existing.text if existing else ""),
            existing=existing,
            values=_new_values(given, text, self.columns),
            lead=lead if "lead" in self.columns else None,
            partners=partners,
        )
        if existing is not None:
            plan.changes = _changes(existing, plan, self.columns)
            if plan.changes:
                plan.action = Action.CHANGE
        plan.new_updates = self._new_updates(existing, spec.updates)
        return plan

    def _new_updates(self, existing: Recommendation | None, updates: list[UpdateSpec]):
        """The updates the register does not hold yet, each once."""
        seen = set(self.register.updates.get(existing.pk, ())) if existing else set()
        new = []
        for update in updates:
            if update.key not in seen:
                seen.add(update.key)
                new.append(update)
        return new


def _display(value) -> str:
    """A value as the preview shows it, old and new."""
    if value is None or value == "":
        return "(blank)"
    if isinstance(value, datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, Response):
        return value.label
    if isinstance(value, list):
        return "; ".join(value) if value else "(none)"
    return str(value)


def _new_values(given: dict, text: str, columns: set[str]) -> dict:
    """The register's value for each column the file has; blank where no row gave one."""
    new: dict = {}
    for column in columns & set(MODEL_FIELDS):
        if column == "recommendation" and not text:
            continue  # an existing recommendation keeps its text when the file gives none
        value = given.get(column)
        if column == "response":
            value = value or Response.AWAITING
        elif column not in DATE_COLUMNS:
            value = value or ""
        new[MODEL_FIELDS[column]] = value
    return new


def _changes(
    existing: Recommendation, plan: RecommendationPlan, columns: set[str]
) -> list[FieldChange]:
    """What the plan changes of an existing recommendation, old and new, in the columns' order."""
    changes = []
    for column, field_name in MODEL_FIELDS.items():
        if field_name not in plan.values:
            continue
        old, value = getattr(existing, field_name), plan.values[field_name]
        if field_name == "response":
            same, old = old == value, Response(old)
        else:
            same = same_text(old, value) if isinstance(old, str) else old == value
        if not same:
            changes.append(_change(column, old, value))
    if "lead" in columns:
        old_lead = existing.lead_organisation.name if existing.lead_organisation else None
        if old_lead != plan.lead:
            changes.append(_change("lead", old_lead, plan.lead))
    if plan.partners is not None:
        old_partners = sorted((org.name for org in existing.partners.all()), key=str.casefold)
        if old_partners != plan.partners:
            changes.append(_change("partners", old_partners, plan.partners))
    return changes


def _change(column: str, old, new) -> FieldChange:
    return FieldChange(column, FIELD_LABELS[column], _display(old), _display(new))
