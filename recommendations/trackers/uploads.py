"""Uploaded tracker files waiting between preview and confirm.

A file waits in a private folder under a random token that only the uploader's session knows, with
its SHA-256; loading it checks both, so no data travels in the form.
"""

import datetime
import hashlib
import secrets
import tempfile
from pathlib import Path

from django.conf import settings
from django.utils import timezone

SESSION_KEY = "tracker_imports"
KEEP_UPLOADS_FOR = datetime.timedelta(hours=12)
MAX_PENDING_PER_SESSION = 5


def _upload_dir() -> Path:
    folder = Path(
        settings.TRACKER_UPLOAD_DIR or Path(tempfile.gettempdir()) / "scrutiny-tracker-uploads"
    )
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def _sweep_old_uploads(folder: Path) -> None:
    cutoff = (timezone.now() - KEEP_UPLOADS_FOR).timestamp()
    for path in folder.glob("*.upload"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            pass  # another worker got there first


def keep_upload(request, name: str, data: bytes) -> str:
    """Keep `data` for this session; returns the token to preview and confirm it by."""
    folder = _upload_dir()
    _sweep_old_uploads(folder)
    token = secrets.token_urlsafe(24)
    (folder / f"{token}.upload").write_bytes(data)
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
    if entry is None:
        return None
    try:
        data = (_upload_dir() / f"{token}.upload").read_bytes()
    except OSError:
        return None
    if not secrets.compare_digest(hashlib.sha256(data).hexdigest(), entry["sha256"]):
        return None
    return entry["name"], data


def forget_upload(request, token: str, pending: dict | None = None) -> None:
    pending = request.session.get(SESSION_KEY, {}) if pending is None else pending
    pending.pop(token, None)
    request.session[SESSION_KEY] = pending
    (_upload_dir() / f"{token}.upload").unlink(missing_ok=True)
