"""HTML to a tagged PDF (PDF/UA-1) with WeasyPrint, without touching the network.

WeasyPrint lays the report out and writes the tagged PDF; pdf_tags.py then mends the two gaps in
its table tags (header scopes, one table across pages) on the finished file.

The report's HTML names its stylesheet by its /static/ URL; the URL fetcher here reads such files
from disk through the staticfiles finders (or the collected files) and refuses everything else, so
a render never makes a request and user text cannot make it fetch anything.
"""

import gc
import hashlib
import logging
import mimetypes
import threading
from contextlib import contextmanager
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pikepdf
import pydyf
import weasyprint
from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .pdf_tags import mend_table_tags, table_layout

# WeasyPrint's INFO lines (every step of every render) are turned down in the settings' LOGGING.
logger = logging.getLogger(__name__)

# Any absolute URL under this origin is resolved against the static files; nothing else is fetched.
BASE_URL = "https://appendix.invalid/"
PDF_VARIANT = "pdf/ua-1"


def _cached_page_references(pdf) -> tuple[bytes, ...]:
    """pydyf's `PDF.page_references`, built once per page count instead of on every use.

    pydyf 0.13 builds the tuple of every page's reference each time it is read, and WeasyPrint's
    PDF/UA tagging reads it once per structure element, so tagging cost pages x elements: the
    render grew faster than the rows (0.4 s of a 100-page appendix). Pages are only ever added,
    so the count says whether the cached tuple is still whole.
    """
    kids = pdf.pages["Kids"]
    cached = pdf.__dict__.get("_page_references")
    if cached is None or cached[0] != len(kids):
        cached = (len(kids), tuple(f"{number} 0 R".encode("ascii") for number in kids[::3]))
        pdf.__dict__["_page_references"] = cached
    return cached[1]


# Only where pydyf has the property this replaces (pyproject bounds pydyf to the versions checked).
PYDYF_PAGE_REFERENCES = getattr(pydyf.PDF, "page_references", None)
if isinstance(PYDYF_PAGE_REFERENCES, property):
    pydyf.PDF.page_references = property(_cached_page_references)


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


_gc_lock = threading.Lock()
_gc_pauses = 0
_gc_was_enabled = False


@contextmanager
def cyclic_gc_paused():
    """Hold off Python's cyclic garbage collector while WeasyPrint renders, then collect once.

    A long report makes millions of short-lived objects (boxes, styles, PDF objects); the
    collector keeps running over all of them as they pile up, which took a quarter of the render
    time. Reference counting still frees almost everything as it goes, so memory hardly grows; the
    cycles left are collected when the render ends. Overlapping renders in other threads keep it
    paused until the last one finishes, and it is only turned back on if it was on before.
    """
    global _gc_pauses, _gc_was_enabled
    with _gc_lock:
        if _gc_pauses == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pauses += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pauses -= 1
            last = _gc_pauses == 0
            if last and _gc_was_enabled:
                gc.enable()
        if last:
            gc.collect()


def html_to_pdf(html: str, *, mend_tags: bool = True) -> bytes:
    """A tagged PDF/UA-1 document from the report's HTML (title and language from the HTML).

    The same HTML always gives the same bytes. `mend_tags=False` gives WeasyPrint's PDF as it
    writes it, for the benchmark and for the test that watches for WeasyPrint closing the gap.
    """
    with cyclic_gc_paused():
        source = weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesFetcher())
        document = source.render(pdf_variant=PDF_VARIANT)
        pdf = document.write_pdf(pdf_variant=PDF_VARIANT)
        if not mend_tags:
            return pdf
        return mend_table_tags(pdf, table_layout(document))


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def generator_version() -> str:
    """What made a published copy: this application's version, WeasyPrint's and pikepdf's.

    pikepdf (qpdf) writes the final file after the table tags are mended, so its version decides
    the bytes as much as WeasyPrint's does.
    """
    try:
        ours = package_version("scrutiny-tracker")
    except PackageNotFoundError:
        ours = "unknown"
    return (
        f"scrutiny-tracker {ours}; WeasyPrint {weasyprint.__version__}; "
        f"pikepdf {pikepdf.__version__}; {PDF_VARIANT}"
    )
