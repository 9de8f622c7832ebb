"""Ask for updates: the form, the preview, and the emails a real mail server receives."""

import datetime

import pytest

from recommendations.models import Email, RequestedRecommendation, UpdateRequest

from .conftest import DEFAULT_DEADLINE, MEETING_DAY

pytestmark = pytest.mark.django_db

ASK = "/update-requests/ask/"


def form_data(world, *, deadline=DEFAULT_DEADLINE, reviews=None) -> dict:
    return {
        "meeting": world["meeting"].pk,
        "reviews": reviews if reviews is not None else [world["review"].pk],
        "deadline_day": deadline.day,
        "deadline_month": deadline.month,
        "deadline_year": deadline.year,
    }


def test_from_a_meeting_the_form_ticks_its_work_programme_and_sets_the_deadline_14_days_before(
    client, clerk, world
):
    client.force_login(clerk)
    page = client.get(ASK, {"meeting": world["meeting"].pk})
    form = page.context["form"]
    assert form.initial["meeting"] == world["meeting"]
    assert form.initial["reviews"] == [world["review"]]
    assert form.initial["deadline"] == DEFAULT_DEADLINE


def test_from_a_review_the_form_ticks_it_with_its_next_progress_report_meeting(
    client, clerk, world
):
    client.force_login(clerk)
    form = client.get(ASK, {"review": world["review"].pk}).context["form"]
    assert form.initial["meeting"] == world["meeting"]
    assert form.initial["reviews"] == [world["review"]]


def test_the_preview_lists_each_person_with_their_recommendations_and_sends_nothing(
    client, clerk, officer, outsider_officer, world
):
    client.force_login(clerk)
    page = client.get(ASK, {**form_data(world), "preview": "1"})
    plan = page.context["plan"]
    people = {person.user: [r.number for r in person.recommendations] for person in plan.people}
    assert people == {officer: ["1", "2"], outsider_officer: ["3"]}
    assert [r.number for r in plan.nobody] == ["4"]
    content = page.content.decode()
    assert "1 recommendation has nobody to ask" in content
    assert f"/recommendations/{world['recommendations']['4'].pk}/edit/" in content
    assert "Send requests" in content
    assert UpdateRequest.objects.count() == 0
    assert Email.objects.count() == 0


def test_the_preview_names_a_person_with_no_email_address(client, clerk, outsider_officer, world):
    outsider_officer.email = ""
    outsider_officer.save()
    client.force_login(clerk)
    content = client.get(ASK, {**form_data(world), "preview": "1"}).content.decode()
    assert "No email address" in content
    assert "Oz Outsider" in content


def test_the_preview_links_to_the_organisation_users_when_nobody_in_it_can_be_asked(
    client, clerk, world, other_organisation, outsider_officer
):
    outsider_officer.is_active = False
    outsider_officer.save()
    client.force_login(clerk)
    content = client.get(ASK, {**form_data(world), "preview": "1"}).content.decode()
    assert f"organisation__id__exact={other_organisation.pk}" in content
    assert "2 recommendations have nobody to ask" in content


def test_sending_records_the_request_and_emails_each_person_once(
    client, clerk, officer, outsider_officer, world, smtp
):
    client.force_login(clerk)
    response = client.post(ASK, form_data(world))

    update_request = UpdateRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/update-requests/{update_request.pk}/"
    assert update_request.deadline == DEFAULT_DEADLINE
    assert update_request.requested_by == clerk
    assert sorted(update_request.recommendations.values_list("number", flat=True)) == [
        "1",
        "2",
        "3",
        "4",
    ]
    asked = {
        row.recommendation.number: list(row.asked.all())
        for row in RequestedRecommendation.objects.all()
    }
    assert asked == {"1": [officer], "2": [officer], "3": [outsider_officer], "4": []}
    history = update_request.history.get()
    assert history.history_user == clerk

    assert sorted(recipients for recipients, _ in smtp.messages) == [
        ["olu@example.org"],
        ["oz@example.org"],
    ]
    message = next(m for to, m in smtp.messages if to == ["olu@example.org"])
    assert message["Subject"] == (
        "Progress updates needed by 16 March 2026 for Safer and Stronger Communities on "
        "30 March 2026"
    )
    assert message["From"] == "scrutiny@example.gov.uk"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    for number in ("1", "2"):
        pk = world["recommendations"][number].pk
        link = f"https://scrutiny.example.gov.uk/recommendations/{pk}/progress-updates/add/"
        assert link in text
        assert f'href="{link}"' in html
        assert f"Review of cybercrime, recommendation {number}" in text
    assert "recommendation 3" not in text
    assert "16 March 2026" in text and "16 March 2026" in html
    assert "Current status: Not started" in text

    emails = Email.objects.filter(kind="request")
    assert {(e.recipient, e.state, e.address) for e in emails} == {
        (officer, "sent", "olu@example.org"),
        (outsider_officer, "sent", "oz@example.org"),
    }


def test_a_person_with_no_email_address_is_recorded_as_not_emailed(
    client, clerk, outsider_officer, world, smtp
):
    outsider_officer.email = ""
    outsider_officer.save()
    client.force_login(clerk)
    client.post(ASK, form_data(world))
    email = Email.objects.get(recipient=outsider_officer)
    assert email.state == "failed"
    assert email.error == "No email address"
    assert len(smtp.messages) == 1
    page = client.get(f"/update-requests/{email.request_id}/").content.decode()
    assert "No email address" in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"deadline_day": "31"},
            "deadline",
            "Deadline must be on or before the meeting on 30 March 2026",
        ),
        ({"deadline_day": "1"}, "deadline", "Deadline must be today or later"),
        ({"deadline_month": "2", "deadline_day": "30"}, "deadline", "Deadline must be a real date"),
        ({"deadline_year": "26"}, "deadline", "Year must include 4 numbers"),
        ({"deadline_day": ""}, "deadline", "Deadline must include a day"),
        ({"reviews": []}, "reviews", "Select at least one review"),
        ({"reviews": ["99999999999999999999"]}, "reviews", "Select a valid choice"),
        ({"meeting": "99999999999999999999"}, "meeting", "Select a valid choice"),
        ({"meeting": "abc"}, "meeting", "Select a valid choice"),
        ({"meeting": ""}, "meeting", "Select meeting"),
    ],
)
def test_bad_input_is_refused_with_a_clear_error_and_nothing_is_sent(
    client, clerk, world, smtp, changes, field, message
):
    client.force_login(clerk)
    data = {**form_data(world), **changes}
    for response in (client.post(ASK, data), client.get(ASK, {**data, "preview": "1"})):
        assert response.status_code == 200
        content = response.content.decode()
        assert "There is a problem" in content
        assert message in content
        assert response.context["form"].errors[field]
    assert UpdateRequest.objects.count() == 0
    assert smtp.messages == []


def test_a_past_meeting_cannot_be_chosen(client, clerk, world):
    from tests.factories import make_meeting

    past = make_meeting(committee=world["meeting"].committee, date=MEETING_DAY.replace(year=2025))
    client.force_login(clerk)
    response = client.post(ASK, {**form_data(world), "meeting": past.pk})
    assert "Select a valid choice" in response.content.decode()
    assert UpdateRequest.objects.count() == 0


def test_reviews_with_no_open_recommendations_are_refused(client, clerk, world):
    from tests.factories import make_review

    empty = make_review("An empty review", committee=world["meeting"].committee)
    client.force_login(clerk)
    response = client.post(ASK, form_data(world, reviews=[empty.pk]))
    assert "The reviews you chose have no open recommendations" in response.content.decode()
    assert UpdateRequest.objects.count() == 0


def test_a_request_with_a_deadline_after_its_meeting_is_refused_by_the_model_too(world, clerk):
    from django.core.exceptions import ValidationError

    from recommendations.requests.asking import plan_request, send_request

    plan = plan_request(world["meeting"], [world["review"]], datetime.date(2026, 3, 31))
    with pytest.raises(ValidationError, match="on or before the meeting"):
        send_request(plan, requested_by=clerk)
    assert UpdateRequest.objects.count() == 0
    assert Email.objects.count() == 0
