"""Tracker files: the round trip, every kind of bad input, idempotence and an edited export."""

import datetime
import io
import zipfile

import openpyxl
import pytest
from django.apps import apps
from django.db import transaction

from recommendations.choices import Response, Status
from recommendations.demo import load_demo
from recommendations.models import ProgressUpdate, Recommendation
from recommendations.trackers.applying import import_tracker
from recommendations.trackers.cells import guard_formula, parse_date, unguard_formula
from recommendations.trackers.columns import COLUMNS
from recommendations.trackers.problems import TrackerFileError
from recommendations.trackers.reading import MAX_BYTES, MAX_ROWS, MAX_UNPACKED_BYTES
from recommendations.trackers.writing import write_csv, write_xlsx
from reviews.models import Committee, Organisation, Review
from tests.factories import (
    make_organisation,
    make_recommendation,
    make_review,
    make_update,
    make_user,
    tracker_csv,
    tracker_row,
)

pytestmark = pytest.mark.django_db

DEMO_REVIEW = "Scrutiny Review of Cybercrime"


class _Rollback(Exception):
    pass


@pytest.fixture
def demo_exports():
    """The demo review exported as CSV and XLSX, from a demo that is then rolled back."""
    try:
        with transaction.atomic():
            load_demo()
            review = Recommendation.objects.filter(review__title=DEMO_REVIEW).order_by("sort_key")
            exports = {"csv": write_csv(review), "xlsx": write_xlsx(review)}
            raise _Rollback
    except _Rollback:
        pass
    assert not Review.objects.exists()
    return exports


@pytest.fixture
def importer(db):
    return make_user("importer", role="Scrutiny officer")


def row_counts() -> dict[str, int]:
    """Rows in every table of the two apps, history and many-to-many tables included."""
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in {"reviews", "recommendations"}
    }


def history_row_count() -> int:
    return sum(count for label, count in row_counts().items() if ".Historical" in label)


def xlsx_values(data: bytes) -> list[tuple]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    return list(sheet.iter_rows(values_only=True))


def xlsx_file(rows: list[list]) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def problems_of(data: bytes, name: str = "tracker.csv", user=None) -> list[str]:
    """The problems an import reports, after checking it wrote nothing."""
    before = row_counts()
    with pytest.raises(TrackerFileError) as raised:
        import_tracker(data, name, user=user or make_user())
    after = row_counts()
    after["reviews.User"] = before["reviews.User"]  # the importing user made above
    after["reviews.HistoricalUser"] = before["reviews.HistoricalUser"]
    assert after == before, "a refused import wrote something"
    return [str(problem) for problem in raised.value.problems]


# --- Round trip ------------------------------------------------------------------------------


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


def test_an_imported_recommendation_records_its_partners_and_the_importer_in_history(
    demo_exports, importer
):
    import_tracker(demo_exports["csv"], "tracker.csv", user=importer)
    recommendation = Recommendation.objects.get(number="6")
    history = recommendation.history.get()
    assert history.history_type == "+"
    assert history.history_user == importer
    assert {row.organisation.name for row in history.partners.all()} == {
        "New College Durham",
        "Children and Young People's Services",
        "Overview and Scrutiny",
        "Durham Constabulary",
        "National Crime Agency",
    }
    assert recommendation.response == Response.PARTIALLY_ACCEPTED
    assert recommendation.revised_target_date is None
    assert Recommendation.objects.get(number="3").revised_target_date == datetime.date(2019, 7, 31)
    assert Review.objects.get().history.get().history_user == importer
    assert Committee.objects.get().history.get().history_user == importer
    assert Organisation.objects.count() == 15
    assert all(o.history.get().history_user == importer for o in Organisation.objects.all())
    assert set(ProgressUpdate.objects.values_list("author", flat=True)) == {importer.pk}


# --- Importing again, and an edited export ---------------------------------------------------


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


def test_a_changed_lead_partners_response_and_dates_are_previewed_old_and_new(importer):
    review = make_review("Review of potholes")
    old_lead = make_organisation("Highways")
    recommendation = make_recommendation(
        "1",
        review=review,
        text="Fill the potholes.",
        lead_organisation=old_lead,
        target_date=datetime.date(2025, 3, 31),
    )
    recommendation.partners.set([make_organisation("Police")])
    data = tracker_csv(
        tracker_row(
            recommendation="Fill the potholes.",
            lead="Neighbourhoods",
            partners="Police; Town councils",
            response="Agreed in part",
            target_date="30/06/2025",
            revised_target_date="2025-09-30",
            revision_reason="Winter weather",
        )
    )
    plan = import_tracker(data, "tracker.csv", user=importer)
    changes = {c.column: (c.old, c.new) for c in plan.reviews[0].changed[0].changes}
    assert changes == {
        "lead": ("Highways", "Neighbourhoods"),
        "partners": ("Police", "Police; Town councils"),
        "response": ("Awaiting response", "Partially accepted"),
        "target_date": ("2025-03-31", "2025-06-30"),
        "revised_target_date": ("(blank)", "2025-09-30"),
        "revision_reason": ("(blank)", "Winter weather"),
    }
    assert plan.new_organisations == ["Neighbourhoods", "Town councils"]
    recommendation.refresh_from_db()
    assert recommendation.lead_organisation.name == "Neighbourhoods"
    assert recommendation.version == 2
    assert {o.name for o in recommendation.partners.all()} == {"Police", "Town councils"}
    latest = recommendation.history.first()
    assert latest.history_user == importer
    assert {row.organisation.name for row in latest.partners.all()} == {"Police", "Town councils"}


def test_columns_a_file_leaves_out_are_left_alone(importer):
    review = make_review("Review of potholes")
    recommendation = make_recommendation(
        "1", review=review, text="Fill the potholes.", response=Response.ACCEPTED
    )
    data = tracker_csv(
        {"review": "Review of potholes", "number": "1", "update_date": "2025-01-31"},
        {"review": "Review of potholes", "number": "1"},
        columns=["review", "number", "update_date", "update_status", "update_text"],
    )
    with pytest.raises(TrackerFileError):
        import_tracker(data, "tracker.csv", user=importer)  # the update lacks status and text
    data = tracker_csv(
        {"review": "Review of potholes", "number": "1"}, columns=["review", "number"]
    )
    plan = import_tracker(data, "tracker.csv", user=importer)
    assert plan.unchanged_recommendations == 1
    recommendation.refresh_from_db()
    assert recommendation.response == Response.ACCEPTED


def test_an_existing_update_is_matched_by_date_status_and_text_whatever_the_line_endings(
    importer,
):
    review = make_review("Review of potholes")
    recommendation = make_recommendation("1", review=review, text="Fill the potholes.")
    make_update(
        recommendation,
        as_at=datetime.date(2025, 1, 31),
        status=Status.ON_TRACK,
        narrative="Two crews hired.\r\nWork starts in March.",
    )
    data = tracker_csv(
        tracker_row(
            recommendation="Fill the potholes.",
            update_date="31/01/2025",
            update_status="In progress",
            update_text="Two crews hired.\nWork starts in March.",
        ),
        tracker_row(
            recommendation="Fill the potholes.",
            update_date="31/01/2025",
            update_status="Slipped",
            update_text="Two crews hired.\nWork starts in March.",
        ),
    )
    plan = import_tracker(data, "tracker.csv", user=importer)
    assert plan.created_updates == 1  # the same words with another status is a new update
    assert recommendation.updates.count() == 2


# --- Formats, words and cells ----------------------------------------------------------------


def test_a_new_review_with_partners_words_and_uk_dates_is_created(importer):
    data = tracker_csv(
        tracker_row(
            lead="Highways",
            partners="Town councils;  Police ; police",
            response="  CONCUR with the review",
            target_date="31/03/2025",
            update_date="2025-01-15",
            update_status="work in progress",
            update_text="Crews hired.",
        ),
        tracker_row(number="10", recommendation="Publish a map.", update_status=""),
        tracker_row(number="2", recommendation="Report online.", response="Not agreed"),
        bom=True,
    )
    plan = import_tracker(data, "tracker.csv", user=importer)
    assert plan.summary() == (
        "Created 1 review, 3 recommendations, 1 progress update; updated 0; unchanged 0"
    )
    review = Review.objects.get(title="Review of potholes")
    assert [r.number for r in review.recommendations.all()] == ["1", "2", "10"]
    one = review.recommendations.get(number="1")
    assert one.response == Response.ACCEPTED
    assert one.target_date == datetime.date(2025, 3, 31)
    assert sorted(o.name for o in one.partners.all()) == ["Police", "Town councils"]
    assert one.updates.get().status == Status.ON_TRACK
    assert review.recommendations.get(number="2").response == Response.NOT_ACCEPTED
    assert review.recommendations.get(number="10").response == Response.AWAITING


def test_headers_are_read_in_any_order_and_case_with_spaces_around(importer):
    data = (
        b" Number ,REVIEW, Committee ,Recommendation,Update Date,update_status,update_text\n"
        b"R3,Review of potholes,Economy,Fill them.,2025-01-01,Done,Finished.\n"
    )
    plan = import_tracker(data, "tracker.CSV", user=importer)
    assert plan.created_recommendations == 1
    assert Recommendation.objects.get().updates.get().status == Status.ACHIEVED


def test_an_xlsx_file_with_date_cells_and_number_cells_imports(importer):
    data = xlsx_file(
        [
            ["review", "committee", "number", "recommendation", "target_date", "update_date",
             "update_status", "update_text"],
            ["Review of potholes", "Economy", 1, "Fill them.", datetime.datetime(2025, 3, 31),
             datetime.date(2025, 1, 15), "on_track", "Crews hired."],
            [None, None, None, None, None, None, None, None],
            ["Review of potholes", "Economy", 2.0, "Map them.", "31/03/2025", None, None, None],
        ]
    )  # fmt: skip
    plan = import_tracker(data, "tracker.xlsx", user=importer)
    assert plan.summary() == (
        "Created 1 review, 2 recommendations, 1 progress update; updated 0; unchanged 0"
    )
    assert set(Recommendation.objects.values_list("number", "target_date")) == {
        ("1", datetime.date(2025, 3, 31)),
        ("2", datetime.date(2025, 3, 31)),
    }


@pytest.mark.parametrize(
    "text",
    ["=HYPERLINK(\"http://example.com\")", "+44 191", "-1", "@SUM(A1)", "\tTabbed", "'=quoted",
     "''", "'plain", "plain"],
)  # fmt: skip
def test_formula_guards_undo_exactly(text):
    guarded = guard_formula(text)
    assert not guarded.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert unguard_formula(guarded) == text


def test_exported_cells_that_look_like_formulas_are_made_safe_and_import_back(importer):
    review = make_review("Review of potholes")
    recommendation = make_recommendation(
        "1", review=review, text='=HYPERLINK("http://evil.example","Click")'
    )
    make_update(recommendation, as_at=datetime.date(2025, 1, 1), narrative="-10% on last year")
    csv_data = write_csv(Recommendation.objects.all())
    assert b"'=HYPERLINK" in csv_data and b"'-10%" in csv_data
    xlsx_data = write_xlsx(Recommendation.objects.all())
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_data)).worksheets[0]
    assert sheet["D2"].data_type == "s" and sheet["D2"].value.startswith("'=")
    plan = import_tracker(csv_data, "tracker.csv", user=importer)
    assert not plan.has_changes
    plan = import_tracker(xlsx_data, "tracker.xlsx", user=importer)
    assert not plan.has_changes


def test_a_recommendation_with_no_update_exports_one_row_with_blank_update_columns():
    review = make_review("Review of potholes")
    make_recommendation("1", review=review)
    rows = write_csv(Recommendation.objects.all()).decode("utf-8-sig").splitlines()
    assert len(rows) == 2
    assert rows[1].endswith(",,,")


def test_the_export_takes_the_same_queries_at_any_size(django_assert_num_queries):
    review = make_review("Review of potholes")
    partner = make_organisation()

    def add(count):
        for _ in range(count):
            recommendation = make_recommendation(review=review, lead_organisation=partner)
            recommendation.partners.add(partner)
            make_update(recommendation, as_at=datetime.date(2025, 1, 1))

    add(2)
    with django_assert_num_queries(3):
        write_csv(Recommendation.objects.all())
    add(30)
    with django_assert_num_queries(3):
        write_csv(Recommendation.objects.all())
    with django_assert_num_queries(3):
        write_xlsx(Recommendation.objects.all())


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2019-01-07", datetime.date(2019, 1, 7)),
        ("07/01/2019", datetime.date(2019, 1, 7)),
        ("7/1/2019", datetime.date(2019, 1, 7)),
        (datetime.datetime(2019, 1, 7, 0, 0), datetime.date(2019, 1, 7)),
        ("", None),
        (None, None),
    ],
)
def test_dates_are_read_in_iso_and_uk_order_and_from_date_cells(cell, expected):
    assert parse_date(cell) == expected


# --- Bad input: each gets its own message, and nothing is written ----------------------------


def test_a_file_over_the_size_limit_is_refused():
    data = tracker_csv(tracker_row()) + b" " * MAX_BYTES
    assert problems_of(data) == ["The file is larger than 10 MB: split it into smaller files"]


def test_a_file_over_the_row_limit_is_refused():
    rows = [tracker_row(number=str(n)) for n in range(MAX_ROWS + 1)]
    assert problems_of(tracker_csv(*rows)) == [
        "The file has more than 20,000 rows: split it into smaller files"
    ]


def test_a_missing_required_column_is_named():
    data = tracker_csv(tracker_row(), columns=["review", "committee", "recommendation"])
    assert problems_of(data) == ["row 1: the required column 'number' is missing"]


def test_an_unknown_or_repeated_column_is_named():
    data = b"review,number,RAG rating,Number\nReview of potholes,1,red,1\n"
    assert problems_of(data) == [
        "row 1: 'RAG rating' (column 3) is not a known column; the columns are: "
        + ", ".join(COLUMNS),
        "row 1: the column 'number' appears more than once",
    ]


def test_an_unknown_status_is_reported_with_its_row_and_column():
    data = tracker_csv(
        tracker_row(update_date="2025-01-01", update_status="On track", update_text="Fine."),
        tracker_row(update_date="2025-02-01", update_status="greenish", update_text="Fine."),
    )
    assert problems_of(data) == ["row 3, update_status: 'greenish' is not a known status"]


def test_an_unknown_response_is_reported():
    data = tracker_csv(tracker_row(response="Maybe later"))
    assert problems_of(data) == [
        "row 2, response: 'Maybe later' is not a known executive response (use accepted, "
        "partially accepted, not accepted, noted or awaiting)"
    ]


def test_an_impossible_date_and_a_date_in_another_form_are_reported():
    data = tracker_csv(
        tracker_row(target_date="31/02/2025"),
        tracker_row(number="2", target_date="March 2025"),
        tracker_row(number="3", update_date="2025-13-01", update_status="Done", update_text="x"),
    )
    assert problems_of(data) == [
        "row 2, target_date: '31/02/2025' is not a real date",
        "row 3, target_date: 'March 2025' is not a date: give it as YYYY-MM-DD or DD/MM/YYYY",
        "row 4, update_date: '2025-13-01' is not a real date",
    ]


def test_a_number_in_a_date_cell_of_an_xlsx_file_is_reported():
    data = xlsx_file([["review", "committee", "number", "recommendation", "target_date"],
                      ["Review of potholes", "Economy", "1", "Fill them.", 45000]])  # fmt: skip
    assert problems_of(data, "tracker.xlsx") == [
        "row 2, target_date: 45000 is a number, not a date: give the date as YYYY-MM-DD or "
        "DD/MM/YYYY"
    ]


def test_a_number_repeated_with_different_text_in_one_file_is_reported():
    data = tracker_csv(
        tracker_row(number="R1", recommendation="Fill the potholes."),
        tracker_row(number="R1", recommendation="Fill the potholes."),
        tracker_row(number="r1", recommendation="Paint the lines."),
    )
    assert problems_of(data) == [
        "row 4, recommendation: recommendation r1 of 'Review of potholes' has a different text "
        "on row 2"
    ]


def test_an_update_without_a_status_text_or_date_is_reported():
    data = tracker_csv(
        tracker_row(update_date="2025-01-01", update_text="Crews hired."),
        tracker_row(update_date="2025-01-01", update_status="On track"),
        tracker_row(update_status="On track", update_text="Crews hired."),
    )
    assert problems_of(data) == [
        "row 2, update_status: an update needs a status",
        "row 3, update_text: an update needs its text",
        "row 4, update_date: an update needs its date (the date it speaks for)",
    ]


def test_a_revised_target_date_without_a_reason_is_reported():
    data = tracker_csv(tracker_row(revised_target_date="2025-09-30"))
    assert problems_of(data) == [
        "row 2, revision_reason: a revised target date needs the reason for revising it"
    ]


def test_a_new_review_without_a_committee_and_a_new_recommendation_without_text_are_reported():
    data = tracker_csv(
        tracker_row(committee=""), tracker_row(committee="", number="2", recommendation="")
    )
    assert problems_of(data) == [
        "row 2, committee: 'Review of potholes' is a new review, so it needs its committee",
        "row 3, recommendation: recommendation 2 of 'Review of potholes' is new, so it needs its "
        "text",
    ]


def test_missing_review_and_number_are_reported():
    data = tracker_csv(tracker_row(review="", number=""))
    assert problems_of(data) == [
        "row 2, review: the review's title is missing",
        "row 2, number: the recommendation's number is missing",
    ]


def test_every_problem_in_a_file_is_reported_at_once():
    data = tracker_csv(
        tracker_row(response="perhaps"),
        tracker_row(number="2", target_date="30/02/2025"),
        tracker_row(number="3", update_date="2025-01-01", update_status="greenish",
                    update_text="x"),
    )  # fmt: skip
    assert len(problems_of(data)) == 3


@pytest.mark.parametrize(
    "data", [b"", b"   \r\n", b"\xef\xbb\xbf"], ids=["nothing", "blank", "only a BOM"]
)
def test_an_empty_file_is_refused(data):
    assert problems_of(data) == ["The file is empty"]


def test_a_file_with_only_column_names_is_refused():
    assert problems_of(tracker_csv()) == [
        "The file has column names but no rows of recommendations below them"
    ]


def test_a_csv_in_another_encoding_gets_a_clear_error_not_mojibake():
    data = tracker_csv(tracker_row()).decode().replace("council", "council\u2019s").encode("cp1252")
    assert problems_of(data) == [
        "The file is not UTF-8 text (line 2 has characters in another encoding): save it as "
        '"CSV UTF-8" and upload it again'
    ]


def test_a_file_that_is_not_really_csv_is_refused():
    workbook = xlsx_file([["review", "number"], ["Review of potholes", "1"]])
    assert problems_of(workbook, "tracker.csv") == [
        "The file is not a CSV file (it looks like a spreadsheet or other binary file)"
    ]
    assert problems_of(b"\x89PNG\r\n\x1a\n\x00\x00", "tracker.csv") == [
        "The file is not a CSV file (it looks like a spreadsheet or other binary file)"
    ]


def test_a_file_that_is_not_really_xlsx_is_refused():
    expected = [
        "The file is not an Excel workbook (.xlsx) that can be read: it may be damaged, "
        "password-protected, or another kind of file with an .xlsx name"
    ]
    assert problems_of(tracker_csv(tracker_row()), "tracker.xlsx") == expected
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert problems_of(buffer.getvalue(), "tracker.xlsx") == expected


def test_an_xlsx_file_that_unpacks_to_too_much_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b" " * (MAX_UNPACKED_BYTES + 1))
    assert len(buffer.getvalue()) < MAX_BYTES
    assert problems_of(buffer.getvalue(), "tracker.xlsx") == [
        "The workbook unpacks to more than 200 MB: split it into smaller files, or save it as "
        "CSV UTF-8"
    ]


def test_a_file_of_another_kind_is_refused():
    assert problems_of(b"review,number\n", "tracker.txt") == [
        "The file must be a CSV (.csv) or Excel (.xlsx) file"
    ]
    assert problems_of(b"\xd0\xcf\x11\xe0", "tracker.xls") == [
        "The file is an old Excel workbook (.xls): save it as .xlsx or CSV UTF-8"
    ]


def test_a_broken_csv_row_is_reported_with_its_row():
    data = b'review,number,recommendation\nReview of potholes,1,"Fill them\nReview,2,"x" y\n'
    problems = problems_of(data)
    assert len(problems) == 1 and problems[0].startswith("row 2: the row cannot be read as CSV")


def test_a_row_with_more_cells_than_column_names_is_reported():
    data = b"review,committee,number,recommendation\nReview of potholes,Economy,1,Fill,extra\n"
    assert problems_of(data) == ["row 2: the row has 5 cells but there are only 4 column names"]


def test_a_name_longer_than_the_register_holds_is_reported():
    data = tracker_csv(tracker_row(number="1" * 21))
    assert problems_of(data) == [f"row 2, number: '{'1' * 21}…' is longer than 20 characters"]


def test_a_dry_run_writes_nothing(importer):
    before = row_counts()
    plan = import_tracker(tracker_csv(tracker_row()), "tracker.csv", user=importer, dry_run=True)
    assert plan.planned_summary == (
        "Would create 1 review, 1 recommendation, 0 progress updates; would update 0; unchanged 0"
    )
    assert row_counts() == before


def test_characters_a_workbook_cannot_hold_are_left_out_of_the_xlsx_export():
    make_recommendation("1", review=make_review(), text="Pasted from a letter\x0b with a tab stop.")
    values = xlsx_values(write_xlsx(Recommendation.objects.all()))
    assert values[1][3] == "Pasted from a letter with a tab stop."
