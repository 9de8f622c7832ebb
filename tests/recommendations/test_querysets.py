import datetime

import pytest

from recommendations.choices import Closure, Response, Status
from recommendations.models import Recommendation
from tests.factories import (
    make_meeting,
    make_progress_report_item,
    make_recommendation,
    make_review,
    make_update,
)

D = datetime.date
pytestmark = pytest.mark.django_db


def pks(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


class TestOverdue:
    @pytest.mark.parametrize(
        ("today", "overdue"),
        [(D(2019, 3, 30), False), (D(2019, 3, 31), False), (D(2019, 4, 1), True)],
    )
    def test_it_is_overdue_only_after_the_target_date(self, today, overdue):
        recommendation = make_recommendation(target_date=D(2019, 3, 31))
        assert (recommendation.pk in pks(Recommendation.objects.overdue(today))) is overdue
        flagged = Recommendation.objects.with_flags(today).get(pk=recommendation.pk)
        assert flagged.is_overdue is overdue

    def test_a_revised_target_date_replaces_the_original(self):
        recommendation = make_recommendation(
            target_date=D(2019, 3, 31), revised_target_date=D(2019, 7, 31)
        )
        assert not pks(Recommendation.objects.overdue(D(2019, 7, 31)))
        assert pks(Recommendation.objects.overdue(D(2019, 8, 1))) == {recommendation.pk}

    @pytest.mark.parametrize("status", [Status.ACHIEVED, Status.NO_LONGER_APPLICABLE])
    def test_a_finished_recommendation_is_never_overdue(self, status):
        recommendation = make_recommendation(target_date=D(2019, 3, 31))
        make_update(recommendation, as_at=D(2019, 3, 1), status=status)
        assert not pks(Recommendation.objects.overdue(D(2020, 1, 1)))

    @pytest.mark.parametrize("status", [Status.SLIPPED, Status.NOT_ACHIEVED, Status.ON_TRACK])
    def test_an_unfinished_status_stays_overdue(self, status):
        recommendation = make_recommendation(target_date=D(2019, 3, 31))
        make_update(recommendation, as_at=D(2019, 3, 1), status=status)
        assert pks(Recommendation.objects.overdue(D(2020, 1, 1))) == {recommendation.pk}

    def test_a_closed_recommendation_is_never_overdue(self):
        recommendation = make_recommendation(target_date=D(2019, 3, 31))
        meeting = make_meeting(committee=recommendation.review.committee, date=D(2019, 6, 1))
        recommendation.close(meeting=meeting, how=Closure.NOT_IMPLEMENTED, user=None)
        assert not pks(Recommendation.objects.overdue(D(2020, 1, 1)))
        assert not pks(Recommendation.objects.open())
        assert pks(Recommendation.objects.closed()) == {recommendation.pk}

    def test_one_without_a_target_date_is_never_overdue(self):
        make_recommendation(target_date=None)
        assert not pks(Recommendation.objects.overdue(D(2030, 1, 1)))


class TestStale:
    def test_with_no_report_it_is_stale_when_the_newest_update_is_over_90_days_old(self):
        recommendation = make_recommendation()
        make_update(recommendation, as_at=D(2019, 1, 1))
        # 90 days after 1 January 2019 is 1 April 2019.
        assert not pks(Recommendation.objects.stale(D(2019, 3, 31)))
        assert not pks(Recommendation.objects.stale(D(2019, 4, 1)))
        assert pks(Recommendation.objects.stale(D(2019, 4, 2))) == {recommendation.pk}

    def test_it_is_stale_when_the_newest_update_is_older_than_the_last_progress_report(self):
        review = make_review()
        recommendation = make_recommendation(review=review)
        meeting = make_meeting(committee=review.committee, date=D(2019, 1, 21))
        make_progress_report_item(review=review, meeting=meeting)
        make_update(recommendation, as_at=D(2019, 1, 20))
        # The meeting counts once it has happened.
        assert not pks(Recommendation.objects.stale(D(2019, 1, 21)))
        assert pks(Recommendation.objects.stale(D(2019, 1, 22))) == {recommendation.pk}

    def test_an_update_dated_on_the_meeting_day_is_not_stale(self):
        review = make_review()
        recommendation = make_recommendation(review=review)
        meeting = make_meeting(committee=review.committee, date=D(2019, 1, 21))
        make_progress_report_item(review=review, meeting=meeting)
        make_update(recommendation, as_at=D(2019, 1, 21))
        assert not pks(Recommendation.objects.stale(D(2019, 1, 22)))

    def test_only_this_reviews_reports_count(self):
        review, other = make_review(), make_review()
        recommendation = make_recommendation(review=review)
        meeting = make_meeting(committee=other.committee, date=D(2019, 1, 21))
        make_progress_report_item(review=other, meeting=meeting)
        make_update(recommendation, as_at=D(2019, 1, 10))
        assert not pks(Recommendation.objects.stale(D(2019, 2, 1)))

    def test_one_with_no_update_is_stale_once_its_report_is_older_than_the_reference(self):
        review = make_review(report_to_executive_date=D(2019, 1, 1))
        recommendation = make_recommendation(review=review)
        assert not pks(Recommendation.objects.stale(D(2019, 4, 1)))
        assert pks(Recommendation.objects.stale(D(2019, 4, 2))) == {recommendation.pk}

    def test_a_finished_recommendation_is_never_stale(self):
        recommendation = make_recommendation()
        make_update(recommendation, as_at=D(2019, 1, 1), status=Status.ACHIEVED)
        assert not pks(Recommendation.objects.stale(D(2020, 1, 1)))


class TestResponseOverdue:
    @pytest.mark.parametrize(
        ("today", "overdue"),
        [(D(2019, 2, 27), False), (D(2019, 2, 28), False), (D(2019, 3, 1), True)],
    )
    def test_awaiting_a_response_is_overdue_after_two_calendar_months(self, today, overdue):
        review = make_review(report_to_executive_date=D(2018, 12, 31))
        recommendation = make_recommendation(review=review, response=Response.AWAITING)
        assert (recommendation.pk in pks(Recommendation.objects.response_overdue(today))) is overdue

    def test_a_recommendation_with_a_response_is_not_response_overdue(self):
        review = make_review(report_to_executive_date=D(2018, 12, 31))
        make_recommendation(review=review, response=Response.ACCEPTED)
        assert not pks(Recommendation.objects.response_overdue(D(2020, 1, 1)))

    def test_a_review_not_yet_reported_owes_no_response(self):
        make_recommendation(review=make_review(report_to_executive_date=None))
        assert not pks(Recommendation.objects.response_overdue(D(2020, 1, 1)))


def fill(count: int):
    review = make_review(report_to_executive_date=D(2018, 1, 1))
    meeting = make_meeting(committee=review.committee, date=D(2018, 6, 1))
    make_progress_report_item(review=review, meeting=meeting)
    for n in range(count):
        recommendation = make_recommendation(str(n + 1), review=review, target_date=D(2018, 3, 1))
        if n % 2:
            make_update(recommendation, as_at=D(2018, 2, 1), status=Status.SLIPPED)


QUERYSETS = {
    "with_flags": lambda today: Recommendation.objects.with_flags(today),
    "open": lambda today: Recommendation.objects.open(),
    "overdue": lambda today: Recommendation.objects.overdue(today),
    "stale": lambda today: Recommendation.objects.stale(today),
    "response_overdue": lambda today: Recommendation.objects.response_overdue(today),
}


@pytest.mark.parametrize("name", QUERYSETS)
@pytest.mark.parametrize("count", [3, 300])
def test_each_queryset_costs_one_query_at_any_size(name, count, django_assert_num_queries):
    fill(count)
    with django_assert_num_queries(1):
        rows = list(QUERYSETS[name](D(2019, 1, 1)).select_related("lead_organisation"))
    assert len(rows) == count
    for row in rows:
        row.lead_organisation  # noqa: B018 -- a lazy load here would add queries


@pytest.mark.parametrize("today", [D(2018, 2, 1), D(2018, 4, 1), D(2018, 9, 1), D(2019, 6, 1)])
def test_the_flags_on_each_row_agree_with_the_named_querysets(today):
    fill(12)
    awaiting = make_review(report_to_executive_date=D(2018, 1, 10), status="awaiting_response")
    make_recommendation("1", review=awaiting, target_date=D(2018, 8, 1))
    make_recommendation("2", review=awaiting, response=Response.ACCEPTED)
    rows = list(Recommendation.objects.with_flags(today))
    assert {r.pk for r in rows if r.is_overdue} == pks(Recommendation.objects.overdue(today))
    assert {r.pk for r in rows if r.is_stale} == pks(Recommendation.objects.stale(today))
    assert {r.pk for r in rows if r.is_response_overdue} == pks(
        Recommendation.objects.response_overdue(today)
    )
    assert any(r.is_overdue for r in rows) or today < D(2018, 3, 2)
