"""The rows of an officer's "My recommendations", drawn in Python.

Each row drew three template includes (the status tag, the overdue and stale markers, and the
officer's own update awaiting check or returned); as template nodes a page of rows cost most of
the page's time (see bench/my_recommendations.py), built here with `format_html` they cost
microseconds. The fragments say exactly what the shared includes say (`includes/_status_tag.html`,
`pages/_markers.html`, `pages/_update_state.html`); a test compares them. Every value goes
through `format_html`'s escaping, and addresses come from `reverse()`, so the site works under any
URL prefix. Registered as the template library `my_recommendations_tags` in the settings
(TEMPLATES' "libraries").
"""

from django import template
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.timezone import localtime

from ..fragments import address_for, markers, status_tag

register = template.Library()

# As the template filter `truncatewords:20` did.
TEXT_WORDS = 20
# Fixed markup, nothing interpolated.
SUBMITTED = SafeString(
    '<strong class="govuk-tag govuk-tag--yellow">Submitted, awaiting check</strong>'
)


def _date(value, format: str, default: str) -> str:
    return date_format(value, format) if value else default


def update_state(update) -> SafeString:
    """As pages/_update_state.html: an update submitted and awaiting check, or returned."""
    parts = []
    if update.revised_target_date:
        parts.append(
            format_html(
                '<p class="govuk-body-s">Revised target date proposed: {}. Reason: {}</p>',
                date_format(update.revised_target_date, "j F Y"),
                update.revision_reason,
            )
        )
    state = update.state
    if state == "submitted":
        parts.append(SUBMITTED)
    elif state == "returned":
        decision = update.decision
        parts.append(
            format_html(
                '<strong class="govuk-tag govuk-tag--orange">Returned</strong>\n'
                '<p class="govuk-body-s">Returned by {} on {}: '
                '<span class="app-pre-wrap">{}</span></p>',
                decision.decided_by,
                date_format(localtime(decision.decided_at), "j F Y"),
                decision.comment,
            )
        )
    return format_html_join("\n", "{}", ((part,) for part in parts))


def row(recommendation, show_url, add_update_url) -> SafeString:
    """One recommendation's row: its review, number, text (linked), target date, status with
    markers, last update (with the officer's own update not yet counted), and "Add update"."""
    number, title = recommendation.number, recommendation.review.title
    own = recommendation.own_pending
    return format_html(
        '<tr class="govuk-table__row">'
        '<td class="govuk-table__cell">{}</td>'
        '<td class="govuk-table__cell">{}</td>'
        '<td class="govuk-table__cell"><a class="govuk-link" href="{}">'
        '<span class="govuk-visually-hidden">Recommendation {}: </span>{}</a></td>'
        '<td class="govuk-table__cell app-nowrap">{}</td>'
        '<td class="govuk-table__cell">{}<div class="app-markers">{}</div></td>'
        '<td class="govuk-table__cell app-nowrap">{}{}</td>'
        '<td class="govuk-table__cell"><a class="govuk-link" href="{}">Add update'
        '<span class="govuk-visually-hidden"> to recommendation {} of {}</span></a></td>'
        "</tr>",
        title,
        number,
        show_url(recommendation.pk),
        number,
        Truncator(recommendation.text).words(TEXT_WORDS, truncate=" …"),
        _date(recommendation.effective_target_date, "j M Y", "None"),
        status_tag(recommendation.status()),
        markers(recommendation),
        _date(recommendation.last_update_date, "j M Y", "None yet"),
        format_html('<div class="app-own-update">{}</div>', update_state(own)) if own else "",
        add_update_url(recommendation.pk),
        number,
        title,
    )


@register.simple_tag
def my_recommendation_rows(recommendations) -> SafeString:
    """The table rows of a page of "My recommendations" (each with `with_flags(today)`'s flags
    and `own_pending`): one tag call for the lot, not one per row."""
    show_url = address_for("recommendations:show_recommendation")
    add_update_url = address_for("recommendations:add_progress_update")
    return format_html_join(
        "\n",
        "{}",
        ((row(recommendation, show_url, add_update_url),) for recommendation in recommendations),
    )
