"""Step 1: read the bytes of a `.csv` or `.xlsx` file into its header and rows of cells."""

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from defusedxml import DefusedXmlException

from .cells import cell_text
from .columns import COLUMNS, REQUIRED_COLUMNS
from .problems import Problem, TrackerFileError

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
# An XLSX file is a zip: a small file can unpack to a great deal. A 20,000-row tracker of long
# narratives unpacks to well under this.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024


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


def read_tracker(data: bytes, filename: str) -> RawTable:
    """The header and rows of a `.csv` or `.xlsx` file; raises TrackerFileError for the file itself.

    Problems with the header (unknown, repeated or missing columns) are raised here too, since
    no row can be read without it.
    """
    name = filename.strip().lower()
    if len(data) > MAX_BYTES:
        raise TrackerFileError.because(
            f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB: split it into smaller files"
        )
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


def _add_rows(table: RawTable, names: list[str], rows: Iterable[tuple[int, list]]) -> None:
    """Add each row that is not blank to the table, its cells by column name."""
    for number, values in rows:
        if not any(cell_text(value) for value in values):
            continue  # blank rows (spreadsheets often end with some) are not records
        if len(table.rows) >= MAX_ROWS:
            raise _too_many_rows()
        if any(cell_text(value) for value in values[len(names) :]):
            table.problems.append(
                Problem(
                    f"the row has {len(values)} cells but there are only {len(names)} column names",
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


def _read_csv(data: bytes) -> tuple[list, Iterator[tuple[int, list]]]:
    text = _csv_text(data)
    csv.field_size_limit(MAX_BYTES)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as error:
        raise TrackerFileError.because(f"the file cannot be read as CSV: {error}", row=1) from None
    if header is None:
        raise TrackerFileError.because("The file is empty")

    def rows():
        number = 1
        while True:
            number += 1
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                raise TrackerFileError.because(
                    f"the row cannot be read as CSV: {error}", row=number
                ) from None
            yield number, values

    return header, rows()


def _csv_text(data: bytes) -> str:
    """The text of a CSV file: UTF-8, with or without a byte-order mark, and not binary."""
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"%PDF")) or b"\x00" in data[:4096]:
        raise TrackerFileError.because(
            "The file is not a CSV file (it looks like a spreadsheet or other binary file)"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise TrackerFileError.because(
            f"The file is not UTF-8 text (line {line} has characters in another "
            'encoding): save it as "CSV UTF-8" and upload it again'
        ) from None
    if "\x00" in text:
        raise TrackerFileError.because("The file is not a CSV file (it holds binary data)")
    return text


NOT_XLSX = (
    "The file is not an Excel workbook (.xlsx) that can be read: it may be damaged, "
    "password-protected, or another kind of file with an .xlsx name"
)


# openpyxl parses a workbook's XML with defusedxml when it is installed (a dependency), which
# refuses entity declarations: the "billion laughs" that unfold a few bytes into gigabytes.
FORBIDDEN_XML = (
    "The file could not be read as an Excel workbook: part of it declares its own XML entities, "
    "which a workbook saved by Excel never does and which are refused for safety. Open it in "
    'Excel and save it again as .xlsx, or save it as "CSV UTF-8"'
)


def _read_xlsx(data: bytes) -> tuple[list, Iterator[tuple[int, list]]]:
    _check_archive(data)
    try:
        return _first_sheet(data)
    except TrackerFileError:
        raise
    except Exception as error:
        if _forbidden_xml(error):
            raise TrackerFileError.because(FORBIDDEN_XML) from error
        broken = (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, IndexError)
        # openpyxl raises its own kinds, and the XML parser's, for broken workbooks.
        ours = ("openpyxl", "xml", "zipfile", "defusedxml")
        if isinstance(error, broken) or type(error).__module__.startswith(ours):
            raise TrackerFileError.because(NOT_XLSX) from error
        raise


def _forbidden_xml(error: BaseException) -> bool:
    """Was the error, or one it was raised from, defusedxml refusing a part of the workbook?

    openpyxl wraps what the parser raises in a ValueError ("Unable to read workbook …").
    """
    seen = set()
    cause: BaseException | None = error
    while cause is not None and id(cause) not in seen:
        if isinstance(cause, DefusedXmlException):  # EntitiesForbidden, DTDForbidden, …
            return True
        seen.add(id(cause))
        cause = cause.__cause__ or cause.__context__
    return False


def _check_archive(data: bytes) -> None:
    """Refuse a file that is not a zip, or that unpacks to more than a tracker ever needs."""
    if not data.startswith(b"PK\x03\x04"):
        raise TrackerFileError.because(NOT_XLSX)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as error:
        raise TrackerFileError.because(NOT_XLSX) from error
    if unpacked > MAX_UNPACKED_BYTES:
        raise TrackerFileError.because(
            f"The workbook unpacks to more than {MAX_UNPACKED_BYTES // (1024 * 1024)} MB: "
            "split it into smaller files, or save it as CSV UTF-8"
        )


def _first_sheet(data: bytes) -> tuple[list, Iterator[tuple[int, list]]]:
    """The header and numbered rows of the workbook's first sheet, read in full."""
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        # At most one more column than the format has: enough to report an unknown column, and
        # a bound on what a crafted file can make us read.
        limit = len(COLUMNS) + 1
        header = next(
            sheet.iter_rows(min_row=1, max_row=1, max_col=limit * 2, values_only=True), None
        )
        if header is None:
            raise TrackerFileError.because("The file is empty")
        rows = sheet.iter_rows(min_row=2, max_col=max(len(header), limit), values_only=True)
        values = [(number, list(row)) for number, row in enumerate(_bounded(rows), start=2)]
    finally:
        workbook.close()
    return list(header), iter(values)


def _bounded(rows):
    """Stop reading a sheet once it has more rows than an import takes (blank ones included)."""
    for count, row in enumerate(rows, start=1):
        if count > MAX_ROWS * 2:
            raise _too_many_rows()
        yield row
