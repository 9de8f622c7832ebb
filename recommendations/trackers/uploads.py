"""Uploaded tracker files waiting between preview and confirm.

A file waits in the "tracker_uploads" storage (settings.STORAGES: a folder shared between app
servers, or any Django storage backend) under a random token that only the uploader's session
knows, with its SHA-256 in the session; loading it checks both, so no data travels in the form.
"""

import datetime
import hashlib
import secrets

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.utils import timezone

SESSION_KEY = "tracker_imports"
KEEP_UPLOADS_FOR = datetime.timedelta(hours=12)
MAX_PENDING_PER_SESSION = 5
SUFFIX = ".upload"


def storage() -> Storage:
    return storages["tracker_uploads"]


def file_name_of(token: str) -> str:
    """The name of the kept file of `token` in the storage."""
    return f"{token}{SUFFIX}"


def keep_upload(request, name: str, data: bytes) -> str:
    """Keep `data` for this session; returns the token to preview and confirm it by."""
    kept = storage()
    _sweep_old_uploads(kept)
    token = secrets.token_urlsafe(24)
    kept.save(file_name_of(token), ContentFile(data))
    pending = request.session.get(SESSION_KEY, {})
    pending[token] = {
        "name": name,
        "sha256": hashlib.sha256(data).hexdigest(),
        "uploaded": timezone.now().isoformat(),
    }
    # The oldest pending uploads of this session give way to newer ones.
    for old in sorted(pending, key=lambda t: pending[t]["uploaded"])[:-MAX_PENDING_PER_SESSION]:
        forget_upload(request, old, pending)
    request.session[SESSION_KEY] = pending
    return token


def load_upload(request, token: str) -> tuple[str, bytes] | None:
    """The kept file for `token`, if this session uploaded it and it is unchanged; else None."""
    entry = request.session.get(SESSION_KEY, {}).get(token)
    kept = storage()
    if entry is None or not kept.exists(file_name_of(token)):
        return None
    try:
        with kept.open(file_name_of(token), "rb") as file:
            data = file.read()
    except OSError:  # swept away by another worker meanwhile
        return None
    if not secrets.compare_digest(hashlib.sha256(data).hexdigest(), entry["sha256"]):
        return None
    return entry["name"], data


def forget_upload(request, token: str, pending: dict | None = None) -> None:
    pending = request.session.get(SESSION_KEY, {}) if pending is None else pending
    pending.pop(token, None)
    request.session[SESSION_KEY] = pending
    storage().delete(file_name_of(token))


def hand_over_upload(request, token: str) -> None:
    """Take the upload out of this session, keeping its file for the worker to import."""
    pending = request.session.get(SESSION_KEY, {})
    pending.pop(token, None)
    request.session[SESSION_KEY] = pending


def _sweep_old_uploads(kept: Storage) -> None:
    """Delete the kept files of every session that are older than KEEP_UPLOADS_FOR."""
    cutoff = timezone.now() - KEEP_UPLOADS_FOR
    try:
        _folders, names = kept.listdir("")
    except OSError:
        return  # nothing kept yet: the folder is made by the first save
    for name in names:
        if not name.endswith(SUFFIX):
            continue
        try:
            if kept.get_modified_time(name) < cutoff:
                kept.delete(name)
        except OSError:
            pass  # another worker got there first
