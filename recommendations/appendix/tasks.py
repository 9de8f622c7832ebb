"""The slow work of the appendix, run by the worker (`manage.py db_worker`): making its PDFs."""

import logging

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from ..models import PdfJob
from .build import Appendix
from .pdf import html_to_pdf
from .pdf_cache import fingerprint, store
from .publish import publish_appendix
from .render import render_report_html

logger = logging.getLogger(__name__)


def _start(job_id: int) -> PdfJob | None:
    """The job, marked as being made; None when it is gone or another worker took it."""
    with transaction.atomic():
        job = PdfJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status != PdfJob.Status.QUEUED:
            return None
        job.status = PdfJob.Status.RUNNING
        job.save(update_fields=["status"])
    return job


def _finish(job: PdfJob, status: str, error: str = "") -> None:
    job.status = status
    job.error = error
    job.finished_at = timezone.now()
    job.html = ""  # the file is what is kept; the source is no longer needed
    job.save(update_fields=["status", "error", "finished_at", "html", "published"])


@task()
def make_pdf(job_id: int) -> str:
    """Make the PDF of a download job and keep it in the cache under its fingerprint."""
    job = _start(job_id)
    if job is None:
        return "skipped"
    try:
        store(job, html_to_pdf(job.html))
    except Exception as error:
        logger.exception("The PDF of job %s could not be made", job.pk)
        _finish(job, PdfJob.Status.FAILED, f"{type(error).__name__}: {error}"[:1000])
        return PdfJob.Status.FAILED
    _finish(job, PdfJob.Status.READY)
    return PdfJob.Status.READY


@task()
def publish(job_id: int) -> str:
    """Publish the appendix a publish job asks for: all of it (HTML, PDF, SHA-256) or nothing."""
    job = _start(job_id)
    if job is None:
        return "skipped"
    try:
        job.published = publish_appendix(
            job.review,
            meeting=job.meeting,
            as_at=job.as_at,
            number=job.number,
            include_closed=job.include_closed,
            user=job.requested_by,
        )
    except Exception as error:
        logger.exception("The appendix of job %s could not be published", job.pk)
        _finish(job, PdfJob.Status.FAILED, f"{type(error).__name__}: {error}"[:1000])
        return PdfJob.Status.FAILED
    _finish(job, PdfJob.Status.READY)
    return PdfJob.Status.READY


def queue_publish(review, *, meeting, as_at, number, include_closed, user) -> PdfJob:
    job = PdfJob.objects.create(
        kind=PdfJob.Kind.PUBLISH,
        review=review,
        meeting=meeting,
        as_at=as_at,
        number=number,
        include_closed=include_closed,
        requested_by=user,
    )
    publish.enqueue(job.pk)
    return job


def request_download(appendix: Appendix) -> PdfJob:
    """The job making the PDF of `appendix`: one already on its way for the same content, or a
    new one queued for the worker."""
    key = fingerprint(appendix)
    job = PdfJob.objects.filter(
        kind=PdfJob.Kind.DOWNLOAD,
        fingerprint=key,
        status__in=[PdfJob.Status.QUEUED, PdfJob.Status.RUNNING],
        created_at__gt=timezone.now() - PdfJob.GIVE_UP_AFTER,
    ).first()
    if job is not None:
        return job
    job = PdfJob.objects.create(
        kind=PdfJob.Kind.DOWNLOAD,
        review_id=appendix.review_id,
        fingerprint=key,
        file_name=appendix.file_name("pdf"),
        html=render_report_html(appendix, generated_at=timezone.now()),
    )
    make_pdf.enqueue(job.pk)
    return job
