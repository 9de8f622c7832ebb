"""The dashboard's repeated fragments: a review with its bar of statuses, its row in the
screen-reader table, and an item on a coming meeting's work programme.

They are drawn for every review (a few hundred on a large council's dashboard), and as template
nodes they cost several times the whole page budget (see bench/dashboard.py); built here with
`format_html` they cost microseconds. Every value goes through `format_html`'s escaping, and
addresses come from `reverse()`, so the site works under any URL prefix. Registered as the
template library `dashboard_tags` in the settings (TEMPLATES' "libraries").
"""

from collections.abc import Callable
from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import ngettext

from reviews.models import Review, WorkProgrammeItem

from ..fragments import address_for

register = template.Library()


def status_bar(summary) -> SafeString:
    """Segments as wide as their share, each with its count written on it, and a key in words
    beneath (no meaning by colour alone); both hidden from screen readers, who get the table."""
    segments = format_html_join(
        "",
        '<span class="app-bar__segment govuk-tag--{} app-w-{}">{}</span>',
        ((s.status.tag_colour, s.width, s.count) for s in summary.segments),
    )
    key = format_html_join(
        "",
        '<span class="app-bar-key__item"><span class="app-bar-key__swatch govuk-tag--{}">'
        "</span>{} {}</span>",
        ((s.status.tag_colour, s.count, s.status.label.lower()) for s in summary.segments),
    )
    return format_html(
        '<div class="app-bar" aria-hidden="true">{}</div>'
        '<p class="govuk-body-s app-bar-key" aria-hidden="true">{}</p>',
        segments,
        key,
    )


@register.simple_tag
def review_items(committee) -> SafeString:
    """The list items of a committee's reviews: one tag call for the lot, not one per review."""
    review_url = address_for("recommendations:show_review")
    return format_html_join(
        "", "{}", ((review_item(summary, review_url),) for summary in committee.reviews)
    )


@register.simple_tag
def committee_about(committee) -> SafeString:
    """Which of the committee's reviews are shown, and a link to all its recommendations in the
    register (the register filtered by committee counts exactly `recommendation_count`)."""
    shown, reviews = len(committee.reviews), committee.review_count
    if not shown:
        which = ngettext(
            "Its review is closed.", "All of its %(n)d reviews are closed.", reviews
        ) % {"n": reviews}
    elif shown < reviews:
        which = (
            f"Showing {shown} of its {reviews} reviews: open reviews, those with the most overdue "
            "and stale recommendations first."
        )
    else:
        which = ""
    if not committee.recommendation_count:
        link = ""
    else:
        link = format_html(
            '<a class="govuk-link" href="{}">See all {} in the register'
            '<span class="govuk-visually-hidden">: {}</span></a>',
            committee.register_url,
            ngettext(
                "%(n)d recommendation of this committee",
                "%(n)d recommendations of this committee",
                committee.recommendation_count,
            )
            % {"n": committee.recommendation_count},
            committee.committee,
        )
    if not which and not link:
        return SafeString("")
    return format_html('<p class="govuk-body-s">{} {}</p>', which, link)


@register.simple_tag
def status_rows(committee) -> SafeString:
    """The rows of a committee's screen-reader table."""
    return format_html_join("", "{}", ((status_row(summary),) for summary in committee.reviews))


@register.simple_tag
def work_programme_item(item) -> SafeString:
    """An item on a coming meeting's work programme; for a progress report on a review, how many
    of the review's open recommendations have had no update since the last one (see
    `dashboard.queries.coming_up`)."""
    if item.review_id is None:
        return format_html("<li>{}</li>", item.title)
    link = format_html(
        '<a class="govuk-link" href="{}">{}</a>',
        reverse("recommendations:show_review", args=[item.review_id]),
        item.title,
    )
    if item.kind != WorkProgrammeItem.Kind.PROGRESS_REPORT:
        return format_html("<li>{}</li>", link)
    recommendations = ngettext("open recommendation", "open recommendations", item.open_count)
    have = ngettext("has", "have", item.not_updated)
    words = f"{item.not_updated} of {item.open_count} {recommendations} {have} had no update"
    if item.last_report:
        since = f"since the last report on {date_format(item.last_report)}."
    else:
        since = "yet; there has been no earlier progress report."
    return format_html('<li>{}<br><span class="govuk-body-s">{} {}</span></li>', link, words, since)


def _about(review, summary) -> SafeString:
    """The review's year, status and a link to its recommendations in the register."""
    year = format_html("{}, ", review.municipal_year) if review.municipal_year else ""
    status = f"{review.get_status_display().lower()}."
    if not summary.total:
        return format_html("{}{} No recommendations yet.", year, status)
    return format_html(
        '{}{} <a class="govuk-link" href="{}?{}">{}<span class="govuk-visually-hidden"> of {}'
        "</span> in the register</a>",
        year,
        status,
        reverse("recommendations:show_register"),
        urlencode({"review": review.pk}),
        ngettext("%(n)d recommendation", "%(n)d recommendations", summary.total)
        % {"n": summary.total},
        review.title,
    )


def _response(review, summary) -> SafeString | str:
    """When the executive's response is due, for a review awaiting it."""
    if review.status != Review.Status.AWAITING_RESPONSE:
        return ""
    due = review.response_due_date
    if due is None:
        words = format_html("Awaiting the executive's response; no report date recorded.")
    elif summary.response_overdue:
        words = format_html(
            'Executive response due {}: <strong class="app-marker--overdue">overdue</strong>.',
            date_format(due),
        )
    else:
        words = format_html("Executive response due {}.", date_format(due))
    return format_html('<p class="govuk-body-s govuk-!-margin-bottom-0">{}</p>', words)


def review_item(summary, review_url: Callable[[int], str]) -> SafeString:
    review = summary.review
    return format_html(
        '<li class="app-review-list__item">'
        '<p class="govuk-body govuk-!-margin-bottom-1"><a class="govuk-link govuk-!-font-weight-bold" '
        'href="{}">{}</a></p>'
        '<p class="govuk-body-s govuk-!-margin-bottom-1">{}</p>{}{}</li>',
        review_url(review.pk),
        review.title,
        _about(review, summary),
        status_bar(summary) if summary.total else "",
        _response(review, summary),
    )


def status_row(summary) -> SafeString:
    """The review's row of the screen-reader table: its title, a count for each status, the total."""
    cells = format_html_join(
        "",
        '<td class="govuk-table__cell">{}</td>',
        ((count,) for _, count in summary.counts_in_order),
    )
    return format_html(
        '<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">{}</th>{}'
        '<td class="govuk-table__cell">{}</td></tr>',
        summary.review.title,
        cells,
        summary.total,
    )
