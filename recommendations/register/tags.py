"""The register table's rows, drawn in Python.

Fifty rows a page, each drawn by template nodes with a `{% url %}` and an include, took most of
the page's time after its queries (see bench/dashboard.py); built here with `format_html` they
cost a fraction of that. Every value goes through `format_html`'s escaping, and addresses come
from `reverse()`, once a page. Registered as the template library `register_tags` in the
settings (TEMPLATES' "libraries").
"""

from collections.abc import Callable, Iterable

from django import template
from django.template.defaultfilters import truncatewords
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from ..fragments import address_for, status_tag
from ..models import Recommendation

register = template.Library()

DATE = "j M Y"


@register.simple_tag
def register_rows(recommendations: Iterable[Recommendation]) -> SafeString:
    """The table's rows: one tag call for the page, not template nodes for every row. Each
    recommendation needs the flags of `with_flags()` and its review and lead organisation."""
    recommendation_url = address_for("recommendations:show_recommendation")
    review_url = address_for("recommendations:show_review")
    return format_html_join(
        "\n",
        "{}",
        (
            (row(recommendation, recommendation_url, review_url),)
            for recommendation in recommendations
        ),
    )


def _marker(words: str, modifier: str = "") -> SafeString:
    return format_html('<br><span class="app-marker{}">{}</span>', modifier, words)


# The same in every row that has them, so drawn once.
PRIORITY = format_html('<br><strong class="app-marker">{}</strong>', "Priority")
REVISED = format_html('<br><span class="govuk-body-s">{}</span>', "revised")
OVERDUE = _marker("Overdue", " app-marker--overdue")
RESPONSE_OVERDUE = _marker("Response overdue", " app-marker--overdue")


def row(
    recommendation: Recommendation,
    recommendation_url: Callable[[int], str],
    review_url: Callable[[int], str],
) -> SafeString:
    """A recommendation's row: one `format_html`, with the markers that rows share drawn once.
    Its link is the address of `get_absolute_url()`, made by `recommendation_url`."""
    target = recommendation.effective_target_date
    updated = recommendation.last_update_date
    status = recommendation.status()
    return format_html(
        '<tr class="govuk-table__row">'
        '<td class="govuk-table__cell app-nowrap"><a class="govuk-link" href="{url}">{number}'
        '<span class="govuk-visually-hidden">: {review}</span></a></td>'
        '<td class="govuk-table__cell"><a class="govuk-link" href="{review_url}">{review}</a></td>'
        '<td class="govuk-table__cell">{text}{priority}{closed}</td>'
        '<td class="govuk-table__cell">{lead}</td>'
        '<td class="govuk-table__cell app-nowrap">{target}{revised}{overdue}</td>'
        '<td class="govuk-table__cell">{status}{response_overdue}</td>'
        '<td class="govuk-table__cell app-nowrap">{updated}</td>'
        "</tr>",
        url=recommendation_url(recommendation.pk),
        number=recommendation.number,
        review=recommendation.review.title,
        review_url=review_url(recommendation.review_id),
        text=truncatewords(recommendation.text, 40),
        priority=PRIORITY if recommendation.is_priority else "",
        closed=_marker(f"Closed: {recommendation.get_closure_display().lower()}")
        if recommendation.is_closed
        else "",
        lead=recommendation.lead_organisation or "Not set",
        target=date_format(target, DATE) if target else "None",
        revised=REVISED if target and recommendation.revised_target_date else "",
        overdue=OVERDUE if recommendation.is_overdue else "",
        status=status_tag(status),
        response_overdue=RESPONSE_OVERDUE if recommendation.is_response_overdue else "",
        updated=date_format(updated, DATE) if updated else "None yet",
    )
