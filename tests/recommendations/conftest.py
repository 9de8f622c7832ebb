import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.factories import make_committee, make_meeting, make_recommendation, make_review

PAST = datetime.date(2025, 1, 20)
LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def frozen():
    """The clock stopped at noon on 15 June 2019, London time, the day the dashboard's and the
    register's tests are set on; `frozen.move_to(moment)` moves it."""
    with time_machine.travel(
        datetime.datetime(2019, 6, 15, 12, 0, tzinfo=LONDON), tick=False
    ) as traveller:
        yield traveller


@pytest.fixture
def review(db):
    return make_review(
        "Review of cybercrime",
        committee=make_committee("Safer and Stronger Communities"),
        municipal_year="2017/18",
        report_to_executive_date=datetime.date(2018, 6, 13),
        status="monitoring",
    )


@pytest.fixture
def meeting(review):
    """A past meeting of the review's committee, at which it can close recommendations."""
    return make_meeting(committee=review.committee, date=PAST)


@pytest.fixture
def recommendation(review, lead_organisation):
    """Led by the `officer` fixture's organisation."""
    return make_recommendation(
        "3",
        review=review,
        text="That the council works with the university.",
        lead_organisation=lead_organisation,
        target_date=datetime.date(2030, 3, 31),
    )


@pytest.fixture
def signed_in(client):
    """Sign the test client in as a user (forced, so django-axes needs no request)."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in
