"""Planning: what a file would change, compared with the register."""

import datetime

import pytest

from recommendations.choices import Response, Status
from recommendations.models import Recommendation
from recommendations.trackers.applying import import_tracker
from recommendations.trackers.planning import Action, plan_import
from recommendations.trackers.problems import TrackerFileError
from recommendations.trackers.reading import read_tracker
from tests.factories import (
    make_organisation,
    make_recommendation,
    make_review,
    make_update,
    tracker_csv,
    tracker_row,
)
from tests.recommendations.trackers.helpers import problems_of

pytestmark = pytest.mark.django_db


def test_each_recommendation_is_planned_to_be_created_changed_or_left_unchanged():
    review = make_review("Review of potholes")
    make_recommendation("1", review=review, text="Fill the potholes.")
    make_recommendation("2", review=review, text="Map the potholes.")
    data = tracker_csv(
        tracker_row(recommendation="Fill the potholes."),
        tracker_row(number="2", recommendation="Map every pothole."),
        tracker_row(number="3", recommendation="Report them online."),
    )
    (planned,) = plan_import(read_tracker(data, "tracker.csv")).reviews
    assert [(plan.number, plan.action) for plan in planned.recommendations] == [
        ("1", Action.UNCHANGED),
        ("2", Action.CHANGE),
        ("3", Action.CREATE),
    ]
    assert [plan.number for plan in planned.changed] == ["2"]
    assert Recommendation.objects.count() == 2  # planning writes nothing


def test_a_changed_lead_partners_response_and_dates_are_previewed_old_and_new(importer):
    review = make_review("Review of potholes")
    old_lead = make_organisation("Highways")
    recommendation = make_recommendation(
        "1",
        review=review,
        text="Fill the potholes.",
        lead_organisation=old_lead,
        target_date=datetime.date(2025, 3, 31),
    )
    recommendation.partners.set([make_organisation("Police")])
    data = tracker_csv(
        tracker_row(
            recommendation="Fill the potholes.",
            lead="Neighbourhoods",
            partners="Police; Town councils",
            response="Agreed in part",
            target_date="30/06/2025",
            revised_target_date="2025-09-30",
            revision_reason="Winter weather",
        )
    )
    plan = import_tracker(data, "tracker.csv", user=importer)
    changes = {c.column: (c.old, c.new) for c in plan.reviews[0].changed[0].changes}
    assert changes == {
        "lead": ("Highways", "Neighbourhoods"),
        "partners": ("Police", "Police; Town councils"),
        "response": ("Awaiting response", "Partially accepted"),
        "target_date": ("31 Mar 2025", "30 Jun 2025"),
        "revised_target_date": ("(blank)", "30 Sep 2025"),
        "revision_reason": ("(blank)", "Winter weather"),
    }
    assert plan.new_organisations == ["Neighbourhoods", "Town councils"]
    recommendation.refresh_from_db()
    assert recommendation.lead_organisation.name == "Neighbourhoods"
    assert recommendation.version == 2
    assert {o.name for o in recommendation.partners.all()} == {"Police", "Town councils"}
    latest = recommendation.history.first()
    assert latest.history_user == importer
    assert {row.organisation.name for row in latest.partners.all()} == {"Police", "Town councils"}


def test_columns_a_file_leaves_out_are_left_alone(importer):
    review = make_review("Review of potholes")
    recommendation = make_recommendation(
        "1", review=review, text="Fill the potholes.", response=Response.ACCEPTED
    )
    data = tracker_csv(
        {"review": "Review of potholes", "number": "1", "update_date": "2025-01-31"},
        {"review": "Review of potholes", "number": "1"},
        columns=["review", "number", "update_date", "update_status", "update_text"],
    )
    with pytest.raises(TrackerFileError):
        import_tracker(data, "tracker.csv", user=importer)  # the update lacks status and text
    data = tracker_csv(
        {"review": "Review of potholes", "number": "1"}, columns=["review", "number"]
    )
    plan = import_tracker(data, "tracker.csv", user=importer)
    assert plan.unchanged_recommendations == 1
    recommendation.refresh_from_db()
    assert recommendation.response == Response.ACCEPTED


def test_an_existing_update_is_matched_by_date_status_and_text_whatever_the_line_endings(
    importer,
):
    review = make_review("Review of potholes")
    recommendation = make_recommendation("1", review=review, text="Fill the potholes.")
    make_update(
        recommendation,
        as_at=datetime.date(2025, 1, 31),
        status=Status.ON_TRACK,
        narrative="Two crews hired.\r\nWork starts in March.",
    )
    data = tracker_csv(
        tracker_row(
            recommendation="Fill the potholes.",
            update_date="31/01/2025",
            update_status="In progress",
            update_text="Two crews hired.\nWork starts in March.",
        ),
        tracker_row(
            recommendation="Fill the potholes.",
            update_date="31/01/2025",
            update_status="Slipped",
            update_text="Two crews hired.\nWork starts in March.",
        ),
    )
    plan = import_tracker(data, "tracker.csv", user=importer)
    assert plan.created_updates == 1  # the same words with another status is a new update
    assert recommendation.updates.count() == 2


def test_a_new_review_without_a_committee_and_a_new_recommendation_without_text_are_reported():
    data = tracker_csv(
        tracker_row(committee=""), tracker_row(committee="", number="2", recommendation="")
    )
    assert problems_of(data) == [
        "row 2, committee: 'Review of potholes' is a new review, so it needs its committee",
        "row 3, recommendation: recommendation 2 of 'Review of potholes' is new, so it needs its "
        "text",
    ]
