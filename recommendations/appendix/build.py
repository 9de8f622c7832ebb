"""What the appendix says: `build_appendix` makes it, as at a date D, as known at a moment K.

`build_appendix` is the one place that decides what the report says. The screen page, the PDF,
the publish action and the `export_appendix` command all render the object it returns.

Everything is read as it stood at K: the recommendations (text, lead, partners, dates, response,
closure), their organisations' names, the review's title and committee, and the work programme,
all from the audit history; and only the progress updates dated on or before D that had been
recorded by K. A published copy keeps its D and K, so building it again gives the same report even
after late updates for D have been recorded.

The number of queries does not depend on the number of recommendations: the latest history row of
each recommendation at K is picked in one query (`Model.history.as_of(t)` per object would cost
one query each, and over a table it returns duplicates when two rows share a `history_date`).
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.apps import apps
from django.db.models import CharField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify

from reviews.models import Committee, Meeting, Organisation, Review, WorkProgrammeItem

from ..choices import Closure, Response, Status
from ..models import (
    EFFECTIVE_TARGET,
    OPEN,
    Evidence,
    ProgressUpdate,
    PublishedAppendix,
    Recommendation,
    flag,
    natural_sort_key,
    overdue_condition,
)

DEFAULT_NUMBER = 2
MAX_APPENDIX_NUMBER = 99
# What the appendix reads from each recommendation's history row at K.
RECOMMENDATION_FIELDS = (
    "history_id",
    "id",
    "number",
    "text",
    "lead_organisation_id",
    "response",
    "response_text",
    "target_date",
    "revised_target_date",
    "revision_reason",
    "closure",
)


@dataclass(frozen=True)
class EvidenceEntry:
    evidence_id: int
    name: str
    size: int


@dataclass(frozen=True)
class NarrativeEntry:
    as_at: datetime.date
    status: Status
    text: str
    # The update's evidence files, by name and size (linked on screen, listed in the PDF).
    evidence: tuple[EvidenceEntry, ...] = ()


@dataclass(frozen=True)
class AppendixRow:
    recommendation_id: int
    number: str
    text: str
    response: Response
    response_text: str
    lead: str
    partners: tuple[str, ...]
    target_date: datetime.date | None
    revised_target_date: datetime.date | None
    revision_reason: str
    status: Status
    is_overdue: bool
    is_closed: bool
    closure_label: str
    narrative: tuple[NarrativeEntry, ...]

    @property
    def effective_target_date(self) -> datetime.date | None:
        return self.revised_target_date or self.target_date


@dataclass(frozen=True)
class StatusCount:
    status: Status
    count: int


@dataclass(frozen=True)
class Appendix:
    review_id: int
    review_title: str
    committee: str
    number: int
    as_at: datetime.date
    known_at: datetime.datetime
    meeting_id: int | None
    meeting_date: datetime.date | None
    previous_report_date: datetime.date | None
    include_closed: bool
    rows: tuple[AppendixRow, ...]
    summary: tuple[StatusCount, ...]
    overdue_count: int

    @property
    def title(self) -> str:
        return (
            f"Appendix {self.number}: Progress against the recommendations of the "
            f"{self.review_title}"
        )

    @property
    def heading_lines(self) -> tuple[str, ...]:
        """Under the title: the committee, the meeting when it is for one, the position date."""
        lines = [self.committee]
        if self.meeting_date:
            lines.append(f"Meeting of {date_format(self.meeting_date)}")
        lines.append(f"Position as at {date_format(self.as_at)}")
        return tuple(lines)

    @property
    def total(self) -> int:
        return len(self.rows)

    def file_name(self, extension: str) -> str:
        return file_name(self.number, self.review_title, self.as_at, extension)


def file_name(number: int, review_title: str, as_at: datetime.date, extension: str) -> str:
    """What the file is, e.g. appendix-2-scrutiny-review-of-cybercrime-2019-01-21.pdf"""
    slug = slugify(review_title)[:80].strip("-") or "review"
    return f"appendix-{number}-{slug}-{as_at.isoformat()}.{extension}"


def default_known_at(as_at: datetime.date, now: datetime.datetime | None = None):
    """K: the end of day D (in the site's time zone) for a past D; now for today or later."""
    now = now or timezone.now()
    if as_at < timezone.localdate(now):
        return timezone.make_aware(datetime.datetime.combine(as_at, datetime.time.max))
    return now


def _latest_history_rows(model, known_at: datetime.datetime, **filters):
    """Each object's newest history row at `known_at` (ties on the date broken by history_id),
    when that row matches `filters` and is not a deletion: one query over the history table."""
    history = model.history.model
    newest = (
        history.objects.filter(id=OuterRef("id"), history_date__lte=known_at)
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    return (
        history.objects.filter(history_date__lte=known_at, **filters)
        .filter(history_id=Subquery(newest))
        .exclude(history_type="-")
    )


def previous_report_date(
    review: Review, before: datetime.date, known_at: datetime.datetime
) -> datetime.date | None:
    """The latest meeting of the review's committee before `before` at which progress on this
    review was reported, as the work programme and the published appendices stood at K."""
    items = _latest_history_rows(
        WorkProgrammeItem,
        known_at,
        review_id=review.pk,
        kind=WorkProgrammeItem.Kind.PROGRESS_REPORT,
        meeting__committee_id=review.committee_id,
        meeting__date__lt=before,
    ).values_list("meeting__date", flat=True)
    published = PublishedAppendix.objects.filter(
        review=review,
        meeting__committee_id=review.committee_id,
        meeting__date__lt=before,
        published_at__lte=known_at,
    ).values_list("meeting__date", flat=True)
    dates = [*items, *published]
    return max(dates) if dates else None


def build_appendix(
    review: Review,
    as_at: datetime.date,
    *,
    known_at: datetime.datetime | None = None,
    meeting: Meeting | None = None,
    number: int = DEFAULT_NUMBER,
    include_closed: bool = False,
) -> Appendix:
    """The appendix for `review` as at D=`as_at`, as known at K=`known_at` (see the module)."""
    if known_at is None:
        known_at = default_known_at(as_at)
    if meeting is not None and meeting.committee_id != review.committee_id:
        raise ValueError("The meeting is not a meeting of the review's committee.")
    review_title, committee_name = _review_and_committee_as_at(review, known_at)
    meeting_date = _meeting_date_as_at(meeting, known_at) if meeting is not None else None
    before = min(as_at, meeting_date) if meeting_date else as_at
    previous = previous_report_date(review, before, known_at)
    rows = _rows(review, as_at, known_at, include_closed=include_closed, previous=previous)
    return Appendix(
        review_id=review.pk,
        review_title=review_title,
        committee=committee_name,
        number=number,
        as_at=as_at,
        known_at=known_at,
        meeting_id=meeting.pk if meeting else None,
        meeting_date=meeting_date,
        previous_report_date=previous,
        include_closed=include_closed,
        rows=rows,
        summary=_summary(rows),
        overdue_count=sum(row.is_overdue for row in rows),
    )


def _review_and_committee_as_at(review: Review, known_at: datetime.datetime) -> tuple[str, str]:
    """The review's title and its committee's name as they were at K (else as they are now)."""
    review_then = _single_as_at(Review, review.pk, known_at)
    title = review_then.title if review_then else review.title
    committee_id = review_then.committee_id if review_then else review.committee_id
    committee_then = _single_as_at(Committee, committee_id, known_at)
    return title, committee_then.name if committee_then else review.committee.name


def _meeting_date_as_at(meeting: Meeting, known_at: datetime.datetime) -> datetime.date:
    meeting_then = _single_as_at(Meeting, meeting.pk, known_at)
    return meeting_then.date if meeting_then else meeting.date


def _single_as_at(model, pk, known_at: datetime.datetime):
    """One object's newest history row at K, or None (no history then, or deleted by then)."""
    return _latest_history_rows(model, known_at, id=pk).first()


def _rows(
    review: Review,
    as_at: datetime.date,
    known_at: datetime.datetime,
    *,
    include_closed: bool,
    previous: datetime.date | None,
) -> tuple[AppendixRow, ...]:
    """One row per recommendation as it stood at K, in natural number order."""
    recommendations = _recommendations_as_at(review, as_at, known_at, include_closed=include_closed)
    partners = _partner_ids([rec["history_id"] for rec in recommendations])
    names = _organisation_names(
        {rec["lead_organisation_id"] for rec in recommendations}
        | {org for orgs in partners.values() for org in orgs},
        known_at,
    )
    updates = _updates_by_recommendation([rec["id"] for rec in recommendations], as_at, known_at)
    return tuple(
        _row(rec, names, partners[rec["history_id"]], updates[rec["id"]], previous)
        for rec in sorted(recommendations, key=lambda rec: natural_sort_key(rec["number"]))
    )


def _recommendations_as_at(
    review: Review, as_at: datetime.date, known_at: datetime.datetime, *, include_closed: bool
) -> list[dict]:
    """The review's recommendations as they stood at K (closed ones only when asked for), each
    with its status as at D as known at K and whether it was then overdue.

    The history has no `current_status` (it is derived from the updates), so the newest known
    update's status is annotated under that name, and `overdue_condition` (the one definition of
    overdue) applies to the history rows as it does to the recommendations.
    """
    newest_status = _known_updates(as_at, known_at).filter(recommendation_id=OuterRef("id"))
    recommendations = (
        _latest_history_rows(Recommendation, known_at, review_id=review.pk)
        .annotate(
            current_status=Coalesce(
                Subquery(newest_status.values("status")[:1]),
                Value(Status.NOT_STARTED.value),
                output_field=CharField(),
            )
        )
        .alias(effective_target=EFFECTIVE_TARGET)
        .annotate(is_overdue=flag(overdue_condition(as_at)))
    )
    if not include_closed:
        recommendations = recommendations.filter(OPEN)
    return list(recommendations.values(*RECOMMENDATION_FIELDS, "current_status", "is_overdue"))


def _partner_ids(history_ids: list[int]) -> defaultdict[int, list[int]]:
    """The partner organisations recorded with each of these history rows of recommendations."""
    partner_history = apps.get_model("recommendations", "HistoricalRecommendation_partners")
    partners: defaultdict[int, list[int]] = defaultdict(list)
    for history_id, organisation_id in partner_history.objects.filter(
        history_id__in=history_ids
    ).values_list("history_id", "organisation_id"):
        partners[history_id].append(organisation_id)
    return partners


def _organisation_names(ids: set[int | None], known_at: datetime.datetime) -> dict[int, str]:
    """Organisation names as they were at K (current names for any without history then)."""
    ids = ids - {None}
    names: dict[int, str] = {}
    rows = (
        Organisation.history.model.objects.filter(id__in=ids, history_date__lte=known_at)
        .order_by("id", "-history_date", "-history_id")
        .values_list("id", "name")
    )
    for pk, name in rows:
        names.setdefault(pk, name)
    missing = ids - names.keys()
    if missing:
        names.update(Organisation.objects.filter(pk__in=missing).values_list("pk", "name"))
    return names


def _known_updates(as_at: datetime.date, known_at: datetime.datetime):
    """The progress updates dated on or before D that had been accepted by K, newest first: one
    submitted before K but accepted after it was not known at K."""
    return (
        ProgressUpdate.objects.accepted_by(known_at)
        .filter(as_at__lte=as_at)
        .order_by("-as_at", "-recorded_at", "-pk")
    )


def _updates_by_recommendation(
    recommendation_ids: list[int], as_at: datetime.date, known_at: datetime.datetime
) -> defaultdict[int, list[NarrativeEntry]]:
    """Each recommendation's updates known at K for D, newest first."""
    updates: defaultdict[int, list[NarrativeEntry]] = defaultdict(list)
    known = _known_updates(as_at, known_at).filter(recommendation_id__in=recommendation_ids)
    evidence: defaultdict[int, list[EvidenceEntry]] = defaultdict(list)
    for update_id, evidence_id, name, size in (
        Evidence.objects.filter(update__in=known.values("pk"))
        .order_by("pk")
        .values_list("update_id", "pk", "name", "size")
    ):
        evidence[update_id].append(EvidenceEntry(evidence_id=evidence_id, name=name, size=size))
    for update_id, recommendation_id, update_as_at, status, narrative in known.values_list(
        "pk", "recommendation_id", "as_at", "status", "narrative"
    ):
        updates[recommendation_id].append(
            NarrativeEntry(
                as_at=update_as_at,
                status=Status(status),
                text=narrative,
                evidence=tuple(evidence[update_id]),
            )
        )
    return updates


def _row(
    rec: dict,
    names: dict[int, str],
    partner_ids: list[int],
    updates: list[NarrativeEntry],
    previous: datetime.date | None,
) -> AppendixRow:
    return AppendixRow(
        recommendation_id=rec["id"],
        number=rec["number"],
        text=rec["text"],
        response=Response(rec["response"]),
        response_text=rec["response_text"],
        lead=names.get(rec["lead_organisation_id"], ""),
        partners=tuple(sorted((names.get(org, "") for org in partner_ids), key=str.casefold)),
        target_date=rec["target_date"],
        revised_target_date=rec["revised_target_date"],
        revision_reason=rec["revision_reason"],
        status=Status(rec["current_status"]),
        is_overdue=bool(rec["is_overdue"]),
        is_closed=bool(rec["closure"]),
        closure_label=_closure_label(rec["closure"]),
        narrative=_narrative(updates, previous),
    )


def _narrative(
    updates: list[NarrativeEntry], previous: datetime.date | None
) -> tuple[NarrativeEntry, ...]:
    """The updates since the previous report, newest first, or the latest alone if none since."""
    since = [update for update in updates if previous is None or update.as_at > previous]
    return tuple(since or updates[:1])


def _summary(rows: tuple[AppendixRow, ...]) -> tuple[StatusCount, ...]:
    """How many recommendations are in each status, every status listed."""
    counts = Counter(row.status for row in rows)
    return tuple(StatusCount(status, counts[status]) for status in Status)


def _closure_label(code: str) -> str:
    return Closure(code).label if code else ""
