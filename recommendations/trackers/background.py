"""A large upload applied by the worker (`manage.py db_worker`), with a progress page.

An upload of more than TRACKER_BACKGROUND_ROWS rows is confirmed as usual, then handed to the
worker: the kept file moves from the session to an ImportJob, and the worker reads it again,
checks the digest, plans again and imports only if the plan is still the one confirmed.
"""

import contextlib
import hashlib
import logging

from django.conf import settings
from django.db import IntegrityError
from django.tasks import task
from django.utils import timezone

from ..models import ImportJob
from .applying import IMPORT_STEPS, import_tracker
from .problems import TrackerFileError
from .uploads import file_name_of, storage

logger = logging.getLogger(__name__)


def runs_in_background(rows: int) -> bool:
    return rows > settings.TRACKER_BACKGROUND_ROWS


def queue_import(*, token: str, name: str, data: bytes, rows: int, plan, user) -> ImportJob:
    job = ImportJob.objects.create(
        file_name=name,
        upload_name=file_name_of(token),
        sha256=hashlib.sha256(data).hexdigest(),
        plan_fingerprint=plan.fingerprint(),
        rows=rows,
        requested_by=user,
    )
    apply_upload.enqueue(job.pk)
    return job


def _progress_name(job: ImportJob) -> str:
    return f"import-{job.pk}.progress"


def current_step(job: ImportJob) -> int:
    """The step under way (1 to len(IMPORT_STEPS)), or 0 before the worker has started."""
    if job.status == ImportJob.Status.DONE:
        return len(IMPORT_STEPS)
    try:
        with storage().open(_progress_name(job), "rb") as file:
            return int(file.read() or 0)
    except (OSError, ValueError):
        return 0


def _record_step(job: ImportJob, step: int) -> None:
    name = _progress_name(job)
    # Written beside the file, outside the import's transaction, so the progress page sees it.
    path = storage().path(name)
    with open(path, "w") as file:
        file.write(str(step))


@task()
def apply_upload(job_id: int) -> str:
    """Import a confirmed upload; all of it or, on any problem, nothing."""
    updated = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING
    )
    if not updated:
        return "skipped"
    job = ImportJob.objects.select_related("requested_by").get(pk=job_id)
    try:
        summary = _apply(job)
    except _NotImported as refused:
        return _finish(job, ImportJob.Status.FAILED, error=str(refused))
    except Exception:
        logger.exception("The tracker import %s failed", job.pk)
        return _finish(job, ImportJob.Status.FAILED, error=_FAILED)
    return _finish(job, ImportJob.Status.DONE, summary=summary)


_FAILED = "Something went wrong while importing the file, so nothing was imported. Try again."


class _NotImported(Exception):
    pass


def _apply(job: ImportJob) -> str:
    try:
        with storage().open(job.upload_name, "rb") as file:
            data = file.read()
    except OSError:
        raise _NotImported("The uploaded file has expired, so nothing was imported.") from None
    if hashlib.sha256(data).hexdigest() != job.sha256:
        raise _NotImported("The uploaded file has changed, so nothing was imported.")
    try:
        plan = import_tracker(
            data,
            job.file_name,
            user=job.requested_by,
            progress=lambda step: _record_step(job, step),
            expected_fingerprint=job.plan_fingerprint,
        )
    except TrackerFileError as error:
        raise _NotImported(
            f"The register changed after the preview and the file now has "
            f"{len(error.problems)} problem(s), so nothing was imported. Upload it again."
        ) from None
    except IntegrityError:
        raise _NotImported(
            "Someone else changed the same records while the file was being imported, so "
            "nothing was imported. Upload it again."
        ) from None
    if plan is None:
        raise _NotImported(
            "The register changed after the preview, so nothing was imported. Upload the file "
            "again to see the new preview."
        )
    return plan.summary()


def _finish(job: ImportJob, status: str, *, summary: str = "", error: str = "") -> str:
    job.status = status
    job.summary = summary
    job.error = error
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "summary", "error", "finished_at"])
    for name in (job.upload_name, _progress_name(job)):
        with contextlib.suppress(OSError):
            storage().delete(name)
    return status
