"""An upload over TRACKER_BACKGROUND_ROWS rows is applied by the worker, with a progress page."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.tasks import default_task_backend

from recommendations.models import ImportJob, Recommendation
from recommendations.trackers import background
from reviews.models import Review
from tests.factories import tracker_csv, tracker_row
from tests.recommendations.trackers.helpers import keep_uploads_in

pytestmark = pytest.mark.django_db

DUMMY_TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


@pytest.fixture(autouse=True)
def large_means_two_rows(settings, tmp_path):
    keep_uploads_in(settings, tmp_path / "uploads")
    settings.TRACKER_BACKGROUND_ROWS = 2


@pytest.fixture
def clerk_client(client, clerk):
    client.force_login(clerk)
    return client


def three_rows():
    return SimpleUploadedFile(
        "tracker.csv",
        tracker_csv(
            tracker_row(update_date="2025-01-15", update_status="On track", update_text="Hired."),
            tracker_row(number="2", recommendation="Map the potholes."),
            tracker_row(number="3", recommendation="Fill the potholes."),
        ),
    )


def confirm(client):
    response = client.post("/trackers/import/", {"file": three_rows()})
    preview = client.get(response["Location"])
    fingerprint = re.search(r'name="fingerprint" value="(\w+)"', preview.content.decode())[1]
    return client.post(f"{response['Location']}confirm/", {"fingerprint": fingerprint})


def test_a_large_upload_is_applied_by_the_worker_while_a_page_shows_its_progress(
    clerk_client, clerk, settings
):
    settings.TASKS = DUMMY_TASKS

    response = confirm(clerk_client)

    job = ImportJob.objects.get()
    assert response["Location"] == f"/trackers/imports/{job.pk}/"
    assert not Review.objects.exists()
    page = clerk_client.get(response["Location"]).content.decode()
    assert "Importing the file" in page and '<meta http-equiv="refresh" content="2">' in page
    assert "Waiting for the worker to start" in page
    assert default_task_backend.results[0].args == [job.pk]

    steps_seen = []
    record = background._record_step

    def watch(job, step):
        record(job, step)
        steps_seen.append(background.current_step(job))

    background._record_step = watch
    try:
        background.apply_upload.call(job.pk)  # what the worker does
    finally:
        background._record_step = record

    assert steps_seen == [1, 2, 3, 4, 5, 6, 7]
    page = clerk_client.get(response["Location"]).content.decode()
    assert "http-equiv" not in page
    assert "Created 1 review, 3 recommendations, 1 progress update" in page
    assert Recommendation.objects.count() == 3
    assert {r.history.get().history_user for r in Recommendation.objects.all()} == {clerk}


def test_a_small_upload_is_still_imported_at_once(clerk_client, settings):
    settings.TRACKER_BACKGROUND_ROWS = 3
    assert confirm(clerk_client)["Location"] == "/reviews/"
    assert not ImportJob.objects.exists()


def test_a_register_changed_before_the_worker_starts_imports_nothing_and_says_so(
    clerk_client, settings
):
    settings.TASKS = DUMMY_TASKS
    response = confirm(clerk_client)
    job = ImportJob.objects.get()
    from tests.factories import make_recommendation, make_review

    make_recommendation("2", review=make_review(title="Review of potholes"), text="Other.")

    background.apply_upload.call(job.pk)

    page = clerk_client.get(response["Location"]).content.decode()
    assert "Nothing was imported" in page and "The register changed after the preview" in page
    assert Recommendation.objects.count() == 1


def test_only_those_who_may_import_see_an_import(client, councillor, clerk_client):
    response = confirm(clerk_client)
    client.force_login(councillor)
    assert client.get(response["Location"]).status_code == 403
