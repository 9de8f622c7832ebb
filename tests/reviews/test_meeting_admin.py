"""The admin's doors onto meetings and the work programme keep the same rules as the pages."""

import datetime

import pytest

from reviews.models import WorkProgrammeItem
from tests.factories import make_committee, make_meeting, make_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(db):
    return make_meeting(committee=make_committee("Safer"), date=datetime.date(2025, 1, 20))


def inline_item(review) -> dict:
    return {
        "work_programme_items-TOTAL_FORMS": "1",
        "work_programme_items-INITIAL_FORMS": "0",
        "work_programme_items-0-kind": "progress_report",
        "work_programme_items-0-title": "Progress report",
        "work_programme_items-0-review": review.pk,
    }


def test_an_item_added_on_a_meeting_belongs_to_its_committee_and_bumps_nothing_else(
    admin_client, meeting
):
    review = make_review(committee=meeting.committee)
    response = admin_client.post(
        f"/admin/reviews/meeting/{meeting.pk}/change/",
        {"committee": meeting.committee_id, "date": "2025-01-20", **inline_item(review)},
    )
    assert response.status_code == 302
    item = WorkProgrammeItem.objects.get()
    assert (item.committee, item.meeting, item.version) == (meeting.committee, meeting, 1)
    assert item.history.get().history_user.username == "admin"


def test_the_meeting_admin_refuses_a_review_of_another_committee(admin_client, meeting):
    elsewhere = make_review(committee=make_committee("Audit"))
    response = admin_client.post(
        f"/admin/reviews/meeting/{meeting.pk}/change/",
        {"committee": meeting.committee_id, "date": "2025-01-20", **inline_item(elsewhere)},
    )
    assert response.status_code == 200
    assert "Choose a review of the item&#x27;s committee" in response.content.decode()
    assert not WorkProgrammeItem.objects.exists()


def test_the_item_admin_refuses_a_meeting_and_a_review_of_another_committee(admin_client, meeting):
    other = make_committee("Audit")
    response = admin_client.post(
        "/admin/reviews/workprogrammeitem/add/",
        {
            "committee": other.pk,
            "meeting": meeting.pk,
            "review": make_review(committee=meeting.committee).pk,
            "kind": "progress_report",
            "title": "Progress report",
        },
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Choose a meeting of the item&#x27;s committee" in content
    assert "Choose a review of the item&#x27;s committee" in content
    assert not WorkProgrammeItem.objects.exists()


def test_an_admin_edit_of_an_item_bumps_its_version(admin_client, meeting):
    item = WorkProgrammeItem.objects.create(
        committee=meeting.committee, meeting=meeting, kind="other", title="Annual report"
    )
    response = admin_client.post(
        f"/admin/reviews/workprogrammeitem/{item.pk}/change/",
        {
            "committee": meeting.committee_id,
            "meeting": meeting.pk,
            "kind": "other",
            "title": "Annual report 2025",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.title, item.version) == ("Annual report 2025", 2)
