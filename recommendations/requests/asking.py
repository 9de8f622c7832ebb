"""Who is asked about what: the plan a preview shows, and the request that sending records."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from reviews.models import Meeting, Review, User, WorkProgrammeItem

from ..access import possible_lead_officers
from ..models import Email, Recommendation, RequestedRecommendation, UpdateRequest
from .tasks import queue_email


def default_deadline(meeting: Meeting, today: datetime.date) -> datetime.date:
    """Some days before the meeting (14 by default), or today when that has passed."""
    days = settings.UPDATE_REQUEST_DAYS_BEFORE_MEETING
    return max(today, min(meeting.date, meeting.date - datetime.timedelta(days=days)))


def reviews_on_work_programme(meeting: Meeting):
    """The reviews with a progress report on the meeting's work programme."""
    return Review.objects.filter(
        work_programme_items__meeting=meeting,
        work_programme_items__kind=WorkProgrammeItem.Kind.PROGRESS_REPORT,
    ).distinct()


@dataclass
class PersonToAsk:
    user: User
    recommendations: list[Recommendation] = field(default_factory=list)

    @property
    def has_address(self) -> bool:
        return bool(self.user.email)


@dataclass
class Plan:
    """What a request would ask: each person with their recommendations, and the recommendations
    that have nobody to ask."""

    meeting: Meeting
    deadline: datetime.date
    recommendations: list[Recommendation]
    asked: dict[int, list[User]]
    people: list[PersonToAsk]
    nobody: list[Recommendation]

    @property
    def people_without_address(self) -> list[PersonToAsk]:
        return [person for person in self.people if not person.has_address]


def recommendations_to_ask_about(reviews):
    """The open (not closed) recommendations of these reviews."""
    return (
        Recommendation.objects.open()
        .filter(review__in=reviews)
        .select_related("review", "lead_officer", "lead_organisation")
        .order_by("review__title", "sort_key")
    )


def people_to_ask(recommendations: list[Recommendation]) -> dict[int, list[User]]:
    """{recommendation id: the people to ask}: its lead officer while active, else the active
    officers of its lead organisation (none when it has neither)."""
    needs_organisation = {
        r.lead_organisation_id
        for r in recommendations
        if not (r.lead_officer and r.lead_officer.is_active) and r.lead_organisation_id
    }
    officers_of = defaultdict(list)
    for officer in possible_lead_officers().filter(organisation__in=needs_organisation):
        officers_of[officer.organisation_id].append(officer)
    return {
        r.pk: [r.lead_officer]
        if r.lead_officer and r.lead_officer.is_active
        else officers_of.get(r.lead_organisation_id, [])
        for r in recommendations
    }


def plan_request(meeting: Meeting, reviews, deadline: datetime.date) -> Plan:
    recommendations = list(recommendations_to_ask_about(reviews))
    asked = people_to_ask(recommendations)
    by_person: dict[int, PersonToAsk] = {}
    for recommendation in recommendations:
        for user in asked[recommendation.pk]:
            by_person.setdefault(user.pk, PersonToAsk(user)).recommendations.append(recommendation)
    people = sorted(by_person.values(), key=lambda p: (str(p.user).casefold(), p.user.pk))
    return Plan(
        meeting=meeting,
        deadline=deadline,
        recommendations=recommendations,
        asked=asked,
        people=people,
        nobody=[r for r in recommendations if not asked[r.pk]],
    )


def send_request(plan: Plan, *, requested_by, now: datetime.datetime | None = None):
    """Record the request and queue one email to each person; returns the request."""
    now = now or timezone.now()
    with transaction.atomic():
        update_request = UpdateRequest(
            meeting=plan.meeting, deadline=plan.deadline, requested_by=requested_by, created_at=now
        )
        update_request.full_clean()
        update_request._history_user = requested_by
        update_request.save()
        for recommendation in plan.recommendations:
            requested = RequestedRecommendation.objects.create(
                request=update_request, recommendation=recommendation
            )
            requested.asked.set(plan.asked[recommendation.pk])
        for person in plan.people:
            email = Email.objects.create(
                request=update_request,
                recipient=person.user,
                kind=Email.Kind.REQUEST,
                queued_at=now,
            )
            email.recommendations.set(person.recommendations)
            queue_email(email)
    return update_request
