"""Checking rows: each bad cell is reported with its row and column, and nothing is written."""

import pytest

from tests.factories import tracker_csv, tracker_row
from tests.recommendations.trackers.helpers import problems_of, xlsx_file

pytestmark = pytest.mark.django_db


def test_an_unknown_status_is_reported_with_its_row_and_column():
    data = tracker_csv(
        tracker_row(update_date="2025-01-01", update_status="On track", update_text="Fine."),
        tracker_row(update_date="2025-02-01", update_status="greenish", update_text="Fine."),
    )
    assert problems_of(data) == ["row 3, update_status: 'greenish' is not a known status"]


def test_an_unknown_response_is_reported():
    data = tracker_csv(tracker_row(response="Maybe later"))
    assert problems_of(data) == [
        "row 2, response: 'Maybe later' is not a known executive response (use accepted, "
        "partially accepted, not accepted, noted or awaiting)"
    ]


def test_an_impossible_date_and_a_date_in_another_form_are_reported():
    data = tracker_csv(
        tracker_row(target_date="31/02/2025"),
        tracker_row(number="2", target_date="March 2025"),
        tracker_row(number="3", update_date="2025-13-01", update_status="Done", update_text="x"),
    )
    assert problems_of(data) == [
        "row 2, target_date: '31/02/2025' is not a real date",
        "row 3, target_date: 'March 2025' is not a date: give it as YYYY-MM-DD or DD/MM/YYYY",
        "row 4, update_date: '2025-13-01' is not a real date",
    ]


def test_a_number_in_a_date_cell_of_an_xlsx_file_is_reported():
    data = xlsx_file([["review", "committee", "number", "recommendation", "target_date"],
                      ["Review of potholes", "Economy", "1", "Fill them.", 45000]])  # fmt: skip
    assert problems_of(data, "tracker.xlsx") == [
        "row 2, target_date: 45000 is a number, not a date: give the date as YYYY-MM-DD or "
        "DD/MM/YYYY"
    ]


def test_a_number_repeated_with_different_text_in_one_file_is_reported():
    data = tracker_csv(
        tracker_row(number="R1", recommendation="Fill the potholes."),
        tracker_row(number="R1", recommendation="Fill the potholes."),
        tracker_row(number="r1", recommendation="Paint the lines."),
    )
    assert problems_of(data) == [
        "row 4, recommendation: recommendation r1 of 'Review of potholes' has a different text "
        "on row 2"
    ]


def test_an_update_without_a_status_text_or_date_is_reported():
    data = tracker_csv(
        tracker_row(update_date="2025-01-01", update_text="Crews hired."),
        tracker_row(update_date="2025-01-01", update_status="On track"),
        tracker_row(update_status="On track", update_text="Crews hired."),
    )
    assert problems_of(data) == [
        "row 2, update_status: an update needs a status",
        "row 3, update_text: an update needs its text",
        "row 4, update_date: an update needs its date (the date it speaks for)",
    ]


def test_a_revised_target_date_without_a_reason_is_reported():
    data = tracker_csv(tracker_row(revised_target_date="2025-09-30"))
    assert problems_of(data) == [
        "row 2, revision_reason: a revised target date needs the reason for revising it"
    ]


def test_missing_review_and_number_are_reported():
    data = tracker_csv(tracker_row(review="", number=""))
    assert problems_of(data) == [
        "row 2, review: the review's title is missing",
        "row 2, number: the recommendation's number is missing",
    ]


def test_every_problem_in_a_file_is_reported_at_once():
    data = tracker_csv(
        tracker_row(response="perhaps"),
        tracker_row(number="2", target_date="30/02/2025"),
        tracker_row(number="3", update_date="2025-01-01", update_status="greenish",
                    update_text="x"),
    )  # fmt: skip
    assert len(problems_of(data)) == 3


def test_a_name_longer_than_the_register_holds_is_reported():
    data = tracker_csv(tracker_row(number="1" * 21))
    assert problems_of(data) == [f"row 2, number: '{'1' * 21}…' is longer than 20 characters"]
