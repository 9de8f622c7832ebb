import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from recommendations.choices import Closure, Response, Status
from recommendations.models import Recommendation
from recommendations.register.filters import RegisterFilterForm
from tests.factories import (
    bulk_recommendations,
    make_committee,
    make_meeting,
    make_organisation,
    make_progress_report_item,
    make_recommendation,
    make_review,
    make_update,
)

D = datetime.date
LONDON = ZoneInfo("Europe/London")
TODAY = D(2019, 6, 15)
pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, councillor, frozen):
    client.force_login(councillor)
    return client


def rows(client, query: str = "", **params) -> list[Recommendation]:
    response = client.get(f"/register/{query}", params)
    assert response.status_code == 200
    assert response.context["page"] is not None, response.context["form"].errors
    return list(response.context["page"].object_list)


def numbers(client, query: str = "", **params) -> list[str]:
    return [rec.number for rec in rows(client, query, **params)]


def test_it_lists_every_recommendation_in_review_then_natural_number_order(signed_in):
    alpha, beta = make_review("Alpha"), make_review("Beta")
    for number in ["10", "2", "1"]:
        make_recommendation(number, review=beta)
    make_recommendation("R3", review=alpha)
    found = rows(signed_in)
    assert [(rec.review.title, rec.number) for rec in found] == [
        ("Alpha", "R3"),
        ("Beta", "1"),
        ("Beta", "2"),
        ("Beta", "10"),
    ]


def test_it_shows_each_rows_columns(signed_in, lead_organisation):
    rec = make_recommendation(
        "7",
        review=make_review("Cybercrime"),
        text="That the council trains staff.",
        lead_organisation=lead_organisation,
        target_date=D(2019, 3, 31),
        revised_target_date=D(2019, 6, 14),
    )
    make_update(rec, as_at=D(2019, 5, 1), status=Status.SLIPPED)
    content = signed_in.get("/register/").content.decode()
    text = " ".join(re.sub(r"<[^>]+>", " ", content).split())
    assert f'href="/recommendations/{rec.pk}/"' in content
    assert f'href="/reviews/{rec.review_id}/"' in content
    for expected in [
        "That the council trains staff.",
        "Transformation and Partnerships",
        "14 Jun 2019 revised Overdue",
        "Slipped",
        "1 May 2019",
    ]:
        assert expected in text


def row_html(client, number: str) -> str:
    """The table row of recommendation `number`."""
    content = client.get("/register/").content.decode()
    rows = re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', content, flags=re.S)
    return next(row for row in rows if f">{number}<span" in row)


def row_text(client, number: str) -> str:
    """The words of the row of recommendation `number`, as a screen reader reads them."""
    return " ".join(re.sub(r"<[^>]+>", " ", row_html(client, number)).split())


def test_it_marks_priority_closed_and_response_overdue_rows(signed_in):
    review = make_review(report_to_executive_date=D(2019, 1, 1))
    make_recommendation("1", review=review, is_priority=True, response=Response.AWAITING)
    closed = make_recommendation("2", review=review, target_date=D(2019, 1, 1))
    closed.close(
        meeting=make_meeting(committee=review.committee, date=D(2019, 2, 1)),
        how=Closure.IMPLEMENTED,
        user=None,
    )
    assert row_text(signed_in, "1") == (
        f"1 : {review.title} {review.title} That the council does something useful. Priority "
        "Not set None Not started Response overdue None yet"
    )
    assert row_text(signed_in, "2") == (
        f"2 : {review.title} {review.title} That the council does something useful. "
        "Closed: implemented Not set 1 Jan 2019 Not started None yet"
    )


def test_it_escapes_what_people_typed_in_the_rows(signed_in):
    rec = make_recommendation(
        "4&amp;",
        review=make_review("Fire & <Rescue>"),
        text="That <script>alert(1)</script> & more",
        lead_organisation=make_organisation("Police & <Crime>"),
    )
    html = row_html(signed_in, "4&amp;amp;")
    assert (
        f'<a class="govuk-link" href="/recommendations/{rec.pk}/">4&amp;amp;'
        '<span class="govuk-visually-hidden">: Fire &amp; &lt;Rescue&gt;</span></a>' in html
    )
    assert "That &lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html
    assert ">Police &amp; &lt;Crime&gt;<" in html
    assert "<script>" not in html
    assert "<Rescue>" not in html
    assert "<Crime>" not in html


class TestFilters:
    def test_by_committee_review_and_lead(self, signed_in, lead_organisation):
        committee = make_committee("Safer")
        review = make_review("Cybercrime", committee=committee)
        other_review = make_review("Other", committee=committee)
        make_recommendation("1", review=review, lead_organisation=lead_organisation)
        make_recommendation("2", review=review)
        make_recommendation("3", review=other_review, lead_organisation=lead_organisation)
        make_recommendation("4")
        assert numbers(signed_in, committee=committee.pk) == ["1", "2", "3"]
        assert numbers(signed_in, review=review.pk) == ["1", "2"]
        assert numbers(signed_in, lead=lead_organisation.pk) == ["1", "3"]
        assert numbers(signed_in, review=review.pk, lead=lead_organisation.pk) == ["1"]

    def test_by_words_in_the_reviews_title_whatever_their_case_and_order(self, signed_in):
        make_recommendation("1", review=make_review("Scrutiny of cybercrime and fraud"))
        make_recommendation("2", review=make_review("Fraud against older people"))
        make_recommendation("3", review=make_review("Potholes"))
        assert numbers(signed_in, review_title="FRAUD") == ["2", "1"]
        assert numbers(signed_in, review_title="  fraud   cyber ") == ["1"]
        assert numbers(signed_in, review_title="libraries") == []

    def test_the_chosen_review_is_named_with_a_link_to_every_review(self, signed_in):
        review = make_review("Cybercrime")
        make_recommendation("1", review=review)
        make_recommendation("2", review=make_review("Potholes"))
        content = signed_in.get("/register/", {"review": review.pk, "sort": "target"})
        content = content.content.decode()
        assert '<span class="govuk-!-font-weight-bold">Review:</span> Cybercrime' in content
        assert f'<input type="hidden" name="review" value="{review.pk}"' in content
        assert 'href="?sort=target">Show every review' in content
        # Reviews are found by title, not chosen from a drop-down of every one of them.
        assert '<select name="review"' not in content
        assert numbers(signed_in, sort="target") == ["1", "2"]

    def test_by_one_or_more_current_statuses(self, signed_in):
        review = make_review()
        slipped = make_recommendation("1", review=review)
        make_update(slipped, as_at=D(2019, 1, 1), status=Status.ON_TRACK)
        make_update(slipped, as_at=D(2019, 2, 1), status=Status.SLIPPED)
        make_update(make_recommendation("2", review=review), as_at=D(2019, 1, 1))
        make_recommendation("3", review=review)
        assert numbers(signed_in, status="slipped") == ["1"]
        assert numbers(signed_in, status="on_track") == ["2"]
        assert numbers(signed_in, status=["not_started", "slipped"]) == ["1", "3"]

    def test_open_priority(self, signed_in):
        review = make_review()
        make_recommendation("1", review=review, is_priority=True)
        make_recommendation("2", review=review)
        closed = make_recommendation("3", review=review, is_priority=True)
        closed.close(
            meeting=make_meeting(committee=review.committee, date=D(2019, 1, 1)),
            how=Closure.IMPLEMENTED,
            user=None,
        )
        assert numbers(signed_in, show="priority") == ["1", "3"]
        assert numbers(signed_in, show="open") == ["1", "2"]
        assert numbers(signed_in, show=["open", "priority"]) == ["1"]

    @pytest.mark.parametrize(("target", "shown"), [(D(2019, 6, 14), True), (D(2019, 6, 15), False)])
    def test_overdue_at_its_boundary(self, signed_in, target, shown):
        make_recommendation("1", target_date=target)
        assert numbers(signed_in, show="overdue") == (["1"] if shown else [])

    @pytest.mark.parametrize(("as_at", "shown"), [(D(2019, 3, 16), True), (D(2019, 3, 17), False)])
    def test_stale_at_its_boundary_without_a_report(self, signed_in, as_at, shown):
        make_update(make_recommendation("1"), as_at=as_at)
        assert numbers(signed_in, show="stale") == (["1"] if shown else [])

    @pytest.mark.parametrize(("as_at", "shown"), [(D(2019, 5, 31), True), (D(2019, 6, 1), False)])
    def test_stale_at_its_boundary_after_a_progress_report(self, signed_in, as_at, shown):
        review = make_review()
        make_progress_report_item(
            review=review, meeting=make_meeting(committee=review.committee, date=D(2019, 6, 1))
        )
        make_update(make_recommendation("1", review=review), as_at=as_at)
        assert numbers(signed_in, show="stale") == (["1"] if shown else [])

    @pytest.mark.parametrize(
        ("reported", "shown"), [(D(2019, 4, 14), True), (D(2019, 4, 15), False)]
    )
    def test_response_overdue_at_its_boundary(self, signed_in, reported, shown):
        review = make_review(report_to_executive_date=reported)
        make_recommendation("1", review=review, response=Response.AWAITING)
        make_recommendation("2", review=review, response=Response.ACCEPTED)
        assert numbers(signed_in, show="response_overdue") == (["1"] if shown else [])

    @pytest.mark.parametrize(
        ("recorded", "shown"),
        [
            (datetime.datetime(2019, 5, 16, 0, 0, tzinfo=LONDON), True),
            (datetime.datetime(2019, 5, 15, 23, 59, 59, tzinfo=LONDON), False),
        ],
    )
    def test_updated_within_30_days_at_its_boundary(self, signed_in, recorded, shown):
        rec = make_recommendation("1")
        make_update(rec, as_at=D(2019, 1, 1), recorded_at=recorded)
        make_update(rec, as_at=D(2019, 1, 2), recorded_at=recorded)  # listed once, not twice
        assert numbers(signed_in, updated_within="30") == (["1"] if shown else [])

    def test_filters_combine(self, signed_in, lead_organisation):
        review = make_review()
        make_recommendation("1", review=review, target_date=D(2019, 1, 1), is_priority=True)
        make_recommendation("2", review=review, target_date=D(2019, 1, 1))
        make_recommendation("3", review=review, target_date=D(2020, 1, 1), is_priority=True)
        assert numbers(signed_in, show=["overdue", "priority"], review=review.pk) == ["1"]


class TestInvalidFilters:
    @pytest.mark.parametrize(
        ("params", "message"),
        [
            ({"review": "abc"}, "Select a review from the list"),
            ({"review": "999999"}, "Select a review from the list"),
            ({"committee": "x"}, "Select a committee from the list"),
            ({"lead": "1.5"}, "Select a lead organisation from the list"),
            ({"status": "greenish"}, "Select statuses from the list"),
            ({"show": "everything"}, "Select what to show from the list"),
            ({"updated_within": "31"}, "Select a period from the list"),
            ({"q": "x" * 201}, "Search must be 200 characters or fewer"),
            ({"review_title": "x" * 301}, "Review title must be 300 characters or fewer"),
            ({"sort": "colour"}, "The sort order in the address is not one we know"),
        ],
    )
    def test_it_explains_a_bad_value_and_lists_nothing(self, signed_in, params, message):
        make_recommendation("1")
        response = signed_in.get("/register/", params)
        assert response.status_code == 200
        content = response.content.decode()
        assert "<title>Error: Register of recommendations" in content
        assert 'class="govuk-error-summary"' in content
        assert message in content
        assert response.context["page"] is None
        assert "Correct the filters to see the register." in content

    @pytest.mark.parametrize("number", ["0", "-1", "abc", "999"])
    def test_an_odd_page_number_shows_a_page_rather_than_an_error(self, signed_in, number):
        make_recommendation("1")
        assert numbers(signed_in, page=number) == ["1"]


class TestSearch:
    def test_it_finds_words_in_the_recommendation_or_its_updates_whatever_the_case(self, signed_in):
        review = make_review()
        make_recommendation(
            "1", review=review, text="That the council trains staff in CYBER security."
        )
        in_update = make_recommendation("2", review=review, text="That schools are visited.")
        make_update(in_update, as_at=D(2019, 1, 1), narrative="Talks on cyber safety were given.")
        make_recommendation("3", review=review, text="That the police report yearly.")
        assert sorted(numbers(signed_in, q="Cyber")) == ["1", "2"]
        assert numbers(signed_in, q="police") == ["3"]
        assert numbers(signed_in, q="cyber police") == []
        assert numbers(signed_in, q="unheard-of") == []

    def test_search_combines_with_filters_and_keeps_them_in_the_page_links(self, signed_in):
        review = make_review()
        Recommendation.objects.bulk_create(
            Recommendation(
                review=review,
                number=str(n),
                sort_key=f"{n:010d}",
                text="About cyber crime." if n <= 120 else "About roads.",
                is_priority=n % 2 == 0,
            )
            for n in range(1, 131)
        )
        # bulk_create skips save(), which keeps the stored search document on PostgreSQL.
        Recommendation.objects.refresh_search_document()
        response = signed_in.get("/register/", {"q": "cyber", "show": "priority"})
        assert response.context["page"].paginator.count == 60
        content = response.content.decode()
        assert "60 recommendations" in content
        next_link = re.search(r'href="(\?[^"]*page=2[^"]*)" rel="next"', content).group(1)
        assert "q=cyber" in next_link and "show=priority" in next_link

    @pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL text search")
    def test_on_postgresql_it_stems_english_words_and_ranks_the_text_above_updates(self, signed_in):
        review = make_review()
        in_update = make_recommendation("1", review=review, text="That schools are visited.")
        make_update(in_update, as_at=D(2019, 1, 1), narrative="The police visited.")
        make_recommendation("2", review=review, text="That policing is reviewed by the police.")
        make_recommendation("3", review=review, text="That nothing happens.")
        # "policing" and "police" share a stem; the recommendation's own text weighs more.
        assert numbers(signed_in, q="policing") == ["2", "1"]
        assert numbers(signed_in, q="policing", sort="review") == ["1", "2"]

    @pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite's plain match")
    def test_on_sqlite_it_matches_plain_substrings(self, signed_in):
        make_recommendation("1", text="That policing is reviewed.")
        assert numbers(signed_in, q="polic") == ["1"]
        assert numbers(signed_in, q="police") == []


class TestSorting:
    @pytest.fixture
    def three(self, signed_in):
        alpha = make_review("Alpha")
        beta = make_review("Beta")
        a = make_recommendation(
            "1",
            review=beta,
            target_date=D(2019, 3, 1),
            lead_organisation=make_organisation("Zeta services"),
        )
        make_recommendation("2", review=alpha, target_date=None)
        c = make_recommendation(
            "3",
            review=alpha,
            target_date=D(2019, 1, 1),
            revised_target_date=D(2019, 9, 1),
            lead_organisation=make_organisation("Acme services"),
        )
        make_update(a, as_at=D(2019, 2, 1), status=Status.ACHIEVED)
        make_update(c, as_at=D(2019, 1, 1), status=Status.SLIPPED)
        return signed_in

    @pytest.mark.parametrize(
        ("sort", "expected"),
        [
            ("", ["2", "3", "1"]),
            ("review", ["2", "3", "1"]),
            ("-review", ["1", "3", "2"]),
            ("lead", ["3", "1", "2"]),  # no lead last
            ("-lead", ["1", "3", "2"]),
            ("target", ["1", "3", "2"]),  # by the revised date; none last
            ("-target", ["3", "1", "2"]),
            ("status", ["2", "3", "1"]),  # not started, slipped, achieved
            ("-status", ["1", "3", "2"]),
            ("updated", ["3", "1", "2"]),  # never updated last
            ("-updated", ["1", "3", "2"]),
        ],
    )
    def test_by_each_column(self, three, sort, expected):
        assert numbers(three, sort=sort) == expected

    def test_the_headers_link_to_the_other_direction_and_say_which_is_sorted(self, three):
        content = three.get("/register/", {"sort": "target", "show": "open"}).content.decode()
        header = re.search(r'<th[^>]*aria-sort="ascending"[^>]*>\s*<a[^>]*href="([^"]+)"', content)
        assert "sort=-target" in header.group(1).replace("&amp;", "&")
        assert "show=open" in header.group(1)
        assert content.count('aria-sort="none"') == 4


def test_it_pages_fifty_at_a_time(signed_in):
    review = make_review()
    Recommendation.objects.bulk_create(
        Recommendation(review=review, number=str(n), sort_key=f"{n:010d}", text="x")
        for n in range(1, 102)
    )
    assert len(rows(signed_in)) == 50
    assert numbers(signed_in, page="3") == ["101"]
    content = signed_in.get("/register/", {"page": "2"}).content.decode()
    assert 'aria-current="page">2<' in content
    assert "Showing 51 to 100" in content


@pytest.mark.parametrize("persona", ["councillor", "officer", "clerk", "administrator"])
def test_every_signed_in_role_reads_the_register(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/register/").status_code == 200


def test_signed_out_people_are_sent_to_sign_in(client, db):
    response = client.get("/register/?show=overdue")
    assert response.status_code == 302
    assert response.url.startswith("/sign-in/?next=/register/")


def test_a_filtered_register_costs_the_same_queries_at_10_and_2000_recommendations(
    signed_in, clerk
):
    bulk_recommendations(10, reviews=2, today=TODAY, author=clerk)
    committee = Recommendation.objects.first().review.committee_id
    params = {
        "q": "service",
        "show": ["open", "overdue"],
        "status": ["on_track", "slipped"],
        "committee": committee,
        "sort": "-updated",
        "page": "1",
    }
    signed_in.get("/register/", params)
    with CaptureQueriesContext(connection) as small:
        signed_in.get("/register/", params)
    bulk_recommendations(1990, reviews=40, today=TODAY, author=clerk)
    params["committee"] = Recommendation.objects.last().review.committee_id
    with CaptureQueriesContext(connection) as large:
        response = signed_in.get("/register/", params)
    assert response.context["page"].paginator.count > 50
    assert len(small) == len(large) <= 10


def test_the_filter_form_works_without_a_request(db):
    """The filtered register for another use, such as an export: the same rows as the page."""
    review = make_review()
    make_recommendation("1", review=review, target_date=D(2019, 1, 1))
    make_recommendation("2", review=review, target_date=D(2020, 1, 1))
    form = RegisterFilterForm({"show": ["overdue"]})
    assert form.is_valid()
    found = form.filter(Recommendation.objects.all(), TODAY)
    assert [rec.number for rec in found] == ["1"]
    assert found[0].current_status == Status.NOT_STARTED


def test_a_later_page_keeps_the_sort_order_and_marks_its_own_rows(signed_in):
    """The page's rows are read by id after the ids are ordered: the order and flags hold."""
    review = make_review("Paged")
    for n in range(1, 56):
        make_recommendation(
            str(n),
            review=review,
            target_date=None if n % 11 == 0 else D(2019, 1, 1) + datetime.timedelta(days=4 * n),
        )
    first, second = (rows(signed_in, sort="-target", page=str(p)) for p in (1, 2))
    dated = [rec for rec in first + second if rec.effective_target_date]
    assert [rec.effective_target_date for rec in dated] == sorted(
        (rec.effective_target_date for rec in dated), reverse=True
    )
    # Descending, the ones with no target date come last.
    assert [rec.number for rec in second[-5:]] == ["11", "22", "33", "44", "55"]
    assert all(
        rec.is_overdue
        == (rec.effective_target_date is not None and rec.effective_target_date < TODAY)
        for rec in first + second
    )
    assert len(first) == 50 and len(second) == 5
