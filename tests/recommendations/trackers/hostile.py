"""Hostile tracker files, made on the spot, and a way to read them within a memory cap.

The corpus is built by code (a bomb of 190 MB unpacked is a 400 KB zip made in a second or two),
so nothing large is kept in the repository. `corpus(scale)` gives every file at a size that keeps
the tests quick (`scale="test"`) or at the sizes a hostile user tried (`scale="full"`, for
bench/hostile_files.py). `read_in_child(paths)` reads each file in a child process whose address
space may grow by no more than MEMORY_CAP, and reports what happened, how long it took and the
child's peak resident memory.
"""

import io
import json
import os
import subprocess
import sys
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{SHEET_TYPE}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{SHEET_TYPE}.worksheet+xml"/>'
    f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SHEET_TYPE}.sharedStrings+xml"/>'
    f'<Override PartName="/xl/styles.xml" ContentType="{SHEET_TYPE}.styles+xml"/>'
    "</Types>"
).encode()
PACKAGE_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELS}">'
    f'<Relationship Id="rId1" Type="{OFFICE}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
).encode()
WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{OFFICE}">'
    '<sheets><sheet name="Tracker" sheetId="1" r:id="rId1"/></sheets></workbook>'
).encode()
WORKBOOK_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELS}">'
    f'<Relationship Id="rId1" Type="{OFFICE}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{OFFICE}/sharedStrings" Target="sharedStrings.xml"/>'
    f'<Relationship Id="rId3" Type="{OFFICE}/styles" Target="styles.xml"/>'
    "</Relationships>"
).encode()
# Style 0 is plain; style 1 shows a number as a date, the way Excel stores date cells.
STYLES = (
    f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{MAIN}">'
    '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs>'
    "</styleSheet>"
).encode()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def inline_row(number: int, values: list[str]) -> bytes:
    """A row of inline-string cells from column A."""
    cells = "".join(
        f'<c r="{_column(position)}{number}" t="inlineStr"><is><t>{_escape(value)}</t></is></c>'
        for position, value in enumerate(values, start=1)
        if value
    )
    return f'<row r="{number}">{cells}</row>'.encode()


def _column(position: int) -> str:
    letters = ""
    while position:
        position, remainder = divmod(position - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


HEADER = inline_row(1, ["review", "number", "recommendation"])


def workbook(
    sheet_data: Iterable[bytes],
    shared_strings: Iterable[bytes] | None = None,
    *,
    parts: dict[str, bytes] | None = None,
    sheet_head: bytes = b"",
    shared_head: bytes = b"",
    shared_attributes: bytes = b"",
    streamed: bool = True,
) -> bytes:
    """A workbook whose first sheet's `sheetData` holds `sheet_data`.

    `shared_strings` is the content of the shared strings part (its `si` elements); `parts`
    replaces or adds any other part; the heads go before a part's root element (a DOCTYPE, say).
    The sheet and shared strings are streamed into the zip (as zip64 parts) unless `streamed` is
    false, which keeps every size in the plain zip fields.
    """
    buffer = io.BytesIO()
    standard = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": PACKAGE_RELS,
        "xl/workbook.xml": WORKBOOK,
        "xl/_rels/workbook.xml.rels": WORKBOOK_RELS,
        "xl/styles.xml": STYLES,
    }
    large = {
        "xl/worksheets/sheet1.xml": (
            [sheet_head, f'<worksheet xmlns="{MAIN}"><sheetData>'.encode()],
            sheet_data,
            b"</sheetData></worksheet>",
        )
    }
    if shared_strings is not None:
        large["xl/sharedStrings.xml"] = (
            [shared_head, b"<sst " + shared_attributes + f' xmlns="{MAIN}">'.encode()],
            shared_strings,
            b"</sst>",
        )
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in (standard | (parts or {})).items():
            if name not in large:
                archive.writestr(name, content)
        for name, (head, body, tail) in large.items():
            if parts and name in parts:
                archive.writestr(name, parts[name])
            elif streamed:
                _stream(archive, name, head, body, tail)
            else:
                archive.writestr(name, b"".join([*head, *body, tail]))
    return buffer.getvalue()


def _stream(archive, name: str, head: list[bytes], body: Iterable[bytes], tail: bytes) -> None:
    with archive.open(name, "w", force_zip64=True) as part:
        part.write(b"".join(head))
        for chunk in body:
            part.write(chunk)
        part.write(tail)


def repeated(chunk: bytes, times: int) -> Iterator[bytes]:
    """`chunk` `times` over, in pieces of about a megabyte."""
    batch = max(1, (1 << 20) // len(chunk))
    whole, rest = divmod(times, batch)
    block = chunk * batch
    for _ in range(whole):
        yield block
    yield chunk * rest


def with_declared_size(data: bytes, name: str, size: int) -> bytes:
    """The zip with `name`'s unpacked size rewritten in its local header and its directory."""
    data = bytearray(data)
    encoded = name.encode()
    for signature, size_at, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        start = 0
        while (start := data.find(signature, start)) != -1:
            if data[start + name_at : start + name_at + len(encoded)] == encoded:
                data[start + size_at : start + size_at + 4] = size.to_bytes(4, "little")
            start += 4
    return bytes(data)


def plain_zip(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@dataclass
class Hostile:
    """A file of the corpus, and the problem it must be refused with (None: it is read)."""

    id: str
    name: str  # the file's name, which says its kind
    data: bytes
    refused_with: str | None


SAVE_AGAIN = 'Open it in Excel and save it again as .xlsx, or save it as "CSV UTF-8"'
SPLIT = 'split it into smaller files, or save the tracker sheet as "CSV UTF-8"'
TOO_MANY_ROWS = "The file has more than 20,000 rows: split it into smaller files"
FORBIDDEN_XML = (
    "The file could not be read as an Excel workbook: part of it declares its own XML entities, "
    "which a workbook saved by Excel never does and which are refused for safety. " + SAVE_AGAIN
)
NOT_XLSX = (
    "The file is not an Excel workbook (.xlsx) that can be read: it may be damaged, "
    "password-protected, or another kind of file with an .xlsx name"
)
ENCODINGS = (
    "CSV files are read as UTF-8, or as UTF-16 when they start with its byte-order mark (as "
    'Excel saves "Unicode Text")'
)
ENTITY_BOMB = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol0 "lol">\n'
    + b"".join(
        f'<!ENTITY lol{level} "{f"&lol{level - 1};" * 10}">\n'.encode() for level in range(1, 10)
    )
    + b"]>\n"
)
EXTERNAL_ENTITY = (
    b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
)
RECORD = inline_row(2, ["Review of potholes", "1", "Fill them."])
CSV_ROWS = "review,number,recommendation\r\nReview of potholes,1,That the council\u2019s crews fill them.\r\n"


def _damaged(part: str, what: str) -> str:
    return f"The workbook is damaged: its part {part} {what}. {SAVE_AGAIN}"


def corpus(scale: str = "test") -> list[Hostile]:
    """Every hostile file: `scale` "test" keeps them quick to make and read, "full" is as tried."""
    full = scale == "full"
    sheet = "xl/worksheets/sheet1.xml"
    uses_string = b'<row r="2"><c r="A2" t="s"><v>%d</v></c><c r="B2"><v>1</v></c></row>'
    strings = 12_000_000 if full else 600_000
    wide = 13_600_000 if full else 200_000
    rows = 1_000_000 if full else 25_000
    blank_rows = 10_000_000 if full else 50_000
    csv_rows = 450_000 if full else 25_000  # just under 10 MB
    long_text = (190 if full else 1) * 1024 * 1024
    small = workbook([HEADER, RECORD], streamed=False)
    return [
        Hostile(
            "wide row",
            f"one row of {wide:,} cells.xlsx",
            workbook([HEADER, b'<row r="2">', *repeated(b"<c><v>1</v></c>", wide), b"</row>"]),
            "row 2: the row has more than 16,384 cells, more than Excel allows in a row. "
            + SAVE_AGAIN,
        ),
        Hostile(
            "wide rows",
            "rows of 16,000 empty cells.xlsx",
            workbook(
                [
                    HEADER,
                    *(b'<row r="%d">' % n + b"<c/>" * 16_000 + b"</row>" for n in range(2, 70)),
                ]
            ),
            "The sheet has more than 1,000,000 cells (counting empty ones that are formatted), far "
            "more than a tracker needs: delete the unused rows and columns, or save the tracker "
            'sheet as "CSV UTF-8"',
        ),
        Hostile(
            "cell beyond Excel's last column",
            "a cell in column XFE.xlsx",
            workbook([HEADER, b'<row r="2"><c r="XFE2"><v>1</v></c></row>']),
            "row 2: the row has more than 16,384 cells, more than Excel allows in a row. "
            + SAVE_AGAIN,
        ),
        Hostile(
            "shared strings",
            f"{strings:,} shared strings, the last one used.xlsx",
            workbook(
                [HEADER, uses_string % (strings - 1)], repeated(b"<si><t>x</t></si>", strings)
            ),
            "The workbook holds more than 500,000 different texts, more than a tracker can use: "
            + SPLIT,
        ),
        Hostile(
            "declared shared strings",
            "12,000,000 shared strings declared.xlsx",
            workbook(
                [HEADER, uses_string % 0],
                [b"<si><t>x</t></si>"],
                shared_attributes=b'count="12000000" uniqueCount="12000000"',
            ),
            "The workbook holds more than 500,000 different texts (12,000,000), more than a "
            "tracker can use: " + SPLIT,
        ),
        Hostile(
            "unused shared strings",
            f"{strings:,} shared strings, the first one used.xlsx",
            workbook([HEADER, uses_string % 0], repeated(b"<si><t>x</t></si>", strings)),
            None,  # only the strings the sheet uses are read
        ),
        Hostile(
            "entity bomb in the sheet",
            "billion laughs in the sheet.xlsx",
            workbook(
                [HEADER, b'<row r="2"><c r="A2" t="inlineStr"><is><t>&lol9;</t></is></c></row>'],
                sheet_head=ENTITY_BOMB,
            ),
            FORBIDDEN_XML,
        ),
        Hostile(
            "entity bomb in the shared strings",
            "billion laughs in the shared strings.xlsx",
            workbook(
                [HEADER, uses_string % 0], [b"<si><t>&lol9;</t></si>"], shared_head=ENTITY_BOMB
            ),
            FORBIDDEN_XML,
        ),
        Hostile(
            "entity bomb in the workbook",
            "billion laughs in the workbook part.xlsx",
            workbook(
                [HEADER, RECORD],
                parts={"xl/workbook.xml": ENTITY_BOMB + WORKBOOK.split(b"?>", 1)[1]},
            ),
            FORBIDDEN_XML,
        ),
        Hostile(
            "external entity",
            "an external entity in the sheet.xlsx",
            workbook(
                [HEADER, b'<row r="2"><c r="A2" t="inlineStr"><is><t>&xxe;</t></is></c></row>'],
                sheet_head=EXTERNAL_ENTITY,
            ),
            FORBIDDEN_XML,
        ),
        Hostile(
            "lying size, smaller",
            "a sheet larger than its zip says.xlsx",
            with_declared_size(small, sheet, 100),
            _damaged(sheet, "does not unpack as its zip directory says"),
        ),
        Hostile(
            "lying size, larger",
            "a sheet smaller than its zip says.xlsx",
            with_declared_size(small, sheet, 50_000_000),
            _damaged(sheet, "does not unpack as its zip directory says"),
        ),
        Hostile(
            "lying size, over the cap",
            "a sheet said to unpack to 300 MB.xlsx",
            with_declared_size(small, sheet, 300 * 1024 * 1024),
            "The workbook unpacks to more than 200 MB: split it into smaller files, or save it as "
            "CSV UTF-8",
        ),
        Hostile(
            "one long cell",
            f"one cell of {long_text // (1024 * 1024)} MB.xlsx",
            workbook(
                [
                    HEADER,
                    b'<row r="2"><c r="C2" t="inlineStr"><is><t>',
                    *repeated(b"x" * 1024, long_text // 1024),
                    b"</t></is></c></row>",
                ]
            ),
            "row 2: the cell in column C holds more than 32,767 characters, the most Excel allows "
            "in a cell",
        ),
        Hostile(
            "one long attribute",
            f"one attribute of {long_text // (1024 * 1024) + 1} MB.xlsx",
            workbook(
                [
                    HEADER,
                    b'<row r="2"><c r="A2" s="',
                    *repeated(b"9" * 1024, long_text // 1024 + 1024),
                    b'"><v>1</v></c></row>',
                ]
            ),
            _damaged(
                sheet,
                "holds a single piece of XML of more than 1 MB, which no spreadsheet writes",
            ),
        ),
        Hostile(
            "deep nesting",
            "XML nested 100,000 deep.xlsx",
            workbook([HEADER, b"<x>" * 100_000, b"</x>" * 100_000]),
            _damaged(sheet, "nests its XML more than 100 levels deep"),
        ),
        Hostile(
            "text in all",
            "a 30,000-character text used 2,100 times.xlsx",
            workbook(
                [HEADER]
                + [
                    b'<row r="%d">' % n
                    + b"".join(
                        b'<c r="%s%d" t="s"><v>0</v></c>' % (_column(c).encode(), n)
                        for c in range(1, 15)
                    )
                    + b"</row>"
                    for n in range(2, 152)
                ],
                [b"<si><t>" + b"x" * 30_000 + b"</t></si>"],
            ),
            "The sheet holds more than 50,000,000 characters of text, more than a tracker can take "
            "in one file: split it into smaller files",
        ),
        Hostile(
            "many rows",
            f"{rows:,} rows.xlsx",
            workbook(
                [
                    HEADER,
                    *(inline_row(n, ["Review of potholes", str(n)]) for n in range(2, rows + 2)),
                ]
            ),
            TOO_MANY_ROWS,
        ),
        Hostile(
            "many blank rows",
            f"{blank_rows:,} blank rows.xlsx",
            workbook([HEADER, *repeated(b"<row/>", blank_rows)]),
            TOO_MANY_ROWS,
        ),
        Hostile(
            "rows out of order",
            "rows out of order.xlsx",
            workbook([HEADER, RECORD, inline_row(2, ["Review of potholes", "2"])]),
            _damaged(sheet, "numbers its rows out of order (row 2)"),
        ),
        Hostile(
            "ragged rows, XLSX",
            "ragged rows.xlsx",
            workbook(
                [
                    HEADER,
                    inline_row(2, ["Review of potholes", "1"]),
                    inline_row(3, ["Review of potholes", "2", "Map them.", "", "extra"]),
                    b'<row r="4"><c r="A4" t="inlineStr"><is><t>Review of potholes</t></is></c>'
                    b'<c r="B4"><v>3</v></c><c r="ZZ4"><v>9</v></c></row>',
                ]
            ),
            "row 3: the row has 5 cells but there are only 3 column names",
        ),
        Hostile(
            "ragged rows, CSV",
            "ragged rows.csv",
            b"review,number,recommendation\nReview of potholes,1\nReview of potholes,2,Map,,extra\n",
            "row 3: the row has 5 cells but there are only 3 column names",
        ),
        Hostile(
            "CSV wide row",
            "a row of 10 million commas.csv",
            b"review,number\nReview of potholes,1" + b"," * 10_000_000 + b"\n",
            "row 2: the row has more than 16,384 cells, more than Excel allows in a row",
        ),
        Hostile(
            "CSV wide header",
            "a header of 10 million commas.csv",
            b"review,number" + b"," * 10_000_000 + b"\nReview of potholes,1\n",
            "row 1: the row has more than 16,384 cells, more than Excel allows in a row",
        ),
        Hostile(
            "CSV blank lines",
            f"{blank_rows:,} blank lines.csv",
            b"review,number\n" + b",\n" * min(blank_rows, 5_000_000),
            TOO_MANY_ROWS,
        ),
        Hostile(
            "CSV many rows",
            f"{csv_rows:,} rows.csv",
            b"review,number\n" + b"Review of potholes,1\n" * csv_rows,
            TOO_MANY_ROWS,
        ),
        Hostile(
            "many parts",
            "1,001 parts.xlsx",
            plain_zip({f"xl/media/image{n}.png": b"" for n in range(1_001)}),
            "The workbook has more than 1,000 parts, far more than a workbook saved by Excel: "
            + SPLIT,
        ),
        Hostile(
            "bzip2",
            "a part compressed with bzip2.xlsx",
            plain_zip({"xl/workbook.xml": WORKBOOK}, zipfile.ZIP_BZIP2),
            "The file is not an Excel workbook that can be read: its part xl/workbook.xml is "
            "compressed in a way Excel never uses. " + SAVE_AGAIN,
        ),
        Hostile("not a zip", "a CSV file named.xlsx", CSV_ROWS.encode(), NOT_XLSX),
        Hostile(
            "old Office file", "an OLE file named.xlsx", b"\xd0\xcf\x11\xe0" + bytes(508), NOT_XLSX
        ),
        Hostile(
            "zip of another kind",
            "a zip of text.xlsx",
            plain_zip({"hello.txt": b"hello"}),
            NOT_XLSX,
        ),
        Hostile(
            "no sheet",
            "a workbook without a sheet.xlsx",
            workbook(
                [HEADER, RECORD],
                parts={
                    "xl/workbook.xml": WORKBOOK.replace(
                        b'<sheet name="Tracker" sheetId="1" r:id="rId1"/>', b""
                    )
                },
            ),
            "The workbook has no sheet of cells to read. " + SAVE_AGAIN,
        ),
        Hostile(
            "cp1252",
            "Windows-1252.csv",
            CSV_ROWS.encode("cp1252"),
            "The file is not UTF-8 text (line 2 has characters in another encoding): save it as "
            f'"CSV UTF-8" and upload it again. {ENCODINGS}',
        ),
        Hostile(
            "UTF-16 without its mark",
            "UTF-16 without a byte-order mark.csv",
            CSV_ROWS.encode("utf-16-le"),
            "The file is UTF-16 text without the byte-order mark that says which way round its "
            f'bytes are: save it as "CSV UTF-8" and upload it again. {ENCODINGS}',
        ),
        Hostile(
            "UTF-32",
            "UTF-32.csv",
            CSV_ROWS.encode("utf-32"),
            f'The file is UTF-32 text: save it as "CSV UTF-8" and upload it again. {ENCODINGS}',
        ),
        Hostile(
            "UTF-16 with its mark",
            "Unicode Text.csv",
            CSV_ROWS.replace(",", "\t").encode("utf-16"),
            None,
        ),
        *(_full_only() if full else []),
    ]


def _full_only() -> list[Hostile]:
    """Files too slow to make or read for the tests, which show the budgets at their limits."""
    long_text = "Progress on every front, reported to the committee; " * 23  # 1,196 characters
    names = ["review", "committee", "number", "recommendation", "response_text"]
    return [
        Hostile(
            "many elements",
            "5,000,000 empty elements.xlsx",
            workbook([HEADER, RECORD, *repeated(b"<x/>", 5_000_000)]),
            "The workbook holds more than 3,000,000 pieces of XML in the parts a tracker needs, "
            "far more than a tracker of its size: " + SPLIT,
        ),
        *(
            Hostile(
                f"many {kind}",
                f"190 MB of {kind}.xlsx",
                workbook([HEADER, RECORD, *repeated(piece, 190_000_000 // len(piece))]),
                "The workbook holds more than 3,000,000 pieces of XML in the parts a tracker "
                "needs, far more than a tracker of its size: " + SPLIT,
            )
            for kind, piece in [
                ("comments", b"<!---->"),
                ("processing instructions", b"<?a?>"),
                ("CDATA markers", b"<![CDATA[]]>"),
            ]
        ),
        Hostile(
            "many attributes",
            "190 MB of elements of 3,000 attributes.xlsx",
            workbook(
                [
                    HEADER,
                    RECORD,
                    *repeated(
                        b"<x " + b" ".join(b'a%d=""' % n for n in range(3_000)) + b"/>",
                        190_000_000 // 25_894,
                    ),
                ]
            ),
            "The workbook holds more than 3,000,000 pieces of XML in the parts a tracker "
            "needs, far more than a tracker of its size: " + SPLIT,
        ),
        Hostile(
            "character references",
            "cells of 30,000 character references.xlsx",
            workbook(
                [HEADER]
                + [
                    b'<row r="%d">' % number
                    + (b'<c t="inlineStr"><is><t>' + b"&#32;" * 30_000 + b"</t></is></c>") * 14
                    + b"</row>"
                    for number in range(2, 95)
                ]
            ),
            "The file has column names but no rows of recommendations below them",
        ),
        Hostile(
            "text near the limit",
            "20,000 rows of 2,400 characters.xlsx",
            workbook(
                [inline_row(1, names)]
                + [
                    inline_row(n, [f"Review {n // 100}", "Economy", str(n), long_text, long_text])
                    for n in range(2, 20_002)
                ]
            ),
            None,
        ),
    ]


# The reader's memory may grow by no more than this, and its peak must stay under it.
MEMORY_CAP = 500 * 1024 * 1024
ROOT = Path(__file__).resolve().parents[3]

_CHILD = r"""
import json, os, resource, signal, sys, time

import django

django.setup()
from recommendations.trackers.checking import check_rows
from recommendations.trackers.problems import TrackerFileError
from recommendations.trackers.reading import read_tracker


def address_space():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024


def read(path, cap, seconds):
    resource.setrlimit(resource.RLIMIT_AS, (address_space() + cap, resource.RLIM_INFINITY))
    signal.alarm(seconds)
    with open(path, "rb") as file:
        data = file.read()
    start = time.perf_counter()
    try:
        table = read_tracker(data, os.path.basename(path))
        problems = [str(problem) for problem in check_rows(table).problems]
        result = {"outcome": "refused" if problems else "read", "rows": len(table.rows)}
    except TrackerFileError as error:
        problems = [str(problem) for problem in error.problems]
        result = {"outcome": "refused"}
    except MemoryError:
        problems, result = [], {"outcome": "out of memory"}
    result["seconds"] = time.perf_counter() - start
    result["problems"] = problems[:5]
    return result


cap, seconds, *paths = sys.argv[1:]
results = []
for path in paths:
    readable, writable = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(readable)
        try:
            result = read(path, int(cap), int(seconds))
        except BaseException as error:
            result = {"outcome": f"error: {type(error).__name__}: {error}"[:500]}
        os.write(writable, json.dumps(result).encode())
        os._exit(0)
    os.close(writable)
    chunks = []
    while chunk := os.read(readable, 65536):
        chunks.append(chunk)
    os.close(readable)
    _, status, usage = os.wait4(pid, 0)
    if chunks:
        result = json.loads(b"".join(chunks))
    elif os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGALRM:
        result = {"outcome": "timed out"}
    else:
        result = {"outcome": f"died ({status})"}
    result["peak_rss"] = usage.ru_maxrss * 1024
    results.append(result)
print(json.dumps(results))
"""


def read_in_child(paths: list[Path], *, seconds: int = 60) -> list[dict]:
    """Read and check each file in its own process, its address space capped at MEMORY_CAP more
    than it started with and its time at `seconds`; each result has `outcome` ("read",
    "refused", "out of memory", "timed out"...), `problems`, `seconds` and `peak_rss` (bytes)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "scrutiny.settings",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or "hostile-files-insecure-key",
    }
    finished = subprocess.run(
        [sys.executable, "-c", _CHILD, str(MEMORY_CAP), str(seconds), *map(str, paths)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        check=True,
        timeout=seconds * len(paths) + 60,
    )
    return json.loads(finished.stdout)
