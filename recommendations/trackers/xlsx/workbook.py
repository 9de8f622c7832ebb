"""A workbook's first sheet: the zip checked, its parts found through their relationships, read
in order (workbook, styles, sheet, the shared strings the sheet uses) and put together as rows."""

import io
import posixpath
import zipfile
from dataclasses import dataclass

from defusedxml import DefusedXmlException

from ..cells import cell_text
from .limits import (
    FORBIDDEN_XML,
    MAX_PARTS,
    MAX_TEXT,
    MAX_UNPACKED_BYTES,
    NOT_XLSX,
    SAVE_AGAIN,
    SPLIT,
    Budget,
    damaged,
    refuse,
    shown,
)
from .parts import Part, Relationships, Styles, WorkbookPart, parse_part
from .shared_strings import SharedStrings
from .sheet import RawRow, SharedRef, Sheet, too_much_text


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
        return Workbook(archive).first_sheet(keep=keep, max_rows=max_rows)
    except DefusedXmlException as error:
        raise refuse(FORBIDDEN_XML) from error
    finally:
        archive.close()


def _open_archive(data: bytes) -> zipfile.ZipFile:
    """The zip, once it is known to unpack to no more than a tracker needs."""
    if not data.startswith(b"PK\x03\x04"):
        raise refuse(NOT_XLSX)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise refuse(NOT_XLSX) from error
    parts = archive.infolist()
    if len(parts) > MAX_PARTS:
        raise refuse(
            f"The workbook has more than {MAX_PARTS:,} parts, far more than a workbook saved by "
            f"Excel: {SPLIT}"
        )
    for part in parts:
        if part.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise refuse(
                f"The file is not an Excel workbook that can be read: its part {shown(part.filename)} is "
                f"compressed in a way Excel never uses. {SAVE_AGAIN}"
            )
    if sum(part.file_size for part in parts) > MAX_UNPACKED_BYTES:
        raise refuse(
            f"The workbook unpacks to more than {MAX_UNPACKED_BYTES // (1024 * 1024)} MB: "
            "split it into smaller files, or save it as CSV UTF-8"
        )
    return archive


class Workbook:
    """Finds a workbook's parts through its relationships, and reads its first sheet."""

    def __init__(self, archive: zipfile.ZipFile):
        self.archive = archive
        self.parts = {info.filename.lower(): info for info in archive.infolist()}
        self.budget = Budget()

    def part(self, name: str) -> zipfile.ZipInfo | None:
        return self.parts.get(name.lstrip("/").lower())

    def read(self, name: str, target: Part) -> Part:
        parse_part(self.archive, self.part(name), target)
        return target

    def relationships(self, name: str) -> Relationships | None:
        folder, base = posixpath.split(name)
        rels = posixpath.join(folder, "_rels", base + ".rels")
        if self.part(rels) is None:
            return None
        return self.read(rels, Relationships(self.budget, rels))

    def first_sheet(self, *, keep: int, max_rows: int) -> list[SheetRow]:
        package = self.relationships("")
        workbook_name = (package and package.of_type("officeDocument")) or "xl/workbook.xml"
        workbook_name = workbook_name.lstrip("/")
        if self.part(workbook_name) is None:
            raise refuse(NOT_XLSX)
        workbook = self.read(workbook_name, WorkbookPart(self.budget, workbook_name))
        links = self.relationships(workbook_name)
        if links is None:
            raise refuse(NOT_XLSX)
        folder = posixpath.dirname(workbook_name)
        sheet_name = self.first_worksheet(workbook, links, folder)
        dates, durations = set(), set()
        if styles_name := links.of_type("styles"):
            styles_name = _resolve(folder, styles_name)
            if self.part(styles_name) is not None:
                dates, durations = self.read(
                    styles_name, Styles(self.budget, styles_name)
                ).date_styles()
        sheet = Sheet(
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
            raise too_much_text()
        return rows

    def first_worksheet(self, workbook: WorkbookPart, links: Relationships, folder: str) -> str:
        """The first sheet of cells (as openpyxl's `worksheets[0]`: chart sheets do not count)."""
        for sheet_id in workbook.sheets:
            kind, target = links.targets.get(sheet_id, ("", ""))
            if target and kind.endswith("/worksheet") and self.part(_resolve(folder, target)):
                return _resolve(folder, target)
        raise refuse(f"The workbook has no sheet of cells to read. {SAVE_AGAIN}")

    def shared_strings(self, links: Relationships, folder: str, sheet: Sheet) -> dict:
        if not sheet.shared:
            return {}
        name = links.of_type("sharedStrings")
        name = name and _resolve(folder, name)
        if not name or self.part(name) is None:
            raise damaged(sheet.name, "uses shared strings, but the workbook has none")
        strings = self.read(name, SharedStrings(self.budget, name, sheet=sheet)).strings
        if missing := sheet.shared - strings.keys():
            raise damaged(name, f"lacks string {min(missing)}, which a cell uses")
        return strings


def _resolve(folder: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(folder, target))


def _resolved(row: RawRow, strings: dict[int, str]) -> SheetRow:
    values = [None] * max(row.cells, default=0)
    for column, value in row.cells.items():
        values[column - 1] = strings[value.index] if isinstance(value, SharedRef) else value
    width = row.beyond
    if not width:
        width = next(
            (column for column in range(len(values), 0, -1) if cell_text(values[column - 1])), 0
        )
    return SheetRow(number=row.number, values=values, width=width)
