"""The rows of a review's table of recommendations, drawn in Python.

A review can hold a hundred recommendations or more; drawn by template nodes (two includes and a
link each) its table was most of the page's time under load (bench/load.py). Built here with the
shared fragments (`recommendations/fragments.py`) it costs a few milliseconds. Registered as the
template library `review_tags` in the settings (TEMPLATES' "libraries").
"""

from collections.abc import Callable, Iterable

from django import template
from django.template.defaultfilters import truncatewords
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from ..fragments import address_for, markers, status_tag
from ..models import Recommendation

register = template.Library()

DATE = "j M Y"
PRIORITY = SafeString('<br><strong class="govuk-tag govuk-tag--orange">Priority</strong>')


@register.simple_tag
def review_rows(recommendations: Iterable[Recommendation]) -> SafeString:
    """The table rows of a review's recommendations (each with `with_flags(today)`'s flags and
    its lead organisation): one tag call for the table."""
    recommendation_url = address_for("recommendations:show_recommendation")
    return format_html_join(
        "\n",
        "{}",
        ((row(recommendation, recommendation_url),) for recommendation in recommendations),
    )


def _date(value, default: str) -> str:
    return date_format(value, DATE) if value else default


def row(recommendation: Recommendation, recommendation_url: Callable[[int], str]) -> SafeString:
    """As the table's rows were drawn in templates/pages/show_review.html."""
    if recommendation.revised_target_date:
        target = format_html(
            '{}<br><span class="govuk-body-s">revised from {}</span>',
            _date(recommendation.revised_target_date, ""),
            _date(recommendation.target_date, "none"),
        )
    else:
        target = _date(recommendation.target_date, "None")
    return format_html(
        '<tr class="govuk-table__row">\n'
        '  <td class="govuk-table__cell">{number}</td>\n'
        '  <td class="govuk-table__cell">\n'
        '    <a class="govuk-link" href="{url}"><span class="govuk-visually-hidden">'
        "Recommendation {number}: </span>{text}</a>{priority}\n"
        "  </td>\n"
        '  <td class="govuk-table__cell">{lead}</td>\n'
        '  <td class="govuk-table__cell app-nowrap">{target}</td>\n'
        '  <td class="govuk-table__cell">\n'
        "    {status}\n"
        '    <div class="app-markers">{markers}</div>\n'
        "  </td>\n"
        '  <td class="govuk-table__cell app-nowrap">{updated}</td>\n'
        "</tr>",
        number=recommendation.number,
        url=recommendation_url(recommendation.pk),
        text=truncatewords(recommendation.text, 30),
        priority=PRIORITY if recommendation.is_priority else "",
        lead=recommendation.lead_organisation or "Not set",
        target=target,
        status=status_tag(recommendation.status()),
        markers=markers(recommendation),
        updated=_date(recommendation.last_update_date, "None yet"),
    )
