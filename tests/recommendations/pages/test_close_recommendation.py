import datetime

import pytest

from recommendations.choices import Closure
from tests.factories import make_committee, make_meeting

pytestmark = pytest.mark.django_db


def url(recommendation) -> str:
    return f"/recommendations/{recommendation.pk}/close/"


def form_data(recommendation, meeting, **changes) -> dict:
    return {
        "version": str(recommendation.version),
        "closed_at_meeting": str(meeting.pk),
        "closure": Closure.IMPLEMENTED,
        **changes,
    }


def test_it_records_the_closure_against_the_clerk(client, clerk, recommendation, meeting):
    client.force_login(clerk)

    response = client.post(url(recommendation), form_data(recommendation, meeting), follow=True)

    recommendation.refresh_from_db()
    assert recommendation.closed_at_meeting == meeting
    assert recommendation.closure == Closure.IMPLEMENTED
    assert recommendation.version == 2
    record = recommendation.history.first()
    assert record.history_user == clerk
    assert record.closure == Closure.IMPLEMENTED
    assert response.redirect_chain == [(f"/recommendations/{recommendation.pk}/", 302)]
    assert "Closure recorded" in response.content.decode()


def test_it_offers_only_past_meetings_of_the_reviews_committee(
    client, clerk, recommendation, meeting
):
    future = make_meeting(committee=recommendation.review.committee, date=datetime.date(2099, 1, 1))
    foreign = make_meeting(committee=make_committee(), date=datetime.date(2024, 1, 1))
    client.force_login(clerk)
    content = client.get(url(recommendation)).content.decode()
    assert f'value="{meeting.pk}"' in content
    assert f'value="{future.pk}"' not in content
    assert f'value="{foreign.pk}"' not in content


@pytest.mark.parametrize(
    ("meeting_of", "changes", "field_id", "message"),
    [
        (
            "another committee",
            {},
            "id_closed_at_meeting",
            "Select one of the meetings listed",
        ),
        ("the future", {}, "id_closed_at_meeting", "Select one of the meetings listed"),
        (
            None,
            {"closed_at_meeting": "abc"},
            "id_closed_at_meeting",
            "Select one of the meetings listed",
        ),
        (
            None,
            {"closed_at_meeting": ""},
            "id_closed_at_meeting",
            "Select the meeting at which the committee signed it off",
        ),
        (None, {"closure": ""}, "id_closure_0", "Select how it closed"),
        (None, {"closure": "vanished"}, "id_closure_0", "Select one of the ways listed"),
    ],
)
def test_bad_input_is_explained_and_changes_nothing(
    client, clerk, recommendation, meeting, meeting_of, changes, field_id, message
):
    if meeting_of == "another committee":
        meeting = make_meeting(committee=make_committee(), date=datetime.date(2024, 1, 1))
    elif meeting_of == "the future":
        meeting = make_meeting(
            committee=recommendation.review.committee, date=datetime.date(2099, 1, 1)
        )
    client.force_login(clerk)

    response = client.post(url(recommendation), form_data(recommendation, meeting, **changes))

    assert response.status_code == 200
    assert f'<a href="#{field_id}">{message}</a>' in response.content.decode()
    recommendation.refresh_from_db()
    assert (recommendation.closure, recommendation.closed_at_meeting, recommendation.version) == (
        "",
        None,
        1,
    )


def test_a_closure_against_a_newer_version_is_refused(client, clerk, recommendation, meeting):
    recommendation.version = 3
    recommendation.save()
    client.force_login(clerk)
    stale = form_data(recommendation, meeting, version="2")
    response = client.post(url(recommendation), stale)
    assert response.status_code == 409
    assert "Someone else changed this while you were editing it" in response.content.decode()
    recommendation.refresh_from_db()
    assert recommendation.closure == ""


def test_without_a_past_meeting_there_is_no_form_to_fail(client, clerk, recommendation):
    client.force_login(clerk)
    content = client.get(url(recommendation)).content.decode()
    assert "has no meeting on or before today" in content
    assert "Record closure</button>" not in content
