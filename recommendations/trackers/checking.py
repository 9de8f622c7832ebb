"""Step 2: check every row of a table, and gather what it says about each recommendation."""

import datetime
from dataclasses import dataclass, field
from functools import lru_cache, partial

from django.core.exceptions import ValidationError
from django.utils import timezone

from scrutiny.text import strip_invisible

from ..choices import Response, Status, parse_response, parse_status
from ..models import ProgressUpdate, Recommendation
from .cells import cell_text, normalise_text, parse_date, same_text
from .columns import (
    DATE_COLUMNS,
    LONG_TEXT_COLUMNS,
    MAX_LENGTHS,
    MODEL_FIELDS,
    RECOMMENDATION_COLUMNS,
)
from .problems import Problem
from .reading import RawRow, RawTable

# Trackers repeat the same few words thousands of times: read each once.
_parse_status = lru_cache(maxsize=512)(parse_status)
_parse_response = lru_cache(maxsize=512)(parse_response)

# The column of each Recommendation field the rows' values are checked against.
_RECOMMENDATION_COLUMNS = {
    name: column for column, name in MODEL_FIELDS.items() if column != "response"
}


@dataclass
class UpdateSpec:
    row: int
    as_at: datetime.date
    status: Status
    narrative: str

    @property
    def key(self) -> tuple:
        return (self.as_at, self.status.value, normalise_text(self.narrative))


@dataclass
class ReviewSpec:
    """What the file says about one review: where it first appears, and its committee."""

    title: str
    row: int
    committee: str = ""  # as first given, on committee_row
    committee_row: int | None = None


@dataclass
class RecommendationSpec:
    """What the file says about one recommendation, gathered from all its rows."""

    review: str
    number: str
    row: int
    values: dict = field(default_factory=dict)  # column -> (value, row it came from)
    updates: list[UpdateSpec] = field(default_factory=list)


@dataclass
class CheckedRows:
    """Every problem in the rows, and what they say about each review and recommendation."""

    problems: list[Problem]
    reviews: dict[str, ReviewSpec]  # by title
    specs: dict[tuple[str, str], RecommendationSpec]  # by title and casefolded number


def check_rows(table: RawTable) -> CheckedRows:
    """Check every row's cells, and group what the rows say by review and recommendation."""
    checker = _RowChecker(table)
    for raw in table.rows:
        checker.check(raw)
    checker.check_revision_reasons()
    return checker.checked


class _RowChecker:
    """Checks rows one at a time, gathering problems, reviews and recommendations as it goes."""

    def __init__(self, table: RawTable):
        self.columns = set(table.columns)
        self.today = timezone.localdate()
        self.valid_values: set[tuple] = set()
        self.checked = CheckedRows(problems=list(table.problems), reviews={}, specs={})

    def problem(self, row: int, column: str, message: str) -> None:
        self.checked.problems.append(Problem(message, row=row, column=column))

    def check(self, raw: RawRow) -> None:
        row = raw.number
        values, bad_dates = self._values(raw)
        self._check_lengths(row, values)
        self._check_recommendation_values(row, values)
        title, number = values["review"], values["number"]
        if not title:
            self.problem(row, "review", "the review's title is missing")
        if not number:
            self.problem(row, "number", "the recommendation's number is missing")
        if "partners" in self.columns:
            values["partners"] = self._partners(row, values["partners"])
        values["response"] = self._response(row, values.get("response"))
        update = _check_update(values, bad_dates, partial(self.problem, row))
        if update is not None and not self._update_is_valid(row, update):
            update = None
        if title:
            self._note_committee(row, title, values.get("committee", ""))
        if title and number:
            self._gather(row, title, number, values, update)

    def _values(self, raw: RawRow) -> tuple[dict, set[str]]:
        """Each cell as text or a date, and the date cells that are not blank but not dates."""
        values: dict = {}
        bad_dates: set[str] = set()
        for column in self.columns:
            if column in DATE_COLUMNS:
                try:
                    values[column] = parse_date(raw.cells.get(column))
                except ValueError as error:
                    self.problem(raw.number, column, str(error))
                    values[column] = None
                    bad_dates.add(column)
            elif column in LONG_TEXT_COLUMNS:
                values[column] = cell_text(raw.cells.get(column))
            else:
                # Names, numbers and words: without the invisible characters the forms remove.
                values[column] = strip_invisible(cell_text(raw.cells.get(column)))
        return values, bad_dates

    def _check_recommendation_values(self, row: int, values: dict) -> None:
        """The model's own rules for what the row gives of a recommendation (dates in range,
        text within its length), as the forms and the admin apply them."""
        for name, column in _RECOMMENDATION_COLUMNS.items():
            if values.get(column) not in (None, ""):
                self._field_is_valid(row, Recommendation, name, column, values[column])

    def _update_is_valid(self, row: int, update: "UpdateSpec") -> bool:
        """The model's rules for a progress update: its date in range and not in the future,
        its narrative within its length."""
        valid = all(
            [
                self._field_is_valid(row, ProgressUpdate, "as_at", "update_date", update.as_at),
                self._field_is_valid(
                    row, ProgressUpdate, "narrative", "update_text", update.narrative
                ),
            ]
        )
        try:
            ProgressUpdate.validate_as_at(update.as_at, today=self.today)
        except ValidationError as error:
            self._note(row, "update_date", error)
            return False
        return valid

    def _field_is_valid(self, row: int, model, name: str, column: str, value) -> bool:
        """Run the model field's validation (its validators: a date's range, a text's length) on
        a value, noting what it refuses as a problem in `column`. A value once found valid is not
        checked again: a recommendation's text and dates repeat on each of its rows."""
        if (model, name, value) in self.valid_values:
            return True
        try:
            model._meta.get_field(name).clean(value, None)
        except ValidationError as error:
            self._note(row, column, error)
            return False
        self.valid_values.add((model, name, value))
        return True

    def _note(self, row: int, column: str, error: ValidationError) -> None:
        for message in error.messages:
            self.problem(row, column, _as_problem(message))

    def _check_lengths(self, row: int, values: dict) -> None:
        for column, limit in MAX_LENGTHS.items():
            if column == "partners":
                continue
            if len(values.get(column, "")) > limit:
                self.problem(
                    row, column, f"'{values[column][:40]}…' is longer than {limit} characters"
                )

    def _partners(self, row: int, text: str) -> list[str]:
        names = _split_partners(text)
        limit = MAX_LENGTHS["partners"]
        for name in names:
            if len(name) > limit:
                self.problem(row, "partners", f"'{name[:40]}…' is longer than {limit} characters")
        return names

    def _response(self, row: int, text: str | None) -> Response | None:
        if not text:
            return None
        response = _parse_response(text)
        if response is None:
            self.problem(
                row,
                "response",
                f"'{text}' is not a known executive response "
                "(use accepted, partially accepted, not accepted, noted or awaiting)",
            )
        return response

    def _note_committee(self, row: int, title: str, committee: str) -> None:
        """Note the review and its committee; a different committee on a later row is a problem."""
        review = self.checked.reviews.setdefault(title, ReviewSpec(title=title, row=row))
        if not committee:
            return
        if review.committee_row is None:
            review.committee, review.committee_row = committee, row
        elif review.committee.casefold() != committee.casefold():
            self.problem(
                row,
                "committee",
                f"'{committee}' differs from '{review.committee}' given for this "
                f"review on row {review.committee_row}",
            )

    def _gather(
        self, row: int, title: str, number: str, values: dict, update: UpdateSpec | None
    ) -> None:
        """Add the row to its recommendation's values and updates; rows that disagree are a problem."""
        spec = self.checked.specs.setdefault(
            (title, number.casefold()), RecommendationSpec(review=title, number=number, row=row)
        )
        for column in RECOMMENDATION_COLUMNS:
            value = values.get(column) if column in self.columns else None
            if value in ("", None, []):
                continue
            if column not in spec.values:
                spec.values[column] = (value, row)
                continue
            earlier, earlier_row = spec.values[column]
            if not _agree(column, earlier, value):
                what = "text" if column == "recommendation" else "value"
                self.problem(
                    row,
                    column,
                    f"recommendation {number} of '{title}' has a different {what} on row "
                    f"{earlier_row}",
                )
        if update is not None:
            update.row = spec.row  # an update is placed at its recommendation's first row
            spec.updates.append(update)

    def check_revision_reasons(self) -> None:
        for spec in self.checked.specs.values():
            if "revised_target_date" in spec.values and "revision_reason" not in spec.values:
                self.problem(
                    spec.values["revised_target_date"][1],
                    "revision_reason",
                    "a revised target date needs the reason for revising it",
                )


def _as_problem(message: str) -> str:
    """A model's message ("The date must be …") as the import words its problems ("the date …")."""
    return message[:1].lower() + message[1:]


def _split_partners(text: str) -> list[str]:
    names: list[str] = []
    for name in (part.strip() for part in text.split(";")):
        if name and name.casefold() not in {existing.casefold() for existing in names}:
            names.append(name)
    return names


def _agree(column: str, earlier, value) -> bool:
    """Do two rows give the same value for a recommendation's column?"""
    if column == "partners":
        return {name.casefold() for name in earlier} == {name.casefold() for name in value}
    if isinstance(value, str):
        return same_text(earlier, value)
    return earlier == value


def _check_update(values: dict, bad_dates: set, problem) -> UpdateSpec | None:
    as_at = values.get("update_date")
    status_text = values.get("update_status", "")
    narrative = values.get("update_text", "")
    status = None
    if status_text:
        status = _parse_status(status_text)
        if status is None:
            problem("update_status", f"'{status_text}' is not a known status")
    if as_at is None and "update_date" not in bad_dates:
        if status_text or narrative:
            problem("update_date", "an update needs its date (the date it speaks for)")
        return None
    if not status_text:
        problem("update_status", "an update needs a status")
    if not narrative:
        problem("update_text", "an update needs its text")
    if as_at is None or status is None or not narrative:
        return None
    return UpdateSpec(row=0, as_at=as_at, status=status, narrative=narrative)
