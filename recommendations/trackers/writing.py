"""Export: write any Recommendation queryset as a tracker file, CSV or XLSX."""

import csv
import datetime
import io
from collections.abc import Iterator

from django.db.models import Prefetch

from ..choices import Response, Status
from ..models import ProgressUpdate
from .cells import guard_formula
from .columns import COLUMNS


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
        Prefetch(
            "updates",
            queryset=ProgressUpdate.objects.accepted().order_by("as_at", "recorded_at", "pk"),
        ),
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
