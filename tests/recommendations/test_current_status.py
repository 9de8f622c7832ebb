"""Each recommendation's stored current status and last update date always agree with its updates."""

import datetime

import pytest
from django.utils import timezone

from recommendations.choices import Status
from recommendations.models import ProgressUpdate, Recommendation
from recommendations.trackers.applying import import_tracker
from tests.factories import (
    accept_all,
    bulk_recommendations,
    make_recommendation,
    make_review,
    make_update,
    make_user,
    tracker_csv,
    tracker_row,
)

D = datetime.date
pytestmark = pytest.mark.django_db


def from_updates(recommendation_id: int) -> tuple[str, datetime.date | None]:
    """The status and date of the newest update worked out in Python, the slow and obvious way."""
    updates = sorted(
        ProgressUpdate.objects.filter(recommendation_id=recommendation_id),
        key=lambda u: (u.as_at, u.recorded_at, u.pk),
        reverse=True,
    )
    return (updates[0].status, updates[0].as_at) if updates else (Status.NOT_STARTED, None)


def stored(recommendation_id: int) -> tuple[str, datetime.date | None]:
    return Recommendation.objects.values_list("current_status", "last_update_date").get(
        pk=recommendation_id
    )


def last_recorded_from_updates(recommendation_id: int) -> datetime.datetime | None:
    """When its latest accepted update was recorded, worked out in Python."""
    updates = ProgressUpdate.objects.filter(recommendation_id=recommendation_id)
    return max((update.recorded_at for update in updates.accepted()), default=None)


def stored_last_recorded(recommendation_id: int) -> datetime.datetime | None:
    return Recommendation.objects.values_list("last_recorded_at", flat=True).get(
        pk=recommendation_id
    )


def assert_all_agree() -> None:
    for pk in Recommendation.objects.values_list("pk", flat=True):
        assert stored(pk) == from_updates(pk), f"recommendation {pk}"
        assert stored_last_recorded(pk) == last_recorded_from_updates(pk), f"recommendation {pk}"


def test_a_recommendation_without_updates_is_not_started_with_no_update_date():
    recommendation = make_recommendation()
    assert stored(recommendation.pk) == (Status.NOT_STARTED, None)
    assert recommendation.status() == Status.NOT_STARTED


def test_an_update_becomes_the_current_status_and_date():
    recommendation = make_recommendation()
    make_update(recommendation, as_at=D(2019, 1, 7), status=Status.SLIPPED)
    assert stored(recommendation.pk) == (Status.SLIPPED, D(2019, 1, 7))
    make_update(recommendation, as_at=D(2019, 2, 1), status=Status.ACHIEVED)
    assert stored(recommendation.pk) == (Status.ACHIEVED, D(2019, 2, 1))
    assert_all_agree()


def test_an_update_recorded_later_for_an_earlier_date_does_not_become_current():
    recommendation = make_recommendation()
    make_update(recommendation, as_at=D(2019, 2, 1), status=Status.ON_TRACK)
    make_update(
        recommendation,
        as_at=D(2019, 1, 1),
        status=Status.NOT_ACHIEVED,
        recorded_at=timezone.now() + datetime.timedelta(days=30),
    )
    assert stored(recommendation.pk) == (Status.ON_TRACK, D(2019, 2, 1))
    # But it is the latest recorded: "updated in the last 30 days" counts it.
    assert (
        stored_last_recorded(recommendation.pk)
        == recommendation.updates.get(as_at=D(2019, 1, 1)).recorded_at
    )
    assert_all_agree()


def test_of_two_updates_for_one_date_the_one_recorded_later_is_current():
    recommendation = make_recommendation()
    now = timezone.now()
    make_update(recommendation, as_at=D(2019, 1, 7), status=Status.SLIPPED, recorded_at=now)
    make_update(
        recommendation,
        as_at=D(2019, 1, 7),
        status=Status.ON_TRACK,
        recorded_at=now - datetime.timedelta(hours=1),
    )
    assert stored(recommendation.pk) == (Status.SLIPPED, D(2019, 1, 7))
    assert_all_agree()


def test_an_update_changes_only_its_own_recommendations_status():
    one, two = make_recommendation(), make_recommendation()
    make_update(one, as_at=D(2019, 1, 7), status=Status.ACHIEVED)
    assert stored(two.pk) == (Status.NOT_STARTED, None)


def test_record_progress_updates_the_stored_status_and_the_copy_in_memory(clerk):
    recommendation = make_recommendation(target_date=D(2019, 3, 31))
    assert recommendation.status() == Status.NOT_STARTED
    recommendation.record_progress(
        author=clerk,
        as_at=D(2019, 3, 1),
        status=Status.SLIPPED,
        narrative="Delayed.",
        revised_target_date=D(2019, 9, 30),
        revision_reason="Waiting for funding.",
    )
    assert stored(recommendation.pk) == (Status.SLIPPED, D(2019, 3, 1))
    assert recommendation.status() == Status.SLIPPED
    assert recommendation.last_update_date == D(2019, 3, 1)
    assert recommendation.revised_target_date == D(2019, 9, 30)


def test_saving_a_copy_read_before_an_update_keeps_the_updates_status():
    recommendation = make_recommendation()
    stale_copy = Recommendation.objects.get(pk=recommendation.pk)
    make_update(recommendation, as_at=D(2019, 1, 7), status=Status.ACHIEVED)
    stale_copy.text = "That the council does better."
    stale_copy.save()
    assert stored(recommendation.pk) == (Status.ACHIEVED, D(2019, 1, 7))
    assert Recommendation.objects.get(pk=recommendation.pk).text == "That the council does better."


def test_adding_an_update_writes_no_recommendation_history():
    recommendation = make_recommendation()
    history_before = Recommendation.history.count()
    make_update(recommendation, as_at=D(2019, 1, 7), status=Status.ON_TRACK)
    recommendation.record_progress(
        author=make_user(), as_at=D(2019, 2, 7), status=Status.ACHIEVED, narrative="Done."
    )
    assert Recommendation.history.count() == history_before


def test_the_history_does_not_carry_the_derived_fields():
    field_names = {field.name for field in Recommendation.history.model._meta.fields}
    assert "current_status" not in field_names
    assert "last_update_date" not in field_names


def test_an_update_added_in_the_admin_updates_the_stored_status(client, administrator):
    recommendation = make_recommendation()
    history_before = Recommendation.history.count()
    client.force_login(administrator)
    response = client.post(
        "/admin/recommendations/progressupdate/add/",
        {
            "recommendation": recommendation.pk,
            "as_at": "2019-01-07",
            "status": Status.NOT_ACHIEVED,
            "narrative": "Abandoned.",
            "_save": "Save",
        },
    )
    assert response.status_code == 302
    assert stored(recommendation.pk) == (Status.NOT_ACHIEVED, D(2019, 1, 7))
    assert Recommendation.history.count() == history_before


def test_an_update_added_through_the_page_updates_the_stored_status_once_accepted(
    client, officer, recommendation
):
    client.force_login(officer)
    response = client.post(
        f"/recommendations/{recommendation.pk}/progress-updates/add/",
        {
            "as_at_day": "7",
            "as_at_month": "1",
            "as_at_year": "2019",
            "status": Status.ON_TRACK,
            "narrative": "The task group has met twice.",
        },
    )
    assert response.status_code == 302
    # Submitted, it does not count until the scrutiny officer accepts it.
    assert stored(recommendation.pk) == (Status.NOT_STARTED, None)
    assert stored_last_recorded(recommendation.pk) is None
    recommendation.updates.get().accept(by=make_user("someone", role="Scrutiny officer"))
    assert stored(recommendation.pk) == (Status.ON_TRACK, D(2019, 1, 7))
    assert stored_last_recorded(recommendation.pk) == recommendation.updates.get().recorded_at


def test_an_import_updates_the_stored_status_of_new_and_existing_recommendations():
    review = make_review("Review of potholes")
    existing = make_recommendation(review=review, number="1")
    make_update(existing, as_at=D(2019, 1, 7), status=Status.ON_TRACK)
    untouched = make_recommendation(review=review, number="9")
    make_update(untouched, as_at=D(2019, 1, 7), status=Status.SLIPPED)
    history_before = Recommendation.history.filter(id=existing.pk).count()
    import_tracker(
        tracker_csv(
            tracker_row(
                number="1",
                recommendation=existing.text,
                update_date="2019-03-04",
                update_status="Achieved",
                update_text="Done.",
            ),
            tracker_row(
                number="2",
                recommendation="That the council paints the lines.",
                update_date="04/02/2019",
                update_status="Slipped",
                update_text="Late.",
            ),
            tracker_row(
                number="3",
                recommendation="That the council lights the lanes.",
            ),
        ),
        "tracker.csv",
        user=(importer := make_user()),
    )
    # Imported updates are accepted at once, by the importer, as they were imported.
    imported = ProgressUpdate.objects.filter(narrative__in=["Done.", "Late."])
    assert (
        imported.count() == imported.accepted().filter(decision__decided_by=importer).count() == 2
    )
    assert stored(existing.pk) == (Status.ACHIEVED, D(2019, 3, 4))
    assert stored(untouched.pk) == (Status.SLIPPED, D(2019, 1, 7))
    new = Recommendation.objects.get(review=review, number="2")
    assert stored(new.pk) == (Status.SLIPPED, D(2019, 2, 4))
    without = Recommendation.objects.get(review=review, number="3")
    assert stored(without.pk) == (Status.NOT_STARTED, None)
    assert Recommendation.history.filter(id=existing.pk).count() == history_before
    assert_all_agree()


def test_the_bulk_test_helper_leaves_the_stored_status_in_step(administrator):
    bulk_recommendations(60, reviews=4, today=D(2025, 3, 10), author=administrator)
    assert_all_agree()
    assert Recommendation.objects.exclude(last_update_date=None).exists()


def test_refreshing_sets_every_chosen_recommendation_in_one_statement(
    django_assert_num_queries,
):
    recommendations = [make_recommendation() for _ in range(5)]
    for n, recommendation in enumerate(recommendations):
        updates = ProgressUpdate.objects.bulk_create(
            [
                ProgressUpdate(
                    recommendation=recommendation,
                    as_at=D(2019, 1, 1 + n),
                    status=Status.ACHIEVED,
                    narrative="Bulk.",
                    author=make_user(),
                    recorded_at=timezone.now(),
                )
            ]
        )
        accept_all(updates)
    with django_assert_num_queries(1):
        assert Recommendation.objects.filter(
            pk__in=[r.pk for r in recommendations]
        ).refresh_current_status() == len(recommendations)
    assert_all_agree()


def test_the_data_migration_backfills_every_recommendation():
    import importlib
    from types import SimpleNamespace

    from django.apps import apps
    from django.db import connection

    migration = importlib.import_module("recommendations.migrations.0007_backfill_current_status")
    updated, bare = make_recommendation(), make_recommendation()
    make_update(updated, as_at=D(2019, 1, 7), status=Status.SLIPPED)
    make_update(updated, as_at=D(2019, 2, 7), status=Status.ACHIEVED)
    # As the rows stood before the migration added the columns, with their defaults.
    Recommendation.objects.update(current_status=Status.NOT_STARTED, last_update_date=None)
    Recommendation.objects.filter(pk=bare.pk).update(current_status=Status.ON_TRACK)
    migration.backfill(apps, SimpleNamespace(connection=connection))
    assert stored(updated.pk) == (Status.ACHIEVED, D(2019, 2, 7))
    assert stored(bare.pk) == (Status.NOT_STARTED, None)


def test_the_data_migration_backfills_when_the_latest_accepted_update_was_recorded():
    import importlib
    from types import SimpleNamespace

    from django.apps import apps
    from django.db import connection

    migration = importlib.import_module("recommendations.migrations.0016_scale_last_recorded_at")
    updated, bare = make_recommendation(), make_recommendation()
    make_update(updated, as_at=D(2019, 2, 7), status=Status.ACHIEVED)
    make_update(
        updated,
        as_at=D(2019, 1, 7),
        status=Status.SLIPPED,
        recorded_at=timezone.now() + datetime.timedelta(days=3),
    )
    Recommendation.objects.update(last_recorded_at=None)
    migration.backfill(apps, SimpleNamespace(connection=connection))
    assert stored_last_recorded(updated.pk) == last_recorded_from_updates(updated.pk)
    assert stored_last_recorded(updated.pk) == updated.updates.get(as_at=D(2019, 1, 7)).recorded_at
    assert stored_last_recorded(bare.pk) is None
