"""The appendix as a standalone document: the PDF's source and the published HTML copy."""

import datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from ..choices import Status
from .build import Appendix

PRINT_TEMPLATE = "appendix/appendix_print.html"


def render_report_html(appendix: Appendix, *, generated_at: datetime.datetime | None = None) -> str:
    """The standalone report document (the PDF's source and the published HTML copy).

    It depends only on the appendix and the generated time (K unless given): no request, no CSRF
    token, no nonce, no clock, so rendering the same D and K again gives the same bytes.
    """
    return render_to_string(
        PRINT_TEMPLATE,
        {
            "appendix": appendix,
            "generated_at": timezone.localtime(generated_at or appendix.known_at),
            "stylesheet": f"{settings.STATIC_URL}css/print.css",
            "statuses": list(Status),
        },
    )
