"""Fragments of HTML that several pages draw for many rows, written in Python.

Through template nodes (an include for the status tag, another for the markers, a `{% url %}`
each) a table of a hundred rows cost tens of milliseconds; with `format_html` it costs a few. Each
fragment says exactly what its shared include says (`includes/_status_tag.html`,
`pages/_markers.html`): tests compare them. Every value goes through `format_html`'s escaping.
"""

from collections.abc import Callable

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

# Fixed markup, nothing interpolated.
OVERDUE = SafeString('<span class="app-marker app-marker--overdue">Overdue</span>')
STALE = SafeString('<span class="app-marker app-marker--stale">Stale</span>')
# A stand-in id, to find where an id goes in an address.
_MARKER = "999999937"


def address_for(view_name: str) -> Callable[[int], str]:
    """The address of `view_name` for any id, from a single reverse(): a row's links then cost a
    string join each rather than a reverse() each. Make it for each page, so that the address
    follows the request's script prefix."""
    before, after = reverse(view_name, args=[_MARKER]).split(_MARKER)
    return lambda pk: f"{before}{pk}{after}"


def status_tag(status) -> SafeString:
    """As includes/_status_tag.html."""
    return format_html(
        '<strong class="govuk-tag govuk-tag--{}">{}</strong>', status.tag_colour, status.label
    )


def markers(recommendation) -> SafeString:
    """As pages/_markers.html: closed, overdue and stale in words (the flags of `with_flags`)."""
    parts = []
    if recommendation.is_closed:
        parts.append(
            format_html(
                '<span class="app-marker">Closed: {}</span>',
                recommendation.get_closure_display().lower(),
            )
        )
    if recommendation.is_overdue:
        parts.append(OVERDUE)
    if recommendation.is_stale:
        parts.append(STALE)
    return format_html_join("\n", "{}", ((part,) for part in parts))
