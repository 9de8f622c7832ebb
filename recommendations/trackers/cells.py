"""Cells of a tracker file: the formula guard, cells as text, and dates."""

import datetime
import re

# A spreadsheet runs a cell starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
GUARD = "'"


def guard_formula(value: str) -> str:
    """Make a text cell safe to open in a spreadsheet: prefix a single quote where needed.

    A value that already starts with a quote before a risky character gets one more, so that
    `unguard_formula` always gives back exactly what was written.
    """
    if value.startswith(FORMULA_STARTS) or (
        value.startswith(GUARD) and value[1:2] in (*FORMULA_STARTS, GUARD) and len(value) > 1
    ):
        return GUARD + value
    return value


def unguard_formula(value: str) -> str:
    """Undo `guard_formula`: drop a single quote that protects a risky first character."""
    if value.startswith(GUARD) and len(value) > 1 and value[1] in (*FORMULA_STARTS, GUARD):
        return value[1:]
    return value


def cell_text(value) -> str:
    """A cell as trimmed text: whole numbers without ".0", date cells as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").strip()
    return unguard_formula(text)


ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
UK_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def parse_date(value) -> datetime.date | None:
    """A date from an XLSX date cell, `YYYY-MM-DD` or `DD/MM/YYYY`; None when blank.

    Raises ValueError with the message to show when the cell is not a real date.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise ValueError(
            f"{cell_text(value)} is a number, not a date: give the date as YYYY-MM-DD or DD/MM/YYYY"
        )
    text = cell_text(value)
    if not text:
        return None
    if match := ISO_DATE.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
    elif match := UK_DATE.fullmatch(text):
        day, month, year = (int(part) for part in match.groups())
    else:
        raise ValueError(f"'{text}' is not a date: give it as YYYY-MM-DD or DD/MM/YYYY")
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise ValueError(f"'{text}' is not a real date") from None


def same_text(a: str, b: str) -> bool:
    """Equal apart from line-ending style and surrounding space (spreadsheets change both)."""
    return normalise_text(a) == normalise_text(b)


def normalise_text(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()
