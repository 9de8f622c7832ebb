"""The dashboard's repeated fragment: one review with its bar of statuses.

It is drawn for every review (a few hundred on a large council's dashboard), and as template
nodes it cost several times the whole page budget (see bench/dashboard.py); built here with plain
string formatting it costs microseconds. Text from the database goes through `html.escape`;
everything else is numbers and the fixed words of `choices.py`.
"""

import datetime
import functools
from html import escape

from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe

from reviews.models import Review, WorkProgrammeItem

register = template.Library()


@functools.cache
def register_path() -> str:
    return reverse("recommendations:show_register")


def long_date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def status_bar(summary) -> str:
    """Segments as wide as their share, each with its count written on it, and a key in words
    beneath (no meaning by colour alone); both hidden from screen readers, who get the table."""
    segments = "".join(
        f'<span class="app-bar__segment govuk-tag--{s.status.tag_colour} app-w-{s.width}">'
        f"{s.count}</span>"
        for s in summary.segments
    )
    key = "".join(
        f'<span class="app-bar-key__item"><span class="app-bar-key__swatch '
        f'govuk-tag--{s.status.tag_colour}"></span>{s.count} {s.status.label.lower()}</span>'
        for s in summary.segments
    )
    return (
        f'<div class="app-bar" aria-hidden="true">{segments}</div>'
        f'<p class="govuk-body-s app-bar-key" aria-hidden="true">{key}</p>'
    )


@register.simple_tag
def review_items(committee) -> str:
    """The list items of a committee's reviews: one tag call for the lot, not one per review."""
    return mark_safe("".join(review_item(summary) for summary in committee.reviews))


@register.simple_tag
def status_rows(committee) -> str:
    """The rows of a committee's screen-reader table."""
    return mark_safe("".join(status_row(summary) for summary in committee.reviews))


@register.simple_tag
def work_programme_item(item) -> str:
    """An item on a coming meeting's work programme; for a progress report on a review, how many
    of the review's open recommendations have had no update since the last one (see
    `dashboard.coming_up`)."""
    title = escape(item.title)
    if item.review_id is None:
        return mark_safe(f"<li>{title}</li>")
    line = f'<a class="govuk-link" href="/reviews/{item.review_id}/">{title}</a>'
    if item.kind == WorkProgrammeItem.Kind.PROGRESS_REPORT:
        recommendations = "recommendation" if item.open_count == 1 else "recommendations"
        have = "has" if item.not_updated == 1 else "have"
        if item.last_report:
            since = f"since the last report on {long_date(item.last_report)}."
        else:
            since = "yet; there has been no earlier progress report."
        line += (
            f'<br><span class="govuk-body-s">{item.not_updated} of {item.open_count} open '
            f"{recommendations} {have} had no update {since}</span>"
        )
    # Database text is escaped above; the rest is numbers, dates and fixed words.
    return mark_safe(f"<li>{line}</li>")


def review_item(summary) -> str:
    review = summary.review
    title = escape(review.title)
    about = f"{escape(review.municipal_year)}, " if review.municipal_year else ""
    about += f"{review.get_status_display().lower()}."
    if summary.total:
        register_url = f"{register_path()}?review={review.pk}"
        plural = "" if summary.total == 1 else "s"
        about += (
            f' <a class="govuk-link" href="{register_url}">{summary.total} recommendation{plural}'
            f'<span class="govuk-visually-hidden"> of {title}</span> in the register</a>'
        )
        bar = status_bar(summary)
    else:
        about += " No recommendations yet."
        bar = ""
    response = ""
    if review.status == Review.Status.AWAITING_RESPONSE:
        due = review.response_due_date
        if due is None:
            words = "Awaiting the executive's response; no report date recorded."
        elif summary.response_overdue:
            words = (
                f"Executive response due {long_date(due)}: "
                f'<strong class="app-marker--overdue">overdue</strong>.'
            )
        else:
            words = f"Executive response due {long_date(due)}."
        response = f'<p class="govuk-body-s govuk-!-margin-bottom-0">{words}</p>'
    # Database text is escaped above; the rest is numbers and fixed words.
    return mark_safe(
        f'<li class="app-review-list__item">'
        f'<p class="govuk-body govuk-!-margin-bottom-1"><a class="govuk-link govuk-!-font-weight-bold" '
        f'href="/reviews/{review.pk}/">{title}</a></p>'
        f'<p class="govuk-body-s govuk-!-margin-bottom-1">{about}</p>{bar}{response}</li>'
    )


def status_row(summary) -> str:
    """The review's row of the screen-reader table: its title, a count for each status, the total."""
    cells = "".join(
        f'<td class="govuk-table__cell">{count}</td>' for _, count in summary.counts_in_order
    )
    return mark_safe(
        f'<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">'
        f"{escape(summary.review.title)}</th>{cells}"
        f'<td class="govuk-table__cell">{summary.total}</td></tr>'
    )
