"""Download PDF and Publish off the request: the worker makes the PDF, the cache serves it again
only for identical content, and the "Preparing the PDF" page says how it is going."""

import datetime

import pytest
from django.tasks import default_task_backend
from django.urls import reverse
from django.utils import timezone

from recommendations.appendix import tasks
from recommendations.choices import Status
from recommendations.models import PdfJob, PublishedAppendix
from tests.factories import make_meeting, make_recommendation, make_review, make_update
from tests.recommendations.appendix.helpers import pdf_text

pytestmark = pytest.mark.django_db

DUMMY_TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def recommendation(officer):
    recommendation = make_recommendation(review=make_review(title="Review of potholes"))
    make_update(
        recommendation,
        as_at=timezone.localdate() - datetime.timedelta(days=1),
        author=officer,
        recorded_at=timezone.now() - datetime.timedelta(days=1),
        narrative="Surveyed every road in the north of the county.",
    )
    return recommendation


def pdf_url(review):
    return reverse("recommendations:download_progress_report_pdf", args=[review.pk])


def refuse_to_render(*args, **kwargs):
    raise AssertionError("rendered again")


def test_a_repeated_download_of_the_same_content_is_served_from_the_cache(
    client, councillor, recommendation, monkeypatch
):
    client.force_login(councillor)
    first = client.get(pdf_url(recommendation.review))
    assert first.status_code == 200 and first["Content-Type"] == "application/pdf"
    assert "Surveyed every road" in pdf_text(first.content)

    monkeypatch.setattr(tasks, "html_to_pdf", refuse_to_render)
    again = client.get(pdf_url(recommendation.review))

    assert again.status_code == 200 and again.content == first.content
    assert PdfJob.objects.count() == 1


def test_an_update_accepted_after_caching_gives_a_fresh_render(
    client, councillor, officer, clerk, recommendation
):
    client.force_login(councillor)
    first = client.get(pdf_url(recommendation.review))
    update = recommendation.record_progress(
        author=officer,
        as_at=timezone.localdate(),
        status=Status.ON_TRACK,
        narrative="Filled the first thousand potholes.",
    )
    # Submitted, not yet accepted: the appendix, and so the cached PDF, is the same.
    waiting = client.get(pdf_url(recommendation.review))
    assert waiting.content == first.content

    update.accept(by=clerk)
    again = client.get(pdf_url(recommendation.review))

    assert again.status_code == 200 and again.content != first.content
    assert "Filled the first thousand potholes." in pdf_text(again.content)
    assert "Filled the first thousand potholes." not in pdf_text(first.content)
    assert PdfJob.objects.filter(status=PdfJob.Status.READY).count() == 2


def test_an_edit_to_the_recommendation_gives_a_fresh_render(client, councillor, recommendation):
    client.force_login(councillor)
    client.get(pdf_url(recommendation.review))
    recommendation.text = "That the council fills every pothole within a week."
    recommendation.save()

    again = client.get(pdf_url(recommendation.review))

    assert "fills every pothole within a week" in pdf_text(again.content)
    assert PdfJob.objects.count() == 2


def test_while_the_worker_makes_it_the_download_shows_a_page_that_refreshes_itself(
    client, councillor, recommendation, settings
):
    settings.TASKS = DUMMY_TASKS
    client.force_login(councillor)

    response = client.get(pdf_url(recommendation.review))

    job = PdfJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("recommendations:show_pdf_job", args=[job.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Preparing the PDF" in page
    assert '<meta http-equiv="refresh" content="2">' in page
    assert "Waiting for the worker" in page
    assert default_task_backend.results[0].args == [job.pk]

    # Another download of the same content waits for the same job rather than queueing another.
    assert client.get(pdf_url(recommendation.review))["Location"] == response["Location"]
    assert PdfJob.objects.count() == 1

    tasks.make_pdf.call(job.pk)  # what the worker does

    page = client.get(response["Location"]).content.decode()
    assert "The PDF is ready" in page and "http-equiv" not in page
    file_url = reverse("recommendations:download_pdf_job_file", args=[job.pk])
    assert file_url in page
    pdf = client.get(file_url)
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].startswith(
        'attachment; filename="appendix-2-review-of-potholes'
    )
    assert "Surveyed every road" in pdf_text(pdf.content)
    # Ready now, the download itself answers with the file.
    assert client.get(pdf_url(recommendation.review)).content == pdf.content


def test_a_failed_render_says_so_on_the_preparing_page(
    client, councillor, recommendation, monkeypatch
):
    def broken(html):
        raise MemoryError("out of memory")

    monkeypatch.setattr(tasks, "html_to_pdf", broken)
    client.force_login(councillor)

    response = client.get(pdf_url(recommendation.review))

    job = PdfJob.objects.get()
    assert (job.status, job.error) == (PdfJob.Status.FAILED, "MemoryError: out of memory")
    assert response["Location"] == reverse("recommendations:show_pdf_job", args=[job.pk])
    page = client.get(response["Location"]).content.decode()
    assert "The PDF could not be made" in page and "http-equiv" not in page
    assert "out of memory" not in page  # the detail is for the log, not the reader
    file_url = reverse("recommendations:download_pdf_job_file", args=[job.pk])
    assert client.get(file_url).status_code == 404

    monkeypatch.undo()
    retried = client.get(pdf_url(recommendation.review))
    assert retried.status_code == 200 and retried["Content-Type"] == "application/pdf"


def test_publishing_while_the_worker_works_shows_its_progress_then_goes_to_the_meeting(
    client, clerk, recommendation, settings
):
    settings.TASKS = DUMMY_TASKS
    review = recommendation.review
    meeting = make_meeting(committee=review.committee, date=timezone.localdate())
    client.force_login(clerk)
    data = _publish_choices(meeting)

    response = client.post(
        reverse("recommendations:publish_progress_report", args=[review.pk]), data
    )

    job = PdfJob.objects.get()
    assert response["Location"] == reverse("recommendations:show_pdf_job", args=[job.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Publishing the appendix" in page and 'content="2"' in page
    assert not PublishedAppendix.objects.exists()

    tasks.publish.call(job.pk)

    done = client.get(response["Location"])
    published = PublishedAppendix.objects.get()
    assert done["Location"] == reverse("recommendations:show_meeting", args=[meeting.pk])
    assert published.published_by == clerk
    assert "Surveyed every road" in published.html


def test_a_failed_publish_says_so_and_publishes_nothing(client, clerk, recommendation, monkeypatch):
    import recommendations.appendix.publish as publish

    def broken(html):
        raise RuntimeError("WeasyPrint fell over")

    monkeypatch.setattr(publish, "html_to_pdf", broken)
    review = recommendation.review
    meeting = make_meeting(committee=review.committee, date=timezone.localdate())
    client.force_login(clerk)

    response = client.post(
        reverse("recommendations:publish_progress_report", args=[review.pk]),
        _publish_choices(meeting),
    )

    page = client.get(response["Location"]).content.decode()
    assert "The appendix could not be published" in page and "Nothing was published." in page
    assert not PublishedAppendix.objects.exists()
    assert PdfJob.objects.get().status == PdfJob.Status.FAILED


def test_a_councillor_cannot_watch_a_publish(client, clerk, councillor, recommendation, settings):
    settings.TASKS = DUMMY_TASKS
    review = recommendation.review
    meeting = make_meeting(committee=review.committee, date=timezone.localdate())
    client.force_login(clerk)
    response = client.post(
        reverse("recommendations:publish_progress_report", args=[review.pk]),
        _publish_choices(meeting),
    )
    client.force_login(councillor)
    assert client.get(response["Location"]).status_code == 403


def _publish_choices(meeting):
    day = meeting.date
    return {
        "as_at_day": str(day.day),
        "as_at_month": str(day.month),
        "as_at_year": str(day.year),
        "meeting": str(meeting.pk),
        "number": "2",
    }


def test_a_render_whose_worker_died_is_given_up_and_queued_again(
    client, councillor, recommendation, settings, time_machine
):
    settings.TASKS = DUMMY_TASKS
    client.force_login(councillor)
    stuck = client.get(pdf_url(recommendation.review))["Location"]
    PdfJob.objects.update(status=PdfJob.Status.RUNNING)  # the worker took it, then died

    time_machine.move_to(timezone.now() + PdfJob.GIVE_UP_AFTER + datetime.timedelta(seconds=1))

    page = client.get(stuck).content.decode()
    assert "The PDF could not be made" in page and "http-equiv" not in page
    again = client.get(pdf_url(recommendation.review))["Location"]
    assert again != stuck and PdfJob.objects.count() == 2
