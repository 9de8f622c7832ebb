"""Export, import, export again: the demo round trip, importing again, and an edited export."""

import datetime
import io

import pytest

from recommendations.choices import Status
from recommendations.demo import load_demo
from recommendations.models import ProgressUpdate, Recommendation
from recommendations.trackers.applying import import_tracker
from recommendations.trackers.writing import write_csv, write_xlsx
from tests.factories import make_user
from tests.recommendations.trackers.helpers import (
    DEMO_REVIEW,
    history_row_count,
    row_counts,
    xlsx_values,
)

pytestmark = pytest.mark.django_db


def test_a_csv_export_of_the_demo_imports_into_an_empty_database_and_exports_identically(
    demo_exports, importer
):
    plan = import_tracker(demo_exports["csv"], "tracker.csv", user=importer)
    assert plan.summary() == (
        "Created 1 review, 7 recommendations, 7 progress updates; updated 0; unchanged 0"
    )
    again = write_csv(Recommendation.objects.order_by("sort_key"))
    assert again == demo_exports["csv"]


def test_an_xlsx_export_of_the_demo_imports_into_an_empty_database_with_identical_cells(
    demo_exports, importer
):
    import_tracker(demo_exports["xlsx"], "tracker.xlsx", user=importer)
    again = write_xlsx(Recommendation.objects.order_by("sort_key"))
    assert xlsx_values(again) == xlsx_values(demo_exports["xlsx"])
    first_row = xlsx_values(again)[1]
    assert first_row[8] == datetime.datetime(2019, 3, 31)  # target_date: a real date cell
    assert first_row[11] == datetime.datetime(2019, 1, 7)  # update_date


def test_the_csv_and_xlsx_exports_import_to_the_same_register(demo_exports, importer):
    import_tracker(demo_exports["xlsx"], "tracker.xlsx", user=importer)
    plan = import_tracker(demo_exports["csv"], "tracker.csv", user=importer)
    assert plan.summary() == (
        "Created 0 reviews, 0 recommendations, 0 progress updates; updated 0; unchanged 7"
    )


def test_importing_the_same_file_again_changes_nothing_and_writes_no_history(
    demo_exports, importer
):
    import_tracker(demo_exports["csv"], "tracker.csv", user=importer)
    before = row_counts()
    plan = import_tracker(demo_exports["csv"], "tracker.csv", user=importer)
    assert plan.summary() == (
        "Created 0 reviews, 0 recommendations, 0 progress updates; updated 0; unchanged 7"
    )
    assert not plan.has_changes
    assert row_counts() == before


def edit_csv(data: bytes, edit) -> bytes:
    """Apply `edit(rows)` to the rows (lists of cells, header first) of a CSV file."""
    import csv

    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    edit(rows)
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode("utf-8")


def test_an_edited_export_imports_as_exactly_the_edit_with_history_for_it():
    load_demo()
    clerk = make_user("editor", role="Scrutiny officer")
    exported = write_csv(Recommendation.objects.filter(review__title=DEMO_REVIEW))
    new_text = "That further focus sessions are held with Police Cadets, young people and parents."

    def edit(rows):
        header = rows[0]
        two = next(row for row in rows if row[header.index("number")] == "2")
        two[header.index("recommendation")] = new_text
        three = next(row for row in rows if row[header.index("number")] == "3")
        extra = list(three)
        extra[header.index("update_date")] = "04/03/2019"
        extra[header.index("update_status")] = "delayed"
        extra[header.index("update_text")] = "The university has replied; the report is due in May."
        rows.append(extra)

    history_before = history_row_count()
    updates_before = ProgressUpdate.objects.count()
    plan = import_tracker(edit_csv(exported, edit), "edited.csv", user=clerk)

    assert plan.summary() == (
        "Created 0 reviews, 0 recommendations, 1 progress update; updated 1; unchanged 6"
    )
    (review,) = plan.reviews
    (changed,) = review.changed
    assert changed.number == "2"
    assert [(c.column, c.new) for c in changed.changes] == [("recommendation", new_text)]

    two = Recommendation.objects.get(number="2")
    assert two.text == new_text
    latest = two.history.first()
    assert (latest.history_type, latest.history_user, latest.text) == ("~", clerk, new_text)
    assert latest.prev_record.text != new_text
    assert {row.organisation.name for row in latest.partners.all()} == {
        "Durham Constabulary",
        "Overview and Scrutiny",
    }
    # One history row for the one changed recommendation (with its two partners), nothing else.
    assert history_row_count() == history_before + 1 + 2

    assert ProgressUpdate.objects.count() == updates_before + 1
    update = ProgressUpdate.objects.get(as_at=datetime.date(2019, 3, 4))
    assert (update.recommendation.number, update.status, update.author) == (
        "3",
        Status.SLIPPED,
        clerk,
    )
    assert Recommendation.objects.get(number="3").current_status == (Status.SLIPPED)
