import datetime

import pytest

from reviews.models import Review, add_months
from tests.factories import make_review

D = datetime.date


@pytest.mark.parametrize(
    ("reported", "due"),
    [
        (D(2018, 6, 13), D(2018, 8, 13)),
        (D(2018, 12, 31), D(2019, 2, 28)),
        (D(2019, 12, 31), D(2020, 2, 29)),  # leap year
        (D(2019, 8, 31), D(2019, 10, 31)),
        (D(2019, 7, 31), D(2019, 9, 30)),
        (D(2019, 11, 30), D(2020, 1, 30)),
    ],
)
def test_the_response_is_due_two_calendar_months_after_the_report(reported, due, db):
    review = make_review(report_to_executive_date=reported)
    assert review.response_due_date == due


def test_a_review_not_yet_reported_has_no_response_due_date(db):
    assert make_review(report_to_executive_date=None).response_due_date is None


def test_add_months_goes_backwards_across_years():
    assert add_months(D(2019, 1, 31), -2) == D(2018, 11, 30)


@pytest.mark.parametrize(
    ("today", "overdue"),
    [(D(2019, 2, 27), False), (D(2019, 2, 28), False), (D(2019, 3, 1), True)],
)
def test_a_review_awaiting_response_is_overdue_only_after_its_due_date(today, overdue, db):
    review = make_review(
        report_to_executive_date=D(2018, 12, 31), status=Review.Status.AWAITING_RESPONSE
    )
    assert Review.objects.with_flags(today).get(pk=review.pk).is_response_overdue is overdue
    assert Review.objects.response_overdue(today).filter(pk=review.pk).exists() is overdue


def test_a_review_that_has_its_response_is_never_response_overdue(db):
    review = make_review(report_to_executive_date=D(2018, 1, 1), status=Review.Status.MONITORING)
    assert not Review.objects.with_flags(D(2019, 1, 1)).get(pk=review.pk).is_response_overdue
    assert not Review.objects.response_overdue(D(2019, 1, 1)).exists()


def test_the_response_overdue_filter_agrees_with_the_due_date_on_every_day_of_a_year(db):
    start = D(2019, 1, 1)
    reviews = [
        make_review(
            report_to_executive_date=start + datetime.timedelta(days=n),
            status=Review.Status.AWAITING_RESPONSE,
        )
        for n in range(0, 366, 1)
    ]
    for today in [D(2019, 3, 1), D(2019, 4, 30), D(2019, 5, 1), D(2019, 12, 31), D(2020, 2, 29)]:
        # The due date worked out in Python: two calendar months after the report.
        expected = {r.pk for r in reviews if r.response_due_date < today}
        assert set(Review.objects.response_overdue(today).values_list("pk", flat=True)) == expected
