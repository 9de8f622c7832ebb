"""Reading a file: headers, CSV and XLSX cells, and every kind of file that cannot be read."""

import codecs
import csv
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
    MAX_ROWS,
    MAX_UNPACKED_BYTES,
    max_upload_bytes,
    read_tracker,
)
from tests.factories import TRACKER_COLUMNS, tracker_csv, tracker_row
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


def test_a_file_over_the_upload_limit_is_refused_by_the_reader_when_given_one(settings):
    settings.TRACKER_MAX_UPLOAD_MB = 1
    data = tracker_csv(tracker_row()) + b" " * max_upload_bytes()
    with pytest.raises(TrackerFileError) as raised:
        read_tracker(data, "tracker.csv", max_bytes=max_upload_bytes())
    assert [str(problem) for problem in raised.value.problems] == [
        "The file is larger than 1 MB: split it into smaller files"
    ]


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


ENCODINGS = (
    "CSV files are read as UTF-8, or as UTF-16 when they start with its byte-order mark (as "
    'Excel saves "Unicode Text")'
)


def test_a_csv_in_another_encoding_gets_a_clear_error_not_mojibake():
    data = tracker_csv(tracker_row()).decode().replace("council", "council\u2019s").encode("cp1252")
    assert problems_of(data) == [
        "The file is not UTF-8 text (line 2 has characters in another encoding): save it as "
        f'"CSV UTF-8" and upload it again. {ENCODINGS}'
    ]


def unicode_text(*rows: dict, encoding: str = "utf-16") -> bytes:
    """A tracker as Excel saves "Unicode Text": UTF-16 with its byte-order mark, tab-separated."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter="\t", lineterminator="\r\n")
    writer.writerow(TRACKER_COLUMNS)
    for row in rows:
        writer.writerow([row[column] for column in TRACKER_COLUMNS])
    text = buffer.getvalue()
    if encoding == "utf-16":  # Python's own choice of byte order: say which, as Excel does
        return codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    return codecs.BOM_UTF16_BE + text.encode("utf-16-be")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"], ids=["little-endian", "big-endian"])
def test_a_utf16_file_as_excel_saves_unicode_text_imports(importer, encoding):
    narrative = (
        "Crews hired \u2014 the council\u2019s \u201cpothole week\u201d, in\ttabs; \U0001f6a7"
    )
    data = unicode_text(
        tracker_row(number="1", update_date="15/01/2025", update_status="On track", update_text=narrative),
        tracker_row(number="2", recommendation="Map them,\nand \"publish\" the map."),
        encoding=encoding,
    )  # fmt: skip
    plan = import_tracker(data, "tracker.csv", user=importer)
    assert plan.created_recommendations == 2
    first, second = Recommendation.objects.order_by("sort_key")
    assert first.updates.get().narrative == narrative
    assert second.text == 'Map them,\nand "publish" the map.'


def test_a_utf16_file_with_commas_imports(importer):
    data = codecs.BOM_UTF16_LE + tracker_csv(tracker_row()).decode().encode("utf-16-le")
    assert import_tracker(data, "tracker.csv", user=importer).created_recommendations == 1


def test_a_utf8_file_with_tabs_imports(importer):
    data = unicode_text(tracker_row()).decode("utf-16").encode()
    assert import_tracker(data, "tracker.csv", user=importer).created_recommendations == 1


def test_utf16_without_its_byte_order_mark_is_refused_saying_what_is_read():
    data = tracker_csv(tracker_row()).decode().encode("utf-16-le")
    assert problems_of(data) == [
        "The file is UTF-16 text without the byte-order mark that says which way round its "
        f'bytes are: save it as "CSV UTF-8" and upload it again. {ENCODINGS}'
    ]


def test_broken_utf16_is_refused_with_its_line():
    data = unicode_text(tracker_row()) + b"\x00\xd8x"  # half a character
    assert problems_of(data) == [
        "The file is not UTF-16 text (line 3 has characters in another encoding): save it as "
        f'"CSV UTF-8" and upload it again. {ENCODINGS}'
    ]


def test_utf32_is_refused_saying_what_is_read():
    data = codecs.BOM_UTF32_LE + tracker_csv(tracker_row()).decode().encode("utf-32-le")
    assert problems_of(data) == [
        f'The file is UTF-32 text: save it as "CSV UTF-8" and upload it again. {ENCODINGS}'
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
    assert len(buffer.getvalue()) < max_upload_bytes()
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
