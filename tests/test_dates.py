"""The product's date range, and date arithmetic and date inputs that never fail."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from reviews.models import Review
from scrutiny.dates import EARLIEST, LATEST, add_months, validate_in_range
from scrutiny.forms import Form, GovUKDateField
from tests.factories import make_committee, make_review

D = datetime.date
HUGE = str(2**63)


class DateForm(Form):
    when = GovUKDateField(label="Target date")


def date_form(day: str, month: str, year: str) -> DateForm:
    return DateForm({"when_day": day, "when_month": month, "when_year": year})


def test_the_range_runs_from_1990_to_the_end_of_2100():
    assert (D(1990, 1, 1), D(2100, 12, 31)) == (EARLIEST, LATEST)


@pytest.mark.parametrize("day", [EARLIEST, LATEST, D(2018, 6, 13)])
def test_a_date_in_the_range_is_valid(day):
    validate_in_range(day)


@pytest.mark.parametrize("day", [D(1, 1, 1), D(1989, 12, 31), D(2101, 1, 1), D(9999, 11, 15)])
def test_a_date_outside_the_range_is_refused_with_the_range(day):
    with pytest.raises(ValidationError) as raised:
        validate_in_range(day)
    assert raised.value.messages == ["The date must be between 1 January 1990 and 31 December 2100"]


def test_add_months_clamps_to_the_last_day_of_a_shorter_month():
    assert add_months(D(2019, 12, 31), 2) == D(2020, 2, 29)
    assert add_months(D(2019, 1, 31), -2) == D(2018, 11, 30)


def test_add_months_two_months_after_november_9999_is_the_last_day_python_knows():
    assert add_months(D(9999, 11, 15), 2) == datetime.date.max


def test_add_months_before_the_first_year_is_the_first_day_python_knows():
    assert add_months(D(1, 1, 31), -1) == datetime.date.min


@pytest.mark.parametrize("months", [-(10**6), -24, -1, 0, 1, 24, 10**6])
@pytest.mark.parametrize("day", [datetime.date.min, D(2000, 2, 29), datetime.date.max])
def test_add_months_never_raises(day, months):
    assert isinstance(add_months(day, months), datetime.date)


@pytest.mark.parametrize(
    ("day", "month"), [(HUGE, "1"), ("1", HUGE), (HUGE, HUGE), ("9" * 5000, "1")]
)
def test_a_day_or_month_of_2_to_the_63_is_not_a_real_date(day, month):
    form = date_form(day, month, "2020")
    assert not form.is_valid()
    assert form.errors["when"] == ["Target date must be a real date"]


def test_digits_of_other_scripts_are_not_a_real_date():
    form = date_form("\u0661", "\u0663", "2020")  # Arabic-Indic one and three
    assert form.errors["when"] == ["Target date must be a real date"]


def test_a_leading_zero_is_still_a_day():
    form = date_form("007", "03", "2020")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["when"] == D(2020, 3, 7)


@pytest.mark.parametrize(("year", "day"), [("0001", "1"), ("1989", "31"), ("2101", "1")])
def test_a_date_input_refuses_a_date_outside_the_range(year, day):
    form = date_form(day, "12" if year == "1989" else "1", year)
    assert form.errors["when"] == [
        "Target date must be between 1 January 1990 and 31 December 2100"
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("part", ["as_at_day", "as_at_month"])
@pytest.mark.parametrize("view", ["show_progress_report", "download_progress_report_pdf"])
def test_the_appendix_form_open_to_every_reader_answers_2_to_the_63_with_an_error(
    client, councillor, part, view
):
    review = make_review()
    client.force_login(councillor)
    query = {"as_at_day": "1", "as_at_month": "1", "as_at_year": "2020", part: HUGE}
    response = client.get(reverse(f"recommendations:{view}", args=[review.pk]), query)
    assert response.status_code in (200, 400)
    assert "Position as at must be a real date" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("year", ["9999", "1989"])
def test_the_review_form_refuses_a_report_to_the_executive_outside_the_range(client, clerk, year):
    committee = make_committee()
    client.force_login(clerk)
    response = client.post(
        "/reviews/add/",
        {
            "committee": str(committee.pk),
            "title": "Review of potholes",
            "report_to_executive_date_day": "15",
            "report_to_executive_date_month": "11",
            "report_to_executive_date_year": year,
            "status": Review.Status.AWAITING_RESPONSE,
        },
    )
    assert response.status_code == 200
    assert (
        "Report to executive must be between 1 January 1990 and 31 December 2100"
        in response.content.decode()
    )
    assert not Review.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        {"as_at__year": "9999"},
        {"as_at__year": "9999", "as_at__month": "12"},
        {"as_at__year": "2020", "as_at__month": HUGE},
        {"as_at__year": "2020", "as_at__month": "1", "as_at__day": HUGE},
        {"as_at__year": str(2**70)},
    ],
)
def test_the_admin_date_hierarchy_refuses_a_date_beyond_the_calendar(client, administrator, query):
    client.force_login(administrator)
    response = client.get("/admin/recommendations/progressupdate/", query)
    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")


@pytest.mark.django_db
def test_the_meeting_admin_date_hierarchy_refuses_year_9999(client, administrator):
    client.force_login(administrator)
    response = client.get("/admin/reviews/meeting/", {"date__year": "9999"})
    assert response.status_code == 302


@pytest.mark.django_db
def test_the_admin_date_hierarchy_still_lists_a_real_year(client, administrator):
    client.force_login(administrator)
    response = client.get("/admin/recommendations/progressupdate/", {"as_at__year": "2020"})
    assert response.status_code == 200
