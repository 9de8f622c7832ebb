"""A meeting's work programme: adding, editing and removing items, with history and conflicts."""

import datetime
import re

import pytest

from reviews.models import WorkProgrammeItem
from tests.factories import make_meeting, make_progress_report_item, make_review, make_user

pytestmark = pytest.mark.django_db


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def item_data(**changes) -> dict:
    return {"version": "1", "kind": "other", "review": "", "title": "", "meeting": "", **changes}


def test_the_clerk_puts_a_progress_report_on_a_meeting_titled_after_its_review(
    client, clerk, review, meeting
):
    client.force_login(clerk)
    opened = client.get(f"/meetings/{meeting.pk}/work-programme/add/").content.decode()
    assert f'<option value="{meeting.pk}" selected>20 January 2025</option>' in opened

    response = client.post(
        f"/meetings/{meeting.pk}/work-programme/add/",
        item_data(kind="progress_report", review=str(review.pk), meeting=str(meeting.pk)),
        follow=True,
    )

    item = WorkProgrammeItem.objects.get()
    assert (item.committee, item.meeting, item.review, item.kind, item.version) == (
        review.committee,
        meeting,
        review,
        "progress_report",
        1,
    )
    assert item.title == "Progress report on Review of cybercrime"
    assert response.redirect_chain == [(f"/meetings/{meeting.pk}/", 302)]
    content = response.content.decode()
    assert "“Progress report on Review of cybercrime” added to the work programme" in content
    assert f'href="/reviews/{review.pk}/progress-report/?as_at_day=20' in content
    row = item.history.get()
    assert (row.history_type, row.history_user) == ("+", clerk)


def test_the_clerk_adds_any_other_item_with_its_title(client, clerk, meeting):
    client.force_login(clerk)

    client.post(
        f"/meetings/{meeting.pk}/work-programme/add/",
        item_data(title="Annual report of the Safe Durham Partnership", meeting=str(meeting.pk)),
    )

    item = WorkProgrammeItem.objects.get()
    assert (item.kind, item.title, item.review, item.meeting) == (
        "other",
        "Annual report of the Safe Durham Partnership",
        None,
        meeting,
    )


def test_an_item_may_wait_for_a_meeting(client, clerk, review, meeting):
    client.force_login(clerk)

    response = client.post(
        f"/meetings/{meeting.pk}/work-programme/add/",
        item_data(kind="progress_report", review=str(review.pk), title="Further progress report"),
    )

    item = WorkProgrammeItem.objects.get()
    assert (item.meeting, item.committee, item.title) == (
        None,
        review.committee,
        "Further progress report",
    )
    assert response["Location"] == f"/committees/{review.committee_id}/"


@pytest.mark.parametrize(
    ("changes", "field_id", "message"),
    [
        ({"kind": ""}, "id_kind_0", "Select what the item is"),
        ({"kind": "debate"}, "id_kind_0", "Select one of the kinds of item listed"),
        ({"kind": "progress_report"}, "id_review", "Select the review the progress report is on"),
        ({"title": ""}, "id_title", "Enter the title of the item"),
        ({"title": "x" * 301}, "id_title", "Title must be 300 characters or fewer"),
        (
            {"kind": "progress_report", "review": "{elsewhere}"},
            "id_review",
            "Select a review of this committee from the list",
        ),
        (
            {"kind": "progress_report", "review": "99999999999999999999999"},
            "id_review",
            "Select a review of this committee from the list",
        ),
        ({"meeting": "{elsewhere_meeting}"}, "id_meeting", "Select a meeting of this committee"),
    ],
)
def test_a_bad_item_is_explained_and_nothing_is_added(
    client, clerk, meeting, changes, field_id, message
):
    elsewhere = make_review("Review of libraries")
    elsewhere_meeting = make_meeting(committee=elsewhere.committee, date=datetime.date(2025, 3, 3))
    changes = {
        name: value.format(elsewhere=elsewhere.pk, elsewhere_meeting=elsewhere_meeting.pk)
        for name, value in changes.items()
    }
    client.force_login(clerk)

    response = client.post(
        f"/meetings/{meeting.pk}/work-programme/add/",
        item_data(**{"title": "Something", "meeting": str(meeting.pk), **changes}),
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert "There is a problem" in content
    assert f'<a href="#{field_id}">{message}' in content
    assert not WorkProgrammeItem.objects.exists()
    assert not WorkProgrammeItem.history.exists()


def test_the_model_refuses_a_review_of_another_committee_whatever_the_door(meeting):
    elsewhere = make_review("Review of libraries")
    item = WorkProgrammeItem(
        committee=meeting.committee, meeting=meeting, review=elsewhere, title="Progress report"
    )
    with pytest.raises(Exception, match="Choose a review of the item's committee"):
        item.full_clean()


def test_the_clerk_edits_an_item_in_one_history_row(client, clerk, review, meeting):
    item = make_progress_report_item(review=review, meeting=meeting)
    later = make_meeting(committee=review.committee, date=datetime.date(2025, 7, 7))
    client.force_login(clerk)

    response = client.post(
        f"/work-programme/{item.pk}/edit/",
        item_data(
            kind="progress_report",
            review=str(review.pk),
            title="Second progress report",
            meeting=str(later.pk),
        ),
    )

    assert response.status_code == 302
    assert response["Location"] == f"/meetings/{later.pk}/"
    item.refresh_from_db()
    assert (item.title, item.meeting, item.version) == ("Second progress report", later, 2)
    assert item.history.count() == 2
    assert item.history.first().history_user == clerk


def test_an_item_edit_against_a_newer_version_shows_the_conflict_page(
    client, clerk, review, meeting
):
    item = make_progress_report_item(review=review, meeting=meeting)
    data = {"kind": "progress_report", "review": str(review.pk), "meeting": str(meeting.pk)}
    other = make_user("clerk2", role="Scrutiny officer", first_name="Kit", last_name="Clerk")
    client.force_login(other)
    client.post(f"/work-programme/{item.pk}/edit/", item_data(**data, title="Their title"))
    client.force_login(clerk)

    response = client.post(f"/work-programme/{item.pk}/edit/", item_data(**data, title="My title"))

    assert response.status_code == 409
    content = response.content.decode()
    assert "Kit Clerk saved a newer version" in content
    assert ">Their title</td>" in content and ">My title</td>" in content
    item.refresh_from_db()
    assert (item.title, item.version) == ("Their title", 2)


def test_the_clerk_removes_an_item_after_confirming_and_the_history_keeps_it(
    client, clerk, councillor, review, meeting
):
    item = make_progress_report_item(review=review, meeting=meeting)
    client.force_login(clerk)
    confirm = client.get(f"/work-programme/{item.pk}/remove/").content.decode()
    assert "Remove this item from the work programme?" in confirm
    assert 'name="version" value="1"' in confirm
    assert WorkProgrammeItem.objects.exists()

    response = client.post(f"/work-programme/{item.pk}/remove/", {"version": "1"}, follow=True)

    assert response.redirect_chain == [(f"/meetings/{meeting.pk}/", 302)]
    assert "removed from the work programme" in response.content.decode()
    assert not WorkProgrammeItem.objects.exists()
    removal = WorkProgrammeItem.history.first()
    assert (removal.history_type, removal.history_user, removal.id) == ("-", clerk, item.pk)

    client.force_login(councillor)
    history = text_of(client.get(f"/meetings/{meeting.pk}/history/").content.decode())
    assert "Progress report on Review of cybercrime (removed)" in history
    assert "Deleted by Cleo Clerk" in history


def test_a_removal_confirmed_before_someone_changed_the_item_is_asked_again(
    client, clerk, review, meeting
):
    item = make_progress_report_item(review=review, meeting=meeting)
    item.title = "Renamed meanwhile"
    item.version = 2
    item.save()
    client.force_login(clerk)

    response = client.post(f"/work-programme/{item.pk}/remove/", {"version": "1"})

    assert response.status_code == 409
    content = response.content.decode()
    assert "Someone else changed this item" in content
    assert "Renamed meanwhile" in content and 'name="version" value="2"' in content
    assert WorkProgrammeItem.objects.filter(pk=item.pk).exists()


def test_removing_is_refused_on_get_and_without_a_version(client, clerk, review, meeting):
    item = make_progress_report_item(review=review, meeting=meeting)
    client.force_login(clerk)

    response = client.post(f"/work-programme/{item.pk}/remove/", {})

    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert WorkProgrammeItem.objects.filter(pk=item.pk).exists()


@pytest.mark.parametrize("role", ["councillor", "officer"])
def test_only_the_scrutiny_officer_changes_the_work_programme(
    request, client, review, meeting, role
):
    item = make_progress_report_item(review=review, meeting=meeting)
    client.force_login(request.getfixturevalue(role))

    for url, data in [
        (f"/meetings/{meeting.pk}/work-programme/add/", item_data(title="Mine")),
        (f"/work-programme/{item.pk}/edit/", item_data(title="Mine")),
        (f"/work-programme/{item.pk}/remove/", {"version": "1"}),
    ]:
        assert client.get(url).status_code == 403, url
        assert client.post(url, data).status_code == 403, url

    assert list(WorkProgrammeItem.objects.values_list("title", flat=True)) == [item.title]
    assert WorkProgrammeItem.history.count() == 1


def test_signing_in_comes_before_removing_an_item(client, review, meeting):
    item = make_progress_report_item(review=review, meeting=meeting)
    response = client.post(f"/work-programme/{item.pk}/remove/", {"version": "1"})
    assert response["Location"].startswith("/sign-in/?next=")
    assert WorkProgrammeItem.objects.filter(pk=item.pk).exists()


def test_the_meeting_history_names_who_changed_the_meeting_and_its_items(
    client, clerk, councillor, review, meeting
):
    client.force_login(clerk)
    client.post(
        f"/meetings/{meeting.pk}/edit/",
        {"version": "1", "date_day": "20", "date_month": "1", "date_year": "2025", "title": "Q3"},
    )
    client.post(
        f"/meetings/{meeting.pk}/work-programme/add/",
        item_data(title="Annual report", meeting=str(meeting.pk)),
    )
    client.force_login(councillor)

    content = text_of(client.get(f"/meetings/{meeting.pk}/history/").content.decode())

    assert "Changed by Cleo Clerk" in content and "Title (none) Q3" in content
    assert "Annual report" in content and "Created by Cleo Clerk" in content
