"""Tracker files (CSV and XLSX): read, validate, plan, apply; and write them for export.

The format is DOMAIN.md's "Tracker files": a header row, then one row per progress update (a
recommendation with no update has one row with the update columns blank). An import goes through
four steps, each of which can be called on its own:

1. `read_tracker(data, filename)` reads the bytes of a `.csv` or `.xlsx` file into rows of cells,
   refusing files that are too big, empty, not really CSV or XLSX, or not UTF-8.
2. `plan_import(rows)` checks every row, collecting every problem with its row and column, and
   compares a file without problems with the register: per review, the recommendations to create,
   the fields to change (old and new values), the updates to add, and what is unchanged.
3. `apply_plan(plan, user)` writes the plan in one transaction, with `user` in the audit history.
4. `import_tracker(data, filename, user=…)` does all three in one transaction (the command and
   the confirm step both call it).

Any problem raises `TrackerFileError` with the list of problems, and nothing is written.

Columns a file leaves out are left alone; a column that is present says what the register should
hold, so a blank `lead` in a `lead` column clears the lead. A recommendation's columns may be
repeated on each of its rows or given once; two rows that disagree are a problem.

`write_csv(recommendations)` and `write_xlsx(recommendations)` export any Recommendation queryset
in the same format, in three queries whatever its size.
"""

import csv
import datetime
import hashlib
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from django.db import connection, transaction
from django.db.models import Prefetch
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from reviews.models import Committee, Organisation, Review

from .choices import Response, Status, parse_response, parse_status
from .models import ProgressUpdate, Recommendation, natural_sort_key

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
# An XLSX file is a zip: a small file can unpack to a great deal. A 20,000-row tracker of long
# narratives unpacks to well under this.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024

COLUMNS = [
    "review",
    "committee",
    "number",
    "recommendation",
    "lead",
    "partners",
    "response",
    "response_text",
    "target_date",
    "revised_target_date",
    "revision_reason",
    "update_date",
    "update_status",
    "update_text",
]
REQUIRED_COLUMNS = ["review", "number"]
DATE_COLUMNS = {"target_date", "revised_target_date", "update_date"}

# Most characters a name may have, from the models.
MAX_LENGTHS = {
    "review": Review._meta.get_field("title").max_length,
    "committee": Committee._meta.get_field("name").max_length,
    "number": Recommendation._meta.get_field("number").max_length,
    "lead": Organisation._meta.get_field("name").max_length,
    "partners": Organisation._meta.get_field("name").max_length,
}

# Trackers repeat the same few words thousands of times: read each once.
_parse_status = lru_cache(maxsize=512)(parse_status)
_parse_response = lru_cache(maxsize=512)(parse_response)

# A spreadsheet runs a cell starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
GUARD = "'"


# --- Problems --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: where (row and column, when known) and what."""

    message: str
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = ", ".join(
            part for part in (f"row {self.row}" if self.row else "", self.column or "") if part
        )
        return f"{where}: {self.message}" if where else self.message


class TrackerFileError(Exception):
    """The file cannot be imported; `problems` says every reason, and nothing was written."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


# --- Cells: formula guard, text, dates -------------------------------------------------------


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


def _text(value) -> str:
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
            f"{_text(value)} is a number, not a date: give the date as YYYY-MM-DD or DD/MM/YYYY"
        )
    text = _text(value)
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


def _same_text(a: str, b: str) -> bool:
    """Equal apart from line-ending style and surrounding space (spreadsheets change both)."""
    return _normalise_text(a) == _normalise_text(b)


def _normalise_text(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


# --- Step 1: reading a file into rows of cells -----------------------------------------------


@dataclass
class RawRow:
    number: int  # as the spreadsheet numbers it: the header is row 1
    cells: dict  # column -> the cell's value (str, or a date/number from XLSX)


@dataclass
class RawTable:
    columns: list[str]
    rows: list[RawRow]
    problems: list[Problem]


def _header_name(value) -> str:
    return re.sub(r"[\s-]+", "_", _text(value).casefold())


def read_tracker(data: bytes, filename: str) -> RawTable:
    """The header and rows of a `.csv` or `.xlsx` file; raises TrackerFileError for the file itself.

    Problems with the header (unknown, repeated or missing columns) are raised here too, since
    no row can be read without it.
    """
    name = filename.strip().lower()
    if len(data) > MAX_BYTES:
        raise TrackerFileError(
            [
                Problem(
                    f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB: split it into smaller files"
                )
            ]
        )
    if not data.strip():
        raise TrackerFileError([Problem("The file is empty")])
    if name.endswith(".csv"):
        header, rows = _read_csv(data)
    elif name.endswith(".xlsx"):
        header, rows = _read_xlsx(data)
    elif name.endswith(".xls"):
        raise TrackerFileError(
            [Problem("The file is an old Excel workbook (.xls): save it as .xlsx or CSV UTF-8")]
        )
    else:
        raise TrackerFileError([Problem("The file must be a CSV (.csv) or Excel (.xlsx) file")])
    return _table(header, rows)


def _table(header: list, rows: Iterable[tuple[int, list]]) -> RawTable:
    names = [_header_name(cell) for cell in header]
    while names and not names[-1]:
        names.pop()
    if not names:
        raise TrackerFileError(
            [Problem("The first row must hold the column names, but it is empty", row=1)]
        )
    problems = []
    seen: set[str] = set()
    for position, name in enumerate(names, start=1):
        if not name:
            continue
        if name not in COLUMNS:
            problems.append(
                Problem(
                    f"'{_text(header[position - 1])}' (column {position}) is not a known column; "
                    f"the columns are: {', '.join(COLUMNS)}",
                    row=1,
                )
            )
        elif name in seen:
            problems.append(Problem(f"the column '{name}' appears more than once", row=1))
        seen.add(name)
    for required in REQUIRED_COLUMNS:
        if required not in seen:
            problems.append(Problem(f"the required column '{required}' is missing", row=1))
    if problems:
        raise TrackerFileError(problems)

    table = RawTable(columns=[name for name in names if name], rows=[], problems=[])
    for number, values in rows:
        if not any(_text(value) for value in values):
            continue  # blank rows (spreadsheets often end with some) are not records
        if len(table.rows) >= MAX_ROWS:
            raise TrackerFileError(
                [Problem(f"The file has more than {MAX_ROWS:,} rows: split it into smaller files")]
            )
        extra = values[len(names) :]
        if any(_text(value) for value in extra):
            table.problems.append(
                Problem(
                    f"the row has {len(values)} cells but there are only {len(names)} column names",
                    row=number,
                )
            )
        cells = {
            name: values[index] if index < len(values) else None
            for index, name in enumerate(names)
            if name
        }
        table.rows.append(RawRow(number=number, cells=cells))
    if not table.rows:
        raise TrackerFileError(
            [Problem("The file has column names but no rows of recommendations below them")]
        )
    return table


def _read_csv(data: bytes) -> tuple[list, Iterator[tuple[int, list]]]:
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"%PDF")) or b"\x00" in data[:4096]:
        raise TrackerFileError(
            [
                Problem(
                    "The file is not a CSV file (it looks like a spreadsheet or other binary file)"
                )
            ]
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise TrackerFileError(
            [
                Problem(
                    f"The file is not UTF-8 text (line {line} has characters in another "
                    'encoding): save it as "CSV UTF-8" and upload it again'
                )
            ]
        ) from None
    if "\x00" in text:
        raise TrackerFileError([Problem("The file is not a CSV file (it holds binary data)")])
    csv.field_size_limit(MAX_BYTES)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as error:
        raise TrackerFileError(
            [Problem(f"the file cannot be read as CSV: {error}", row=1)]
        ) from None
    if header is None:
        raise TrackerFileError([Problem("The file is empty")])

    def rows():
        number = 1
        while True:
            number += 1
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                raise TrackerFileError(
                    [Problem(f"the row cannot be read as CSV: {error}", row=number)]
                ) from None
            yield number, values

    return header, rows()


def _read_xlsx(data: bytes) -> tuple[list, Iterator[tuple[int, list]]]:
    from openpyxl import load_workbook

    not_xlsx = Problem(
        "The file is not an Excel workbook (.xlsx) that can be read: it may be damaged, "
        "password-protected, or another kind of file with an .xlsx name"
    )
    if not data.startswith(b"PK\x03\x04"):
        raise TrackerFileError([not_xlsx])
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as error:
        raise TrackerFileError([not_xlsx]) from error
    if unpacked > MAX_UNPACKED_BYTES:
        raise TrackerFileError(
            [
                Problem(
                    f"The workbook unpacks to more than {MAX_UNPACKED_BYTES // (1024 * 1024)} MB: "
                    "split it into smaller files, or save it as CSV UTF-8"
                )
            ]
        )
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        # At most one more column than the format has: enough to report an unknown column, and
        # a bound on what a crafted file can make us read.
        limit = len(COLUMNS) + 1
        header = next(
            sheet.iter_rows(min_row=1, max_row=1, max_col=limit * 2, values_only=True), None
        )
        if header is None:
            raise TrackerFileError([Problem("The file is empty")])
        width = len(header)
        values = [
            (number, list(row))
            for number, row in enumerate(
                _bounded(sheet.iter_rows(min_row=2, max_col=max(width, limit), values_only=True)),
                start=2,
            )
        ]
        workbook.close()
    except TrackerFileError:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, IndexError) as error:
        raise TrackerFileError([not_xlsx]) from error
    except Exception as error:  # openpyxl raises its own kinds for broken workbooks
        if type(error).__module__.startswith(("openpyxl", "xml", "zipfile", "defusedxml")):
            raise TrackerFileError([not_xlsx]) from error
        raise
    return list(header), iter(values)


def _bounded(rows):
    """Stop reading a sheet once it has more rows than an import takes (blank ones included)."""
    for count, row in enumerate(rows, start=1):
        if count > MAX_ROWS * 2:
            raise TrackerFileError(
                [Problem(f"The file has more than {MAX_ROWS:,} rows: split it into smaller files")]
            )
        yield row


# --- Step 2: checking rows and planning the changes ------------------------------------------


@dataclass
class UpdateSpec:
    row: int
    as_at: datetime.date
    status: Status
    narrative: str

    @property
    def key(self) -> tuple:
        return (self.as_at, self.status.value, _normalise_text(self.narrative))


@dataclass
class RecommendationSpec:
    """What the file says about one recommendation, gathered from all its rows."""

    review: str
    number: str
    row: int
    values: dict = field(default_factory=dict)  # column -> (value, row it came from)
    updates: list[UpdateSpec] = field(default_factory=list)


@dataclass
class FieldChange:
    column: str
    label: str
    old: str
    new: str


@dataclass
class RecommendationPlan:
    number: str
    row: int
    action: str  # "create", "change" or "unchanged"
    text: str
    existing: Recommendation | None
    values: dict  # model field -> new value, for the columns the file has
    lead: str | None  # organisation name when the lead column is present
    partners: list[str] | None  # organisation names when the partners column is present
    changes: list[FieldChange] = field(default_factory=list)
    new_updates: list[UpdateSpec] = field(default_factory=list)


@dataclass
class ReviewPlan:
    title: str
    is_new: bool
    committee: str
    existing: Review | None
    recommendations: list[RecommendationPlan] = field(default_factory=list)

    def _with(self, action):
        return [plan for plan in self.recommendations if plan.action == action]

    @property
    def created(self):
        return self._with("create")

    @property
    def changed(self):
        return self._with("change")

    @property
    def unchanged(self):
        return self._with("unchanged")

    @property
    def with_new_updates(self):
        return [plan for plan in self.recommendations if plan.new_updates]

    @property
    def new_update_count(self) -> int:
        return sum(len(plan.new_updates) for plan in self.recommendations)

    @property
    def has_changes(self) -> bool:
        return self.is_new or bool(self.created or self.changed or self.new_update_count)


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count:,} {one if count == 1 else many or one + 's'}"


@dataclass
class Plan:
    reviews: list[ReviewPlan]
    new_committees: list[str]
    new_organisations: list[str]

    @property
    def created_reviews(self) -> int:
        return sum(review.is_new for review in self.reviews)

    @property
    def created_recommendations(self) -> int:
        return sum(len(review.created) for review in self.reviews)

    @property
    def changed_recommendations(self) -> int:
        return sum(len(review.changed) for review in self.reviews)

    @property
    def unchanged_recommendations(self) -> int:
        return sum(len(review.unchanged) for review in self.reviews)

    @property
    def created_updates(self) -> int:
        return sum(review.new_update_count for review in self.reviews)

    @property
    def has_changes(self) -> bool:
        return bool(self.new_committees or self.new_organisations) or any(
            review.has_changes for review in self.reviews
        )

    def summary(self, *, dry_run: bool = False) -> str:
        """ "Created 1 review, 7 recommendations, 12 progress updates; updated 0; unchanged 0"."""
        created = ", ".join(
            [
                _plural(self.created_reviews, "review"),
                _plural(self.created_recommendations, "recommendation"),
                _plural(self.created_updates, "progress update"),
            ]
        )
        changed, unchanged = self.changed_recommendations, self.unchanged_recommendations
        if dry_run:
            return f"Would create {created}; would update {changed:,}; unchanged {unchanged:,}"
        return f"Created {created}; updated {changed:,}; unchanged {unchanged:,}"

    @property
    def planned_summary(self) -> str:
        """The summary of a plan not yet applied ("Would create …")."""
        return self.summary(dry_run=True)

    def fingerprint(self) -> str:
        """A digest of everything the plan would do, to tell whether two plans are the same."""
        parts = [repr(sorted(self.new_committees)), repr(sorted(self.new_organisations))]
        for review in self.reviews:
            parts.append(repr((review.title, review.is_new, review.committee)))
            for plan in review.recommendations:
                parts.append(
                    repr(
                        (
                            plan.number,
                            plan.action,
                            [(c.column, c.old, c.new) for c in plan.changes],
                            [u.key for u in plan.new_updates],
                        )
                    )
                )
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()


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


def _check_rows(table: RawTable):
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
                values[column] = _text(cells.get(column))
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
                else _same_text(earlier, value)
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


def plan_import(table: RawTable) -> Plan:
    """Check every row and compare the file with the register; raises TrackerFileError."""
    problems, review_rows, specs = _check_rows(table)
    for spec in specs.values():
        for update in spec.updates:
            update.row = spec.row
    columns = set(table.columns)

    existing_reviews = {
        review.title: review
        for review in Review.objects.filter(title__in=list(review_rows)).select_related("committee")
    }
    committees = {
        name.casefold(): name for name in Committee.objects.values_list("name", flat=True)
    }
    organisations = {
        name.casefold(): (pk, name) for pk, name in Organisation.objects.values_list("pk", "name")
    }
    recommendations = {
        (rec.review.title, rec.number.casefold()): rec
        for rec in Recommendation.objects.filter(review__in=existing_reviews.values())
        .select_related("review", "lead_organisation")
        .prefetch_related("partners")
    }
    known_updates: dict[int, set] = {}
    for rec_id, as_at, status, narrative in ProgressUpdate.objects.filter(
        recommendation__review__in=existing_reviews.values()
    ).values_list("recommendation", "as_at", "status", "narrative"):
        known_updates.setdefault(rec_id, set()).add((as_at, status, _normalise_text(narrative)))

    new_committees: dict[str, str] = {}
    review_plans: dict[str, ReviewPlan] = {}
    for title, info in review_rows.items():
        review = existing_reviews.get(title)
        committee = info["committee"][0] if info["committee"] else ""
        if review is None:
            if not committee:
                problems.append(
                    Problem(
                        f"'{title}' is a new review, so it needs its committee",
                        row=info["row"],
                        column="committee",
                    )
                )
            elif committee.casefold() not in committees:
                new_committees.setdefault(committee.casefold(), committee)
            committee = committees.get(committee.casefold(), committee)
        else:
            committee = review.committee.name
        review_plans[title] = ReviewPlan(
            title=title, is_new=review is None, committee=committee, existing=review
        )

    new_organisations: dict[str, str] = {}

    def organisation_name(name: str) -> str:
        key = name.casefold()
        if key in organisations:
            return organisations[key][1]
        return new_organisations.setdefault(key, name)

    for key, spec in specs.items():
        existing = recommendations.get(key)
        plan = _plan_recommendation(spec, existing, columns, organisation_name, problems)
        if plan is None:
            continue
        seen = set(known_updates.get(existing.pk, ())) if existing else set()
        for update in spec.updates:
            if update.key not in seen:
                seen.add(update.key)
                plan.new_updates.append(update)
        review_plans[spec.review].recommendations.append(plan)

    if problems:
        raise TrackerFileError(
            sorted(
                problems,
                key=lambda p: (p.row or 0, COLUMNS.index(p.column) if p.column in COLUMNS else -1),
            )
        )
    for review_plan in review_plans.values():
        review_plan.recommendations.sort(key=lambda plan: natural_sort_key(plan.number))
    return Plan(
        reviews=list(review_plans.values()),
        new_committees=sorted(new_committees.values()),
        new_organisations=sorted(new_organisations.values(), key=str.casefold),
    )


FIELD_LABELS = {
    "recommendation": "Recommendation",
    "lead": "Lead",
    "partners": "Partners",
    "response": "Executive response",
    "response_text": "Reasons given with the response",
    "target_date": "Target date",
    "revised_target_date": "Revised target date",
    "revision_reason": "Reason for revising the target date",
}
MODEL_FIELDS = {
    "recommendation": "text",
    "response": "response",
    "response_text": "response_text",
    "target_date": "target_date",
    "revised_target_date": "revised_target_date",
    "revision_reason": "revision_reason",
}


def _display(value) -> str:
    if value is None or value == "":
        return "(blank)"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Response):
        return value.label
    if isinstance(value, list):
        return "; ".join(value) if value else "(none)"
    return str(value)


def _plan_recommendation(spec, existing, columns, organisation_name, problems):
    given = {column: value for column, (value, _row) in spec.values.items()}
    text = given.get("recommendation", "")
    if existing is None and not text:
        problems.append(
            Problem(
                f"recommendation {spec.number} of '{spec.review}' is new, so it needs its text",
                row=spec.row,
                column="recommendation",
            )
        )
        return None
    # The register's value for each column the file has; blank where no row gave one.
    new: dict = {}
    for column in columns & set(MODEL_FIELDS):
        if column == "recommendation" and not text:
            continue  # an existing recommendation keeps its text when the file gives none
        value = given.get(column)
        if column == "response":
            value = value or Response.AWAITING
        elif column not in DATE_COLUMNS:
            value = value or ""
        new[MODEL_FIELDS[column]] = value
    lead = organisation_name(given["lead"]) if given.get("lead") else None
    partners = (
        sorted((organisation_name(name) for name in given.get("partners", [])), key=str.casefold)
        if "partners" in columns
        else None
    )
    plan = RecommendationPlan(
        number=spec.number,
        row=spec.row,
        action="create" if existing is None else "unchanged",
        text=text or (existing.text if existing else ""),
        existing=existing,
        values=new,
        lead=lead if "lead" in columns else None,
        partners=partners,
    )
    if existing is None:
        return plan
    for column, field_name in MODEL_FIELDS.items():
        if field_name not in new:
            continue
        old = getattr(existing, field_name)
        value = new[field_name]
        same = (
            _same_text(old, value)
            if isinstance(old, str) and field_name != "response"
            else old == value
        )
        if not same:
            if field_name == "response":
                old = Response(old)
            plan.changes.append(
                FieldChange(column, FIELD_LABELS[column], _display(old), _display(value))
            )
    if "lead" in columns:
        old_lead = existing.lead_organisation.name if existing.lead_organisation else None
        if old_lead != lead:
            plan.changes.append(
                FieldChange("lead", FIELD_LABELS["lead"], _display(old_lead), _display(lead))
            )
    if partners is not None:
        old_partners = sorted((org.name for org in existing.partners.all()), key=str.casefold)
        if old_partners != partners:
            plan.changes.append(
                FieldChange(
                    "partners", FIELD_LABELS["partners"], _display(old_partners), _display(partners)
                )
            )
    if plan.changes:
        plan.action = "change"
    return plan


# --- Step 3: applying a plan -----------------------------------------------------------------


@transaction.atomic
def apply_plan(plan: Plan, user) -> None:
    """Write the plan in one transaction, every change in the audit history against `user`.

    Bulk writes keep a large import fast. simple-history's signals do not fire on them, so the
    history rows are written here too: with `bulk_create_with_history` for committees,
    organisations and reviews, and by hand for recommendations, whose history row must be
    written after their partners so that it records them (as simple-history does on save()).
    """
    now = timezone.now()
    committees = {
        committee.name.casefold(): committee
        for committee in bulk_create_with_history(
            [Committee(name=name) for name in plan.new_committees],
            Committee,
            default_user=user,
            default_date=now,
        )
    }
    organisations = {
        organisation.name.casefold(): organisation
        for organisation in bulk_create_with_history(
            [Organisation(name=name) for name in plan.new_organisations],
            Organisation,
            default_user=user,
            default_date=now,
        )
    }
    wanted_committees = {
        review.committee.casefold() for review in plan.reviews if review.is_new
    } - set(committees)
    committees.update(
        (committee.name.casefold(), committee)
        for committee in Committee.objects.filter(
            name__in=[review.committee for review in plan.reviews if review.is_new]
        )
        if committee.name.casefold() in wanted_committees
    )
    wanted_organisations = {
        name.casefold()
        for review in plan.reviews
        for rec in review.recommendations
        for name in ([rec.lead] if rec.lead else []) + (rec.partners or [])
    } - set(organisations)
    if wanted_organisations:
        organisations.update(
            (organisation.name.casefold(), organisation)
            for organisation in Organisation.objects.all()
            if organisation.name.casefold() in wanted_organisations
        )

    new_reviews = [review for review in plan.reviews if review.is_new]
    created_reviews = bulk_create_with_history(
        [
            Review(title=review.title, committee=committees[review.committee.casefold()])
            for review in new_reviews
        ],
        Review,
        default_user=user,
        default_date=now,
    )
    for review_plan, review in zip(new_reviews, created_reviews, strict=True):
        review_plan.existing = review

    to_create: list[tuple[RecommendationPlan, Recommendation]] = []
    to_change: list[tuple[RecommendationPlan, Recommendation]] = []
    changed_fields: set[str] = {"version"}
    rewritten: list[Recommendation] = []  # existing ones whose text changes
    for review_plan in plan.reviews:
        for rec_plan in review_plan.recommendations:
            if rec_plan.action == "create":
                recommendation = Recommendation(
                    review=review_plan.existing,
                    number=rec_plan.number,
                    sort_key=natural_sort_key(rec_plan.number),
                    created_at=now,
                    **rec_plan.values,
                )
                if rec_plan.lead:
                    recommendation.lead_organisation = organisations[rec_plan.lead.casefold()]
                to_create.append((rec_plan, recommendation))
            elif rec_plan.action == "change":
                recommendation = rec_plan.existing
                for name, value in rec_plan.values.items():
                    if getattr(recommendation, name) != value:
                        setattr(recommendation, name, value)
                        changed_fields.add(name)
                        if name == "text":
                            rewritten.append(recommendation)
                new_lead = organisations[rec_plan.lead.casefold()] if rec_plan.lead else None
                if any(change.column == "lead" for change in rec_plan.changes):
                    recommendation.lead_organisation = new_lead
                    changed_fields.add("lead_organisation")
                recommendation.version += 1
                to_change.append((rec_plan, recommendation))

    Recommendation.objects.bulk_create([rec for _plan, rec in to_create])
    if to_change:
        Recommendation.objects.bulk_update(
            [rec for _plan, rec in to_change], sorted(changed_fields), batch_size=500
        )

    Through = Recommendation.partners.through
    partners_changed = [
        (rec_plan, rec)
        for rec_plan, rec in to_change
        if any(change.column == "partners" for change in rec_plan.changes)
    ]
    if partners_changed:
        Through.objects.filter(recommendation__in=[rec for _plan, rec in partners_changed]).delete()
    Through.objects.bulk_create(
        [
            Through(recommendation=rec, organisation=organisations[name.casefold()])
            for rec_plan, rec in [*to_create, *partners_changed]
            for name in rec_plan.partners or []
        ],
        batch_size=2000,
    )
    _write_recommendation_history([rec for _plan, rec in to_create], "+", user, now)
    _write_recommendation_history([rec for _plan, rec in to_change], "~", user, now)

    updates = [
        (rec_plan, update)
        for review_plan in plan.reviews
        for rec_plan in review_plan.recommendations
        for update in rec_plan.new_updates
    ]
    created_by_plan = {id(rec_plan): rec for rec_plan, rec in to_create}
    ProgressUpdate.objects.bulk_create(
        [
            ProgressUpdate(
                recommendation=created_by_plan.get(id(rec_plan)) or rec_plan.existing,
                as_at=update.as_at,
                status=update.status,
                narrative=update.narrative,
                author=user,
                recorded_at=now,
            )
            for rec_plan, update in updates
        ],
        batch_size=2000,
    )
    # bulk_create skips ProgressUpdate.save(): bring the stored current status of every
    # recommendation given an update up to date, in one statement. Picked by a subquery (the
    # updates recorded now) rather than a list of ids, which could pass SQLite's parameter limit.
    updated = ProgressUpdate.objects.filter(recorded_at=now).values("recommendation")
    if updates:
        Recommendation.objects.filter(pk__in=updated).refresh_current_status()
    # The search document of those created or with new text and no new update (the refresh
    # above set the others'); on PostgreSQL only, where it exists, so the list of ids never
    # meets SQLite's parameter limit.
    rewritten.extend(rec for _plan, rec in to_create)
    if rewritten and connection.vendor == "postgresql":
        Recommendation.objects.filter(pk__in=[rec.pk for rec in rewritten]).exclude(
            pk__in=updated
        ).refresh_search_document()


def import_tracker(data: bytes, filename: str, *, user, dry_run: bool = False) -> Plan:
    """Read, check, plan and (unless `dry_run`) apply a tracker file, all in one transaction.

    Raises TrackerFileError listing every problem, in which case nothing is written.
    """
    with transaction.atomic():
        plan = plan_import(read_tracker(data, filename))
        if not dry_run:
            apply_plan(plan, user)
    return plan


def _write_recommendation_history(recommendations, history_type, user, when) -> None:
    """One history row per recommendation, with its partners as they now stand."""
    if not recommendations:
        return
    manager = Recommendation.history
    history_rows = manager.bulk_history_create(
        recommendations,
        update=history_type == "~",
        default_user=user,
        default_date=when,
    )
    by_recommendation = {row.id: row for row in history_rows}
    PartnerHistory = manager.model.partners.model
    Through = Recommendation.partners.through
    PartnerHistory.objects.bulk_create(
        [
            PartnerHistory(
                history=by_recommendation[through.recommendation_id],
                id=through.id,
                recommendation_id=through.recommendation_id,
                organisation_id=through.organisation_id,
            )
            for through in Through.objects.filter(
                recommendation__in=[rec.pk for rec in recommendations]
            ).order_by("pk")
        ],
        batch_size=2000,
    )


# --- Export ----------------------------------------------------------------------------------


def tracker_rows(recommendations) -> Iterator[list]:
    """The rows of a tracker file for a Recommendation queryset, header first.

    One row per progress update, oldest first; a recommendation with no update gets one row with
    the update columns blank. Dates are date objects; text is guarded against formulas. Three
    queries, whatever the number of recommendations.
    """
    queryset = recommendations.select_related(
        "review__committee", "lead_organisation"
    ).prefetch_related(
        "partners",
        Prefetch("updates", queryset=ProgressUpdate.objects.order_by("as_at", "recorded_at", "pk")),
    )
    yield list(COLUMNS)
    for rec in queryset:
        partners = sorted((org.name for org in rec.partners.all()), key=str.casefold)
        common = [
            rec.review.title,
            rec.review.committee.name,
            rec.number,
            rec.text,
            rec.lead_organisation.name if rec.lead_organisation else "",
            "; ".join(partners),
            Response(rec.response).label,
            rec.response_text,
            rec.target_date,
            rec.revised_target_date,
            rec.revision_reason,
        ]
        updates = list(rec.updates.all())
        if not updates:
            yield [_export_cell(value) for value in [*common, None, "", ""]]
        for update in updates:
            yield [
                _export_cell(value)
                for value in [
                    *common,
                    update.as_at,
                    Status(update.status).label,
                    update.narrative,
                ]
            ]


def _export_cell(value):
    if value is None:
        return None
    if isinstance(value, datetime.date):
        return value
    return guard_formula(str(value))


def write_csv(recommendations) -> bytes:
    """A tracker file as CSV: UTF-8 with a byte-order mark (so Excel reads it as UTF-8)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    for row in tracker_rows(recommendations):
        writer.writerow(
            [
                value.isoformat() if isinstance(value, datetime.date) else (value or "")
                for value in row
            ]
        )
    return buffer.getvalue().encode("utf-8-sig")


def write_xlsx(recommendations) -> bytes:
    """A tracker file as an Excel workbook: one sheet, dates as real date cells."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Tracker")
    widths = {"recommendation": 60, "response_text": 40, "revision_reason": 30, "update_text": 60}
    for index, column in enumerate(COLUMNS):
        letter = chr(ord("A") + index)
        sheet.column_dimensions[letter].width = widths.get(column, 18)
    sheet.freeze_panes = "A2"
    rows = tracker_rows(recommendations)
    header = []
    for name in next(rows):
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in rows:
        cells = []
        for value in row:
            if isinstance(value, datetime.date):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "yyyy-mm-dd"
            else:
                # Characters XML cannot hold (pasted control codes) would break the workbook.
                cell = WriteOnlyCell(
                    sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value) if value else None
                )
                cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
