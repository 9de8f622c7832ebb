"""The request page: each requested recommendation requested / answered / overdue, and per
person the emails and their state."""

import datetime

import pytest

from recommendations.models import Email
from tests.factories import make_recommendation, make_review, make_update

from .conftest import at

pytestmark = pytest.mark.django_db


def states(page) -> dict[str, tuple[bool, bool]]:
    return {
        row.recommendation.number: (row.is_answered, row.is_overdue) for row in page.context["rows"]
    }


def test_it_lists_exactly_the_requested_recommendations(client, clerk, world, sent_request):
    make_recommendation("9", review=make_review("Another review"))
    client.force_login(clerk)
    page = client.get(sent_request.get_absolute_url())
    assert [row.recommendation.number for row in page.context["rows"]] == ["1", "2", "3", "4"]
    content = page.content.decode()
    assert "0 of 4 answered" in content
    assert content.count(">Requested<") == 4
    assert "Nobody to ask" in content


def test_an_update_added_through_the_email_link_marks_it_answered_with_the_date(
    client, clerk, officer, world, sent_request, clock
):
    clock.move_to(at(datetime.date(2026, 3, 5), 14))
    client.force_login(officer)
    pk = world["recommendations"]["2"].pk
    response = client.post(
        f"/recommendations/{pk}/progress-updates/add/",
        {
            "as_at_day": "5",
            "as_at_month": "3",
            "as_at_year": "2026",
            "status": "on_track",
            "narrative": "The partnership met in February.",
        },
    )
    assert response.status_code == 302
    client.force_login(clerk)
    page = client.get(sent_request.get_absolute_url())
    assert states(page)["2"] == (True, False)
    content = page.content.decode()
    assert "1 of 4 answered" in content
    assert "Answered</strong> 5 March 2026" in content


def test_after_the_deadline_the_unanswered_are_overdue(
    client, clerk, officer, world, sent_request, clock
):
    make_update(world["recommendations"]["1"], as_at=datetime.date(2026, 3, 2), author=officer)
    clock.move_to(at(datetime.date(2026, 3, 17)))
    client.force_login(clerk)
    page = client.get(sent_request.get_absolute_url())
    assert states(page) == {
        "1": (True, False),
        "2": (False, True),
        "3": (False, True),
        "4": (False, True),
    }
    assert page.content.decode().count(">Overdue<") == 3


def test_it_shows_each_persons_emails_and_their_state(
    client, clerk, officer, outsider_officer, world, sent_request
):
    Email.objects.filter(recipient=outsider_officer).update(
        sent_at=None, error="550 Mailbox unavailable"
    )
    client.force_login(clerk)
    content = client.get(sent_request.get_absolute_url()).content.decode()
    assert "Olu Officer" in content and "Oz Outsider" in content
    assert ">Queued<" in content or ">Sent<" in content
    assert "Failed</strong> 550 Mailbox unavailable" in content


def test_the_meeting_page_links_to_its_requests_for_those_who_ask(
    client, clerk, councillor, world, sent_request
):
    url = f"/meetings/{world['meeting'].pk}/"
    client.force_login(clerk)
    content = client.get(url).content.decode()
    assert sent_request.get_absolute_url() in content
    assert f"/update-requests/ask/?meeting={world['meeting'].pk}" in content
    client.force_login(councillor)
    content = client.get(url).content.decode()
    assert "Ask for updates" not in content
    assert sent_request.get_absolute_url() not in content


def test_the_review_page_offers_asking_for_updates_to_the_clerk(client, clerk, world):
    client.force_login(clerk)
    content = client.get(f"/reviews/{world['review'].pk}/").content.decode()
    assert f"/update-requests/ask/?review={world['review'].pk}" in content


@pytest.mark.parametrize("extra", [0, 30])
def test_the_request_page_takes_a_fixed_number_of_queries(
    client, clerk, world, clock, extra, django_assert_max_num_queries, lead_organisation
):
    from recommendations.requests.asking import plan_request, send_request

    for number in range(extra):
        make_recommendation(
            f"x{number}", review=world["review"], lead_organisation=lead_organisation
        )
    update_request = send_request(
        plan_request(world["meeting"], [world["review"]], datetime.date(2026, 3, 16)),
        requested_by=clerk,
    )
    client.force_login(clerk)
    with django_assert_max_num_queries(15):
        assert client.get(update_request.get_absolute_url()).status_code == 200
