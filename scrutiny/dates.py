"""The dates the product stores, and date arithmetic that never fails.

Every date a person or a file gives (a report to the executive, a meeting, a target date, an
update's as-at date, an appendix's position) lies between EARLIEST and LATEST: scrutiny in its
present form began in 2000 and trackers rarely reach back further than the 1990s, while nothing a
committee plans runs past this century. Model fields carry `validate_in_range`, so forms, the
admin and the tracker import (which all run model validation) refuse the same dates.
"""

import calendar
import datetime

from django.core.exceptions import ValidationError
from django.utils.formats import date_format

EARLIEST = datetime.date(1990, 1, 1)
LATEST = datetime.date(2100, 12, 31)


def range_message(label: str = "The date") -> str:
    """ "Target date must be between 1 January 1990 and 31 December 2100"."""
    return f"{label} must be between {date_format(EARLIEST)} and {date_format(LATEST)}"


def validate_in_range(value: datetime.date | None) -> None:
    """A model field validator: the date lies between EARLIEST and LATEST. Migrations name it
    by this path, so it stays here."""
    if value is not None and not EARLIEST <= value <= LATEST:
        raise ValidationError(range_message(), code="out_of_range")


def validate_not_in_future(value: datetime.date | None, today: datetime.date) -> None:
    """The date is today or before: what an update or an appendix speaks for has happened."""
    if value is not None and value > today:
        raise ValidationError("The date must be today or in the past", code="in_future")


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` calendar months later, clamped to the month's last day.

    Total: a result beyond the calendar Python can represent is its first or last day rather
    than an error, so a date stored before the range was enforced never breaks a page.
    """
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    if year > datetime.MAXYEAR:
        return datetime.date.max
    if year < datetime.MINYEAR:
        return datetime.date.min
    return datetime.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))
