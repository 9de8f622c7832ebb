"""Reading a file: headers, CSV and XLSX cells, and every kind of file that cannot be read."""

import datetime
import io
import zipfile

import openpyxl
import pytest

from recommendations.choices import Status
from recommendations.models import Recommendation
from recommendations.trackers.applying import import_tracker
from recommendations.trackers.columns import COLUMNS
from recommendations.trackers.problems import TrackerFileError
from recommendations.trackers.reading import (
    MAX_BYTES,
    MAX_ROWS,
    MAX_UNPACKED_BYTES,
    read_tracker,
)
from tests.factories import tracker_csv, tracker_row
from tests.recommendations.trackers.helpers import problems_of, xlsx_file, xlsx_with_entity_bomb

pytestmark = pytest.mark.django_db


def test_headers_are_read_in_any_order_and_case_with_spaces_around(importer):
    data = (
        b" Number ,REVIEW, Committee ,Recommendation,Update Date,update_status,update_text\n"
        b"R3,Review of potholes,Economy,Fill them.,2025-01-01,Done,Finished.\n"
    )
    plan = import_tracker(data, "tracker.CSV", user=importer)
    assert plan.created_recommendations == 1
    assert Recommendation.objects.get().updates.get().status == Status.ACHIEVED


def test_an_xlsx_file_with_date_cells_and_number_cells_imports(importer):
    data = xlsx_file(
        [
            ["review", "committee", "number", "recommendation", "target_date", "update_date",
             "update_status", "update_text"],
            ["Review of potholes", "Economy", 1, "Fill them.", datetime.datetime(2025, 3, 31),
             datetime.date(2025, 1, 15), "on_track", "Crews hired."],
            [None, None, None, None, None, None, None, None],
            ["Review of potholes", "Economy", 2.0, "Map them.", "31/03/2025", None, None, None],
        ]
    )  # fmt: skip
    plan = import_tracker(data, "tracker.xlsx", user=importer)
    assert plan.summary() == (
        "Created 1 review, 2 recommendations, 1 progress update; updated 0; unchanged 0"
    )
    assert set(Recommendation.objects.values_list("number", "target_date")) == {
        ("1", datetime.date(2025, 3, 31)),
        ("2", datetime.date(2025, 3, 31)),
    }


def test_a_file_over_the_size_limit_is_refused():
    data = tracker_csv(tracker_row()) + b" " * MAX_BYTES
    assert problems_of(data) == ["The file is larger than 10 MB: split it into smaller files"]


def test_a_file_over_the_row_limit_is_refused():
    rows = [tracker_row(number=str(n)) for n in range(MAX_ROWS + 1)]
    assert problems_of(tracker_csv(*rows)) == [
        "The file has more than 20,000 rows: split it into smaller files"
    ]


def test_a_missing_required_column_is_named():
    data = tracker_csv(tracker_row(), columns=["review", "committee", "recommendation"])
    assert problems_of(data) == ["row 1: the required column 'number' is missing"]


def test_an_unknown_or_repeated_column_is_named():
    data = b"review,number,RAG rating,Number\nReview of potholes,1,red,1\n"
    assert problems_of(data) == [
        "row 1: 'RAG rating' (column 3) is not a known column; the columns are: "
        + ", ".join(COLUMNS),
        "row 1: the column 'number' appears more than once",
    ]


@pytest.mark.parametrize(
    "data", [b"", b"   \r\n", b"\xef\xbb\xbf"], ids=["nothing", "blank", "only a BOM"]
)
def test_an_empty_file_is_refused(data):
    assert problems_of(data) == ["The file is empty"]


def test_a_file_with_only_column_names_is_refused():
    assert problems_of(tracker_csv()) == [
        "The file has column names but no rows of recommendations below them"
    ]


def test_a_csv_in_another_encoding_gets_a_clear_error_not_mojibake():
    data = tracker_csv(tracker_row()).decode().replace("council", "council\u2019s").encode("cp1252")
    assert problems_of(data) == [
        "The file is not UTF-8 text (line 2 has characters in another encoding): save it as "
        '"CSV UTF-8" and upload it again'
    ]


def test_a_file_that_is_not_really_csv_is_refused():
    workbook = xlsx_file([["review", "number"], ["Review of potholes", "1"]])
    assert problems_of(workbook, "tracker.csv") == [
        "The file is not a CSV file (it looks like a spreadsheet or other binary file)"
    ]
    assert problems_of(b"\x89PNG\r\n\x1a\n\x00\x00", "tracker.csv") == [
        "The file is not a CSV file (it looks like a spreadsheet or other binary file)"
    ]


def test_a_file_that_is_not_really_xlsx_is_refused():
    expected = [
        "The file is not an Excel workbook (.xlsx) that can be read: it may be damaged, "
        "password-protected, or another kind of file with an .xlsx name"
    ]
    assert problems_of(tracker_csv(tracker_row()), "tracker.xlsx") == expected
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert problems_of(buffer.getvalue(), "tracker.xlsx") == expected


ENTITY_BOMB_REFUSED = (
    "The file could not be read as an Excel workbook: part of it declares its own XML entities, "
    "which a workbook saved by Excel never does and which are refused for safety. Open it in "
    'Excel and save it again as .xlsx, or save it as "CSV UTF-8"'
)


def test_workbooks_are_parsed_with_defusedxml():
    assert openpyxl.DEFUSEDXML, "openpyxl uses defusedxml only when it is installed and allowed"


@pytest.mark.parametrize(
    "part", ["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml"], ids=["sheet", "shared strings"]
)
def test_a_workbook_carrying_an_xml_entity_bomb_is_refused_with_a_clear_problem(part):
    data = xlsx_with_entity_bomb(part)
    with pytest.raises(TrackerFileError) as raised:
        read_tracker(data, "tracker.xlsx")
    assert [str(problem) for problem in raised.value.problems] == [ENTITY_BOMB_REFUSED]
    assert problems_of(data, "tracker.xlsx") == [ENTITY_BOMB_REFUSED]


def test_an_xlsx_file_that_unpacks_to_too_much_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b" " * (MAX_UNPACKED_BYTES + 1))
    assert len(buffer.getvalue()) < MAX_BYTES
    assert problems_of(buffer.getvalue(), "tracker.xlsx") == [
        "The workbook unpacks to more than 200 MB: split it into smaller files, or save it as "
        "CSV UTF-8"
    ]


def test_a_file_of_another_kind_is_refused():
    assert problems_of(b"review,number\n", "tracker.txt") == [
        "The file must be a CSV (.csv) or Excel (.xlsx) file"
    ]
    assert problems_of(b"\xd0\xcf\x11\xe0", "tracker.xls") == [
        "The file is an old Excel workbook (.xls): save it as .xlsx or CSV UTF-8"
    ]


def test_a_broken_csv_row_is_reported_with_its_row():
    data = b'review,number,recommendation\nReview of potholes,1,"Fill them\nReview,2,"x" y\n'
    problems = problems_of(data)
    assert len(problems) == 1 and problems[0].startswith("row 2: the row cannot be read as CSV")


def test_a_row_with_more_cells_than_column_names_is_reported():
    data = b"review,committee,number,recommendation\nReview of potholes,Economy,1,Fill,extra\n"
    assert problems_of(data) == ["row 2: the row has 5 cells but there are only 4 column names"]
