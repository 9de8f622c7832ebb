"""Every door meets the same limits: the browser's forms, the tracker import and the admin.

Each limit lives in the models (validators and clean()); each test sends the same bad value
through one door and finds it refused, with nothing written.
"""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from recommendations.appendix.publish import publish_appendix
from recommendations.choices import Response, Status
from recommendations.models import ProgressUpdate, PublishedAppendix, Recommendation
from recommendations.trackers.applying import import_tracker
from reviews.models import Meeting, Review
from tests.factories import (
    make_committee,
    make_meeting,
    make_recommendation,
    make_review,
    tracker_csv,
    tracker_row,
)
from tests.recommendations.trackers.helpers import problems_of

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2025, 3, 10)
TOO_LONG = "x" * 10_001


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(TODAY):
        yield TODAY


@pytest.fixture
def recommendation(lead_organisation):
    return make_recommendation(
        "1",
        review=make_review("Review of potholes", committee=make_committee("Economy")),
        text="That the council fills the potholes.",
        lead_organisation=lead_organisation,
    )


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


# The doors.


def add_update_in_the_browser(client, clerk, recommendation, *, as_at=TODAY, narrative="Done."):
    client.force_login(clerk)
    return client.post(
        f"/recommendations/{recommendation.pk}/progress-updates/add/",
        {
            "as_at_day": str(as_at.day),
            "as_at_month": str(as_at.month),
            "as_at_year": f"{as_at.year:04d}",
            "status": Status.ON_TRACK,
            "narrative": narrative,
        },
    )


def add_update_in_the_admin(admin_client, recommendation, *, as_at=TODAY, narrative="Done."):
    return admin_client.post(
        "/admin/recommendations/progressupdate/add/",
        {
            "recommendation": recommendation.pk,
            "as_at": as_at.isoformat(),
            "status": Status.ON_TRACK,
            "narrative": narrative,
            "_save": "Save",
        },
    )


def import_update(*, update_date: str, update_text: str = "Done.") -> list[str]:
    return problems_of(
        tracker_csv(
            tracker_row(update_date=update_date, update_status="on track", update_text=update_text)
        )
    )


def edit_recommendation_in_the_browser(client, clerk, recommendation, **changes):
    client.force_login(clerk)
    data = {
        "version": str(recommendation.version),
        "number": recommendation.number,
        "text": recommendation.text,
        "lead_organisation": str(recommendation.lead_organisation_id),
        "response": Response.ACCEPTED,
        "response_text": "",
        "target_date_day": "",
        "target_date_month": "",
        "target_date_year": "",
        **changes,
    }
    return client.post(f"/recommendations/{recommendation.pk}/edit/", data)


def edit_recommendation_in_the_admin(admin_client, recommendation, **changes):
    data = {
        "review": recommendation.review_id,
        "number": recommendation.number,
        "text": recommendation.text,
        "response": Response.ACCEPTED,
        "response_text": "",
        "target_date": "",
        "revised_target_date": "",
        "revision_reason": "",
        "closure": "",
        "updates-TOTAL_FORMS": "0",
        "updates-INITIAL_FORMS": "0",
        "_save": "Save",
        **changes,
    }
    return admin_client.post(
        f"/admin/recommendations/recommendation/{recommendation.pk}/change/", data
    )


def assert_refused(response, message: str) -> None:
    assert response.status_code == 200
    assert message in response.content.decode()


def assert_unchanged(recommendation) -> None:
    fresh = Recommendation.objects.get(pk=recommendation.pk)
    assert (fresh.text, fresh.target_date, fresh.response, fresh.version) == (
        recommendation.text,
        recommendation.target_date,
        recommendation.response,
        recommendation.version,
    )


# A progress update's narrative: at most 10,000 characters.


def test_the_update_form_refuses_a_narrative_over_10000_characters(client, clerk, recommendation):
    response = add_update_in_the_browser(client, clerk, recommendation, narrative=TOO_LONG)
    assert_refused(response, "Progress update must be 10,000 characters or fewer")
    assert not ProgressUpdate.objects.exists()


def test_the_import_refuses_a_narrative_over_10000_characters():
    assert import_update(update_date="2025-01-15", update_text=TOO_LONG) == [
        "row 2, update_text: the text must be 10,000 characters or fewer"
    ]


def test_the_admin_refuses_a_narrative_over_10000_characters(admin_client, recommendation):
    response = add_update_in_the_admin(admin_client, recommendation, narrative=TOO_LONG)
    assert_refused(response, "Ensure this value has at most 10000 characters")
    assert not ProgressUpdate.objects.exists()


def test_recording_progress_refuses_a_narrative_over_10000_characters(clerk, recommendation):
    with pytest.raises(ValidationError):
        recommendation.record_progress(
            author=clerk, as_at=TODAY, status=Status.ON_TRACK, narrative=TOO_LONG
        )
    assert not ProgressUpdate.objects.exists()


def test_a_narrative_of_exactly_10000_characters_is_accepted_by_the_import(clerk):
    data = tracker_csv(
        tracker_row(update_date="2025-01-15", update_status="on track", update_text="x" * 10_000)
    )
    import_tracker(data, "tracker.csv", user=clerk)
    assert len(ProgressUpdate.objects.get().narrative) == 10_000


# A progress update's date: not in the future.


def test_the_update_form_refuses_a_date_in_the_future(client, clerk, recommendation):
    response = add_update_in_the_browser(client, clerk, recommendation, as_at=D(2025, 3, 11))
    assert_refused(response, "Date must be today or in the past")
    assert not ProgressUpdate.objects.exists()


def test_the_import_refuses_an_update_date_in_the_future():
    assert import_update(update_date="2025-03-11") == [
        "row 2, update_date: the date must be today or in the past"
    ]


def test_the_admin_refuses_an_update_date_in_the_future(admin_client, recommendation):
    response = add_update_in_the_admin(admin_client, recommendation, as_at=D(2025, 3, 11))
    assert_refused(response, "The date must be today or in the past")
    assert not ProgressUpdate.objects.exists()


# A progress update's date: not before 1990 (the update form once took 1 January 0001).


def test_the_update_form_refuses_1_january_0001(client, clerk, recommendation):
    response = add_update_in_the_browser(client, clerk, recommendation, as_at=D(1, 1, 1))
    assert_refused(response, "Date must be between 1 January 1990 and 31 December 2100")
    assert not ProgressUpdate.objects.exists()


@pytest.mark.parametrize("update_date", ["0001-01-01", "31/12/1989"])
def test_the_import_refuses_an_update_date_before_1990(update_date):
    assert import_update(update_date=update_date) == [
        "row 2, update_date: the date must be between 1 January 1990 and 31 December 2100"
    ]


def test_the_admin_refuses_an_update_date_before_1990(admin_client, recommendation):
    response = add_update_in_the_admin(admin_client, recommendation, as_at=D(1989, 12, 31))
    assert_refused(response, "The date must be between 1 January 1990 and 31 December 2100")
    assert not ProgressUpdate.objects.exists()


# A recommendation's text: at most 10,000 characters.


def test_the_recommendation_form_refuses_text_over_10000_characters(client, clerk, recommendation):
    response = edit_recommendation_in_the_browser(client, clerk, recommendation, text=TOO_LONG)
    assert_refused(response, "Recommendation must be 10,000 characters or fewer")
    assert_unchanged(recommendation)


def test_the_import_refuses_a_recommendation_over_10000_characters():
    assert problems_of(tracker_csv(tracker_row(recommendation=TOO_LONG))) == [
        "row 2, recommendation: the text must be 10,000 characters or fewer"
    ]


@pytest.mark.parametrize("column", ["response_text", "revision_reason"])
def test_the_import_refuses_reasons_over_10000_characters(column):
    row = tracker_row(**{column: TOO_LONG})
    if column == "revision_reason":
        row["revised_target_date"] = "2025-12-31"
    assert problems_of(tracker_csv(row)) == [
        f"row 2, {column}: the text must be 10,000 characters or fewer"
    ]


def test_the_admin_refuses_a_recommendation_over_10000_characters(admin_client, recommendation):
    response = edit_recommendation_in_the_admin(admin_client, recommendation, text=TOO_LONG)
    assert_refused(response, "Ensure this value has at most 10000 characters")
    assert_unchanged(recommendation)


# A recommendation's target dates: between 1990 and 2100.


def test_the_recommendation_form_refuses_a_target_date_after_2100(client, clerk, recommendation):
    response = edit_recommendation_in_the_browser(
        client,
        clerk,
        recommendation,
        target_date_day="1",
        target_date_month="1",
        target_date_year="2101",
    )
    assert_refused(response, "Target date must be between 1 January 1990 and 31 December 2100")
    assert_unchanged(recommendation)


@pytest.mark.parametrize("column", ["target_date", "revised_target_date"])
def test_the_import_refuses_a_target_date_after_2100(column):
    row = tracker_row(**{column: "01/01/2101", "revision_reason": "Delayed."})
    assert problems_of(tracker_csv(row)) == [
        f"row 2, {column}: the date must be between 1 January 1990 and 31 December 2100"
    ]


def test_the_admin_refuses_a_target_date_after_2100(admin_client, recommendation):
    response = edit_recommendation_in_the_admin(
        admin_client, recommendation, target_date="2101-01-01"
    )
    assert_refused(response, "The date must be between 1 January 1990 and 31 December 2100")
    assert_unchanged(recommendation)


# A review's report to the executive, and a meeting's date: between 1990 and 2100 (the form's
# own test is in test_dates.py).


def test_the_admin_refuses_a_review_reported_to_the_executive_in_9999(admin_client):
    committee = make_committee()
    response = admin_client.post(
        "/admin/reviews/review/add/",
        {
            "committee": committee.pk,
            "title": "Review of the far future",
            "report_to_executive_date": "9999-11-15",
            "status": Review.Status.AWAITING_RESPONSE,
            "recommendations-TOTAL_FORMS": "0",
            "recommendations-INITIAL_FORMS": "0",
            "_save": "Save",
        },
    )
    assert_refused(response, "The date must be between 1 January 1990 and 31 December 2100")
    assert not Review.objects.exists()


def test_the_admin_refuses_a_meeting_in_2200(admin_client):
    committee = make_committee()
    response = admin_client.post(
        "/admin/reviews/meeting/add/",
        {
            "committee": committee.pk,
            "date": "2200-01-01",
            "work_programme_items-TOTAL_FORMS": "0",
            "work_programme_items-INITIAL_FORMS": "0",
            "_save": "Save",
        },
    )
    assert_refused(response, "The date must be between 1 January 1990 and 31 December 2100")
    assert not Meeting.objects.exists()


# A published appendix's position: not in the future (it was once published "as at 2099").


@pytest.fixture
def meeting(recommendation):
    return make_meeting(committee=recommendation.review.committee, date=D(2025, 3, 20))


def test_the_publish_form_refuses_a_position_in_the_future(client, clerk, meeting):
    review = Review.objects.get()
    client.force_login(clerk)
    response = client.post(
        f"/reviews/{review.pk}/progress-report/publish/",
        {
            "as_at_day": "1",
            "as_at_month": "1",
            "as_at_year": "2099",
            "meeting": str(meeting.pk),
            "number": "2",
        },
    )
    assert response.status_code == 400
    assert "Position as at must be today or in the past" in response.content.decode()
    assert not PublishedAppendix.objects.exists()


def test_publishing_refuses_a_position_in_the_future_before_building_anything(clerk, meeting):
    with pytest.raises(ValidationError) as raised:
        publish_appendix(Review.objects.get(), meeting=meeting, as_at=D(2099, 1, 1), user=clerk)
    assert raised.value.message_dict == {"as_at": ["The date must be today or in the past"]}
    assert not PublishedAppendix.objects.exists()
