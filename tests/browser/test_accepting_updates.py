"""Accepting updates in a real browser: submit with evidence, return, answer, accept, appendix."""

import re

from playwright.sync_api import expect

from recommendations.models import Recommendation
from tests.browser.conftest import assert_accessible, sign_in

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def switch_to(page, username: str) -> None:
    page.context.clear_cookies()
    sign_in(page, username)


def submit_update(page, recommendation, narrative: str, file_name: str) -> None:
    page.goto(f"{page.base_url}/recommendations/{recommendation.pk}/progress-updates/add/")
    page.get_by_label("On track").check()
    page.get_by_label("Progress update", exact=True).fill(narrative)
    page.get_by_label("Evidence (optional)").set_input_files(
        [{"name": file_name, "mimeType": "application/pdf", "buffer": PDF}]
    )
    assert_accessible(page)
    page.get_by_role("button", name="Add progress update").click()
    expect(page.get_by_role("alert")).to_contain_text("Progress update added")


def test_an_update_is_returned_answered_accepted_and_shown_with_its_evidence(page, demo):
    recommendation = Recommendation.objects.get(review__title__contains="Cybercrime", number="2")

    # The officer submits an update with a file: it waits for the scrutiny officer.
    switch_to(page, "officer")
    submit_update(page, recommendation, "Sessions booked.", "first-plan.pdf")
    newest = page.locator(".app-timeline__item").first
    expect(newest).to_contain_text("Submitted, awaiting check")
    expect(newest.get_by_role("link", name="first-plan.pdf")).to_be_visible()
    assert_accessible(page)

    # The clerk finds it from the dashboard and returns it with a comment.
    switch_to(page, "clerk")
    page.goto(f"{page.base_url}/")
    page.get_by_role("link", name="1 update is waiting to be checked").click()
    expect(page.get_by_role("heading", name="Updates to check")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Sessions booked.")
    assert_accessible(page)
    page.get_by_role("button", name=re.compile(r"^Return")).click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Say what is missing from the update to return it."
    )
    assert_accessible(page)
    page.get_by_label("What is missing (needed to return it)").fill(
        "Say which schools and how many pupils."
    )
    page.get_by_role("button", name=re.compile(r"^Return")).click()
    expect(page.get_by_role("alert")).to_contain_text("returned")
    expect(page.locator("#nothing-to-check")).to_be_visible()

    # The officer sees it returned with the comment, and answers with a new update.
    switch_to(page, "officer")
    page.get_by_role("link", name="My recommendations").click()
    expect(page.locator("main")).to_contain_text("Say which schools and how many pupils.")
    assert_accessible(page)
    page.goto(f"{page.base_url}/recommendations/{recommendation.pk}/")
    expect(page.locator(".app-timeline__item").first).to_contain_text("Returned")
    submit_update(page, recommendation, "Twelve schools, 1,400 pupils booked.", "bookings.pdf")

    # The clerk accepts the new one.
    switch_to(page, "clerk")
    page.goto(f"{page.base_url}/updates/to-check/")
    expect(page.locator("main")).to_contain_text("Twelve schools, 1,400 pupils booked.")
    page.get_by_role("button", name=re.compile(r"^Accept")).click()
    expect(page.get_by_role("alert")).to_contain_text("accepted")

    # The appendix shows it, with its evidence linked.
    page.goto(f"{page.base_url}/reviews/{recommendation.review_id}/progress-report/")
    expect(page.locator("main")).to_contain_text("Twelve schools, 1,400 pupils booked.")
    expect(page.get_by_role("link", name="bookings.pdf")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Sessions booked.")
    assert_accessible(page)
