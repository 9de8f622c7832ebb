"""Publishing an appendix to a meeting: a frozen copy that building it again reproduces."""

import datetime

from django.db import transaction
from django.utils import timezone

from reviews.models import Meeting, Review

from ..models import PublishedAppendix
from .build import DEFAULT_NUMBER, Appendix, build_appendix
from .pdf import generator_version, html_to_pdf, sha256
from .render import render_report_html

# What full_clean leaves out before publishing: made from the built appendix, or set by the caller.
_FILLED_IN_BELOW = [
    "html",
    "pdf",
    "pdf_sha256",
    "generator_version",
    "published_by",
    "review",
    "meeting",
]


def appendix_for_published(published: PublishedAppendix) -> Appendix:
    """Build the appendix again for a published copy's D, K, meeting, number and options."""
    return build_appendix(
        published.review,
        published.as_at,
        known_at=published.known_at,
        meeting=published.meeting,
        number=published.number,
        include_closed=published.include_closed,
    )


def publish_appendix(
    review: Review,
    *,
    meeting: Meeting,
    as_at: datetime.date,
    number: int = DEFAULT_NUMBER,
    include_closed: bool = False,
    user,
) -> PublishedAppendix:
    """Freeze the appendix as known now and store it for `meeting`: HTML, PDF and its SHA-256.

    K is the moment of publishing, which the copy also shows as when it was generated. Raises
    ValidationError, before building anything, for an as-at date the model refuses (in the
    future, or outside the product's range).
    """
    if meeting.committee_id != review.committee_id:
        raise ValueError("The meeting is not a meeting of the review's committee.")
    published_at = timezone.now()
    PublishedAppendix(
        review=review, meeting=meeting, as_at=as_at, known_at=published_at, number=number
    ).full_clean(exclude=_FILLED_IN_BELOW, validate_unique=False, validate_constraints=False)
    appendix = build_appendix(
        review,
        as_at,
        known_at=published_at,
        meeting=meeting,
        number=number,
        include_closed=include_closed,
    )
    html = render_report_html(appendix)
    pdf = html_to_pdf(html)
    with transaction.atomic():
        return PublishedAppendix.objects.create(
            review=review,
            meeting=meeting,
            as_at=as_at,
            known_at=published_at,
            number=number,
            include_closed=include_closed,
            html=html,
            pdf=pdf,
            pdf_sha256=sha256(pdf),
            generator_version=generator_version(),
            published_by=user,
            published_at=published_at,
        )
