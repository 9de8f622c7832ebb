"""HTML to a tagged PDF (PDF/UA-1) with WeasyPrint, without touching the network.

The report's HTML names its stylesheet by its /static/ URL; the URL fetcher here reads such files
from disk through the staticfiles finders (or the collected files) and refuses everything else, so
a render never makes a request and user text cannot make it fetch anything.
"""

import hashlib
import logging
import mimetypes
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders

logger = logging.getLogger(__name__)
# WeasyPrint logs every step of every render (and of its own start-up) at INFO; only its
# warnings are worth keeping. Set before it is imported.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

import weasyprint  # noqa: E402
from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: E402

# Any absolute URL under this origin is resolved against the static files; nothing else is fetched.
BASE_URL = "https://appendix.invalid/"
PDF_VARIANT = "pdf/ua-1"


class FetchRefused(ValueError):
    """The report asked for something other than a static file."""


def static_file_path(url: str) -> Path | None:
    """The file on disk for a /static/ URL of ours, or None."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or parts.netloc != urlsplit(BASE_URL).netloc:
        return None
    static_url = urlsplit(settings.STATIC_URL).path
    path = unquote(parts.path)
    if not path.startswith(static_url):
        return None
    relative = path[len(static_url) :]
    if not relative or ".." in Path(relative).parts:
        return None
    found = finders.find(relative)
    if found:
        return Path(found)
    if settings.STATIC_ROOT:
        collected = Path(settings.STATIC_ROOT, relative).resolve()
        if collected.is_file() and collected.is_relative_to(Path(settings.STATIC_ROOT).resolve()):
            return collected
    return None


class StaticFilesFetcher(URLFetcher):
    """WeasyPrint's fetcher: our static files from disk, everything else refused."""

    def fetch(self, url, headers=None):
        path = static_file_path(url)
        if path is None:
            logger.warning("Refused to fetch %s while rendering a PDF", url[:200])
            raise FetchRefused(f"Only static files can be used in a report, not {url[:200]!r}")
        mime_type, _ = mimetypes.guess_type(path.name)
        return URLFetcherResponse(
            url, path.read_bytes(), {"Content-Type": mime_type or "application/octet-stream"}
        )


def html_to_pdf(html: str) -> bytes:
    """A tagged PDF/UA-1 document from the report's HTML (title and language from the HTML)."""
    document = weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesFetcher())
    return document.write_pdf(pdf_variant=PDF_VARIANT)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def generator_version() -> str:
    """What made a published copy: this application's version and WeasyPrint's."""
    try:
        ours = package_version("scrutiny-tracker")
    except PackageNotFoundError:
        ours = "unknown"
    return f"scrutiny-tracker {ours}; WeasyPrint {weasyprint.__version__}; {PDF_VARIANT}"
