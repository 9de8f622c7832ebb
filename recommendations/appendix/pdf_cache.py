"""PDFs of the appendix off the request: cached by the fingerprint of their content, made by the worker.

The fingerprint is the SHA-256 of the appendix's HTML with its "Generated" line fixed, plus the
versions that make the PDF: any change to what the appendix shows (a new update, an edit, another
as-at date) gives another fingerprint, so a cached PDF is served only for identical content. The
HTML the PDF is made from carries the time it was asked for, as the synchronous download did.
"""

import datetime
import hashlib
import logging
import os

from django.core.files.base import ContentFile
from django.core.files.storage import storages

from ..models import PdfJob
from .build import Appendix
from .pdf import generator_version
from .render import render_report_html

logger = logging.getLogger(__name__)

# The "Generated" time in the HTML that is fingerprinted: any fixed moment, so the clock is left out.
FINGERPRINT_TIME = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


def cache_storage():
    return storages["pdf_cache"]


def fingerprint(appendix: Appendix) -> str:
    """What the PDF of `appendix` would show, as a SHA-256 (the clock left out)."""
    html = render_report_html(appendix, generated_at=FINGERPRINT_TIME)
    digest = hashlib.sha256(generator_version().encode())
    digest.update(b"\0")
    digest.update(html.encode())
    return digest.hexdigest()


def cache_name(fingerprint: str) -> str:
    return f"{fingerprint}.pdf"


def cached_pdf(fingerprint: str) -> bytes | None:
    """The PDF made for exactly this content, if one is in the cache."""
    storage = cache_storage()
    name = cache_name(fingerprint)
    # Only a finished job's file: a file still being written is never served half-made.
    if not PdfJob.objects.filter(
        kind=PdfJob.Kind.DOWNLOAD, fingerprint=fingerprint, status=PdfJob.Status.READY
    ).exists():
        return None
    try:
        with storage.open(name, "rb") as file:
            return file.read()
    except FileNotFoundError:
        return None


def store(job: PdfJob, pdf: bytes) -> None:
    """Keep the finished PDF under its fingerprint (a file already there is the same content)."""
    storage = cache_storage()
    name = cache_name(job.fingerprint)
    if not storage.exists(name):
        saved = storage.save(f"{job.fingerprint}.{job.pk}.part", ContentFile(pdf))
        # A rename is atomic on one file system, so a reader never sees part of a file.
        try:
            os.replace(storage.path(saved), storage.path(name))
        except NotImplementedError:  # a storage without local paths: save under the name itself
            storage.delete(saved)
            storage.save(name, ContentFile(pdf))
