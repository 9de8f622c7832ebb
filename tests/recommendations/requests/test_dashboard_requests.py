"""The dashboard with requests for updates: answered counts under "Coming up", and the requested
recommendations first in an officer's "Yours to update"."""

import datetime

import pytest

from tests.factories import make_recommendation, make_update

pytestmark = pytest.mark.django_db


def test_coming_up_shows_how_many_of_the_requested_are_answered(
    client, councillor, clerk, officer, world, sent_request
):
    make_update(world["recommendations"]["1"], as_at=datetime.date(2026, 3, 2), author=officer)
    client.force_login(councillor)
    content = client.get("/").content.decode()
    assert "1 of 4 answered" in content
    assert sent_request.get_absolute_url() not in content
    client.force_login(clerk)
    content = client.get("/").content.decode()
    assert "1 of 4 answered" in content
    assert sent_request.get_absolute_url() in content


def test_coming_up_says_nothing_of_requests_for_a_meeting_without_one(client, councillor, world):
    client.force_login(councillor)
    assert "answered" not in client.get("/").content.decode()


def test_yours_lists_the_requested_recommendations_first_with_the_deadline(
    client, officer, lead_organisation, world, sent_request
):
    make_recommendation(
        "7",
        review=world["review"],
        lead_organisation=lead_organisation,
        target_date=datetime.date(2025, 1, 1),
    )
    client.force_login(officer)
    page = client.get("/")
    assert [r.number for r in page.context["yours"]] == ["1", "2", "7"]
    assert [r.request_deadline for r in page.context["yours"]] == [
        datetime.date(2026, 3, 16),
        datetime.date(2026, 3, 16),
        None,
    ]
    assert page.content.decode().count("Update requested by 16 March 2026") == 2


def test_an_answered_recommendation_leaves_the_requested_list(client, officer, world, sent_request):
    make_update(world["recommendations"]["1"], as_at=datetime.date(2026, 3, 2), author=officer)
    client.force_login(officer)
    assert [r.number for r in client.get("/").context["yours"]] == ["2"]


def test_without_a_request_nothing_new_is_listed(client, officer, world):
    client.force_login(officer)
    assert client.get("/").context["yours"] == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("roles")
def test_with_the_cache_on_a_request_and_its_answers_show_at_once(
    client, settings, councillor, clerk, officer, world
):
    """The dashboard keeps coming up in its cache: a request sent, or an answer, shows at once."""
    from recommendations.requests.asking import plan_request, send_request

    from .conftest import DEFAULT_DEADLINE

    settings.REGISTER_CACHE_SECONDS = 3600
    client.force_login(councillor)
    assert "answered" not in client.get("/").content.decode()

    send_request(
        plan_request(world["meeting"], [world["review"]], DEFAULT_DEADLINE), requested_by=clerk
    )
    assert "0 of 4 answered" in client.get("/").content.decode()

    make_update(world["recommendations"]["1"], as_at=datetime.date(2026, 3, 2), author=officer)
    assert "1 of 4 answered" in client.get("/").content.decode()
