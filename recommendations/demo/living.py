"""A living review beside the seed world: the same committee, the current municipal year, dates
computed from the day the demo is first loaded. Target dates ahead and behind, a meeting coming
up with a progress report on its work programme, and a request for updates already sent with one
recommendation answered.

Each record is made once: loading again, even on a later day, leaves what exists alone (the dates
of a living world move on with the calendar, as a real one's would).
"""

import datetime

from django.utils import timezone

from reviews.models import Committee, Meeting, Organisation, Review, WorkProgrammeItem

from ..choices import Response, Status
from ..models import (
    Email,
    ProgressUpdate,
    Recommendation,
    RequestedRecommendation,
    UpdateRequest,
)
from .loader import DemoLoader, at
from .seed import COMMITTEE

REVIEW = "Scrutiny Review of Online Safety for Young People"
DAYS = datetime.timedelta(days=1)

# number, text, lead organisation, target date in days from today, officer leads it in person
RECOMMENDATIONS = [
    (
        "R1",
        "That the council offers every secondary school a session on staying safe online, "
        "delivered with the police's cyber protect officers.",
        "Transformation and Partnerships",
        60,
        True,
    ),
    (
        "R2",
        "That the Safe Durham Partnership publishes advice for parents on reporting online "
        "harms, in plain language and in the languages spoken locally.",
        "Transformation and Partnerships",
        -20,
        False,
    ),
    (
        "R3",
        "That the council's websites link to the national reporting services from every page "
        "about young people's safety.",
        "Transformation and Partnerships",
        120,
        False,
    ),
    (
        "R4",
        "That youth workers are trained to recognise online grooming and to know where to refer.",
        "Children and Young People's Services",
        -5,
        False,
    ),
]


def municipal_year(today: datetime.date) -> tuple[str, datetime.date]:
    """The municipal year (May to April) that `today` is in, as "2026/27", and its first day."""
    first = today.year if today.month >= 5 else today.year - 1
    return f"{first}/{(first + 1) % 100:02d}", datetime.date(first, 5, 1)


def load_living(loader: DemoLoader, users: dict, *, today: datetime.date) -> None:
    clerk, officer = users["clerk"], users["officer"]
    year, year_start = municipal_year(today)
    reported = max(year_start, today - 90 * DAYS)
    review = Review.objects.filter(title=REVIEW).first()
    if review is None:
        review = _create(
            loader,
            Review(
                title=REVIEW,
                committee=Committee.objects.get(name=COMMITTEE),
                chaired_by="Councillor J Carr",
                municipal_year=year,
                report_to_executive_date=reported,
                status=Review.Status.MONITORING,
            ),
            user=clerk,
            when=at(reported, 9),
        )
    recommendations = [
        _ensure_recommendation(loader, review, row, officer=officer, clerk=clerk, today=today)
        for row in RECOMMENDATIONS
    ]
    meeting = _ensure_upcoming_meeting(loader, review, clerk=clerk, today=today)
    if not meeting.update_requests.exists():
        _send_request(loader, meeting, recommendations, clerk=clerk, officer=officer, today=today)


def _create(loader: DemoLoader, obj, *, user, when: datetime.datetime):
    obj._history_user = user
    obj._history_date = when
    obj.save()
    loader.created += 1
    return obj


def _ensure_recommendation(loader, review, row, *, officer, clerk, today) -> Recommendation:
    number, text, lead, days, in_person = row
    existing = Recommendation.objects.filter(review=review, number=number).first()
    if existing is not None:
        return existing
    created = at(review.report_to_executive_date or today, 9)
    return _create(
        loader,
        Recommendation(
            review=review,
            number=number,
            text=text,
            lead_organisation=Organisation.objects.get(name=lead),
            lead_officer=officer if in_person else None,
            response=Response.ACCEPTED,
            target_date=today + days * DAYS,
            created_at=created,
        ),
        user=clerk,
        when=created,
    )


def _ensure_upcoming_meeting(loader, review, *, clerk, today) -> Meeting:
    """The committee's meeting three weeks ahead with a progress report on the review, or the
    one a previous load made, while it is still to come."""
    item = (
        WorkProgrammeItem.objects.filter(review=review, meeting__date__gte=today)
        .select_related("meeting")
        .first()
    )
    if item is not None:
        return item.meeting
    date = today + 21 * DAYS
    meeting = Meeting.objects.filter(committee=review.committee, date=date).first()
    if meeting is None:
        meeting = _create(
            loader,
            Meeting(committee=review.committee, date=date),
            user=clerk,
            when=at(today - 30 * DAYS),
        )
    _create(
        loader,
        WorkProgrammeItem(
            committee=review.committee,
            meeting=meeting,
            review=review,
            kind=WorkProgrammeItem.Kind.PROGRESS_REPORT,
            title="Progress of recommendations of the review of online safety for young people",
        ),
        user=clerk,
        when=at(today - 30 * DAYS, 11),
    )
    return meeting


def _send_request(loader, meeting, recommendations, *, clerk, officer, today) -> None:
    """A request made a week ago for the meeting, emailed to the officer (recorded as sent, not
    sent again), with R1 answered since and R2 updated only before it."""
    asked_at = at(today - 7 * DAYS, 9)
    update_request = _create(
        loader,
        UpdateRequest(
            meeting=meeting,
            deadline=meeting.date - 14 * DAYS,
            requested_by=clerk,
            created_at=asked_at,
        ),
        user=clerk,
        when=asked_at,
    )
    for recommendation in recommendations:
        requested = RequestedRecommendation.objects.create(
            request=update_request, recommendation=recommendation
        )
        if recommendation.lead_organisation == officer.organisation:
            requested.asked.add(officer)
    email = Email.objects.create(
        request=update_request,
        recipient=officer,
        address=officer.email,
        kind=Email.Kind.REQUEST,
        queued_at=asked_at,
        sent_at=asked_at + datetime.timedelta(minutes=1),
        attempts=1,
    )
    email.recommendations.set(
        [r for r in recommendations if r.lead_organisation == officer.organisation]
    )
    loader.created += 1
    by_number = {r.number: r for r in recommendations}
    for number, days_ago, status, narrative in [
        ("R2", 40, Status.ON_TRACK, "A draft of the advice is with the partnership's board."),
        (
            "R1",
            3,
            Status.ON_TRACK,
            "Twelve of the county's secondary schools have booked a session.",
        ),
    ]:
        update = ProgressUpdate.objects.create(
            recommendation=by_number[number],
            as_at=today - days_ago * DAYS,
            status=status,
            narrative=narrative,
            author=officer,
            recorded_at=timezone.make_aware(
                datetime.datetime.combine(today - days_ago * DAYS, datetime.time(14))
            ),
        )
        update.accept(by=officer, at=update.recorded_at)
        loader.created += 1
