"""What the worker's jobs have in common: the large import (import_job.py) and the PDF
(pdf_job.py)."""

import datetime

from django.db import models
from django.utils import timezone


class WorkerJob(models.Model):
    """A piece of work queued for the worker, for a page that shows how it goes: when it was
    asked for and finished, why it failed, and whether it is still in progress.

    A subclass has a `status` with `Status.QUEUED` and `Status.RUNNING` among its choices, and
    sets `GIVE_UP_AFTER`: a job still unfinished after that long lost its worker.
    """

    GIVE_UP_AFTER: datetime.timedelta

    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    @property
    def in_progress(self) -> bool:
        return (
            self.status in {self.Status.QUEUED, self.Status.RUNNING}
            and self.created_at > timezone.now() - self.GIVE_UP_AFTER
        )
