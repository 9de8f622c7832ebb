"""A large uploaded tracker file being applied by the worker."""

import datetime

from django.conf import settings
from django.db import models

from .worker_job import WorkerJob


class ImportJob(WorkerJob):
    """A confirmed upload of more than TRACKER_BACKGROUND_ROWS rows, applied by the worker.

    The file stays in the "tracker_uploads" storage under `upload_name` until the worker has
    applied it; `plan_fingerprint` is the preview the clerk confirmed, so a register that changed
    meanwhile imports nothing. The step under way is kept beside the file (see
    trackers/background.py), since the import's own transaction hides it from other connections.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting for the worker"
        RUNNING = "running", "Being imported"
        DONE = "done", "Imported"
        FAILED = "failed", "Nothing imported"

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    file_name = models.CharField(max_length=255)
    upload_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    plan_fingerprint = models.CharField(max_length=64)
    rows = models.PositiveIntegerField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    summary = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Import of {self.file_name} ({self.get_status_display()})"

    # An import still unfinished after this long lost its worker; its transaction wrote nothing.
    GIVE_UP_AFTER = datetime.timedelta(minutes=30)
