"""Step 1: read the bytes of a `.csv` or `.xlsx` file into its header and rows of cells."""

import codecs
import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings

from .cells import cell_text
from .columns import COLUMNS, REQUIRED_COLUMNS
from .problems import Problem, TrackerFileError
from .xlsx import EXCEL_COLUMNS, read_first_sheet
from .xlsx import MAX_UNPACKED_BYTES as MAX_UNPACKED_BYTES  # the limit, for the tests

MAX_ROWS = 20_000
# Python's csv module refuses a longer cell; a cell holds at most the file, which has its own limits.
MAX_CSV_FIELD = 1024 * 1024 * 1024


def max_upload_bytes() -> int:
    """The largest file the upload page takes: the TRACKER_MAX_UPLOAD_MB setting (default 50)."""
    return settings.TRACKER_MAX_UPLOAD_MB * 1024 * 1024


def too_large_message(max_bytes: int) -> str:
    return f"The file is larger than {max_bytes // (1024 * 1024)} MB: split it into smaller files"


@dataclass
class RawRow:
    number: int  # as the spreadsheet numbers it: the header is row 1
    cells: dict  # column -> the cell's value (str, or a date/number from XLSX)


@dataclass
class RawTable:
    columns: list[str]
    rows: list[RawRow]
    problems: list[Problem]


def _header_name(value) -> str:
    return re.sub(r"[\s-]+", "_", cell_text(value).casefold())


def read_tracker(data: bytes, filename: str, *, max_bytes: int | None = None) -> RawTable:
    """The header and rows of a `.csv` or `.xlsx` file; raises TrackerFileError for the file itself.

    Problems with the header (unknown, repeated or missing columns) are raised here too, since
    no row can be read without it. `max_bytes` is the upload page's size limit; the rows, cells
    and unpacked-size limits hold whatever the door.
    """
    name = filename.strip().lower()
    if max_bytes is not None and len(data) > max_bytes:
        raise TrackerFileError.because(too_large_message(max_bytes))
    if not data.strip():
        raise TrackerFileError.because("The file is empty")
    if name.endswith(".csv"):
        header, rows = _read_csv(data)
    elif name.endswith(".xlsx"):
        header, rows = _read_xlsx(data)
    elif name.endswith(".xls"):
        raise TrackerFileError.because(
            "The file is an old Excel workbook (.xls): save it as .xlsx or CSV UTF-8"
        )
    else:
        raise TrackerFileError.because("The file must be a CSV (.csv) or Excel (.xlsx) file")
    names = _column_names(header)
    table = RawTable(columns=[name for name in names if name], rows=[], problems=[])
    _add_rows(table, names, rows)
    return table


def _column_names(header: list) -> list[str]:
    """The column of each cell of the header ("" for a blank one); raises for a bad header."""
    names = [_header_name(cell) for cell in header]
    while names and not names[-1]:
        names.pop()
    if not names:
        raise TrackerFileError.because(
            "The first row must hold the column names, but it is empty", row=1
        )
    problems = []
    seen: set[str] = set()
    for position, name in enumerate(names, start=1):
        if not name:
            continue
        if name not in COLUMNS:
            problems.append(
                Problem(
                    f"'{cell_text(header[position - 1])}' (column {position}) is not a known column; "
                    f"the columns are: {', '.join(COLUMNS)}",
                    row=1,
                )
            )
        elif name in seen:
            problems.append(Problem(f"the column '{name}' appears more than once", row=1))
        seen.add(name)
    for required in REQUIRED_COLUMNS:
        if required not in seen:
            problems.append(Problem(f"the required column '{required}' is missing", row=1))
    if problems:
        raise TrackerFileError(problems)
    return names


def _add_rows(table: RawTable, names: list[str], rows: Iterable[tuple[int, list, int]]) -> None:
    """Add each row that is not blank to the table, its cells by column name.

    Each row comes with its width: the column of its last cell with a value (0 when blank).
    """
    for number, values, width in rows:
        if not width:
            continue  # blank rows (spreadsheets often end with some) are not records
        if len(table.rows) >= MAX_ROWS:
            raise _too_many_rows()
        if width > len(names):
            table.problems.append(
                Problem(
                    f"the row has {width} cells but there are only {len(names)} column names",
                    row=number,
                )
            )
        cells = {
            name: values[index] if index < len(values) else None
            for index, name in enumerate(names)
            if name
        }
        table.rows.append(RawRow(number=number, cells=cells))
    if not table.rows:
        raise TrackerFileError.because(
            "The file has column names but no rows of recommendations below them"
        )


def _too_many_rows() -> TrackerFileError:
    return TrackerFileError.because(
        f"The file has more than {MAX_ROWS:,} rows: split it into smaller files"
    )


def _read_csv(data: bytes) -> tuple[list, Iterator[tuple[int, list, int]]]:
    text = _csv_text(data)
    csv.field_size_limit(MAX_CSV_FIELD)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as error:
        raise TrackerFileError.because(f"the file cannot be read as CSV: {error}", row=1) from None
    if header is None:
        raise TrackerFileError.because("The file is empty")
    _check_width(header, 1)

    def rows():
        number = 1
        while True:
            number += 1
            if number > 2 * MAX_ROWS + 1:  # as for a sheet: blank rows count here
                raise _too_many_rows()
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                raise TrackerFileError.because(
                    f"the row cannot be read as CSV: {error}", row=number
                ) from None
            _check_width(values, number)
            yield number, values, _width(values)

    return header, rows()


def _check_width(values: list, number: int) -> None:
    """Refuse a row wider than Excel allows: no tracker is, and reading one costs time."""
    if len(values) > EXCEL_COLUMNS:
        raise TrackerFileError.because(
            f"the row has more than {EXCEL_COLUMNS:,} cells, more than Excel allows in a row",
            row=number,
        )


def _delimiter(text: str) -> str:
    """A tab when the column names are separated by tabs (Excel's "Unicode Text"), else a comma.

    No column name holds either, so the first line tells.
    """
    first_line = text.partition("\n")[0]
    return "\t" if "\t" in first_line and "," not in first_line else ","


def _width(values: list) -> int:
    """The column of the last cell with a value; 0 for a blank row."""
    return next(
        (column for column in range(len(values), 0, -1) if cell_text(values[column - 1])), 0
    )


# What Excel saves as "CSV UTF-8" (with a byte-order mark) and as "Unicode Text" (UTF-16, little
# endian, with its byte-order mark, and tabs between the cells).
ENCODINGS = (
    "CSV files are read as UTF-8, or as UTF-16 when they start with its byte-order mark (as "
    'Excel saves "Unicode Text")'
)


def _csv_text(data: bytes) -> str:
    """The text of a CSV file: UTF-8 with or without a byte-order mark, or UTF-16 with one."""
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        # UTF-32's mark starts with UTF-16's: rule it out first.
        raise TrackerFileError.because(
            f'The file is UTF-32 text: save it as "CSV UTF-8" and upload it again. {ENCODINGS}'
        )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _decode(data, "utf-16", "UTF-16")
    elif data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"%PDF")) or b"\x00" in data[:4096]:
        if _utf16_without_mark(data[:4096]):
            raise TrackerFileError.because(
                "The file is UTF-16 text without the byte-order mark that says which way round "
                f'its bytes are: save it as "CSV UTF-8" and upload it again. {ENCODINGS}'
            )
        raise TrackerFileError.because(
            "The file is not a CSV file (it looks like a spreadsheet or other binary file)"
        )
    else:
        text = _decode(data, "utf-8-sig", "UTF-8")
    if "\x00" in text:
        raise TrackerFileError.because("The file is not a CSV file (it holds binary data)")
    return text


def _decode(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data[: error.start].decode(encoding, errors="replace").count("\n") + 1
        raise TrackerFileError.because(
            f"The file is not {name} text (line {line} has characters in another encoding): "
            f'save it as "CSV UTF-8" and upload it again. {ENCODINGS}'
        ) from None


def _utf16_without_mark(sample: bytes) -> bool:
    """Does the start of the file look like UTF-16 text (mostly ASCII, so every other byte 0)?"""
    half = len(sample) // 2
    if half < 2:
        return False
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    return max(even, odd) > 0.9 * half and min(even, odd) == 0


def _read_xlsx(data: bytes) -> tuple[list, Iterator[tuple[int, list, int]]]:
    # At most one more column than the format has, twice over: enough to find the names in a
    # header with blank columns between them and to report an unknown column, and a bound on what
    # a crafted file can make us build.
    keep = 2 * (len(COLUMNS) + 1)
    rows = read_first_sheet(data, keep=keep, max_rows=MAX_ROWS)
    if not rows:
        raise TrackerFileError.because("The file is empty")
    if rows[0].number != 1:
        return [], iter((row.number, row.values, row.width) for row in rows)
    header, *rest = rows
    if header.width > keep:
        raise TrackerFileError.because(
            f"the first row has a name in column {header.width}, but a tracker's column names "
            f"are in its first {keep} columns; the columns are: {', '.join(COLUMNS)}",
            row=1,
        )
    return header.values, iter((row.number, row.values, row.width) for row in rest)
