import datetime
import re

import pytest
import time_machine
from django.utils import timezone

from recommendations.choices import Response, Status
from recommendations.models import ProgressUpdate, Recommendation
from tests.factories import accept_all, make_organisation, make_update

D = datetime.date
pytestmark = pytest.mark.django_db


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


@time_machine.travel(D(2019, 5, 1), tick=False)
def test_it_shows_everything_about_the_recommendation(
    client, councillor, officer, recommendation, other_organisation
):
    recommendation.response = Response.PARTIALLY_ACCEPTED
    recommendation.response_text = "Agreed in part: the budget allows one session."
    recommendation.lead_officer = officer
    recommendation.target_date = D(2019, 3, 31)
    recommendation.revised_target_date = D(2019, 7, 31)
    recommendation.revision_reason = "The university has not replied."
    recommendation.is_priority = True
    recommendation.save()
    recommendation.partners.add(other_organisation, make_organisation("University of Bath"))
    make_update(recommendation, as_at=D(2019, 1, 7), status=Status.ON_TRACK, author=officer)
    make_update(
        recommendation,
        as_at=D(2019, 4, 2),
        status=Status.SLIPPED,
        author=officer,
        narrative="Still waiting.\nChased twice.",
    )
    client.force_login(councillor)

    content = text_of(client.get(f"/recommendations/{recommendation.pk}/").content.decode())

    for expected in [
        "Recommendation 3",
        "Priority",
        "That the council works with the university.",
        "Current status Slipped",
        "Executive response Partially accepted Agreed in part: the budget allows one session.",
        "Lead organisation Transformation and Partnerships",
        "Lead officer Olu Officer",
        "Partners Durham Constabulary University of Bath",
        "Target date 31 March 2019",
        "Revised target date 31 July 2019 Reason: The university has not replied.",
    ]:
        assert expected in content
    # The timeline, newest first.
    timeline = content.split("Progress updates", 1)[1]
    assert timeline.index("2 April 2019 Slipped Still waiting. Chased twice.") < timeline.index(
        "7 January 2019 On track Work continues."
    )
    assert "Added by Olu Officer on 1 May 2019" in timeline


@time_machine.travel(D(2019, 5, 1), tick=False)
def test_it_marks_overdue_and_stale_in_words(client, councillor, recommendation):
    recommendation.target_date = D(2019, 3, 31)
    recommendation.save()
    client.force_login(councillor)
    content = text_of(client.get(f"/recommendations/{recommendation.pk}/").content.decode())
    assert "Current status Not started Overdue Stale" in content


def test_it_shows_a_closure(client, councillor, clerk, recommendation, meeting):
    recommendation.close(meeting=meeting, how="implemented", user=clerk)
    client.force_login(councillor)
    content = text_of(client.get(f"/recommendations/{recommendation.pk}/").content.decode())
    assert "Closed by the committee at its meeting on 20 January 2025: implemented." in content


def test_it_shows_text_escaped(client, councillor, officer, recommendation):
    recommendation.text = '<img src=x onerror="alert(1)">'
    recommendation.save()
    make_update(recommendation, as_at=D(2019, 1, 7), narrative="<script>alert(2)</script>")
    client.force_login(councillor)
    content = client.get(f"/recommendations/{recommendation.pk}/").content.decode()
    assert "<img src=x" not in content and "<script>alert(2)" not in content
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in content
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in content


# Session, user, permissions (two), the recommendation (with review, committee, lead, officer and
# meeting joined, and its flags computed in the same query), its partners, its updates with
# their authors and decisions, their evidence.
RECOMMENDATION_PAGE_QUERIES = 8


@pytest.mark.parametrize("size", [5, 500])
def test_the_recommendation_page_costs_the_same_queries_at_any_size(
    client, officer, other_organisation, recommendation, size, django_assert_num_queries
):
    recommendation.partners.add(other_organisation, make_organisation())
    updates = ProgressUpdate.objects.bulk_create(
        ProgressUpdate(
            recommendation=recommendation,
            as_at=D(2019, 1, 1) + datetime.timedelta(days=i),
            status=Status.ON_TRACK,
            narrative=f"Update {i}.",
            author=officer,
            recorded_at=timezone.now(),
        )
        for i in range(size)
    )
    accept_all(updates)
    Recommendation.objects.filter(pk=recommendation.pk).refresh_current_status()
    client.force_login(officer)
    with django_assert_num_queries(RECOMMENDATION_PAGE_QUERIES):
        response = client.get(f"/recommendations/{recommendation.pk}/")
    assert response.content.decode().count('class="app-timeline__item"') == size
