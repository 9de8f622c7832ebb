"""The dashboard's figures come from the cache until a change is committed, and never after.

Transactional tests: the register's version moves on when a change commits, which a test rolled
back at its end never does.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction
from django.tasks import default_task_backend
from django.test.utils import CaptureQueriesContext

from recommendations.choices import Response, Status
from recommendations.dashboard.tasks import prepare_figures
from recommendations.models import ProgressUpdate, Recommendation, current_register_version
from reviews.models import Review
from tests.factories import (
    accept_all,
    make_meeting,
    make_progress_report_item,
    make_recommendation,
    make_review,
    make_update,
)
from tests.recommendations.dashboard.test_dashboard import headline

D = datetime.date
LONDON = ZoneInfo("Europe/London")
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("roles")]


@pytest.fixture
def cached(settings):
    settings.REGISTER_CACHE_SECONDS = 3600


@pytest.fixture
def review(frozen):
    return make_review("Cached figures", report_to_executive_date=D(2019, 5, 1))


def count(client, key: str) -> int:
    return headline(client.get("/").content.decode(), key)[0]


def ranks_reviews(client) -> bool:
    """Whether a request for the dashboard computed its figures rather than reading the cache."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    return any("ROW_NUMBER" in query["sql"] for query in queries)


@pytest.fixture
def no_worker(settings):
    """Tasks are queued, and nothing runs them."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()


def test_the_figures_are_computed_once_then_read_from_the_cache(
    client, councillor, cached, review, no_worker
):
    make_recommendation(review=review, target_date=D(2019, 6, 1), response=Response.ACCEPTED)
    client.force_login(councillor)

    assert ranks_reviews(client)
    assert not ranks_reviews(client)
    assert count(client, "overdue") == 1


def test_after_a_change_the_worker_prepares_the_figures_for_the_next_reader(
    client, councillor, cached, review
):
    client.force_login(councillor)
    make_recommendation(review=review, target_date=D(2019, 6, 1), response=Response.ACCEPTED)

    assert not ranks_reviews(client)
    assert count(client, "overdue") == 1


def test_the_figures_the_worker_prepares_link_under_the_sites_address(
    client, councillor, cached, review, settings
):
    settings.SITE_URL = "https://council.example.gov.uk/scrutiny"
    client.force_login(councillor)
    make_recommendation(review=review, target_date=D(2019, 6, 1), response=Response.ACCEPTED)

    with CaptureQueriesContext(connection) as queries:
        page = client.get("/", SCRIPT_NAME="/scrutiny").content.decode()

    assert not any("ROW_NUMBER" in query["sql"] for query in queries)  # prepared, not computed
    assert headline(page, "overdue") == (1, "/scrutiny/register/?show=overdue")
    assert f'href="/scrutiny/reviews/{review.pk}/"' in page


def test_a_burst_of_changes_queues_the_preparation_once(cached, review, no_worker):
    for number in ("1", "2", "3"):
        make_recommendation(review=review, number=number)
    assert [result.task for result in default_task_backend.results] == [prepare_figures]

    # Once the worker has started on it, the next change queues another.
    prepare_figures.call()
    make_recommendation(review=review, number="4")
    assert len(default_task_backend.results) == 2


def test_with_the_cache_off_no_preparation_is_queued(settings, review, no_worker):
    settings.REGISTER_CACHE_SECONDS = 0
    make_recommendation(review=review)

    assert default_task_backend.results == []


def test_an_accepted_update_shows_at_once(client, councillor, cached, review):
    late = make_recommendation(review=review, target_date=D(2019, 6, 1), response=Response.ACCEPTED)
    client.force_login(councillor)
    assert count(client, "overdue") == 1

    update = make_update(late, as_at=D(2019, 6, 14), status=Status.ACHIEVED, accepted=False)
    assert count(client, "overdue") == 1  # submitted, not yet accepted: it counts for nothing
    update.accept(by=update.author)

    assert count(client, "overdue") == 0


def test_a_revised_target_date_shows_at_once(client, councillor, cached, review):
    recommendation = make_recommendation(
        review=review, target_date=D(2019, 7, 1), response=Response.ACCEPTED
    )
    client.force_login(councillor)
    assert count(client, "overdue") == 0

    recommendation.target_date = D(2019, 6, 1)
    recommendation.save()

    assert count(client, "overdue") == 1


def test_a_progress_report_on_the_work_programme_shows_at_once(client, councillor, cached, review):
    recommendation = make_recommendation(review=review, response=Response.ACCEPTED)
    make_update(recommendation, as_at=D(2019, 5, 20))
    client.force_login(councillor)
    assert count(client, "stale") == 0

    # Reported on 1 June: an update of 20 May is now older than the last report.
    meeting = make_meeting(committee=review.committee, date=D(2019, 6, 1))
    make_progress_report_item(review=review, meeting=meeting)

    assert count(client, "stale") == 1


def test_a_closed_review_leaves_the_committees_list_at_once(client, councillor, cached, review):
    make_recommendation(review=review, response=Response.ACCEPTED)
    client.force_login(councillor)
    assert "Cached figures" in client.get("/").content.decode()

    review.status = Review.Status.CLOSED
    review.save()

    assert "Cached figures" not in client.get("/").content.decode()


def test_updates_written_in_bulk_show_once_the_status_is_refreshed(
    client, councillor, cached, review, officer
):
    late = make_recommendation(review=review, target_date=D(2019, 6, 1), response=Response.ACCEPTED)
    client.force_login(councillor)
    assert count(client, "overdue") == 1

    # As the tracker import does: bulk_create skips save(), then one refresh.
    with transaction.atomic():
        updates = ProgressUpdate.objects.bulk_create(
            [
                ProgressUpdate(
                    recommendation=late,
                    as_at=D(2019, 6, 14),
                    status=Status.ACHIEVED,
                    narrative="Done.",
                    author=officer,
                )
            ]
        )
        accept_all(updates)
        Recommendation.objects.filter(pk=late.pk).refresh_current_status()

    assert count(client, "overdue") == 0


def test_the_next_day_computes_afresh_with_no_change(client, councillor, cached, review, frozen):
    make_recommendation(review=review, target_date=D(2019, 6, 15), response=Response.ACCEPTED)
    client.force_login(councillor)
    assert count(client, "overdue") == 0  # due today, not yet overdue

    frozen.move_to(datetime.datetime(2019, 6, 16, 9, 0, tzinfo=LONDON))
    client.force_login(councillor)  # a new day, a new sign-in: sessions end when idle

    assert count(client, "overdue") == 1


def test_a_change_rolled_back_leaves_the_version_as_it_was(cached, review):
    before = current_register_version()

    with pytest.raises(RuntimeError), transaction.atomic():
        make_recommendation(review=review)
        raise RuntimeError("the change fails")

    assert current_register_version() == before
    make_recommendation(review=review)
    assert current_register_version() > before


def test_with_the_cache_unreachable_the_dashboard_computes_its_figures(
    client, councillor, review, settings
):
    settings.REGISTER_CACHE_SECONDS = 3600
    # Nothing listens on port 9 (discard): as if Redis were down.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
        }
    }
    make_recommendation(review=review, target_date=D(2019, 6, 1), response=Response.ACCEPTED)
    client.force_login(councillor)

    assert count(client, "overdue") == 1
