"""The import_tracker command: a thin door onto trackers.applying.import_tracker."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from recommendations.models import ProgressUpdate, Recommendation
from reviews.models import Review
from tests.factories import make_user, tracker_csv, tracker_row

pytestmark = pytest.mark.django_db


@pytest.fixture
def tracker(tmp_path):
    path = tmp_path / "tracker.csv"
    path.write_bytes(
        tracker_csv(
            tracker_row(update_date="2025-01-15", update_status="On track", update_text="Hired."),
            tracker_row(update_date="2025-02-15", update_status="Done", update_text="Filled."),
            tracker_row(number="2", recommendation="Map the potholes."),
        )
    )
    return path


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_tracker", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_imports_a_file_and_prints_one_summary_line(tracker, clerk):
    out, err = run(str(tracker), "--user", "clerk")
    assert out == (
        "Created 1 review, 2 recommendations, 2 progress updates; updated 0; unchanged 0\n"
    )
    assert err == ""
    review = Review.objects.get()
    assert review.history.get().history_user == clerk
    assert {r.history.get().history_user for r in Recommendation.objects.all()} == {clerk}
    assert set(ProgressUpdate.objects.values_list("author__username", flat=True)) == {"clerk"}


def test_running_it_twice_changes_nothing_the_second_time(tracker, clerk):
    run(str(tracker), "--user", "clerk")
    out, _ = run(str(tracker), "--user", "clerk")
    assert out == (
        "Created 0 reviews, 0 recommendations, 0 progress updates; updated 0; unchanged 2\n"
    )
    assert Recommendation.history.count() == 2


def test_a_dry_run_says_what_would_happen_and_changes_nothing(tracker):
    out, _ = run(str(tracker), "--dry-run")
    assert out == (
        "Dry run, nothing changed: Would create 1 review, 2 recommendations, 2 progress "
        "updates; would update 0; unchanged 0\n"
    )
    assert not Review.objects.exists()


def test_it_prints_every_problem_and_fails_having_imported_nothing(tmp_path, clerk):
    path = tmp_path / "bad.csv"
    path.write_bytes(
        tracker_csv(
            tracker_row(update_date="2025-01-15", update_status="greenish", update_text="x"),
            tracker_row(number="2", target_date="31/02/2025"),
        )
    )
    with pytest.raises(CommandError, match="Nothing was imported: the file has 2 problems"):
        call_command("import_tracker", str(path), "--user", "clerk", stderr=(err := StringIO()))
    assert err.getvalue().splitlines() == [
        "row 2, update_status: 'greenish' is not a known status",
        "row 3, target_date: '31/02/2025' is not a real date",
    ]
    assert not Review.objects.exists()


def test_a_single_problem_is_counted_in_the_singular(tmp_path, clerk):
    path = tmp_path / "bad.csv"
    path.write_bytes(tracker_csv(tracker_row(target_date="31/02/2025")))
    with pytest.raises(CommandError, match=r"the file has 1 problem\.$"):
        call_command("import_tracker", str(path), "--user", "clerk", stderr=StringIO())


def test_an_unknown_user_is_a_clear_error(tracker):
    with pytest.raises(CommandError, match="There is no user called 'nobody'"):
        run(str(tracker), "--user", "nobody")
    assert not Review.objects.exists()


def test_it_asks_who_is_importing(tracker):
    with pytest.raises(CommandError, match="--user USERNAME"):
        run(str(tracker))


def test_a_missing_file_is_a_clear_error(tmp_path, db):
    make_user("clerk")
    with pytest.raises(CommandError, match="There is no file at"):
        run(str(tmp_path / "nope.csv"), "--user", "clerk")


class Terminal(StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_it_shows_a_progress_bar_of_the_steps(tracker, clerk):
    out = Terminal()
    call_command("import_tracker", str(tracker), "--user", "clerk", stdout=out)
    shown = out.getvalue()
    assert "Writing progress updates" in shown
    assert "Done: 100%" in shown and "7/7" in shown
    assert shown.endswith(
        "Created 1 review, 2 recommendations, 2 progress updates; updated 0; unchanged 0\n"
    )


def test_a_refused_file_on_a_terminal_closes_the_bar_before_its_problems(tmp_path, clerk):
    path = tmp_path / "tracker.csv"
    path.write_bytes(tracker_csv(tracker_row(update_date="not a date", update_status="Done")))
    out, err = Terminal(), StringIO()
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_tracker", str(path), "--user", "clerk", stdout=out, stderr=err)
    assert "Checking every row" in out.getvalue()
    assert "not a date" in err.getvalue() or "update_date" in err.getvalue()
