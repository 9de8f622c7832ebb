"""Streaming one XML part of a workbook through defusedxml's parser, counted against the budget,
and the small parts a tracker needs: relationships, the workbook part and the styles."""

import zipfile
import zlib

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser
from openpyxl.styles.numbers import builtin_format_code, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900

from ..problems import TrackerFileError
from .limits import (
    CHUNK_BYTES,
    MAX_TOKEN_BYTES,
    MAX_XML_DEPTH,
    NOT_XLSX,
    Budget,
    Stop,
    damaged,
    refuse,
)


class Part:
    """A parser target for one part: counts elements and depth, and hands on local names."""

    def __init__(self, budget: Budget, name: str):
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
            raise damaged(self.name, f"nests its XML more than {MAX_XML_DEPTH} levels deep")
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


def attribute(attrs: dict, local: str) -> str | None:
    """An attribute by its local name, whatever its namespace (r:id, or plain r)."""
    if local in attrs:
        return attrs[local]
    for key, value in attrs.items():
        if key.endswith("}" + local):
            return value
    return None


def parse_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: Part) -> None:
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
                        raise damaged(
                            info.filename,
                            f"holds a single piece of XML of more than "
                            f"{MAX_TOKEN_BYTES // (1024 * 1024)} MB, which no spreadsheet writes",
                        )
                parser.close()
            except Stop:
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
        raise damaged(info.filename, "does not unpack as its zip directory says") from error
    except (RuntimeError, NotImplementedError, OSError) as error:  # encrypted, and the like
        raise refuse(NOT_XLSX) from error
    except SyntaxError as error:  # the parser's ParseError (from its own copy of the module)
        raise damaged(info.filename, "is not well-formed XML") from error


class Relationships(Part):
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


class WorkbookPart(Part):
    """The workbook part: its date system and its first sheet's relationship id."""

    def __init__(self, budget, name):
        super().__init__(budget, name)
        self.epoch = CALENDAR_WINDOWS_1900
        self.sheets: list[str] = []  # relationship ids, in the workbook's order

    def on_start(self, name, attrs):
        if name == "workbookPr" and attrs.get("date1904", "").lower() in ("1", "true"):
            self.epoch = CALENDAR_MAC_1904
        elif name == "sheet":
            self.sheets.append(attribute(attrs, "id") or "")

    def on_end(self, name):
        if name == "sheets":
            raise Stop


class Styles(Part):
    """The styles part: which cell styles show a number as a date (or a duration)."""

    def __init__(self, budget, name):
        super().__init__(budget, name)
        self.custom: dict[int, str] = {}
        self.formats: list[int] = []  # each cell style's number format
        self.in_cell_styles = False

    def on_start(self, name, attrs):
        if name == "numFmt":
            self.custom[integer(attrs.get("numFmtId"))] = attrs.get("formatCode", "")
        elif name == "cellXfs":
            self.in_cell_styles = True
        elif name == "xf" and self.in_cell_styles:
            self.formats.append(integer(attrs.get("numFmtId")))

    def on_end(self, name):
        if name == "cellXfs":
            raise Stop

    def date_styles(self) -> tuple[set[int], set[int]]:
        dates, durations = set(), set()
        for style, number_format in enumerate(self.formats):
            code = self.custom.get(number_format) or builtin_format_code(number_format)
            if is_date_format(code):
                dates.add(style)
            if is_timedelta_format(code):
                durations.add(style)
        return dates, durations


def integer(value: str | None, default: int = -1) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default
