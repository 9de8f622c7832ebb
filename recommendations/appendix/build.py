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
from collections import defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.text import slugify

from reviews.models import Committee, Meeting, Organisation, Review, WorkProgrammeItem

from ..choices import FINISHED_STATUSES, Closure, Response, Status
from ..models import ProgressUpdate, PublishedAppendix, Recommendation, natural_sort_key

DEFAULT_NUMBER = 2


@dataclass(frozen=True)
class NarrativeEntry:
    as_at: datetime.date
    status: Status
    text: str


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
    heading_lines: tuple[str, ...] = field(default=())

    @property
    def title(self) -> str:
        return (
            f"Appendix {self.number}: Progress against the recommendations of the "
            f"{self.review_title}"
        )

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

    review_then = _single_as_at_by_id(Review, review.pk, known_at)
    review_title = review_then.title if review_then else review.title
    committee_id = review_then.committee_id if review_then else review.committee_id
    committee_then = _single_as_at_by_id(Committee, committee_id, known_at)
    committee_name = committee_then.name if committee_then else review.committee.name

    meeting_date = None
    if meeting is not None:
        meeting_then = _single_as_at_by_id(Meeting, meeting.pk, known_at)
        meeting_date = meeting_then.date if meeting_then else meeting.date
    before = min(as_at, meeting_date) if meeting_date else as_at
    previous = previous_report_date(review, before, known_at)

    recommendations = list(
        _latest_history_rows(Recommendation, known_at, review_id=review.pk).values(
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
    )
    if not include_closed:
        recommendations = [rec for rec in recommendations if not rec["closure"]]

    partner_history = apps.get_model("recommendations", "HistoricalRecommendation_partners")
    partners_by_history: dict[int, list[int]] = defaultdict(list)
    for history_id, organisation_id in partner_history.objects.filter(
        history_id__in=[rec["history_id"] for rec in recommendations]
    ).values_list("history_id", "organisation_id"):
        partners_by_history[history_id].append(organisation_id)

    organisation_ids = {rec["lead_organisation_id"] for rec in recommendations} | {
        org for orgs in partners_by_history.values() for org in orgs
    }
    names = _organisation_names(organisation_ids - {None}, known_at)

    updates_by_recommendation: dict[int, list[NarrativeEntry]] = defaultdict(list)
    for recommendation_id, update_as_at, status, narrative in (
        ProgressUpdate.objects.filter(
            recommendation_id__in=[rec["id"] for rec in recommendations],
            as_at__lte=as_at,
            recorded_at__lte=known_at,
        )
        .order_by("-as_at", "-recorded_at", "-pk")
        .values_list("recommendation_id", "as_at", "status", "narrative")
    ):
        updates_by_recommendation[recommendation_id].append(
            NarrativeEntry(as_at=update_as_at, status=Status(status), text=narrative)
        )

    rows = []
    for rec in sorted(recommendations, key=lambda rec: natural_sort_key(rec["number"])):
        updates = updates_by_recommendation.get(rec["id"], [])
        status = updates[0].status if updates else Status.NOT_STARTED
        since = [u for u in updates if previous is None or u.as_at > previous]
        target = rec["revised_target_date"] or rec["target_date"]
        is_closed = bool(rec["closure"])
        rows.append(
            AppendixRow(
                recommendation_id=rec["id"],
                number=rec["number"],
                text=rec["text"],
                response=Response(rec["response"]),
                response_text=rec["response_text"],
                lead=names.get(rec["lead_organisation_id"], ""),
                partners=tuple(
                    sorted(
                        (names.get(org, "") for org in partners_by_history[rec["history_id"]]),
                        key=str.casefold,
                    )
                ),
                target_date=rec["target_date"],
                revised_target_date=rec["revised_target_date"],
                revision_reason=rec["revision_reason"],
                status=status,
                is_overdue=(
                    not is_closed
                    and status not in FINISHED_STATUSES
                    and target is not None
                    and target < as_at
                ),
                is_closed=is_closed,
                closure_label=_closure_label(rec["closure"]),
                narrative=tuple(since or updates[:1]),
            )
        )

    counts = defaultdict(int)
    for row in rows:
        counts[row.status] += 1
    heading = [committee_name]
    if meeting is not None:
        heading.append(f"Meeting of {meeting_date:%-d %B %Y}")
    heading.append(f"Position as at {as_at:%-d %B %Y}")
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
        rows=tuple(rows),
        summary=tuple(StatusCount(status, counts[status]) for status in Status),
        overdue_count=sum(row.is_overdue for row in rows),
        heading_lines=tuple(heading),
    )


def _single_as_at_by_id(model, pk, known_at):
    row = (
        model.history.model.objects.filter(id=pk, history_date__lte=known_at)
        .order_by("-history_date", "-history_id")
        .first()
    )
    return None if row is None or row.history_type == "-" else row


def _organisation_names(ids: set[int], known_at: datetime.datetime) -> dict[int, str]:
    """Organisation names as they were at K (current names for any without history then)."""
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


def _closure_label(code: str) -> str:
    return Closure(code).label if code else ""
