"""A date stored before the range was enforced (or by a path that skipped it) never breaks a page."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from reviews.models import Review
from tests.factories import make_recommendation, make_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def review_reported_in_9999():
    # Written straight to the database, as a record from before the range was enforced would be.
    review = make_review(
        "Review of the far future",
        report_to_executive_date=datetime.date(9999, 11, 15),
        status=Review.Status.AWAITING_RESPONSE,
    )
    make_recommendation("1", review=review, target_date=datetime.date(9999, 12, 31))
    return review


@pytest.mark.parametrize("address", ["/", "/reviews/", "review", "/register/"])
def test_a_review_reported_to_the_executive_in_november_9999_does_not_break_the_page(
    client, councillor, review_reported_in_9999, address
):
    client.force_login(councillor)
    url = review_reported_in_9999.get_absolute_url() if address == "review" else address
    response = client.get(url)
    assert response.status_code == 200
    assert "Review of the far future" in response.content.decode()


def test_its_response_is_due_on_the_last_day_the_calendar_knows(review_reported_in_9999):
    assert review_reported_in_9999.response_due_date == datetime.date.max


def test_such_a_date_is_refused_when_the_review_is_next_validated(review_reported_in_9999):
    with pytest.raises(ValidationError) as raised:
        review_reported_in_9999.full_clean()
    assert raised.value.message_dict == {
        "report_to_executive_date": ["The date must be between 1 January 1990 and 31 December 2100"]
    }
