"""The first sheet of an `.xlsx` workbook, read in bounded time and memory.

A workbook is a zip of XML parts, and a small file can unpack to a great deal: one row of millions
of cells, millions of shared strings, one value of a hundred megabytes. openpyxl builds every cell
of a row, and every shared string, before it hands any back; so this streams the few parts a
tracker needs through defusedxml's parser (which refuses XML entities) and stops as soon as a file
asks for more than a tracker ever can:

- the zip: at most MAX_PARTS parts and MAX_UNPACKED_BYTES unpacked, only the two compression
  methods Excel uses, and each part unpacks to the size its zip directory declares;
- the XML: at most MAX_XML_ELEMENTS pieces (elements, comments and the like, and attributes
  beyond a handful) in the parts read, MAX_XML_DEPTH levels deep, and no token (a tag, or one
  piece of text) of more than MAX_TOKEN_BYTES;
- the sheet: only the first `keep` columns are built, the cells beyond them are only counted;
  no row wider than Excel's 16,384 columns, no more than MAX_CELLS cells, and reading stops at the
  first row past the limit;
- the text: the sheet is read before its shared strings, so only the strings its cells use are
  kept; no more than MAX_SHARED_STRINGS strings, no cell longer than Excel's 32,767 characters,
  and no more than MAX_TEXT characters in all.
"""

import io
import posixpath
import zipfile
import zlib
from dataclasses import dataclass, field

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser
from openpyxl.styles.numbers import builtin_format_code, is_date_format, is_timedelta_format
from openpyxl.utils.cell import column_index_from_string, get_column_letter
from openpyxl.utils.datetime import (
    CALENDAR_MAC_1904,
    CALENDAR_WINDOWS_1900,
    from_excel,
    from_ISO8601,
)

from .cells import cell_text
from .problems import TrackerFileError

# A 20,000-row tracker of long narratives unpacks to well under this.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
# A workbook saved by Excel has a dozen parts, a few more for each sheet or picture.
MAX_PARTS = 1_000
# A full tracker (20,000 rows of 14 columns) is about 600,000 elements in its sheet and shared
# strings together (900,000 with inline strings); this leaves room for formatting and other
# sheets' strings, and reads in well under 10 seconds.
MAX_XML_ELEMENTS = 3_000_000
MAX_XML_DEPTH = 100
FEW_ATTRIBUTES = 8  # an element Excel writes has a handful
MAX_TOKEN_BYTES = 1024 * 1024
MAX_CELLS = 1_000_000
MAX_SHARED_STRINGS = 500_000
MAX_TEXT = 50_000_000
# Excel's own limits.
EXCEL_COLUMNS = 16_384
EXCEL_ROWS = 1_048_576
EXCEL_CELL_TEXT = 32_767

CHUNK_BYTES = 64 * 1024

NOT_XLSX = (
    "The file is not an Excel workbook (.xlsx) that can be read: it may be damaged, "
    "password-protected, or another kind of file with an .xlsx name"
)
SAVE_AGAIN = 'Open it in Excel and save it again as .xlsx, or save it as "CSV UTF-8"'
FORBIDDEN_XML = (
    "The file could not be read as an Excel workbook: part of it declares its own XML entities, "
    f"which a workbook saved by Excel never does and which are refused for safety. {SAVE_AGAIN}"
)
SPLIT = 'split it into smaller files, or save the tracker sheet as "CSV UTF-8"'


def _refuse(message: str, *, row: int | None = None) -> TrackerFileError:
    return TrackerFileError.because(message, row=row)


def _damaged(part: str, what: str) -> TrackerFileError:
    return _refuse(f"The workbook is damaged: its part {_shown(part)} {what}. {SAVE_AGAIN}")


def _shown(part: str) -> str:
    """A part's name as a message shows it: the file chose it, and it may be long."""
    return part if len(part) <= 100 else part[:100] + "…"


@dataclass
class SheetRow:
    """A row of the sheet: its first cells, and how far along it its last value is."""

    number: int  # as the spreadsheet numbers it
    values: list  # the cells of the first `keep` columns, up to the last one with a value
    width: int  # the column of the last cell with a value, kept or not; 0 for a blank row


def read_first_sheet(data: bytes, *, keep: int, max_rows: int) -> list[SheetRow]:
    """The rows of the workbook's first sheet that are not blank, in order.

    Reading stops with a TrackerFileError once the sheet has more than `max_rows` rows with values
    after the first (or twice that many rows in all), and for any file that is not a workbook or
    needs more than a tracker can.
    """
    archive = _open_archive(data)
    try:
        return _Workbook(archive).first_sheet(keep=keep, max_rows=max_rows)
    except DefusedXmlException as error:
        raise _refuse(FORBIDDEN_XML) from error
    finally:
        archive.close()


def _open_archive(data: bytes) -> zipfile.ZipFile:
    """The zip, once it is known to unpack to no more than a tracker needs."""
    if not data.startswith(b"PK\x03\x04"):
        raise _refuse(NOT_XLSX)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise _refuse(NOT_XLSX) from error
    parts = archive.infolist()
    if len(parts) > MAX_PARTS:
        raise _refuse(
            f"The workbook has more than {MAX_PARTS:,} parts, far more than a workbook saved by "
            f"Excel: {SPLIT}"
        )
    for part in parts:
        if part.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _refuse(
                f"The file is not an Excel workbook that can be read: its part {_shown(part.filename)} is "
                f"compressed in a way Excel never uses. {SAVE_AGAIN}"
            )
    if sum(part.file_size for part in parts) > MAX_UNPACKED_BYTES:
        raise _refuse(
            f"The workbook unpacks to more than {MAX_UNPACKED_BYTES // (1024 * 1024)} MB: "
            "split it into smaller files, or save it as CSV UTF-8"
        )
    return archive


class _Stop(Exception):
    """A part's reader has all it needs: the rest of the part is not read."""


def _cost(attributes: int) -> int:
    """An element costs one piece of XML; an unusual number of attributes, one more each (the
    parser has built them all before any handler sees them)."""
    return 1 if attributes <= FEW_ATTRIBUTES else 1 + attributes


class _Budget:
    """The XML elements left to read in the whole workbook."""

    def __init__(self):
        self.elements = MAX_XML_ELEMENTS

    def spend(self, attributes: int = 0) -> None:
        self.elements -= _cost(attributes)
        if self.elements < 0:
            raise _refuse(
                f"The workbook holds more than {MAX_XML_ELEMENTS:,} pieces of XML in the parts "
                f"a tracker needs, far more than a tracker of its size: {SPLIT}"
            )


class _Part:
    """A parser target for one part: counts elements and depth, and hands on local names."""

    def __init__(self, budget: _Budget, name: str):
        self.budget = budget
        self.name = name
        self.depth = 0
        self._local: dict[str, str] = {}

    def local(self, tag: str) -> str:
        local = self._local.get(tag)
        if local is None:
            local = self._local[tag] = tag.rpartition("}")[2]
        return local

    def start(self, tag: str, attrs: dict) -> None:
        self.depth += 1
        if self.depth > MAX_XML_DEPTH:
            raise _damaged(self.name, f"nests its XML more than {MAX_XML_DEPTH} levels deep")
        self.budget.spend(len(attrs))
        self.on_start(self._local.get(tag) or self.local(tag), attrs)

    def end(self, tag: str) -> None:
        self.depth -= 1
        self.on_end(self._local[tag])

    def data(self, text: str) -> None:
        pass

    def on_start(self, name: str, attrs: dict) -> None:
        pass

    def on_end(self, name: str) -> None:
        pass


def _attr(attrs: dict, local: str) -> str | None:
    """An attribute by its local name, whatever its namespace (r:id, or plain r)."""
    if local in attrs:
        return attrs[local]
    for key, value in attrs.items():
        if key.endswith("}" + local):
            return value
    return None


def _parse(archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: _Part) -> None:
    """Stream one part through the parser into `target`, within the token limit."""
    parser = DefusedXMLParser(target=target)
    expat = parser.parser
    # Text comes in one piece rather than one for each character reference (`&#32;`).
    expat.buffer_text = True
    # What no handler takes (comments, processing instructions, CDATA markers) goes to the
    # parser's default handler, one call each: count them, or a part of nothing else reads for
    # 20 seconds.
    default = expat.DefaultHandlerExpand

    def counted(text: str) -> None:
        target.budget.spend()
        default(text)

    expat.DefaultHandlerExpand = counted
    fed = 0
    try:
        with archive.open(info) as stream:
            try:
                while chunk := stream.read(CHUNK_BYTES):
                    fed += len(chunk)
                    parser.feed(chunk)
                    # Just past the last thing expat finished: the rest waits in its buffer.
                    if fed - expat.CurrentByteIndex > MAX_TOKEN_BYTES:
                        raise _damaged(
                            info.filename,
                            f"holds a single piece of XML of more than "
                            f"{MAX_TOKEN_BYTES // (1024 * 1024)} MB, which no spreadsheet writes",
                        )
                parser.close()
            except _Stop:
                # The rest is not needed; it is unpacked (not parsed) only to check its size.
                while chunk := stream.read(1024 * 1024):
                    fed += len(chunk)
        # zipfile cuts off what goes beyond the declared size (which then fails its CRC check),
        # but takes a part that ends short of it.
        if fed != info.file_size:
            raise zipfile.BadZipFile(f"{fed:,} bytes, where {info.file_size:,} were declared")
    except (TrackerFileError, DefusedXmlException):
        raise
    except (zipfile.BadZipFile, EOFError, zlib.error) as error:
        raise _damaged(info.filename, "does not unpack as its zip directory says") from error
    except (RuntimeError, NotImplementedError, OSError) as error:  # encrypted, and the like
        raise _refuse(NOT_XLSX) from error
    except SyntaxError as error:  # the parser's ParseError (from its own copy of the module)
        raise _damaged(info.filename, "is not well-formed XML") from error


class _Relationships(_Part):
    """A `.rels` part: each relationship's id, type and target."""

    def __init__(self, budget, name):
        super().__init__(budget, name)
        self.targets: dict[str, tuple[str, str]] = {}  # id -> (type, target)

    def on_start(self, name, attrs):
        if name == "Relationship":
            self.targets[attrs.get("Id", "")] = (attrs.get("Type", ""), attrs.get("Target", ""))

    def of_type(self, kind: str) -> str | None:
        for type_, target in self.targets.values():
            if type_.endswith("/" + kind):
                return target
        return None


class _WorkbookPart(_Part):
    """The workbook part: its date system and its first sheet's relationship id."""

    def __init__(self, budget, name):
        super().__init__(budget, name)
        self.epoch = CALENDAR_WINDOWS_1900
        self.sheets: list[str] = []  # relationship ids, in the workbook's order

    def on_start(self, name, attrs):
        if name == "workbookPr" and attrs.get("date1904", "").lower() in ("1", "true"):
            self.epoch = CALENDAR_MAC_1904
        elif name == "sheet":
            self.sheets.append(_attr(attrs, "id") or "")

    def on_end(self, name):
        if name == "sheets":
            raise _Stop


class _Styles(_Part):
    """The styles part: which cell styles show a number as a date (or a duration)."""

    def __init__(self, budget, name):
        super().__init__(budget, name)
        self.custom: dict[int, str] = {}
        self.formats: list[int] = []  # each cell style's number format
        self.in_cell_styles = False

    def on_start(self, name, attrs):
        if name == "numFmt":
            self.custom[_int(attrs.get("numFmtId"))] = attrs.get("formatCode", "")
        elif name == "cellXfs":
            self.in_cell_styles = True
        elif name == "xf" and self.in_cell_styles:
            self.formats.append(_int(attrs.get("numFmtId")))

    def on_end(self, name):
        if name == "cellXfs":
            raise _Stop

    def date_styles(self) -> tuple[set[int], set[int]]:
        dates, durations = set(), set()
        for style, number_format in enumerate(self.formats):
            code = self.custom.get(number_format) or builtin_format_code(number_format)
            if is_date_format(code):
                dates.add(style)
            if is_timedelta_format(code):
                durations.add(style)
        return dates, durations


def _int(value: str | None, default: int = -1) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


class _SharedRef:
    """A cell that holds one of the workbook's shared strings, until they are read."""

    __slots__ = ("index",)

    def __init__(self, index: int):
        self.index = index


@dataclass
class _RawRow:
    number: int
    cells: dict = field(default_factory=dict)  # column -> value (or _SharedRef), kept columns
    beyond: int = 0  # the column of the last cell with a value beyond the kept ones


class _Text:
    """Text gathered for one cell or shared string, within Excel's cell limit and the total."""

    def __init__(self, sheet: "_Sheet", where):
        self.sheet = sheet
        self.where = where
        self.parts: list[str] = []
        self.length = 0

    def add(self, text: str) -> None:
        self.length += len(text)
        if self.length > EXCEL_CELL_TEXT:
            raise self.where()
        self.sheet.add_text(len(text))
        self.parts.append(text)

    def value(self) -> str:
        return "".join(self.parts)


def _too_long(row: int | None = None, column: int | None = None) -> TrackerFileError:
    if row is None or column is None:
        return _refuse(
            f"A cell of the sheet uses a shared text of more than {EXCEL_CELL_TEXT:,} characters, "
            "the most Excel allows in a cell"
        )
    return _refuse(
        f"the cell in column {get_column_letter(column)} holds more than {EXCEL_CELL_TEXT:,} "
        "characters, the most Excel allows in a cell",
        row=row,
    )


def _too_much_text() -> TrackerFileError:
    return _refuse(
        f"The sheet holds more than {MAX_TEXT:,} characters of text, more than a tracker can take "
        "in one file: split it into smaller files"
    )


def _too_many_rows(max_rows: int) -> TrackerFileError:
    return _refuse(f"The file has more than {max_rows:,} rows: split it into smaller files")


class _Sheet(_Part):
    """The first sheet: the cells of its first `keep` columns, row by row.

    `start` and `end` are called for every element of what can be a large part, so they do as
    little as they can, and nothing at all for most cells beyond the kept columns.
    """

    def __init__(self, budget, name, *, keep, max_rows, epoch, dates, durations):
        super().__init__(budget, name)
        self.keep = keep
        self.max_rows = max_rows
        self.epoch = epoch
        self.dates = dates
        self.durations = durations
        self.rows: list[_RawRow] = []
        self.shared: set[int] = set()
        self.text_total = 0
        self.row: _RawRow | None = None
        self.row_elements = 0
        self.last_row = 0  # the number of the last row read, blank or not
        self.rows_with_values = 0
        self.cells = 0
        self.cells_in_row = 0
        self.column = 0
        # The current cell: whether there is one, its column, type, style, and values.
        self.in_cell = False
        self.cell_column = 0
        self.cell_type = "n"
        self.cell_style: str | None = None
        self.cell_value: str | None = None
        self.cell_inline: str | None = None
        self.text: _Text | None = None  # the text being gathered for a kept cell
        self.watching = False  # in the value of a cell beyond the kept ones
        self.beyond_has_value = False
        self.in_inline = False
        self.in_phonetic = False

    def add_text(self, length: int) -> None:
        self.text_total += length
        if self.text_total > MAX_TEXT:
            raise _too_much_text()

    def start(self, tag, attrs):
        self.depth += 1
        budget = self.budget
        cost = _cost(len(attrs))
        budget.elements -= cost
        if budget.elements < 0 or self.depth > MAX_XML_DEPTH:
            self.depth -= 1
            budget.elements += cost
            super().start(tag, attrs)  # raises the right refusal
        name = self._local.get(tag) or self.local(tag)
        if name == "c":
            if self.row is not None:
                self.open_cell(attrs)
        elif name == "row":
            self.open_row(attrs)
        elif self.in_cell:
            if name == "v" or (name == "t" and self.in_inline and not self.in_phonetic):
                self.open_text()
            elif name == "is":
                self.in_inline = True
            elif name == "rPh":
                self.in_phonetic = True

    def end(self, tag):
        self.depth -= 1
        name = self._local[tag]
        if self.in_cell:
            if name == "c":
                self.close_cell()
            elif name == "v":
                if self.text is not None:
                    self.cell_value = self.text.value()
                self.text = None
                self.watching = False
            elif name == "t" and self.in_inline and not self.in_phonetic:
                if self.text is not None:
                    self.cell_inline = (self.cell_inline or "") + self.text.value()
                self.text = None
                self.watching = False
            elif name == "rPh":
                self.in_phonetic = False
            elif name == "is":
                self.in_inline = False
        elif name == "row":
            if self.row is not None:
                self.close_row()
        elif name == "sheetData":
            raise _Stop  # nothing after the cells is needed

    def open_row(self, attrs):
        if self.row is not None:
            raise _damaged(self.name, "has a row inside a row")
        self.row_elements += 1
        if self.row_elements > 2 * self.max_rows + 1:
            raise _too_many_rows(self.max_rows)
        previous = self.last_row
        number = _int(attrs.get("r"), previous + 1)
        if not previous < number <= EXCEL_ROWS:
            raise _damaged(self.name, f"numbers its rows out of order (row {number})")
        self.row = _RawRow(number)
        self.last_row = number
        self.cells_in_row = 0
        self.column = 0

    def open_cell(self, attrs):
        self.cells += 1
        self.cells_in_row += 1
        if self.cells > MAX_CELLS:
            raise _refuse(
                f"The sheet has more than {MAX_CELLS:,} cells (counting empty ones that are "
                "formatted), far more than a tracker needs: delete the unused rows and columns, "
                'or save the tracker sheet as "CSV UTF-8"'
            )
        reference = attrs.get("r")
        column = _column_of(reference) if reference else self.column + 1
        if column is None:
            raise _damaged(self.name, f"has a cell with a broken reference ({reference[:20]})")
        if column > EXCEL_COLUMNS or self.cells_in_row > EXCEL_COLUMNS:
            raise _refuse(
                f"the row has more than {EXCEL_COLUMNS:,} cells, more than Excel allows in a row. "
                f"{SAVE_AGAIN}",
                row=self.row.number,
            )
        self.column = self.cell_column = column
        self.in_cell = True
        self.cell_type = attrs.get("t", "n")
        self.cell_style = attrs.get("s")
        self.cell_value = self.cell_inline = None
        self.beyond_has_value = False

    def open_text(self):
        if self.cell_column <= self.keep:
            row, column = self.row.number, self.cell_column
            self.text = _Text(self, lambda: _too_long(row, column))
        else:
            self.watching = True  # gather nothing, but look for a value

    def data(self, text):
        if self.text is not None:
            self.text.add(text)
        elif self.watching and not self.beyond_has_value and not text.isspace():
            self.beyond_has_value = True

    def close_cell(self):
        self.in_cell = self.in_inline = self.in_phonetic = self.watching = False
        self.text = None
        column = self.cell_column
        if column > self.keep:
            if self.beyond_has_value and column > self.row.beyond:
                self.row.beyond = column
            return
        value = self.value_of()
        if value is not None:
            self.row.cells[column] = value

    def value_of(self):
        """The cell's value as openpyxl would read it with data_only (its last calculated value)."""
        kind = self.cell_type
        if kind == "inlineStr":
            return self.cell_inline or None
        text = self.cell_value or None
        if text is None:
            return None
        if kind == "s":
            index = _int(text)
            if index < 0:
                raise _damaged(self.name, "has a cell that refers to a shared string wrongly")
            self.shared.add(index)
            return _SharedRef(index)
        if kind in ("str", "e"):
            return text
        if kind == "b":
            return text.strip() in ("1", "true")
        if kind == "d":
            try:
                return from_ISO8601(text)
            except ValueError:
                return text
        return self.number(text)

    def number(self, text: str):
        try:
            value = float(text) if any(c in text for c in ".eE") else int(text)
        except ValueError:
            return text
        style = _int(self.cell_style, 0)
        if style in self.dates:
            try:
                return from_excel(value, self.epoch, timedelta=style in self.durations)
            except (OverflowError, ValueError):
                return value  # not a date Python can hold: left as the number it is
        return value

    def close_row(self):
        row, self.row = self.row, None
        if row.cells or row.beyond:
            self.rows_with_values += 1
            if self.rows_with_values > self.max_rows + 1:  # the header, and the rows
                raise _too_many_rows(self.max_rows)
            self.rows.append(row)


def _column_of(reference: str) -> int | None:
    """The column of a cell reference such as "B12"; None when it is not one."""
    letters = reference.rstrip("0123456789")
    if not letters or len(letters) > 3 or not letters.isalpha() or len(letters) == len(reference):
        return None
    try:
        return column_index_from_string(letters.upper())
    except ValueError:
        return None


class _SharedStrings(_Part):
    """The shared strings part: the strings the sheet's kept cells use, and no others."""

    def __init__(self, budget, name, *, sheet: _Sheet):
        super().__init__(budget, name)
        self.sheet = sheet
        self.wanted = sheet.shared
        self.last_wanted = max(sheet.shared, default=-1)
        self.strings: dict[int, str] = {}
        self.index = -1
        self.text: _Text | None = None
        self.in_item = False
        self.in_phonetic = False
        self.gathering = False

    def start(self, tag, attrs):
        name = self._local.get(tag) or self.local(tag)
        if name == "si":  # the common case first, and quickly
            self.depth += 1
            budget = self.budget
            cost = _cost(len(attrs))
            budget.elements -= cost
            self.index += 1
            if budget.elements < 0 or self.index > self.last_wanted:
                self.depth -= 1
                budget.elements += cost
                super().start(tag, attrs)  # refuses when over budget
                raise _Stop  # every string a kept cell uses has been read
            if self.index >= MAX_SHARED_STRINGS:
                raise self.too_many()
            self.in_item = True
            self.text = _Text(self.sheet, _too_long) if self.index in self.wanted else None
        else:
            super().start(tag, attrs)

    def on_start(self, name, attrs):
        if name == "sst":
            declared = _int(attrs.get("uniqueCount"), 0)
            if declared > MAX_SHARED_STRINGS:
                raise self.too_many(declared)
        elif name == "rPh":
            self.in_phonetic = True
        elif name == "t" and self.in_item and not self.in_phonetic and self.text is not None:
            self.gathering = True

    def too_many(self, declared: int | None = None) -> TrackerFileError:
        count = f" ({declared:,})" if declared else ""
        return _refuse(
            f"The workbook holds more than {MAX_SHARED_STRINGS:,} different texts{count}, more "
            f"than a tracker can use: {SPLIT}"
        )

    def data(self, text):
        if self.gathering:
            self.text.add(text)

    def on_end(self, name):
        if name == "t":
            self.gathering = False
        elif name == "rPh":
            self.in_phonetic = False
        elif name == "si":
            if self.text is not None:
                self.strings[self.index] = self.text.value().replace("x005F_", "")
            self.in_item = False
            self.text = None


class _Workbook:
    """Finds a workbook's parts through its relationships, and reads its first sheet."""

    def __init__(self, archive: zipfile.ZipFile):
        self.archive = archive
        self.parts = {info.filename.lower(): info for info in archive.infolist()}
        self.budget = _Budget()

    def part(self, name: str) -> zipfile.ZipInfo | None:
        return self.parts.get(name.lstrip("/").lower())

    def read(self, name: str, target: _Part) -> _Part:
        _parse(self.archive, self.part(name), target)
        return target

    def relationships(self, name: str) -> _Relationships | None:
        folder, base = posixpath.split(name)
        rels = posixpath.join(folder, "_rels", base + ".rels")
        if self.part(rels) is None:
            return None
        return self.read(rels, _Relationships(self.budget, rels))

    def first_sheet(self, *, keep: int, max_rows: int) -> list[SheetRow]:
        package = self.relationships("")
        workbook_name = (package and package.of_type("officeDocument")) or "xl/workbook.xml"
        workbook_name = workbook_name.lstrip("/")
        if self.part(workbook_name) is None:
            raise _refuse(NOT_XLSX)
        workbook = self.read(workbook_name, _WorkbookPart(self.budget, workbook_name))
        links = self.relationships(workbook_name)
        if links is None:
            raise _refuse(NOT_XLSX)
        folder = posixpath.dirname(workbook_name)
        sheet_name = self.first_worksheet(workbook, links, folder)
        dates, durations = set(), set()
        if styles_name := links.of_type("styles"):
            styles_name = _resolve(folder, styles_name)
            if self.part(styles_name) is not None:
                dates, durations = self.read(
                    styles_name, _Styles(self.budget, styles_name)
                ).date_styles()
        sheet = _Sheet(
            self.budget,
            sheet_name,
            keep=keep,
            max_rows=max_rows,
            epoch=workbook.epoch,
            dates=dates,
            durations=durations,
        )
        self.read(sheet_name, sheet)
        strings = self.shared_strings(links, folder, sheet)
        rows = [_resolved(row, strings) for row in sheet.rows]
        # Every cell that uses a shared string counts, as the import will read each one.
        if sum(len(value) for row in rows for value in row.values if isinstance(value, str)) > (
            MAX_TEXT
        ):
            raise _too_much_text()
        return rows

    def first_worksheet(self, workbook: _WorkbookPart, links: _Relationships, folder: str) -> str:
        """The first sheet of cells (as openpyxl's `worksheets[0]`: chart sheets do not count)."""
        for sheet_id in workbook.sheets:
            kind, target = links.targets.get(sheet_id, ("", ""))
            if target and kind.endswith("/worksheet") and self.part(_resolve(folder, target)):
                return _resolve(folder, target)
        raise _refuse(f"The workbook has no sheet of cells to read. {SAVE_AGAIN}")

    def shared_strings(self, links: _Relationships, folder: str, sheet: _Sheet) -> dict:
        if not sheet.shared:
            return {}
        name = links.of_type("sharedStrings")
        name = name and _resolve(folder, name)
        if not name or self.part(name) is None:
            raise _damaged(sheet.name, "uses shared strings, but the workbook has none")
        strings = self.read(name, _SharedStrings(self.budget, name, sheet=sheet)).strings
        if missing := sheet.shared - strings.keys():
            raise _damaged(name, f"lacks string {min(missing)}, which a cell uses")
        return strings


def _resolve(folder: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(folder, target))


def _resolved(row: _RawRow, strings: dict[int, str]) -> SheetRow:
    values = [None] * max(row.cells, default=0)
    for column, value in row.cells.items():
        values[column - 1] = strings[value.index] if isinstance(value, _SharedRef) else value
    width = row.beyond
    if not width:
        width = next(
            (column for column in range(len(values), 0, -1) if cell_text(values[column - 1])), 0
        )
    return SheetRow(number=row.number, values=values, width=width)
