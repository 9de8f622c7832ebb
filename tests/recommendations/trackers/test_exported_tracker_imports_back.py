"""A tracker the product exported always imports back: 5,000 recommendations with paragraph-long
updates (a file of about 20 MB, twice the old upload limit) import back unchanged."""

import datetime
import io

import pytest
from django.core.management import call_command

from recommendations.models import Recommendation
from recommendations.trackers.applying import import_tracker
from recommendations.trackers.writing import tracker_rows, write_csv, write_xlsx
from tests.factories import TRACKER_COLUMNS, make_user, tracker_csv

pytestmark = pytest.mark.django_db

REVIEWS = 50
PER_REVIEW = 100
UPDATES_EACH = 3
PARAGRAPH = (
    "Officers met the partners twice this quarter and agreed the plan; the first actions are "
    "under way, the budget is confirmed for the year and the committee will hear the results "
    "of the pilot in the spring. Residents were consulted on the proposals at four drop-in "
    "sessions and online, and their comments have changed the timetable for the second phase, "
    "which now starts after the summer. The risks are recorded in the service's register, with "
    "the two that matter most (staff turnover and the contractor's capacity) reviewed monthly "
    "by the director. "
)


def register_of_5000_recommendations() -> bytes:
    rows = []
    start = datetime.date(2020, 1, 1)
    for r in range(REVIEWS):
        for n in range(1, PER_REVIEW + 1):
            i = r * PER_REVIEW + n
            for u in range(UPDATES_EACH):
                rows.append(
                    dict(
                        zip(
                            TRACKER_COLUMNS,
                            [
                                f"Scrutiny review number {r + 1}",
                                f"Overview and Scrutiny Committee {r % 5 + 1}",
                                f"R{n}",
                                f"That the council acts on finding {i} of the review. " * 3,
                                f"Organisation {i % 40}",
                                f"Organisation {(i + 1) % 40}; Organisation {(i + 2) % 40}",
                                "Accepted",
                                f"The executive's reasons for response {i}.",
                                (start + datetime.timedelta(days=365 + i % 200)).isoformat(),
                                "",
                                "",
                                (start + datetime.timedelta(days=90 * (u + 1))).isoformat(),
                                "On track",
                                f"Update {u + 1} on recommendation {i}. " + PARAGRAPH * 2,
                            ],
                            strict=True,
                        )
                    )
                )
    return tracker_csv(*rows)


@pytest.fixture(scope="module")
def source_file():
    return register_of_5000_recommendations()


def test_the_registers_export_of_5000_recommendations_imports_back_unchanged(source_file, tmp_path):
    clerk = make_user("importer")
    import_tracker(source_file, "register.csv", user=clerk)
    everything = Recommendation.objects.order_by("pk")
    before = list(tracker_rows(everything))
    exported = write_csv(everything)
    assert len(exported) > 20 * 1024 * 1024  # larger than the old 10 MB limit, twice over
    path = tmp_path / "tracker.csv"
    path.write_bytes(exported)
    out = io.StringIO()

    call_command("import_tracker", str(path), user="importer", stdout=out)

    assert out.getvalue().strip() == (
        "Created 0 reviews, 0 recommendations, 0 progress updates; updated 0; unchanged 5,000"
    )
    assert list(tracker_rows(everything)) == before
    # The workbook export reads back as the same register too.
    plan = import_tracker(write_xlsx(everything), "tracker.xlsx", user=clerk, dry_run=True)
    assert plan.summary(dry_run=True) == (
        "Would create 0 reviews, 0 recommendations, 0 progress updates; would update 0; "
        "unchanged 5,000"
    )
