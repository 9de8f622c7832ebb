"""A meeting's page and its editing: the date and title, with conflict-safe saves and history."""

import datetime
import re

import pytest

from reviews.models import Meeting, WorkProgrammeItem
from tests.factories import make_committee, make_meeting, make_progress_report_item, make_user

pytestmark = pytest.mark.django_db


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def meeting_data(**changes) -> dict:
    return {
        "version": "1",
        "date_day": "21",
        "date_month": "1",
        "date_year": "2025",
        "title": "",
        **changes,
    }


def test_the_meeting_page_lists_its_work_programme_and_links_its_committee(
    client, councillor, review, meeting
):
    make_progress_report_item(review=review, meeting=meeting)
    other = make_meeting(committee=review.committee, date=datetime.date(2025, 6, 2))
    WorkProgrammeItem.objects.create(
        committee=review.committee, meeting=other, kind="other", title="On another meeting"
    )
    client.force_login(councillor)

    content = client.get(f"/meetings/{meeting.pk}/").content.decode()

    assert "Progress report on Review of cybercrime" in content
    assert "On another meeting" not in content
    assert f'href="/committees/{review.committee_id}/"' in content
    assert f'href="/meetings/{meeting.pk}/history/">History of this meeting</a>' in content
    assert "Add an item" not in content and "Edit meeting" not in content


def test_the_clerk_sees_the_editing_links_on_the_meeting_page(client, clerk, review, meeting):
    item = make_progress_report_item(review=review, meeting=meeting)
    client.force_login(clerk)

    content = client.get(f"/meetings/{meeting.pk}/").content.decode()

    assert f'href="/meetings/{meeting.pk}/work-programme/add/">Add an item</a>' in content
    assert f'href="/meetings/{meeting.pk}/edit/">Edit meeting</a>' in content
    assert f'href="/work-programme/{item.pk}/edit/"' in content
    assert f'href="/work-programme/{item.pk}/remove/"' in content


def test_the_clerk_moves_a_meeting_and_gives_it_a_title_in_one_history_row(client, clerk, meeting):
    client.force_login(clerk)
    opened = client.get(f"/meetings/{meeting.pk}/edit/").content.decode()
    assert 'name="version" value="1"' in opened and 'value="20"' in opened

    response = client.post(
        f"/meetings/{meeting.pk}/edit/", meeting_data(title="Budget meeting"), follow=True
    )

    assert response.redirect_chain == [(f"/meetings/{meeting.pk}/", 302)]
    assert "Meeting of 21 January 2025: Budget meeting" in text_of(response.content.decode())
    meeting.refresh_from_db()
    assert (meeting.date, meeting.title, meeting.version) == (
        datetime.date(2025, 1, 21),
        "Budget meeting",
        2,
    )
    assert meeting.history.count() == 2
    assert meeting.history.first().history_user == clerk


def test_an_edit_against_a_newer_version_shows_the_conflict_page_and_keeps_what_was_typed(
    client, clerk, meeting
):
    other = make_user("clerk2", role="Scrutiny officer", first_name="Kit", last_name="Clerk")
    client.force_login(other)
    client.post(f"/meetings/{meeting.pk}/edit/", meeting_data(title="Their title"))
    client.force_login(clerk)

    response = client.post(f"/meetings/{meeting.pk}/edit/", meeting_data(title="My title"))

    assert response.status_code == 409
    content = response.content.decode()
    assert "Kit Clerk saved a newer version" in content
    assert ">Their title</td>" in content and ">My title</td>" in content
    assert 'name="title" value="My title"' in content
    assert 'name="version" value="2"' in content
    meeting.refresh_from_db()
    assert (meeting.title, meeting.version, meeting.history.count()) == ("Their title", 2, 2)


@pytest.mark.parametrize(
    ("changes", "field_id", "message"),
    [
        (
            {"date_day": "", "date_month": "", "date_year": ""},
            "id_date_day",
            "Enter the date of the meeting",
        ),
        (
            {"date_year": "2101"},
            "id_date_day",
            "Date must be between 1 January 1990 and 31 December 2100",
        ),
        (
            {"date_day": "9"},
            "id_date_day",
            "This committee already has a meeting on 9 January 2025",
        ),
        ({"version": "x"}, None, "This form is out of date or was changed before it was sent"),
        ({"version": ""}, None, "This form is out of date or was changed before it was sent"),
    ],
)
def test_a_bad_edit_is_explained_and_changes_nothing(
    client, clerk, meeting, changes, field_id, message
):
    make_meeting(committee=meeting.committee, date=datetime.date(2025, 1, 9))
    client.force_login(clerk)

    response = client.post(f"/meetings/{meeting.pk}/edit/", meeting_data(**changes))

    assert response.status_code == 200
    content = response.content.decode()
    assert "There is a problem" in content
    if field_id:
        assert f'<a href="#{field_id}">{message}</a>' in content
    else:
        assert f"<li>{message}" in content
    meeting.refresh_from_db()
    assert (meeting.date, meeting.version, meeting.history.count()) == (
        datetime.date(2025, 1, 20),
        1,
        1,
    )


def test_a_meeting_may_keep_the_date_another_committee_meets_on(client, clerk, meeting):
    make_meeting(committee=make_committee("Audit Committee"), date=datetime.date(2025, 1, 21))
    client.force_login(clerk)
    assert client.post(f"/meetings/{meeting.pk}/edit/", meeting_data()).status_code == 302


@pytest.mark.parametrize("role", ["councillor", "officer"])
def test_only_the_scrutiny_officer_edits_a_meeting(request, client, meeting, role):
    client.force_login(request.getfixturevalue(role))
    url = f"/meetings/{meeting.pk}/edit/"

    assert client.get(url).status_code == 403
    response = client.post(url, meeting_data(title="Mine"))

    assert response.status_code == 403
    assert b"You cannot do this" in response.content
    meeting.refresh_from_db()
    assert (meeting.title, meeting.history.count()) == ("", 1)


def test_signing_in_comes_before_editing_a_meeting(client, meeting):
    response = client.post(f"/meetings/{meeting.pk}/edit/", meeting_data(title="Mine"))
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/?next=")
    assert Meeting.objects.get().title == ""


def test_an_admin_edit_then_a_form_opened_before_it_shows_the_conflict_page(
    client, clerk, administrator, meeting
):
    client.force_login(clerk)
    assert (
        'name="version" value="1"' in client.get(f"/meetings/{meeting.pk}/edit/").content.decode()
    )
    client.force_login(administrator)
    saved = client.post(
        f"/admin/reviews/meeting/{meeting.pk}/change/",
        {
            "committee": meeting.committee_id,
            "date": "2025-01-22",
            "title": "From the admin",
            "work_programme_items-TOTAL_FORMS": "0",
            "work_programme_items-INITIAL_FORMS": "0",
        },
    )
    assert saved.status_code == 302
    meeting.refresh_from_db()
    assert meeting.version == 2

    client.force_login(clerk)
    response = client.post(f"/meetings/{meeting.pk}/edit/", meeting_data(title="Mine"))

    assert response.status_code == 409
    meeting.refresh_from_db()
    assert meeting.title == "From the admin"
