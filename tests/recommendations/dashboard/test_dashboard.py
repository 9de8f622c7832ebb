import datetime
import html
import re
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from recommendations.choices import Closure, Response, Status
from recommendations.dashboard.queries import bar_widths
from reviews.models import Review
from tests.factories import (
    bulk_recommendations,
    make_committee,
    make_meeting,
    make_progress_report_item,
    make_recommendation,
    make_review,
    make_update,
)

D = datetime.date
LONDON = ZoneInfo("Europe/London")
TODAY = D(2019, 6, 15)
pytestmark = pytest.mark.django_db


def headline(content: str, key: str) -> tuple[int, str]:
    """The count and link of a headline on the dashboard."""
    match = re.search(
        rf'href="([^"]+)" id="headline-{key}">\s*<span class="app-headlines__count">(\d+)</span>',
        content,
    )
    assert match, f"no headline {key}"
    return int(match.group(2)), html.unescape(match.group(1))


@pytest.fixture
def boundaries(frozen, lead_organisation):
    """One recommendation on each side of each headline's boundary, as at 15 June 2019."""
    review = make_review("Boundaries", report_to_executive_date=D(2019, 5, 1))
    early_review = make_review(
        "Reported early", committee=review.committee, report_to_executive_date=D(2019, 4, 14)
    )
    on_time_review = make_review(
        "Reported on time", committee=review.committee, report_to_executive_date=D(2019, 4, 15)
    )
    recs = {}

    def rec(key, **fields):
        fields.setdefault("review", review)
        fields.setdefault("response", Response.ACCEPTED)
        recs[key] = make_recommendation(text=f"The {key} one.", **fields)
        # Recent updates keep all but the stale ones fresh.
        return recs[key]

    # Overdue: the target date has passed, not merely arrived.
    make_update(rec("due_yesterday", target_date=D(2019, 6, 14)), as_at=D(2019, 6, 1))
    make_update(rec("due_today", target_date=D(2019, 6, 15)), as_at=D(2019, 6, 1))
    # Stale, with no report on the review: newest update more than 90 days old (before 17 March).
    make_update(rec("update_91_days_old"), as_at=D(2019, 3, 16))
    make_update(rec("update_90_days_old"), as_at=D(2019, 3, 17))
    # Responses: due two calendar months after the report to the executive.
    rec("response_due_yesterday", review=early_review, response=Response.AWAITING)
    rec("response_due_today", review=on_time_review, response=Response.AWAITING)
    # Recorded in the last 30 days: from the start of 16 May 2019.
    make_update(
        rec("recorded_16_may"),
        as_at=D(2019, 5, 16),
        recorded_at=datetime.datetime(2019, 5, 16, 0, 0, tzinfo=LONDON),
    )
    make_update(
        rec("recorded_15_may"),
        as_at=D(2019, 5, 15),
        recorded_at=datetime.datetime(2019, 5, 15, 23, 59, 59, tzinfo=LONDON),
    )
    # Closed: counted in none of the open headline counts.
    closed = rec("closed", target_date=D(2019, 1, 1), response=Response.AWAITING)
    closed.close(
        meeting=make_meeting(committee=review.committee, date=D(2019, 6, 1)),
        how=Closure.NOT_IMPLEMENTED,
        user=None,
    )
    return recs


EXPECTED = {
    "open": {
        "due_yesterday",
        "due_today",
        "update_91_days_old",
        "update_90_days_old",
        "response_due_yesterday",
        "response_due_today",
        "recorded_16_may",
        "recorded_15_may",
    },
    "overdue": {"due_yesterday"},
    "stale": {"update_91_days_old"},
    "response_overdue": {"response_due_yesterday"},
    # The updates made in the fixture were recorded "now", 15 June.
    "updated": {"due_yesterday", "due_today", "update_91_days_old", "update_90_days_old"}
    | {"recorded_16_may"},
}


@pytest.mark.parametrize("key", EXPECTED)
def test_each_headline_counts_its_boundary_and_links_to_exactly_those_rows(
    client, councillor, boundaries, key
):
    client.force_login(councillor)
    count, url = headline(client.get("/").content.decode(), key)
    assert count == len(EXPECTED[key])
    response = client.get(url)
    assert response.status_code == 200
    page = response.context["page"]
    assert page.paginator.count == count
    assert {rec.pk for rec in page.object_list} == {boundaries[k].pk for k in EXPECTED[key]}
    assert f"{count} recommendation" in response.content.decode()


def test_the_headlines_use_words_that_match_the_register(client, councillor, boundaries):
    client.force_login(councillor)
    content = client.get("/").content.decode()
    assert "5 recommendations with an update recorded in the last 30 days" in " ".join(
        re.sub(r"<[^>]+>", " ", content).split()
    )


def test_it_shows_each_review_with_its_counts_in_a_table_and_a_bar(client, councillor, frozen):
    review = make_review("Cybercrime", report_to_executive_date=D(2019, 1, 1))
    for n, status in enumerate([Status.ON_TRACK, Status.ON_TRACK, Status.SLIPPED], start=1):
        make_update(make_recommendation(str(n), review=review), as_at=D(2019, 6, 1), status=status)
    make_recommendation("4", review=review)
    client.force_login(councillor)
    content = client.get("/").content.decode()
    row = re.search(
        r'<th scope="row" class="govuk-table__header">Cybercrime</th>(.*?)</tr>', content, re.S
    )
    cells = re.findall(r"<td[^>]*>(\d+)</td>", row.group(1))
    # Not started, on track, slipped, not achieved, achieved, no longer applicable, total.
    assert cells == ["1", "2", "1", "0", "0", "0", "4"]
    bar = re.search(r'<div class="app-bar" aria-hidden="true">(.*?)</div>', content).group(1)
    assert re.findall(r"app-w-(\d+)\">(\d+)<", bar) == [("25", "1"), ("50", "2"), ("25", "1")]
    assert "2 on track" in content and "1 slipped" in content


@pytest.mark.parametrize(("reported", "overdue"), [(D(2019, 4, 14), True), (D(2019, 4, 15), False)])
def test_a_review_awaiting_its_response_shows_the_due_date_and_overdue_in_words(
    client, councillor, frozen, reported, overdue
):
    make_review(
        "Awaiting", status=Review.Status.AWAITING_RESPONSE, report_to_executive_date=reported
    )
    client.force_login(councillor)
    text = " ".join(re.sub(r"<[^>]+>", " ", client.get("/").content.decode()).split())
    due = f"{reported.day} June 2019"
    assert f"Executive response due {due}" in text
    assert (f"Executive response due {due}: overdue" in text) is overdue


def test_coming_up_shows_each_committees_next_meeting_and_recommendations_not_updated(
    client, councillor, frozen
):
    committee = make_committee("Safer and Stronger")
    review = make_review("Cybercrime", committee=committee)
    last = make_meeting(committee=committee, date=D(2019, 1, 21))
    make_progress_report_item(review=review, meeting=last)
    nxt = make_meeting(committee=committee, date=D(2019, 7, 1))
    make_progress_report_item(review=review, meeting=nxt)
    later = make_meeting(committee=committee, date=D(2019, 9, 1))
    make_progress_report_item(
        review=make_review("Later review", committee=committee), meeting=later
    )
    make_update(make_recommendation("1", review=review), as_at=D(2019, 1, 20))  # before the report
    make_update(make_recommendation("2", review=review), as_at=D(2019, 1, 21))  # on the day
    make_recommendation("3", review=review)  # never updated
    closed = make_recommendation("4", review=review)
    closed.close(meeting=last, how=Closure.IMPLEMENTED, user=None)
    client.force_login(councillor)
    content = client.get("/").content.decode()
    text = " ".join(re.sub(r"<[^>]+>", " ", content).split())
    assert "Safer and Stronger: Monday 1 July 2019" in text
    assert f'href="/meetings/{nxt.pk}/">Safer and Stronger: Monday 1 July 2019</a>' in content
    assert "Progress report on Cybercrime" in text
    assert (
        "2 of 3 open recommendations have had no update since the last report on 21 January 2019"
        in text
    )
    assert "September 2019" not in text


def test_an_officer_sees_their_own_overdue_and_stale_recommendations_first(
    client, officer, lead_organisation, other_organisation, frozen
):
    review = make_review("Cybercrime")
    mine = make_recommendation(
        "1", review=review, lead_organisation=lead_organisation, target_date=D(2019, 6, 1)
    )
    make_recommendation(
        "2", review=review, lead_organisation=lead_organisation, target_date=D(2019, 7, 1)
    )
    make_recommendation(
        "3", review=review, lead_organisation=other_organisation, target_date=D(2019, 6, 1)
    )
    client.force_login(officer)
    content = client.get("/").content.decode()
    assert "Yours to update" in content
    assert content.index("Yours to update") < content.index("Recommendations at a glance")
    assert [r.pk for r in client.get("/").context["yours"]] == [mine.pk]
    assert "1 of the recommendations you update is overdue or stale" in content


def test_a_councillor_has_no_list_to_update(client, councillor, frozen):
    client.force_login(councillor)
    assert "Yours to update" not in client.get("/").content.decode()


@pytest.mark.parametrize("persona", ["councillor", "officer", "clerk", "administrator"])
def test_every_signed_in_role_reads_the_dashboard(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.get("/")
    assert response.status_code == 200
    assert '<h1 class="govuk-heading-l">Dashboard</h1>' in response.content.decode()


def test_signed_out_people_are_sent_to_sign_in(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url == "/sign-in/?next=/"


@pytest.mark.parametrize("persona", ["councillor", "officer"])
def test_the_dashboard_costs_the_same_queries_at_10_and_2000_recommendations(
    client, request, persona, frozen, clerk
):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    bulk_recommendations(10, reviews=2, today=TODAY, author=clerk)
    client.get("/")  # warm up: the session and content types
    with CaptureQueriesContext(connection) as small:
        assert client.get("/").status_code == 200
    bulk_recommendations(1990, reviews=40, today=TODAY, author=clerk)
    with CaptureQueriesContext(connection) as large:
        response = client.get("/")
    assert len(small) == len(large) <= 10
    assert response.context["headlines"][0].count > 1000


@pytest.mark.parametrize(
    ("counts", "widths"),
    [
        ([1], [100]),
        ([1, 1, 1], [34, 33, 33]),
        ([1, 2, 1], [25, 50, 25]),
        ([1, 199], [1, 99]),  # CSS gives the smallest segments a minimum width
        ([2, 1, 1, 1, 1, 1], [29, 15, 14, 14, 14, 14]),
    ],
)
def test_bar_widths_are_proportional_and_add_up_to_100(counts, widths):
    assert bar_widths(counts) == widths
    assert sum(bar_widths(counts)) == 100


def test_an_officers_stale_recommendation_is_listed_marked_stale_and_counted(
    client, officer, lead_organisation, clerk, frozen
):
    review = make_review("Cybercrime", report_to_executive_date=D(2018, 1, 1))
    stale = make_recommendation("1", review=review, lead_organisation=lead_organisation)
    finished = make_recommendation("2", review=review, lead_organisation=lead_organisation)
    make_update(finished, as_at=D(2018, 2, 1), status=Status.ACHIEVED)
    recent = make_recommendation("3", review=review, lead_organisation=lead_organisation)
    make_update(recent, as_at=D(2019, 6, 1), status=Status.ON_TRACK)
    client.force_login(officer)
    response = client.get("/")
    content = response.content.decode()
    assert [r.pk for r in response.context["yours"]] == [stale.pk]
    assert response.context["yours"][0].is_stale
    assert "No update yet, <strong>stale</strong>." in " ".join(content.split())
    assert "1 of the recommendations you update is overdue or stale" in content


def test_coming_up_counts_the_never_updated_when_a_review_has_had_no_report_yet(
    client, councillor, frozen
):
    committee = make_committee("Safer and Stronger")
    review = make_review("Cybercrime", committee=committee)
    make_progress_report_item(
        review=review, meeting=make_meeting(committee=committee, date=D(2019, 7, 1))
    )
    make_update(make_recommendation("1", review=review), as_at=D(2018, 1, 1))
    make_recommendation("2", review=review)  # never updated
    client.force_login(councillor)
    text = " ".join(re.sub(r"<[^>]+>", " ", client.get("/").content.decode()).split())
    assert (
        "1 of 2 open recommendations has had no update yet; there has been no earlier progress "
        "report." in text
    )


def committee_section(content: str, name: str) -> str:
    """The dashboard's part for one committee: from its heading to the next one."""
    heading = re.search(
        rf'app-committee-heading">(<a [^>]+>)?{re.escape(name)}(</a>)?</h3>', content
    )
    start = heading.start()
    end = content.find("app-committee-heading", start + 1)
    return content[start : end if end != -1 else len(content)]


@pytest.fixture
def crowded(frozen):
    """A committee with seven open reviews, each with as many overdue recommendations as its
    number, plus a closed one with the most; and another committee with one review."""
    committee = make_committee("Crowded")
    reviews = {}
    for n in range(1, 8):
        review = make_review(f"Open {n}", committee=committee)
        for number in range(1, n + 1):
            make_recommendation(str(number), review=review, target_date=D(2019, 1, 1))
        make_recommendation("Later", review=review, target_date=D(2020, 1, 1))
        reviews[n] = review
    closed = make_review("Closed one", committee=committee, status=Review.Status.CLOSED)
    for number in range(1, 10):
        make_recommendation(str(number), review=closed, target_date=D(2019, 1, 1))
    other = make_review("Elsewhere", committee=make_committee("Other"))
    make_recommendation("1", review=other)
    return reviews


def test_a_committee_shows_its_open_reviews_with_the_most_overdue_and_stale_first(
    client, councillor, crowded
):
    client.force_login(councillor)
    content = client.get("/").content.decode()
    section = committee_section(content, "Crowded")
    shown = re.findall(r'govuk-!-font-weight-bold" href="[^"]+">([^<]+)</a>', section)
    assert shown == ["Open 7", "Open 6", "Open 5", "Open 4"]
    text = " ".join(re.sub(r"<[^>]+>", " ", section).split())
    assert (
        "Showing 4 of its 8 reviews: open reviews, those with the most overdue and stale "
        "recommendations first." in text
    )
    # The screen-reader table has a row for each review shown, and only those.
    assert re.findall(r'<th scope="row" class="govuk-table__header">([^<]+)</th>', section) == (
        shown
    )


def test_the_see_all_link_leads_to_exactly_the_committees_recommendations(
    client, councillor, crowded
):
    client.force_login(councillor)
    section = committee_section(client.get("/").content.decode(), "Crowded")
    link = re.search(r'<a class="govuk-link" href="([^"]+)">See all (\d+) recommendations', section)
    url, count = html.unescape(link.group(1)), int(link.group(2))
    # 1 + 2 + ... + 7 overdue, one not yet due on each open review, and the closed review's 9.
    assert count == 28 + 7 + 9
    page = client.get(url).context["page"]
    assert page.paginator.count == count
    in_register = set(page.paginator.object_list.values_list("pk", flat=True))
    assert in_register == set(
        Review.objects.get(title="Open 1").committee.reviews.values_list(
            "recommendations", flat=True
        )
    )


def test_a_committee_whose_reviews_are_all_closed_says_so_and_still_links_to_them(
    client, councillor, frozen
):
    review = make_review("Done", committee=make_committee("Finished"), status=Review.Status.CLOSED)
    make_recommendation("1", review=review)
    client.force_login(councillor)
    section = committee_section(client.get("/").content.decode(), "Finished")
    text = " ".join(re.sub(r"<[^>]+>", " ", section).split())
    assert "Its review is closed. See all 1 recommendation of this committee in the register" in (
        text
    )
    assert "app-review-list__item" not in section


def test_the_dashboard_draws_a_bounded_number_of_reviews_whatever_their_number(
    client, councillor, frozen, clerk
):
    client.force_login(councillor)
    bulk_recommendations(2000, reviews=60, today=TODAY, author=clerk)
    content = client.get("/").content.decode()
    assert content.count('class="app-review-list__item"') == 4
    assert "Showing 4 of its 60 reviews" in content
    assert "See all 2000 recommendations of this committee in the register" in content
