"""Does what is stored still agree with itself? Run by `manage.py check_integrity`, after a
restore or whenever in doubt.

- Every published appendix: its stored PDF still has the SHA-256 recorded when it was published,
  and building it again for its D and K gives the same HTML and the same PDF, byte for byte.
- Every recommendation: its stored current status, last update date and the time its latest
  accepted update was recorded are those its accepted updates give.

Each function yields one sentence per difference, naming the record; nothing is changed.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.formats import date_format

from .appendix.pdf import generator_version, html_to_pdf, sha256
from .appendix.publish import appendix_for_published
from .appendix.render import render_report_html
from .choices import Status
from .models import PublishedAppendix, Recommendation


@dataclass
class IntegrityReport:
    appendices: int = 0
    recommendations: int = 0
    differences: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.differences


def _name_appendix(published: PublishedAppendix) -> str:
    return (
        f"Published appendix {published.pk} ({published}, for the meeting of "
        f"{date_format(published.meeting.date)})"
    )


def published_appendix_differences(
    published: PublishedAppendix, *, render: bool = True
) -> Iterator[str]:
    name = _name_appendix(published)
    stored_pdf = bytes(published.pdf)
    if sha256(stored_pdf) != published.pdf_sha256:
        yield f"{name}: the stored PDF does not match its SHA-256 {published.pdf_sha256}"
    if not render:
        return
    html = render_report_html(appendix_for_published(published))
    if html != published.html:
        yield f"{name}: building it again for its D and K gives different HTML from the stored copy"
    rendered_sha256 = sha256(html_to_pdf(html))
    if rendered_sha256 != published.pdf_sha256:
        made_by = ""
        if published.generator_version != generator_version():
            made_by = f" (published by {published.generator_version}; now {generator_version()})"
        yield (
            f"{name}: rendering it again for its D and K gives a different PDF "
            f"(SHA-256 {rendered_sha256}, recorded {published.pdf_sha256}){made_by}"
        )


def current_status_differences() -> Iterator[str]:
    rows = (
        Recommendation.objects.with_derived_status()
        .select_related("review")
        .order_by("review__title", "sort_key", "pk")
    )
    for recommendation in rows.iterator(chunk_size=1000):
        name = (
            f"Recommendation {recommendation.number} of {recommendation.review} "
            f"(id {recommendation.pk})"
        )
        if recommendation.current_status != recommendation.derived_status:
            yield (
                f"{name}: the stored current status is {_status(recommendation.current_status)}, "
                f"its updates give {_status(recommendation.derived_status)}"
            )
        if recommendation.last_update_date != recommendation.derived_last_update_date:
            yield (
                f"{name}: the stored last update date is "
                f"{_day(recommendation.last_update_date)}, its updates give "
                f"{_day(recommendation.derived_last_update_date)}"
            )
        if recommendation.last_recorded_at != recommendation.derived_last_recorded_at:
            yield (
                f"{name}: the stored time its latest accepted update was recorded is "
                f"{_moment(recommendation.last_recorded_at)}, its updates give "
                f"{_moment(recommendation.derived_last_recorded_at)}"
            )


def _status(code: str) -> str:
    try:
        return f"'{Status(code).label}'"
    except ValueError:
        return repr(code)


def _day(day) -> str:
    return date_format(day) if day else "none"


def _moment(moment) -> str:
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT") if moment else "none"


def check_integrity(*, render: bool = True) -> IntegrityReport:
    report = IntegrityReport()
    for published in PublishedAppendix.objects.select_related("review", "meeting").order_by("pk"):
        report.appendices += 1
        report.differences.extend(published_appendix_differences(published, render=render))
    report.differences.extend(current_status_differences())
    report.recommendations = Recommendation.objects.count()
    return report
