"""Applying a plan: what an import writes, with the importer in the audit history."""

import datetime

import pytest

from recommendations.choices import Response, Status
from recommendations.models import ProgressUpdate, Recommendation
from recommendations.trackers.applying import import_tracker
from reviews.models import Committee, Organisation, Review
from tests.factories import tracker_csv, tracker_row
from tests.recommendations.trackers.helpers import row_counts

pytestmark = pytest.mark.django_db


def test_an_imported_recommendation_records_its_partners_and_the_importer_in_history(
    demo_exports, importer
):
    import_tracker(demo_exports["csv"], "tracker.csv", user=importer)
    recommendation = Recommendation.objects.get(number="6")
    history = recommendation.history.get()
    assert history.history_type == "+"
    assert history.history_user == importer
    assert {row.organisation.name for row in history.partners.all()} == {
        "New College Durham",
        "Children and Young People's Services",
        "Overview and Scrutiny",
        "Durham Constabulary",
        "National Crime Agency",
    }
    assert recommendation.response == Response.PARTIALLY_ACCEPTED
    assert recommendation.revised_target_date is None
    assert Recommendation.objects.get(number="3").revised_target_date == datetime.date(2019, 7, 31)
    assert Review.objects.get().history.get().history_user == importer
    assert Committee.objects.get().history.get().history_user == importer
    assert Organisation.objects.count() == 15
    assert all(o.history.get().history_user == importer for o in Organisation.objects.all())
    assert set(ProgressUpdate.objects.values_list("author", flat=True)) == {importer.pk}


def test_a_new_review_with_partners_words_and_uk_dates_is_created(importer):
    data = tracker_csv(
        tracker_row(
            lead="Highways",
            partners="Town councils;  Police ; police",
            response="  CONCUR with the review",
            target_date="31/03/2025",
            update_date="2025-01-15",
            update_status="work in progress",
            update_text="Crews hired.",
        ),
        tracker_row(number="10", recommendation="Publish a map.", update_status=""),
        tracker_row(number="2", recommendation="Report online.", response="Not agreed"),
        bom=True,
    )
    plan = import_tracker(data, "tracker.csv", user=importer)
    assert plan.summary() == (
        "Created 1 review, 3 recommendations, 1 progress update; updated 0; unchanged 0"
    )
    review = Review.objects.get(title="Review of potholes")
    assert [r.number for r in review.recommendations.all()] == ["1", "2", "10"]
    one = review.recommendations.get(number="1")
    assert one.response == Response.ACCEPTED
    assert one.target_date == datetime.date(2025, 3, 31)
    assert sorted(o.name for o in one.partners.all()) == ["Police", "Town councils"]
    assert one.updates.get().status == Status.ON_TRACK
    assert review.recommendations.get(number="2").response == Response.NOT_ACCEPTED
    assert review.recommendations.get(number="10").response == Response.AWAITING


def test_a_dry_run_writes_nothing(importer):
    before = row_counts()
    plan = import_tracker(tracker_csv(tracker_row()), "tracker.csv", user=importer, dry_run=True)
    assert plan.planned_summary == (
        "Would create 1 review, 1 recommendation, 0 progress updates; would update 0; unchanged 0"
    )
    assert row_counts() == before
