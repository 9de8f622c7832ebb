"""Hostile tracker files: each is read or refused with its own problem, within a memory cap and a
time guard, and a refused one imports nothing, through the command or the upload page.

The corpus (workbook bombs, entity expansion, lying zip sizes, ragged rows, bad encodings, huge
row counts, files that are not what their name says) is made by `hostile.corpus()`; the same files
at the sizes a hostile user tried are measured by bench/hostile_files.py.
"""

import re
import sys

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils.html import escape
from openpyxl.utils.datetime import from_excel, from_ISO8601

from recommendations.models import Recommendation
from recommendations.trackers import xlsx
from recommendations.trackers.columns import COLUMNS
from recommendations.trackers.reading import read_tracker
from tests.factories import tracker_csv, tracker_row
from tests.recommendations.trackers import hostile as hostile_files
from tests.recommendations.trackers.helpers import keep_uploads_in, problems_of, row_counts
from tests.recommendations.trackers.hostile import (
    HEADER,
    MEMORY_CAP,
    RECORD,
    corpus,
    inline_row,
    read_in_child,
    workbook,
)

pytestmark = pytest.mark.django_db

CORPUS = corpus("test")
REFUSED = [hostile for hostile in CORPUS if hostile.refused_with]
BY_ID = {hostile.id: hostile for hostile in CORPUS}


@pytest.fixture(scope="module")
def bounded(tmp_path_factory) -> dict[str, dict]:
    """What reading each file in a child process did, by the file's id (one child for all)."""
    folder = tmp_path_factory.mktemp("hostile")
    paths = []
    for number, hostile in enumerate(CORPUS):
        path = folder / f"{number:02d} {hostile.name}"
        path.write_bytes(hostile.data)
        paths.append(path)
    return {
        hostile.id: result for hostile, result in zip(CORPUS, read_in_child(paths), strict=True)
    }


# The child's memory cap reads /proc and sets RLIMIT_AS, as on the Linux machines CI runs on.
linux_only = pytest.mark.skipif(sys.platform != "linux", reason="the memory cap needs Linux")


@linux_only
@pytest.mark.parametrize("hostile", CORPUS, ids=[hostile.id for hostile in CORPUS])
def test_each_hostile_file_is_read_or_refused_with_its_problem_within_the_memory_cap(
    hostile, bounded
):
    result = bounded[hostile.id]
    if hostile.refused_with is None:
        assert result["outcome"] == "read", result
    else:
        assert result["outcome"] == "refused", result
        assert hostile.refused_with in result["problems"]
    assert result["peak_rss"] < MEMORY_CAP


@linux_only
def test_the_memory_cap_stops_the_child_rather_than_only_measuring_it(tmp_path, monkeypatch):
    path = tmp_path / "tracker.csv"
    path.write_bytes(b"review,number\n" + b"Review of potholes,1\n" * 200_000)  # 4 MB
    monkeypatch.setattr(hostile_files, "MEMORY_CAP", 1024 * 1024)
    assert read_in_child([path])[0]["outcome"] != "read"


@pytest.mark.parametrize("hostile", REFUSED, ids=[hostile.id for hostile in REFUSED])
def test_the_import_command_imports_nothing_from_a_hostile_file(hostile, importer, tmp_path):
    path = tmp_path / hostile.name
    path.write_bytes(hostile.data)
    before = row_counts()
    with pytest.raises(CommandError, match=r"^Nothing was imported: the file has"):
        call_command("import_tracker", str(path), "--user", importer.username)
    assert row_counts() == before


ON_THE_PAGE = [
    "wide row",
    "shared strings",
    "declared shared strings",
    "entity bomb in the shared strings",
    "external entity",
    "lying size, smaller",
    "one long cell",
    "many rows",
    "ragged rows, XLSX",
    "not a zip",
    "no sheet",
    "cp1252",
]


@pytest.mark.parametrize("key", ON_THE_PAGE)
def test_the_upload_page_refuses_a_hostile_file_and_keeps_nothing(
    key, client, importer, settings, tmp_path
):
    hostile = BY_ID[key]
    keep_uploads_in(settings, tmp_path / "uploads")
    client.force_login(importer)
    before = row_counts()
    response = client.post(
        "/trackers/import/", {"file": SimpleUploadedFile(hostile.name, hostile.data)}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="govuk-error-message"' in page
    # A problem of the whole file is the field's error; problems of rows are listed by row.
    assert escape(re.sub(r"^row \d+: ", "", hostile.refused_with)) in page
    assert row_counts() == before
    assert not list(tmp_path.glob("uploads/*"))  # nothing kept for a preview


def test_a_utf16_file_as_excel_saves_unicode_text_is_previewed_on_the_page(
    client, importer, settings, tmp_path
):
    keep_uploads_in(settings, tmp_path / "uploads")
    client.force_login(importer)
    text = tracker_csv(tracker_row(recommendation="Fill the council\u2019s potholes.")).decode()
    data = text.replace(",", "\t").encode("utf-16")  # with its byte-order mark
    response = client.post("/trackers/import/", {"file": SimpleUploadedFile("tracker.csv", data)})
    assert response.status_code == 302
    preview = client.get(response["Location"]).content.decode()
    assert escape("Fill the council\u2019s potholes.") in preview
    assert not Recommendation.objects.exists()  # not until confirmed


def test_a_workbook_as_a_spreadsheet_writes_it_is_read_as_openpyxl_read_it():
    """Shared strings (rich text, phonetic runs), a date style, booleans, formulas' last values."""
    data = workbook(
        [
            HEADER[:-6] + b'<c r="D1" t="s"><v>3</v></c></row>',  # header's last cell: shared
            b'<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2"><v>7</v></c>'
            b'<c r="C2" t="s"><v>1</v></c><c r="D2" s="1"><v>45747</v></c></row>',
            b'<row r="4"><c r="A4" t="s"><v>0</v></c><c r="B4" t="str"><f>1+7</f><v>8</v></c>'
            b'<c r="C4" t="s"><v>2</v></c><c r="D4" t="d"><v>2025-03-31T00:00:00</v></c></row>',
        ],
        [
            b"<si><t>Review of potholes</t></si>",
            b'<si><r><rPr><b/></rPr><t>Fill </t></r><r><t xml:space="preserve">them. </t></r>'
            b'<rPh sb="0" eb="1"><t>ignored</t></rPh></si>',
            b"<si><t>Tab_x0009_here x005F_</t></si>",
            b"<si><t>target_date</t></si>",
        ],
    )
    table = read_tracker(data, "tracker.xlsx")
    assert table.columns == ["review", "number", "recommendation", "target_date"]
    assert [(row.number, row.cells) for row in table.rows] == [
        (
            2,
            {
                "review": "Review of potholes",
                "number": 7,
                "recommendation": "Fill them. ",
                "target_date": from_excel(45747),
            },
        ),
        (
            4,
            {
                "review": "Review of potholes",
                "number": "8",
                "recommendation": "Tab_x0009_here ",
                "target_date": from_ISO8601("2025-03-31T00:00:00"),
            },
        ),
    ]
    assert str(table.rows[0].cells["target_date"].date()) == "2025-03-31"


@pytest.mark.parametrize(
    "piece",
    [
        b"<x/>",
        b"<!---->",
        b"<?a?>",
        b"<![CDATA[]]>",
        b'<x a="" b="" c="" d="" e="" f="" g="" h="" i=""/>',
    ],
    ids=["elements", "comments", "processing instructions", "CDATA markers", "attributes"],
)
def test_the_xml_budget_refuses_a_part_of_too_many_pieces(monkeypatch, piece):
    monkeypatch.setattr(xlsx.limits, "MAX_XML_ELEMENTS", 1_000)
    data = workbook([HEADER, RECORD, piece * (1_000 if b"=" not in piece else 100)])
    assert problems_of(data, "tracker.xlsx") == [
        "The workbook holds more than 1,000 pieces of XML in the parts a tracker needs, far more "
        "than a tracker of its size: split it into smaller files, or save the tracker sheet as "
        '"CSV UTF-8"'
    ]


def test_a_header_with_a_name_beyond_the_columns_read_is_refused():
    names = ["review", "number", *[""] * 40, "update_text"]
    assert problems_of(workbook([inline_row(1, names), RECORD]), "tracker.xlsx") == [
        "row 1: the first row has a name in column 43, but a tracker's column names are in its "
        "first 30 columns; the columns are: " + ", ".join(COLUMNS)
    ]


def test_a_workbook_with_prefixed_elements_is_read():
    """Some generators write `<x:c>` with a prefix for the spreadsheet namespace."""
    main = hostile_files.MAIN
    sheet = (
        f'<x:worksheet xmlns:x="{main}"><x:sheetData>'
        '<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>review</x:t></x:is></x:c>'
        '<x:c r="B1" t="inlineStr"><x:is><x:t>number</x:t></x:is></x:c></x:row>'
        '<x:row r="2"><x:c r="A2" t="inlineStr"><x:is><x:t>Review of potholes</x:t></x:is></x:c>'
        '<x:c r="B2"><x:v>1</x:v></x:c></x:row>'
        "</x:sheetData></x:worksheet>"
    ).encode()
    data = workbook([], parts={"xl/worksheets/sheet1.xml": sheet})
    table = read_tracker(data, "tracker.xlsx")
    assert [row.cells for row in table.rows] == [{"review": "Review of potholes", "number": 1}]
