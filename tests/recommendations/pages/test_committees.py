"""The committees list, a committee's page (its meetings, coming and past, and its reviews) and
adding a meeting to it."""

import datetime
import re

import pytest
import time_machine

from reviews.models import Meeting
from tests.factories import make_committee, make_meeting, make_progress_report_item, make_review

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 1)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 12, 1, 12, 0), tick=False):
        yield


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def meeting_data(**changes) -> dict:
    return {
        "version": "1",
        "date_day": "14",
        "date_month": "1",
        "date_year": "2027",
        "title": "",
        **changes,
    }


def test_the_committees_list_links_each_committee_with_its_next_meeting(client, councillor, review):
    make_meeting(committee=review.committee, date=datetime.date(2026, 11, 3))
    make_meeting(committee=review.committee, date=datetime.date(2027, 2, 9))
    make_meeting(committee=review.committee, date=datetime.date(2027, 1, 12))
    make_committee("Audit Committee")
    client.force_login(councillor)

    content = client.get("/committees/").content.decode()

    assert (
        f'href="/committees/{review.committee_id}/">Safer and Stronger Communities</a>' in content
    )
    assert "12 Jan 2027" in content and "9 Feb 2027" not in content
    assert "None planned" in content


def test_a_committee_page_lists_coming_meetings_soonest_first_and_past_ones_latest_first(
    client, councillor, review
):
    committee = review.committee
    dates = [
        datetime.date(2025, 3, 4),
        datetime.date(2027, 6, 1),
        TODAY,
        datetime.date(2026, 9, 8),
        datetime.date(2027, 1, 12),
    ]
    meetings = {date: make_meeting(committee=committee, date=date) for date in dates}
    make_meeting(committee=make_committee("Audit Committee"), date=datetime.date(2027, 1, 5))
    make_progress_report_item(review=review, meeting=meetings[TODAY])
    client.force_login(councillor)

    content = client.get(f"/committees/{committee.pk}/").content.decode()

    coming, past = content.split(">Past meetings</h2>")
    assert re.findall(r"/meetings/(\d+)/", coming) == [
        str(meetings[date].pk)
        for date in [TODAY, datetime.date(2027, 1, 12), datetime.date(2027, 6, 1)]
    ]
    assert re.findall(r"/meetings/(\d+)/", past.split(">Reviews</h2>")[0]) == [
        str(meetings[date].pk) for date in [datetime.date(2026, 9, 8), datetime.date(2025, 3, 4)]
    ]
    assert "1 item" in text_of(coming)
    assert f'href="/reviews/{review.pk}/">Review of cybercrime</a>' in content
    assert "Add a meeting" not in content


def test_a_committee_page_lists_the_work_programme_not_yet_scheduled(client, clerk, review):
    item = make_progress_report_item(review=review, meeting=None)
    client.force_login(clerk)

    content = client.get(f"/committees/{review.committee_id}/").content.decode()

    assert "Progress report on Review of cybercrime" in content
    assert f'href="/work-programme/{item.pk}/edit/"' in content
    assert f'href="/committees/{review.committee_id}/meetings/add/">Add a meeting</a>' in content


def test_the_clerk_adds_a_meeting_with_a_title_and_its_history_names_them(client, clerk, review):
    client.force_login(clerk)

    response = client.post(
        f"/committees/{review.committee_id}/meetings/add/",
        meeting_data(title="Special meeting on the budget"),
        follow=True,
    )

    meeting = Meeting.objects.get()
    assert (meeting.committee, meeting.date, meeting.title, meeting.version) == (
        review.committee,
        datetime.date(2027, 1, 14),
        "Special meeting on the budget",
        1,
    )
    assert response.redirect_chain == [(f"/meetings/{meeting.pk}/", 302)]
    assert "Meeting of 14 January 2027 added" in response.content.decode()
    row = meeting.history.get()
    assert (row.history_type, row.history_user) == ("+", clerk)


def test_a_meeting_without_a_title_is_added(client, clerk, review):
    client.force_login(clerk)
    response = client.post(f"/committees/{review.committee_id}/meetings/add/", meeting_data())
    assert response.status_code == 302
    assert Meeting.objects.get().title == ""


@pytest.mark.parametrize(
    ("changes", "field_id", "message"),
    [
        (
            {"date_day": "", "date_month": "", "date_year": ""},
            "id_date_day",
            "Enter the date of the meeting",
        ),
        ({"date_day": "31", "date_month": "2"}, "id_date_day", "Date must be a real date"),
        ({"date_month": ""}, "id_date_day", "Date must include a month"),
        (
            {"date_year": "2101"},
            "id_date_day",
            "Date must be between 1 January 1990 and 31 December 2100",
        ),
        (
            {"date_year": "1989"},
            "id_date_day",
            "Date must be between 1 January 1990 and 31 December 2100",
        ),
        (
            {"date_day": "20", "date_month": "1", "date_year": "2025"},
            "id_date_day",
            "This committee already has a meeting on 20 January 2025",
        ),
        ({"title": "x" * 201}, "id_title", "Title must be 200 characters or fewer"),
    ],
)
def test_a_bad_meeting_is_explained_and_nothing_is_added(
    client, clerk, meeting, changes, field_id, message
):
    client.force_login(clerk)

    response = client.post(
        f"/committees/{meeting.committee_id}/meetings/add/", meeting_data(**changes)
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert "There is a problem" in content
    assert f'<a href="#{field_id}">{message}</a>' in content
    assert Meeting.objects.count() == 1
    assert Meeting.history.count() == 1


def test_another_committee_may_meet_on_the_same_day(client, clerk, meeting):
    other = make_committee("Audit Committee")
    client.force_login(clerk)

    response = client.post(
        f"/committees/{other.pk}/meetings/add/",
        meeting_data(date_day="20", date_month="1", date_year="2025"),
    )

    assert response.status_code == 302
    assert Meeting.objects.filter(date=meeting.date).count() == 2


@pytest.mark.parametrize("role", ["councillor", "officer"])
def test_only_the_scrutiny_officer_adds_meetings(request, client, review, role):
    client.force_login(request.getfixturevalue(role))
    url = f"/committees/{review.committee_id}/meetings/add/"

    assert client.get(url).status_code == 403
    assert client.post(url, meeting_data()).status_code == 403
    assert not Meeting.objects.exists()


def test_signing_in_comes_before_adding_a_meeting(client, review):
    url = f"/committees/{review.committee_id}/meetings/add/"
    response = client.post(url, meeting_data())
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/?next=")
    assert not Meeting.objects.exists()


def test_the_review_page_links_its_committee(client, councillor, review):
    client.force_login(councillor)
    content = client.get(f"/reviews/{review.pk}/").content.decode()
    assert f'href="/committees/{review.committee_id}/"' in content


def test_the_committee_pages_make_few_queries_however_many_meetings(
    client, councillor, review, django_assert_max_num_queries
):
    for day in range(1, 29):
        meeting = make_meeting(committee=review.committee, date=datetime.date(2026, 2, day))
        make_progress_report_item(review=review, meeting=meeting)
        make_review(committee=review.committee)
    client.force_login(councillor)
    with django_assert_max_num_queries(12):
        assert client.get(f"/committees/{review.committee_id}/").status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get("/committees/").status_code == 200
