"""The clerk imports a tracker in the browser: upload, preview, confirm; and a file with problems."""

import re

from playwright.sync_api import expect

from recommendations.models import Recommendation
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import tracker_csv, tracker_row
from tests.recommendations.trackers.helpers import keep_uploads_in


def test_the_clerk_uploads_previews_and_confirms_a_tracker(page, demo, tmp_path, settings):
    keep_uploads_in(settings, tmp_path / "uploads")
    tracker = tmp_path / "potholes.csv"
    tracker.write_bytes(
        tracker_csv(
            tracker_row(
                lead="Highways",
                update_date="2025-01-15",
                update_status="Slipped",
                update_text="Two crews hired; work starts in March.",
            ),
            tracker_row(number="2", recommendation="That the council publishes a pothole map."),
        )
    )
    sign_in(page, "clerk")
    page.get_by_role("link", name="Import a tracker").click()
    expect(page.get_by_role("heading", name="Import a tracker")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Upload a tracker file").set_input_files(str(tracker))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", name="Check the import")).to_be_visible()
    expect(
        page.get_by_text("Would create 1 review, 2 recommendations, 1 progress update")
    ).to_be_visible()
    expect(page.get_by_role("table", name="New recommendations (2)")).to_be_visible()
    expect(page.get_by_role("table", name="New progress updates (1)")).to_contain_text("Slipped")
    assert_accessible(page)
    assert not Recommendation.objects.filter(review__title="Review of potholes").exists()

    page.get_by_role("button", name="Confirm import").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Created 1 review, 2 recommendations, 1 progress update"
    )
    expect(page.get_by_role("cell", name="Review of potholes")).to_be_visible()
    assert_accessible(page)
    assert Recommendation.objects.filter(review__title="Review of potholes").count() == 2


def test_a_tracker_with_problems_is_explained_row_by_row(page, demo, tmp_path, settings):
    keep_uploads_in(settings, tmp_path / "uploads")
    tracker = tmp_path / "bad.csv"
    tracker.write_bytes(
        tracker_csv(
            tracker_row(update_date="2025-01-15", update_status="greenish", update_text="x"),
            tracker_row(number="2", target_date="31/02/2025"),
        )
    )
    sign_in(page, "clerk")
    page.goto(f"{page.base_url}/trackers/import/")
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("alert")).to_contain_text("Select a CSV or XLSX file")
    assert_accessible(page)

    page.get_by_label("Upload a tracker file").set_input_files(str(tracker))
    page.get_by_role("button", name="Check the file").click()
    expect(page).to_have_title(re.compile(r"^Error: Import a tracker"))
    expect(page.get_by_role("alert")).to_contain_text("The file has 2 problems")
    problems = page.get_by_role("table", name="Problems in bad.csv, by row and column")
    expect(problems).to_contain_text("'greenish' is not a known status")
    expect(problems).to_contain_text("'31/02/2025' is not a real date")
    assert_accessible(page)
    assert not Recommendation.objects.filter(review__title="Review of potholes").exists()


def test_a_councillor_has_no_import_link_and_is_refused(page, demo):
    sign_in(page, "councillor")
    expect(page.get_by_role("link", name="Import a tracker")).to_have_count(0)
    response = page.goto(f"{page.base_url}/trackers/import/")
    assert response.status == 403
