import datetime
import re

import pytest
import time_machine
from django.template.loader import render_to_string
from django.utils import timezone

from recommendations import fragments
from recommendations.choices import Status
from recommendations.models import Recommendation
from recommendations.pages import my_recommendations_tags
from tests.factories import (
    bulk_recommendations,
    make_meeting,
    make_recommendation,
    make_update,
    make_user,
)

D = datetime.date
pytestmark = pytest.mark.django_db


def numbers(content: str) -> list[str]:
    body = content.split('<tbody class="govuk-table__body">', 1)[1].split("</tbody>", 1)[0]
    return [
        re.sub(r"<[^>]+>", "", cells[1]).strip()
        for cells in (
            re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
            for row in re.findall(r"<tr.*?</tr>", body, re.S)
        )
    ]


@time_machine.travel(D(2019, 5, 1), tick=False)
def test_an_officer_sees_what_they_may_update_overdue_and_stale_first(
    client, officer, outsider_officer, review, lead_organisation, other_organisation
):
    fine = make_recommendation("1", review=review, lead_organisation=lead_organisation)
    make_update(fine, as_at=D(2019, 4, 30))
    make_recommendation(
        "2", review=review, lead_organisation=lead_organisation, target_date=D(2019, 1, 31)
    )  # overdue and stale
    supported = make_recommendation(
        "3", review=review, lead_organisation=other_organisation, target_date=D(2019, 3, 1)
    )  # overdue, stale, through a partnership
    supported.partners.add(lead_organisation)
    mine_as_lead = make_recommendation(
        "4", review=review, lead_organisation=other_organisation, lead_officer=officer
    )
    make_update(mine_as_lead, as_at=D(2019, 1, 2))  # stale only
    make_recommendation("5", review=review, lead_organisation=other_organisation)  # not theirs
    closed = make_recommendation("6", review=review, lead_organisation=lead_organisation)
    closed.close(
        meeting=make_meeting(committee=review.committee, date=D(2019, 2, 1)),
        how="implemented",
        user=None,
    )
    client.force_login(officer)

    content = client.get("/recommendations/mine/").content.decode()

    assert numbers(content) == ["2", "3", "4", "1"]
    assert "The 3 overdue or stale come first." in content
    assert f'href="/recommendations/{fine.pk}/progress-updates/add/"' in content


def test_an_officer_with_nothing_to_update_is_told_why(client, outsider_officer, recommendation):
    client.force_login(outsider_officer)
    content = client.get("/recommendations/mine/").content.decode()
    assert "There are no open recommendations for you to update." in content


def test_a_councillor_has_no_recommendations_to_update(client, councillor):
    client.force_login(councillor)
    assert client.get("/recommendations/mine/").status_code == 403


def own_recommendations(officer, count: int) -> list[Recommendation]:
    """`count` recommendations led by the officer's organisation, over four reviews, with a mix
    of overdue, stale, both and neither (see `bulk_recommendations`), the closed ones left out."""
    made = bulk_recommendations(count, reviews=4, today=timezone.localdate(), author=make_user())
    Recommendation.objects.filter(pk__in=[r.pk for r in made]).update(
        lead_organisation=officer.organisation
    )
    return list(Recommendation.objects.filter(pk__in=[r.pk for r in made]).open())


def expected_order(officer) -> list[str]:
    """The page's order as it was first written, sorting every row in Python: overdue and
    stale, then overdue or stale, then the rest; each by review title and number."""
    rows = Recommendation.objects.filter(lead_organisation=officer.organisation).open()
    return [
        r.number
        for r in sorted(
            rows.with_flags(timezone.localdate()),
            key=lambda r: (
                not (r.is_overdue or r.is_stale),
                not (r.is_overdue and r.is_stale),
                r.review.title,
                r.sort_key,
            ),
        )
    ]


def test_the_pages_together_list_every_recommendation_once_in_the_attention_order(client, officer):
    own_recommendations(officer, 130)
    client.force_login(officer)

    pages = [
        numbers(client.get(f"/recommendations/mine/?page={n}").content.decode()) for n in (1, 2, 3)
    ]

    by_review_and_number = Recommendation.objects.filter(
        lead_organisation=officer.organisation
    ).open()
    assert expected_order(officer) != [r.number for r in by_review_and_number]
    assert [len(page) for page in pages] == [50, 50, len(expected_order(officer)) - 100]
    assert [number for page in pages for number in page] == expected_order(officer)


def test_the_attention_count_counts_every_page_not_only_the_first(client, officer):
    own_recommendations(officer, 130)
    attention = (
        Recommendation.objects.filter(lead_organisation=officer.organisation)
        .needing_update(timezone.localdate())
        .count()
    )
    assert attention > 50  # more than one page of them
    client.force_login(officer)

    for page in (1, 3):
        content = client.get(f"/recommendations/mine/?page={page}").content.decode()
        assert f"The {attention} overdue or stale come first." in content


def test_the_first_page_shows_where_it_is_and_links_to_the_next(client, officer):
    own_recommendations(officer, 130)
    client.force_login(officer)

    content = client.get("/recommendations/mine/").content.decode()

    assert f"Showing 1 to 50 of {len(expected_order(officer))}." in content
    assert '<nav class="govuk-pagination" aria-label="Pages of my recommendations">' in content
    assert 'href="?page=2" rel="next"' in content
    assert 'aria-label="Page 1" aria-current="page"' in content


def test_a_page_of_fewer_than_fifty_has_no_page_links(client, officer, review, lead_organisation):
    make_recommendation("1", review=review, lead_organisation=lead_organisation)
    client.force_login(officer)

    content = client.get("/recommendations/mine/").content.decode()

    assert "govuk-pagination" not in content and "Showing" not in content
    assert numbers(content) == ["1"]


# Not named "page": that is Playwright's fixture, and a test parametrizing it is ordered among the
# browser tests, after whose database flush the roles are gone.
@pytest.mark.parametrize(
    "asked, shown", [("abc", "1"), ("0", "3"), ("-1", "3"), ("999", "3"), ("2.5", "1"), ("", "1")]
)
def test_a_page_number_that_is_not_one_shows_the_first_or_the_last_page(
    client, officer, asked, shown
):
    own_recommendations(officer, 130)
    client.force_login(officer)

    response = client.get("/recommendations/mine/", {"page": asked})

    assert response.status_code == 200
    assert f'aria-label="Page {shown}" aria-current="page"' in response.content.decode()


@time_machine.travel(D(2019, 5, 1), tick=False)
def test_each_row_shows_the_officers_own_newest_update_when_it_is_not_yet_counted(
    client, officer, clerk, review, lead_organisation
):
    returned = make_recommendation("1", review=review, lead_organisation=lead_organisation)
    make_update(returned, as_at=D(2019, 4, 1), author=officer)
    make_update(returned, as_at=D(2019, 4, 2), author=officer, accepted=False).return_to_author(
        by=clerk, comment="Which schools?"
    )
    since_accepted = make_recommendation("2", review=review, lead_organisation=lead_organisation)
    make_update(since_accepted, as_at=D(2019, 4, 1), author=officer, accepted=False)
    make_update(since_accepted, as_at=D(2019, 4, 2), author=officer)
    someone_elses = make_recommendation("3", review=review, lead_organisation=lead_organisation)
    make_update(someone_elses, as_at=D(2019, 4, 1), author=clerk, accepted=False)
    client.force_login(officer)

    content = client.get("/recommendations/mine/").content.decode()

    body = content.split('<tbody class="govuk-table__body">', 1)[1]
    rows = dict(zip(numbers(content), re.findall(r"<tr.*?</tr>", body, re.S), strict=True))
    assert "Returned by Cleo Clerk on 1 May 2019" in rows["1"] and "Which schools?" in rows["1"]
    assert "Submitted, awaiting check" not in rows["2"] and "Returned" not in rows["2"]
    assert "Submitted, awaiting check" not in rows["3"]


# Session, user, the user's permissions (two), their organisation, how many rows and how many
# need attention, the page's rows with their flags, the officer's own updates on those rows.
MY_PAGE_QUERIES = 9


@pytest.mark.parametrize("size", [5, 130])
def test_the_page_costs_the_same_queries_at_any_size(
    client, officer, clerk, size, django_assert_num_queries
):
    recommendations = own_recommendations(officer, size)
    today = timezone.localdate()
    for recommendation in recommendations:  # pending and returned updates of the officer's own
        update = make_update(recommendation, as_at=today, author=officer, accepted=False)
        if recommendation.pk % 2:
            update.return_to_author(by=clerk, comment="Say more.")
    client.force_login(officer)

    with django_assert_num_queries(MY_PAGE_QUERIES):
        content = client.get("/recommendations/mine/").content.decode()

    assert len(numbers(content)) == min(len(recommendations), 50)
    assert "Returned by Cleo Clerk" in content and "Submitted, awaiting check" in content


def squeeze(html: str) -> str:
    """HTML with each run of white space made one space: the includes' line breaks aside."""
    return re.sub(r"\s+", " ", html).strip()


# Late on 30 April in UTC, 1 May in London: a date drawn without the site's time zone differs.
@time_machine.travel(datetime.datetime(2019, 4, 30, 23, 30, tzinfo=datetime.UTC), tick=False)
def test_the_rows_say_what_the_shared_includes_say(officer, clerk, review, lead_organisation):
    """The rows are drawn in Python for speed; their fragments must not drift from the
    includes every other page draws."""
    recommendation = make_recommendation(
        "1", review=review, lead_organisation=lead_organisation, target_date=D(2019, 1, 31)
    )
    flagged = Recommendation.objects.with_flags(D(2019, 5, 1)).get(pk=recommendation.pk)
    flagged.closure = "implemented"  # as the include would say it, though this page lists open ones
    assert flagged.is_overdue and flagged.is_stale
    submitted = make_update(
        recommendation, as_at=D(2019, 4, 1), author=officer, accepted=False, status=Status.SLIPPED
    )
    submitted.revised_target_date, submitted.revision_reason = D(2019, 9, 30), "Staff <left>."
    returned = make_update(recommendation, as_at=D(2019, 4, 2), author=officer, accepted=False)
    returned.return_to_author(by=clerk, comment="Which <schools>?\nSay how many.")

    def same(python, template: str, **context) -> None:
        assert squeeze(python) == squeeze(render_to_string(template, context))

    for status in Status:
        same(fragments.status_tag(status), "includes/_status_tag.html", status=status)
    same(fragments.markers(flagged), "pages/_markers.html", recommendation=flagged)
    for update in (submitted, returned):
        same(
            my_recommendations_tags.update_state(update), "pages/_update_state.html", update=update
        )
