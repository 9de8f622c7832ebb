"""Writing a tracker file: CSV and XLSX exports, formula guards, and their queries."""

import datetime
import io

import openpyxl
import pytest

from recommendations.models import Recommendation
from recommendations.trackers.applying import import_tracker
from recommendations.trackers.writing import write_csv, write_xlsx
from tests.factories import make_organisation, make_recommendation, make_review, make_update
from tests.recommendations.trackers.helpers import xlsx_values

pytestmark = pytest.mark.django_db


def test_exported_cells_that_look_like_formulas_are_made_safe_and_import_back(importer):
    review = make_review("Review of potholes")
    recommendation = make_recommendation(
        "1", review=review, text='=HYPERLINK("http://evil.example","Click")'
    )
    make_update(recommendation, as_at=datetime.date(2025, 1, 1), narrative="-10% on last year")
    csv_data = write_csv(Recommendation.objects.all())
    assert b"'=HYPERLINK" in csv_data and b"'-10%" in csv_data
    xlsx_data = write_xlsx(Recommendation.objects.all())
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_data)).worksheets[0]
    assert sheet["D2"].data_type == "s" and sheet["D2"].value.startswith("'=")
    plan = import_tracker(csv_data, "tracker.csv", user=importer)
    assert not plan.has_changes
    plan = import_tracker(xlsx_data, "tracker.xlsx", user=importer)
    assert not plan.has_changes


def test_a_recommendation_with_no_update_exports_one_row_with_blank_update_columns():
    review = make_review("Review of potholes")
    make_recommendation("1", review=review)
    rows = write_csv(Recommendation.objects.all()).decode("utf-8-sig").splitlines()
    assert len(rows) == 2
    assert rows[1].endswith(",,,")


def test_the_export_takes_the_same_queries_at_any_size(django_assert_num_queries):
    review = make_review("Review of potholes")
    partner = make_organisation()

    def add(count):
        for _ in range(count):
            recommendation = make_recommendation(review=review, lead_organisation=partner)
            recommendation.partners.add(partner)
            make_update(recommendation, as_at=datetime.date(2025, 1, 1))

    add(2)
    with django_assert_num_queries(3):
        write_csv(Recommendation.objects.all())
    add(30)
    with django_assert_num_queries(3):
        write_csv(Recommendation.objects.all())
    with django_assert_num_queries(3):
        write_xlsx(Recommendation.objects.all())


def test_characters_a_workbook_cannot_hold_are_left_out_of_the_xlsx_export():
    make_recommendation("1", review=make_review(), text="Pasted from a letter\x0b with a tab stop.")
    values = xlsx_values(write_xlsx(Recommendation.objects.all()))
    assert values[1][3] == "Pasted from a letter with a tab stop."
