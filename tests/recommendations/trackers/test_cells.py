"""Cells: the formula guard and dates."""

import datetime

import pytest

from recommendations.trackers.cells import guard_formula, parse_date, unguard_formula


@pytest.mark.parametrize(
    "text",
    ["=HYPERLINK(\"http://example.com\")", "+44 191", "-1", "@SUM(A1)", "\tTabbed", "'=quoted",
     "''", "'plain", "plain"],
)  # fmt: skip
def test_formula_guards_undo_exactly(text):
    guarded = guard_formula(text)
    assert not guarded.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert unguard_formula(guarded) == text


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2019-01-07", datetime.date(2019, 1, 7)),
        ("07/01/2019", datetime.date(2019, 1, 7)),
        ("7/1/2019", datetime.date(2019, 1, 7)),
        (datetime.datetime(2019, 1, 7, 0, 0), datetime.date(2019, 1, 7)),
        ("", None),
        (None, None),
    ],
)
def test_dates_are_read_in_iso_and_uk_order_and_from_date_cells(cell, expected):
    assert parse_date(cell) == expected
