import datetime
import re

import pytest
import time_machine
from django.utils import timezone

from recommendations.choices import Status
from recommendations.models import ProgressUpdate, Recommendation, natural_sort_key
from tests.factories import (
    accept_all,
    make_organisation,
    make_recommendation,
    make_update,
    make_user,
)

D = datetime.date
pytestmark = pytest.mark.django_db


def rows(content: str) -> list[str]:
    body = content.split('<tbody class="govuk-table__body">', 1)[1].split("</tbody>", 1)[0]
    return [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()
        for row in re.findall(r"<tr.*?</tr>", body, re.S)
    ]


@time_machine.travel(D(2019, 5, 1), tick=False)
def test_it_shows_the_review_and_its_register_in_natural_order(client, councillor, review):
    lead = make_organisation("Safe Durham Partnership")
    ten = make_recommendation("10", review=review, text="Tenth.", lead_organisation=lead)
    two = make_recommendation(
        "2",
        review=review,
        text="Second.",
        target_date=D(2019, 3, 31),
        revised_target_date=D(2019, 7, 31),
    )
    make_update(two, as_at=D(2019, 4, 20), status=Status.SLIPPED)
    client.force_login(councillor)

    response = client.get(f"/reviews/{review.pk}/")

    content = response.content.decode()
    assert '<h1 class="govuk-heading-l">Review of cybercrime</h1>' in content
    assert "Safer and Stronger Communities" in content
    assert "13 June 2018" in content  # report to executive
    assert "13 August 2018" in content  # response due, two months later
    assert [row.split()[0] for row in rows(content)] == ["2", "10"]
    second, tenth = rows(content)
    assert "31 Jul 2019 revised from 31 Mar 2019" in second
    assert "Slipped" in second and "20 Apr 2019" in second
    assert "Safe Durham Partnership" in tenth and "Not started" in tenth and "None yet" in tenth
    assert f'href="/recommendations/{ten.pk}/"' in content
    assert f'href="/recommendations/{two.pk}/"' in content


@time_machine.travel(D(2019, 5, 1), tick=False)
def test_it_marks_overdue_and_stale_in_words(client, councillor, review):
    make_recommendation("1", review=review, target_date=D(2019, 3, 31))
    fresh = make_recommendation("2", review=review, target_date=D(2019, 12, 31))
    make_update(fresh, as_at=D(2019, 4, 30))
    client.force_login(councillor)

    overdue_and_stale, fine = rows(client.get(f"/reviews/{review.pk}/").content.decode())

    assert "Overdue" in overdue_and_stale and "Stale" in overdue_and_stale
    assert "Overdue" not in fine and "Stale" not in fine


def test_it_marks_an_overdue_response(client, councillor, review):
    review.status = "awaiting_response"
    review.save()
    client.force_login(councillor)
    assert "Response overdue" in client.get(f"/reviews/{review.pk}/").content.decode()


def test_it_shows_text_escaped(client, councillor, review):
    make_recommendation("1", review=review, text="<script>alert('x')</script> & <b>bold</b>")
    client.force_login(councillor)
    content = client.get(f"/reviews/{review.pk}/").content.decode()
    assert "<script>alert" not in content and "<b>bold" not in content
    assert (
        "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in content
    )


def test_the_reviews_list_links_to_each_review(client, councillor, review):
    client.force_login(councillor)
    assert f'href="/reviews/{review.pk}/"' in client.get("/reviews/").content.decode()
    assert review.get_absolute_url() == f"/reviews/{review.pk}/"


def make_many(review, n: int) -> None:
    """n recommendations with partners and an update each, made in bulk for speed."""
    lead, partner = make_organisation(), make_organisation()
    author = make_user()
    recommendations = Recommendation.objects.bulk_create(
        Recommendation(
            review=review,
            number=str(i),
            sort_key=natural_sort_key(str(i)),
            text=f"Recommendation {i}.",
            lead_organisation=lead,
            target_date=D(2019, 3, 31),
        )
        for i in range(1, n + 1)
    )
    Recommendation.partners.through.objects.bulk_create(
        Recommendation.partners.through(recommendation=r, organisation=partner)
        for r in recommendations
    )
    accept_all(
        ProgressUpdate.objects.bulk_create(
            ProgressUpdate(
                recommendation=r,
                as_at=D(2019, 1, 7),
                status=Status.ON_TRACK,
                narrative="Going well.",
                author=author,
                recorded_at=timezone.now(),
            )
            for r in recommendations
        )
    )
    Recommendation.objects.filter(pk__in=[r.pk for r in recommendations]).refresh_current_status()


# Session, user, the user's permissions (two), the review, its recommendations with their flags.
REVIEW_PAGE_QUERIES = 6


@pytest.mark.parametrize("size", [5, 500])
def test_the_review_page_costs_the_same_queries_at_any_size(
    client, clerk, review, size, django_assert_num_queries
):
    make_many(review, size)
    client.force_login(clerk)
    with django_assert_num_queries(REVIEW_PAGE_QUERIES):
        response = client.get(f"/reviews/{review.pk}/")
    assert response.status_code == 200
    assert len(rows(response.content.decode())) == size


def test_the_review_page_links_to_its_progress_report_and_tracker_downloads(
    client, councillor, review
):
    client.force_login(councillor)
    page = client.get(f"/reviews/{review.pk}/").content.decode()
    assert f'href="/reviews/{review.pk}/progress-report/">Progress report</a>' in page
    assert f'href="/reviews/{review.pk}/tracker.csv" download>Download CSV</a>' in page
    assert f'href="/reviews/{review.pk}/tracker.xlsx" download>Download XLSX</a>' in page
