"""The first sheet's cells, row by row: only the kept columns are built, the rest only counted."""

from dataclasses import dataclass, field

from openpyxl.utils.cell import column_index_from_string, get_column_letter
from openpyxl.utils.datetime import from_excel, from_ISO8601

from ..problems import TrackerFileError
from .limits import (
    EXCEL_CELL_TEXT,
    EXCEL_COLUMNS,
    EXCEL_ROWS,
    MAX_CELLS,
    MAX_TEXT,
    MAX_XML_DEPTH,
    SAVE_AGAIN,
    Stop,
    damaged,
    element_cost,
    refuse,
)
from .parts import Part, integer


class SharedRef:
    """A cell that holds one of the workbook's shared strings, until they are read."""

    __slots__ = ("index",)

    def __init__(self, index: int):
        self.index = index


@dataclass
class RawRow:
    number: int
    cells: dict = field(default_factory=dict)  # column -> value (or SharedRef), kept columns
    beyond: int = 0  # the column of the last cell with a value beyond the kept ones


class Text:
    """Text gathered for one cell or shared string, within Excel's cell limit and the total."""

    def __init__(self, sheet: "Sheet", where):
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


def too_long(row: int | None = None, column: int | None = None) -> TrackerFileError:
    if row is None or column is None:
        return refuse(
            f"A cell of the sheet uses a shared text of more than {EXCEL_CELL_TEXT:,} characters, "
            "the most Excel allows in a cell"
        )
    return refuse(
        f"the cell in column {get_column_letter(column)} holds more than {EXCEL_CELL_TEXT:,} "
        "characters, the most Excel allows in a cell",
        row=row,
    )


def too_much_text() -> TrackerFileError:
    return refuse(
        f"The sheet holds more than {MAX_TEXT:,} characters of text, more than a tracker can take "
        "in one file: split it into smaller files"
    )


def too_many_rows(max_rows: int) -> TrackerFileError:
    return refuse(f"The file has more than {max_rows:,} rows: split it into smaller files")


class Sheet(Part):
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
        self.rows: list[RawRow] = []
        self.shared: set[int] = set()
        self.text_total = 0
        self.row: RawRow | None = None
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
        self.text: Text | None = None  # the text being gathered for a kept cell
        self.watching = False  # in the value of a cell beyond the kept ones
        self.beyond_has_value = False
        self.in_inline = False
        self.in_phonetic = False

    def add_text(self, length: int) -> None:
        self.text_total += length
        if self.text_total > MAX_TEXT:
            raise too_much_text()

    def start(self, tag, attrs):
        self.depth += 1
        budget = self.budget
        cost = element_cost(len(attrs))
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
            raise Stop  # nothing after the cells is needed

    def open_row(self, attrs):
        if self.row is not None:
            raise damaged(self.name, "has a row inside a row")
        self.row_elements += 1
        if self.row_elements > 2 * self.max_rows + 1:
            raise too_many_rows(self.max_rows)
        previous = self.last_row
        number = integer(attrs.get("r"), previous + 1)
        if not previous < number <= EXCEL_ROWS:
            raise damaged(self.name, f"numbers its rows out of order (row {number})")
        self.row = RawRow(number)
        self.last_row = number
        self.cells_in_row = 0
        self.column = 0

    def open_cell(self, attrs):
        self.cells += 1
        self.cells_in_row += 1
        if self.cells > MAX_CELLS:
            raise refuse(
                f"The sheet has more than {MAX_CELLS:,} cells (counting empty ones that are "
                "formatted), far more than a tracker needs: delete the unused rows and columns, "
                'or save the tracker sheet as "CSV UTF-8"'
            )
        reference = attrs.get("r")
        column = column_of(reference) if reference else self.column + 1
        if column is None:
            raise damaged(self.name, f"has a cell with a broken reference ({reference[:20]})")
        if column > EXCEL_COLUMNS or self.cells_in_row > EXCEL_COLUMNS:
            raise refuse(
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
            self.text = Text(self, lambda: too_long(row, column))
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
            index = integer(text)
            if index < 0:
                raise damaged(self.name, "has a cell that refers to a shared string wrongly")
            self.shared.add(index)
            return SharedRef(index)
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
        style = integer(self.cell_style, 0)
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
                raise too_many_rows(self.max_rows)
            self.rows.append(row)


def column_of(reference: str) -> int | None:
    """The column of a cell reference such as "B12"; None when it is not one."""
    letters = reference.rstrip("0123456789")
    if not letters or len(letters) > 3 or not letters.isalpha() or len(letters) == len(reference):
        return None
    try:
        return column_index_from_string(letters.upper())
    except ValueError:
        return None
