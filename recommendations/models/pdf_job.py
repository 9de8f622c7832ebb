"""A PDF made by the worker: a download of the appendix, or an appendix being published."""

import datetime

from django.conf import settings
from django.db import models

from reviews.models import Meeting, Review

from .published_appendix import PublishedAppendix
from .worker_job import WorkerJob


class PdfJob(WorkerJob):
    """One render the worker does, and how it went, for the "Preparing the PDF" page.

    A download keeps the appendix's HTML as the request rendered it, so the worker makes exactly
    what was asked for, and the fingerprint of that content (see appendix/pdf_cache.py) names the
    file in the cache. A publish keeps the publish form's choices and, once done, the copy.
    """

    class Kind(models.TextChoices):
        DOWNLOAD = "download", "Download"
        PUBLISH = "publish", "Publish"

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting for the worker"
        RUNNING = "running", "Being made"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="pdf_jobs")
    fingerprint = models.CharField(max_length=64, blank=True, db_index=True)
    file_name = models.CharField(max_length=255, blank=True)
    html = models.TextField(blank=True)
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    as_at = models.DateField(null=True, blank=True)
    number = models.PositiveSmallIntegerField(null=True, blank=True)
    include_closed = models.BooleanField(default=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, related_name="+"
    )
    published = models.ForeignKey(
        PublishedAppendix, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.get_kind_display()} PDF {self.pk} ({self.get_status_display()})"

    # A job still unfinished after this long lost its worker (stopped, or killed mid-render): the
    # page says it failed, and the next download queues the render again.
    GIVE_UP_AFTER = datetime.timedelta(minutes=10)
