"""A world with one public and one private review, and updates submitted, returned and accepted,
every piece of text in it marked so that a leak can be found by searching for the mark."""

import datetime
from dataclasses import dataclass, field

import pytest

from recommendations.appendix import publish_appendix
from recommendations.choices import Status
from reviews.models import Review
from tests.factories import (
    make_committee,
    make_meeting,
    make_organisation,
    make_recommendation,
    make_review,
    make_update,
    make_user,
)


@dataclass
class World:
    public_review: Review
    private_review: Review
    public_recommendations: list = field(default_factory=list)
    private_recommendation: object = None
    accepted: list = field(default_factory=list)
    submitted: object = None
    returned: object = None
    appendix: object = None
    private_appendix: object = None
    # Text that must never appear outside: users' names and emails, comments, unaccepted updates,
    # anything of the private review.
    secrets: list = field(default_factory=list)


@pytest.fixture
def world(db):
    committee = make_committee("Safer and Stronger Communities")
    police = make_organisation("Durham Constabulary")
    officer = make_user(
        "secret-username-pc",
        role="Officer",
        first_name="Secretfirst",
        last_name="Secretlast",
        email="secret.officer@secretmail.test",
        organisation=police,
    )
    clerk = make_user(
        "secret-username-clerk",
        role="Scrutiny officer",
        first_name="Clerkfirst",
        last_name="Clerklast",
        email="clerk@secretmail.test",
    )
    public_review = make_review(
        "Review of cybercrime",
        committee=committee,
        municipal_year="2017/18",
        report_to_executive_date=datetime.date(2018, 6, 13),
        chaired_by="Cllr Secretchair",
        is_public=True,
    )
    private_review = make_review(
        "Secret review of private matters", committee=committee, is_public=False
    )
    recommendations = [
        make_recommendation(
            str(n),
            review=public_review,
            text=f"Public recommendation {n} on cybercrime awareness.",
            lead_organisation=police,
            lead_officer=officer,
            response="accepted",
            response_text="Public reason for accepting.",
            target_date=datetime.date(2099 if n == 3 else 2019, 3, 31),
        )
        for n in range(1, 56)  # more than one page of the API
    ]
    first = recommendations[0]
    accepted = make_update(
        first,
        as_at=datetime.date(2018, 12, 1),
        status=Status.ON_TRACK,
        author=officer,
        narrative="Public narrative: campaign launched.",
        accepted=False,
    )
    accepted.accept(by=clerk)
    submitted = make_update(
        first,
        as_at=datetime.date(2019, 1, 5),
        status=Status.ACHIEVED,
        author=officer,
        narrative="Secretsubmitted narrative waiting to be checked.",
        accepted=False,
    )
    returned = make_update(
        recommendations[1],
        as_at=datetime.date(2019, 1, 6),
        status=Status.SLIPPED,
        author=officer,
        narrative="Secretreturned narrative sent back.",
        accepted=False,
    )
    returned.return_to_author(by=clerk, comment="Secretcomment: please add figures.")
    private_recommendation = make_recommendation(
        "1",
        review=private_review,
        text="Secretprivate recommendation text.",
        lead_organisation=make_organisation("Secretprivate Organisation"),
        response_text="Secretprivate response.",
    )
    make_update(
        private_recommendation,
        as_at=datetime.date(2018, 12, 1),
        author=officer,
        narrative="Secretprivate accepted narrative.",
    )
    meeting = make_meeting(committee=committee, date=datetime.date(2019, 2, 1))
    appendix = publish_appendix(public_review, meeting=meeting, as_at=meeting.date, user=clerk)
    private_appendix = publish_appendix(
        private_review, meeting=meeting, as_at=meeting.date, user=clerk
    )
    return World(
        public_review=public_review,
        private_review=private_review,
        public_recommendations=recommendations,
        private_recommendation=private_recommendation,
        accepted=[accepted],
        submitted=submitted,
        returned=returned,
        appendix=appendix,
        private_appendix=private_appendix,
        secrets=[
            "secret",  # every marked text above: usernames, names, emails, narratives, the chair
            "Clerkfirst",
            "Clerklast",
        ],
    )
