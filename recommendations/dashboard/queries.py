"""What the dashboard shows, computed in a fixed number of queries whatever the size of the register.

Every count here is made in the database from the named querysets (`overdue(today)`,
`stale(today)`, `response_overdue(today)`), the same ones the register's filters use, so a
headline count and the register it links to always agree.
"""

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db import models
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber
from django.urls import reverse
from django.utils.translation import ngettext

from reviews.models import Committee, Meeting, Review, WorkProgrammeItem

from ..choices import Status
from ..models import (
    Recommendation,
    RequestedRecommendation,
    UpdateRequest,
    count_of,
    needs_update_condition,
)
from ..register.filters import Flag, recently_updated

RECENT_DAYS = 30
# The reviews shown for each committee, those with the most overdue and stale recommendations
# first; a link leads to all of the committee's recommendations in the register.
REVIEWS_PER_COMMITTEE = 4
# The statuses in order, listed once: iterating an enum is slow enough to show on this page.
STATUSES = tuple(Status)
YOURS_LIMIT = 20


@dataclass
class Headline:
    key: str
    count: int
    label: str
    query: dict

    @property
    def url(self) -> str:
        return f"{reverse('recommendations:show_register')}?{urlencode(self.query, doseq=True)}"


@dataclass
class Segment:
    status: Status
    count: int
    width: int  # percent of the bar, the widths of a bar adding up to 100


@dataclass
class ReviewSummary:
    review: Review
    counts: dict[str, int]
    total: int
    segments: list[Segment]
    response_overdue: bool

    @property
    def counts_in_order(self) -> list[tuple[Status, int]]:
        return [(status, self.counts.get(status, 0)) for status in STATUSES]


@dataclass
class CommitteeSummary:
    committee: Committee
    review_count: int  # all its reviews, closed ones included
    recommendation_count: int  # all its reviews' recommendations: the register's count
    reviews: list[ReviewSummary] = field(default_factory=list)  # the open reviews shown

    @property
    def register_url(self) -> str:
        """The register filtered to this committee: exactly `recommendation_count` rows."""
        query = urlencode({"committee": self.committee.pk})
        return f"{reverse('recommendations:show_register')}?{query}"


def headline_counts(today: datetime.date) -> dict[str, Headline]:
    """The headline counts in one query."""
    counts = Recommendation.objects.flag_counts(today, updated=recently_updated(today, RECENT_DAYS))

    headlines = {
        "open": Headline(
            "open",
            counts["open"],
            ngettext("open recommendation", "open recommendations", counts["open"]),
            {"show": Flag.OPEN.value},
        ),
        "overdue": Headline(
            "overdue",
            counts["overdue"],
            "overdue, past their target date",
            {"show": Flag.OVERDUE.value},
        ),
        "stale": Headline(
            "stale",
            counts["stale"],
            "stale, with no update since the last progress report",
            {"show": Flag.STALE.value},
        ),
        "response_overdue": Headline(
            "response_overdue",
            counts["response_overdue"],
            "awaiting the executive's response after the two months allowed",
            {"show": Flag.RESPONSE_OVERDUE.value},
        ),
        "updated": Headline(
            "updated",
            counts["updated"],
            ngettext(
                "recommendation with an update recorded in the last %(days)d days",
                "recommendations with an update recorded in the last %(days)d days",
                counts["updated"],
            )
            % {"days": RECENT_DAYS},
            {"updated_within": str(RECENT_DAYS)},
        ),
    }
    return headlines


def bar_widths(counts: list[int]) -> list[int]:
    """Whole percentages proportional to `counts` that add up to 100 (largest remainder)."""
    total = sum(counts)
    if not total:
        return [0 for _ in counts]
    exact = [count * 100 / total for count in counts]
    widths = [int(share) for share in exact]
    by_remainder = sorted(range(len(counts)), key=lambda i: exact[i] - widths[i], reverse=True)
    for i in by_remainder[: 100 - sum(widths)]:
        widths[i] += 1
    return widths


def ranked_reviews(today: datetime.date, per_committee: int):
    """Up to `per_committee` reviews of each committee, in the committees' order, with
    `attention` (how many of their recommendations are overdue or stale: `needing_update`), the
    open reviews with the most first, then the latest report, then by title; closed reviews
    come last, so one appears only when its committee has fewer open ones. Each row carries its
    committee's `review_count` and `recommendation_count` (all its reviews, closed included)."""
    recommendations = Recommendation.objects.of_outer_review(today)
    committee = {"partition_by": F("committee")}
    closed = Q(status=Review.Status.CLOSED)
    return (
        Review.objects.with_flags(today)
        .select_related("committee")
        # Aliases, so that each subquery runs once per review (a closed review's attention,
        # which is never shown, not at all).
        .alias(
            stale_reference=Recommendation.objects.stale_reference(today, OuterRef("pk")),
            attention=Case(
                When(closed, then=Value(0)),
                default=count_of(recommendations.filter(needs_update_condition(today))),
            ),
            recommendation_total=count_of(Recommendation.objects.filter(review=OuterRef("pk"))),
        )
        .annotate(
            review_count=Window(Count("pk"), **committee),
            recommendation_count=Window(Sum("recommendation_total"), **committee),
            rank=Window(
                RowNumber(),
                **committee,
                order_by=[
                    Case(When(closed, then=1), default=0).asc(),
                    F("attention").desc(),
                    F("report_to_executive_date").desc(nulls_last=True),
                    "title",
                    "pk",
                ],
            ),
        )
        .filter(rank__lte=per_committee)
        .order_by("committee__name", "committee", "rank")
    )


def committee_summaries(today: datetime.date) -> list[CommitteeSummary]:
    """Each committee with reviews: how many reviews and recommendations it has, and up to
    `REVIEWS_PER_COMMITTEE` of its open reviews (not closed), the ones with the most overdue and
    stale recommendations first, with the number of recommendations in each status. Two
    queries, whatever the number of reviews.
    """
    reviews = list(ranked_reviews(today, REVIEWS_PER_COMMITTEE))
    by_review = Recommendation.objects.filter(
        review__in=[review.pk for review in reviews if review.status != Review.Status.CLOSED]
    ).status_counts_by_review()
    committees: list[CommitteeSummary] = []
    for review in reviews:
        if not committees or committees[-1].committee.pk != review.committee_id:
            committees.append(
                CommitteeSummary(
                    review.committee, review.review_count, review.recommendation_count or 0
                )
            )
        if review.status == Review.Status.CLOSED:
            continue
        counts = by_review.get(review.pk, {})
        present = [status for status in STATUSES if counts.get(status)]
        widths = bar_widths([counts[status] for status in present])
        committees[-1].reviews.append(
            ReviewSummary(
                review=review,
                counts=counts,
                total=sum(counts.values()),
                segments=[
                    Segment(status, counts[status], width)
                    for status, width in zip(present, widths, strict=True)
                ],
                response_overdue=review.is_response_overdue,
            )
        )
    return committees


def coming_up(today: datetime.date) -> list[Meeting]:
    """Each committee's next meeting with its work programme items: two queries. A meeting with a
    request for updates carries its latest: `request_id`, `request_deadline`, `requested_count`
    and `answered_count`.

    A progress report item on a review carries `open_count` and `not_updated`: how many of the
    review's open recommendations have had no update since the last progress report on it (before
    today), or no update at all when there has been no report yet; `last_report` is that date.
    """
    last_report = WorkProgrammeItem.objects.last_progress_report_date(
        review=OuterRef("review"), before=today
    )
    open_recommendations = Recommendation.objects.open().filter(review=OuterRef("review"))
    # "No update at all" as the earliest date there is, and "no report yet" as the day after it,
    # so that each of the two subqueries appears once in the comparison.
    never = datetime.date.min
    not_updated = open_recommendations.alias(
        updated_on=Coalesce("last_update_date", Value(never))
    ).filter(
        updated_on__lt=Coalesce(
            OuterRef("last_report"),
            Value(never + datetime.timedelta(days=1)),
            output_field=models.DateField(),
        )
    )
    items = WorkProgrammeItem.objects.annotate(
        last_report=Subquery(last_report, output_field=models.DateField()),
        open_count=count_of(open_recommendations),
        not_updated=count_of(not_updated),
    ).order_by("title", "pk")
    earlier = Meeting.objects.filter(
        committee=OuterRef("committee"), date__gte=today, date__lt=OuterRef("date")
    )
    return list(
        Meeting.objects.filter(date__gte=today)
        .exclude(Exists(earlier))
        .select_related("committee")
        .annotate(**_latest_request_terms())
        .prefetch_related(Prefetch("work_programme_items", queryset=items))
        .order_by("date", "committee__name")
    )


def pending_request_deadline(today: datetime.date) -> Subquery:
    """The earliest deadline of the requests for updates, for meetings still to come, that have
    asked about a recommendation (an OuterRef) and not been answered; None when there is none."""
    pending = (
        RequestedRecommendation.objects.filter(
            recommendation=OuterRef("pk"), request__meeting__date__gte=today
        )
        .unanswered()
        .order_by("request__deadline")
        .values("request__deadline")[:1]
    )
    return Subquery(pending, output_field=models.DateField())


def _latest_request_terms() -> dict:
    latest = (
        UpdateRequest.objects.filter(meeting=OuterRef("pk"))
        .with_answer_counts()
        .order_by("-created_at", "-pk")
    )
    return {
        "request_id": Subquery(latest.values("pk")[:1]),
        "request_deadline": Subquery(latest.values("deadline")[:1]),
        "requested_count": Subquery(latest.values("requested_count")[:1]),
        "answered_count": Subquery(latest.values("answered_count")[:1]),
    }


def yours_list(mine, today: datetime.date) -> tuple[list[Recommendation], int]:
    """Those of `mine` (the recommendations a user may update) that a request for updates is
    waiting on (with `request_deadline`), the earliest deadline first, then those overdue or
    stale, the earliest target dates first; and how many of `mine` are overdue or stale, from
    the same query."""
    needing_update = Case(When(needs_update_condition(today), then=Value(1)), default=Value(0))
    rows = list(
        mine.with_flags(today)
        .annotate(
            request_deadline=pending_request_deadline(today),
            needing_update_total=Window(Sum(needing_update)),
        )
        .filter(Q(request_deadline__isnull=False) | needs_update_condition(today))
        .order_by(
            F("request_deadline").asc(nulls_last=True),
            F("effective_target").asc(nulls_last=True),
            "review__title",
            "sort_key",
        )[:YOURS_LIMIT]
    )
    return rows, rows[0].needing_update_total if rows else 0
