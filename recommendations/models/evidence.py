"""Evidence files on a progress update (a report, minutes, a photo): append-only with it.

Recognised by their content (magic bytes, through `filetype`), never by their name or the
browser's content type; kept in Django's default file storage (a private folder, or any
django-storages backend), and downloaded only through a view that checks the reader may see the
update (docs/domain.md, "Evidence")."""

import contextlib
import unicodedata
import uuid

import filetype
from django.core.exceptions import ValidationError
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from .append_only import AppendOnlyModel, AppendOnlyQuerySet
from .progress_update import ProgressUpdate

MAX_EVIDENCE_FILES = 5
MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
NAME_MAX = 200

# The kinds an update's evidence may be, by what their content shows: the label says them plainly.
EVIDENCE_KINDS = {
    "application/pdf": "PDF",
    "application/msword": "Word",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word",
    "application/vnd.ms-excel": "Excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel",
    "application/vnd.oasis.opendocument.text": "ODF text",
    "application/vnd.oasis.opendocument.spreadsheet": "ODF spreadsheet",
    "application/vnd.oasis.opendocument.presentation": "ODF presentation",
    "image/png": "PNG",
    "image/jpeg": "JPEG",
}
KINDS_TEXT = "PDF, Word, Excel, ODF (OpenDocument), PNG or JPEG"


def check_name(name: str) -> str:
    """The file's name as given, or ValidationError: no folders, no control characters."""
    if not name or not name.strip():
        raise ValidationError("The file has no name: give it one and upload it again.")
    if "/" in name or "\\" in name or name.strip() in {".", ".."} or ".." in name.split("/"):
        raise ValidationError(f"“{name}”: a file name cannot contain a folder path (/, \\ or ..).")
    if any(unicodedata.category(char) in {"Cc", "Cf"} for char in name):
        raise ValidationError(
            f"“{name.encode('unicode_escape').decode()}”: a file name cannot contain control "
            "characters."
        )
    if len(name) > NAME_MAX:
        raise ValidationError(f"“{name[:40]}…”: a file name can be at most {NAME_MAX} characters.")
    return name.strip()


def check_content(uploaded) -> str:
    """The content type the file's bytes show, or ValidationError when it is none of the kinds
    allowed (whatever its name says) or too big."""
    if uploaded.size > MAX_EVIDENCE_BYTES:
        raise ValidationError(
            f"“{uploaded.name}” is {filesizeformat(uploaded.size)}: each file must be at most "
            f"{filesizeformat(MAX_EVIDENCE_BYTES)}."
        )
    if uploaded.size == 0:
        raise ValidationError(f"“{uploaded.name}” is empty.")
    uploaded.seek(0)
    head = uploaded.read(8192)
    uploaded.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in EVIDENCE_KINDS:
        raise ValidationError(
            f"“{uploaded.name}” is not a {KINDS_TEXT} file (its content shows what it is, "
            "whatever its name says)."
        )
    return kind.mime


def evidence_path(instance, filename: str) -> str:
    """Where a file is stored: a random name, never the name it was uploaded with."""
    return f"evidence/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class Evidence(AppendOnlyModel):
    append_only_message = "Evidence cannot be changed or deleted; add a new update instead."

    update = models.ForeignKey(ProgressUpdate, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(upload_to=evidence_path, max_length=200)
    name = models.CharField(max_length=NAME_MAX)
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=100)
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name_plural = "evidence"

    def __str__(self) -> str:
        return self.name


def add_evidence(update: ProgressUpdate, uploaded, content_type: str, stored=None) -> Evidence:
    """Store one checked file (see check_name, check_content) as evidence on `update`; its file
    joins the list `stored` (from keep_files_only_on_commit) as soon as it is in storage."""
    evidence = Evidence(
        update=update, name=uploaded.name, size=uploaded.size, content_type=content_type
    )
    evidence.file.save(uploaded.name, uploaded, save=False)
    if stored is not None:
        stored.append(evidence)
    evidence.save()
    return evidence


@contextlib.contextmanager
def keep_files_only_on_commit():
    """Yield a list for the Evidence stored inside a transaction; if the block fails, their files
    are taken out of storage again, so nothing is left behind for an update never saved."""
    stored: list[Evidence] = []
    try:
        yield stored
    except BaseException:
        for evidence in stored:
            evidence.file.storage.delete(evidence.file.name)
        raise
