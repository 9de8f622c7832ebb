"""What a workbook may ask for before it is refused, and the refusals themselves."""

from ..problems import TrackerFileError

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


def refuse(message: str, *, row: int | None = None) -> TrackerFileError:
    return TrackerFileError.because(message, row=row)


def damaged(part: str, what: str) -> TrackerFileError:
    return refuse(f"The workbook is damaged: its part {shown(part)} {what}. {SAVE_AGAIN}")


def shown(part: str) -> str:
    """A part's name as a message shows it: the file chose it, and it may be long."""
    return part if len(part) <= 100 else part[:100] + "…"


class Stop(Exception):
    """A part's reader has all it needs: the rest of the part is not read."""


def element_cost(attributes: int) -> int:
    """An element costs one piece of XML; an unusual number of attributes, one more each (the
    parser has built them all before any handler sees them)."""
    return 1 if attributes <= FEW_ATTRIBUTES else 1 + attributes


class Budget:
    """The XML elements left to read in the whole workbook."""

    def __init__(self):
        self.elements = MAX_XML_ELEMENTS

    def spend(self, attributes: int = 0) -> None:
        self.elements -= element_cost(attributes)
        if self.elements < 0:
            raise refuse(
                f"The workbook holds more than {MAX_XML_ELEMENTS:,} pieces of XML in the parts "
                f"a tracker needs, far more than a tracker of its size: {SPLIT}"
            )
