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

from .limits import EXCEL_COLUMNS, MAX_UNPACKED_BYTES
from .workbook import SheetRow, read_first_sheet

__all__ = ["EXCEL_COLUMNS", "MAX_UNPACKED_BYTES", "SheetRow", "read_first_sheet"]
