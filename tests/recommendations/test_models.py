import datetime

import pytest
from django.db import IntegrityError
from django.utils import timezone

from recommendations.choices import Status
from recommendations.models import AppendOnlyError, ProgressUpdate, Recommendation
from tests.factories import make_recommendation, make_review, make_update, make_user

D = datetime.date
pytestmark = pytest.mark.django_db


def test_numbers_sort_naturally_within_a_review():
    review = make_review()
    for number in ["10", "R12", "2", "1", "R3", "3a", "3"]:
        make_recommendation(number, review=review)
    assert [r.number for r in review.recommendations.all()] == [
        "1",
        "2",
        "3",
        "3a",
        "10",
        "R3",
        "R12",
    ]


def test_a_number_is_unique_within_its_review():
    review = make_review()
    make_recommendation("3", review=review)
    with pytest.raises(IntegrityError):
        make_recommendation("3", review=review)


def test_the_same_number_may_appear_in_another_review():
    make_recommendation("3", review=make_review())
    make_recommendation("3", review=make_review())
    assert Recommendation.objects.filter(number="3").count() == 2


def test_a_number_is_stored_trimmed():
    assert make_recommendation(" R4 ").number == "R4"


def current_status(recommendation):
    return Recommendation.objects.get(pk=recommendation.pk).current_status


def test_a_recommendation_with_no_update_has_not_started():
    recommendation = make_recommendation()
    assert current_status(recommendation) == Status.NOT_STARTED
    assert recommendation.status() == Status.NOT_STARTED


def test_the_current_status_is_that_of_the_newest_as_at_date():
    recommendation = make_recommendation()
    make_update(recommendation, as_at=D(2019, 2, 1), status=Status.ACHIEVED)
    # Recorded later, but speaking for an earlier date.
    make_update(recommendation, as_at=D(2019, 1, 1), status=Status.SLIPPED)
    assert current_status(recommendation) == Status.ACHIEVED
    annotated = Recommendation.objects.get(pk=recommendation.pk)
    assert annotated.last_update_date == D(2019, 2, 1)


def test_updates_for_the_same_date_are_decided_by_when_they_were_recorded():
    recommendation = make_recommendation()
    earlier = timezone.now() - datetime.timedelta(hours=1)
    make_update(recommendation, as_at=D(2019, 1, 1), status=Status.ON_TRACK)
    make_update(recommendation, as_at=D(2019, 1, 1), status=Status.SLIPPED, recorded_at=earlier)
    assert current_status(recommendation) == Status.ON_TRACK
    assert recommendation.status() == Status.ON_TRACK


def test_a_progress_update_cannot_be_changed():
    update = make_update(make_recommendation(), as_at=D(2019, 1, 1))
    update.narrative = "Rewritten history"
    with pytest.raises(AppendOnlyError):
        update.save()
    with pytest.raises(AppendOnlyError):
        ProgressUpdate.objects.filter(pk=update.pk).update(narrative="Rewritten history")
    assert ProgressUpdate.objects.get(pk=update.pk).narrative == "Work continues."


def test_a_progress_update_cannot_be_deleted():
    update = make_update(make_recommendation(), as_at=D(2019, 1, 1))
    with pytest.raises(AppendOnlyError):
        update.delete()
    with pytest.raises(AppendOnlyError):
        ProgressUpdate.objects.all().delete()
    assert ProgressUpdate.objects.filter(pk=update.pk).exists()


def test_accepting_a_slipped_update_revises_the_target_date_in_the_history_of_its_author():
    officer = make_user()
    recommendation = make_recommendation(target_date=D(2019, 3, 31))
    recommendation.record_progress(
        author=officer,
        as_at=D(2019, 3, 1),
        status=Status.SLIPPED,
        narrative="Waiting for the university.",
        revised_target_date=D(2019, 7, 31),
        revision_reason="No reply yet.",
    )
    # Submitted: the revision waits for the scrutiny officer, and takes effect on acceptance.
    recommendation.refresh_from_db()
    assert recommendation.effective_target_date == D(2019, 3, 31)
    assert recommendation.history.count() == 1
    recommendation.updates.get().accept(by=make_user(role="Scrutiny officer"))
    recommendation.refresh_from_db()
    assert recommendation.effective_target_date == D(2019, 7, 31)
    assert recommendation.updates.get().author == officer
    newest = recommendation.history.first()
    assert newest.history_user == officer
    assert newest.revised_target_date == D(2019, 7, 31)
