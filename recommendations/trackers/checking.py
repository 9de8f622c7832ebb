"""Step 2: check every row of a table, and gather what it says about each recommendation."""

import datetime
from dataclasses import dataclass, field
from functools import lru_cache

from ..choices import Status, parse_response, parse_status
from .cells import cell_text, normalise_text, parse_date, same_text
from .columns import DATE_COLUMNS, MAX_LENGTHS
from .problems import Problem
from .reading import RawTable

# Trackers repeat the same few words thousands of times: read each once.
_parse_status = lru_cache(maxsize=512)(parse_status)
_parse_response = lru_cache(maxsize=512)(parse_response)


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
class RecommendationSpec:
    """What the file says about one recommendation, gathered from all its rows."""

    review: str
    number: str
    row: int
    values: dict = field(default_factory=dict)  # column -> (value, row it came from)
    updates: list[UpdateSpec] = field(default_factory=list)


def _split_partners(text: str) -> list[str]:
    names: list[str] = []
    for name in (part.strip() for part in text.split(";")):
        if name and name.casefold() not in {existing.casefold() for existing in names}:
            names.append(name)
    return names


RECOMMENDATION_COLUMNS = [
    "recommendation",
    "lead",
    "partners",
    "response",
    "response_text",
    "target_date",
    "revised_target_date",
    "revision_reason",
]


def check_rows(table: RawTable):
    """Every row's cells as values, every problem, and the recommendations grouped by row."""
    problems = list(table.problems)
    columns = set(table.columns)
    reviews: dict[str, dict] = {}  # title -> {"committee": (name, row), "row": first row}
    specs: dict[tuple[str, str], RecommendationSpec] = {}

    for raw in table.rows:
        row = raw.number
        cells = raw.cells

        def problem(column, message, row=row):
            problems.append(Problem(message, row=row, column=column))

        values: dict = {}
        bad_dates: set[str] = set()  # date cells that are not blank but not dates either
        for column in columns:
            if column in DATE_COLUMNS:
                try:
                    values[column] = parse_date(cells.get(column))
                except ValueError as error:
                    problem(column, str(error))
                    values[column] = None
                    bad_dates.add(column)
            else:
                values[column] = cell_text(cells.get(column))
        for column, limit in MAX_LENGTHS.items():
            if column == "partners":
                continue
            if len(values.get(column, "")) > limit:
                problem(column, f"'{values[column][:40]}…' is longer than {limit} characters")

        title, number = values["review"], values["number"]
        if not title:
            problem("review", "the review's title is missing")
        if not number:
            problem("number", "the recommendation's number is missing")

        if "partners" in columns:
            values["partners"] = _split_partners(values["partners"])
            for name in values["partners"]:
                if len(name) > MAX_LENGTHS["partners"]:
                    problem(
                        "partners",
                        f"'{name[:40]}…' is longer than {MAX_LENGTHS['partners']} characters",
                    )
        if values.get("response"):
            response = _parse_response(values["response"])
            if response is None:
                problem(
                    "response",
                    f"'{values['response']}' is not a known executive response "
                    "(use accepted, partially accepted, not accepted, noted or awaiting)",
                )
            values["response"] = response
        else:
            values["response"] = None

        update = _check_update(values, bad_dates, problem)

        if title:
            review = reviews.setdefault(title, {"row": row, "committee": None})
            committee = values.get("committee", "")
            if committee:
                if review["committee"] is None:
                    review["committee"] = (committee, row)
                elif review["committee"][0].casefold() != committee.casefold():
                    problem(
                        "committee",
                        f"'{committee}' differs from '{review['committee'][0]}' given for this "
                        f"review on row {review['committee'][1]}",
                    )
        if not (title and number):
            continue
        spec = specs.setdefault(
            (title, number.casefold()), RecommendationSpec(review=title, number=number, row=row)
        )
        for column in RECOMMENDATION_COLUMNS:
            if column not in columns:
                continue
            value = values[column]
            if value in ("", None, []):
                continue
            if column not in spec.values:
                spec.values[column] = (value, row)
                continue
            earlier, earlier_row = spec.values[column]
            same = (
                {name.casefold() for name in earlier} == {name.casefold() for name in value}
                if column == "partners"
                else same_text(earlier, value)
                if isinstance(value, str)
                else earlier == value
            )
            if not same:
                what = "text" if column == "recommendation" else "value"
                problem(
                    column,
                    f"recommendation {number} of '{title}' has a different {what} on row "
                    f"{earlier_row}",
                )
        if update is not None:
            spec.updates.append(update)
    for spec in specs.values():
        if "revised_target_date" in spec.values and "revision_reason" not in spec.values:
            problems.append(
                Problem(
                    "a revised target date needs the reason for revising it",
                    row=spec.values["revised_target_date"][1],
                    column="revision_reason",
                )
            )
    return problems, reviews, specs


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
