"""Officers logging progress in a real browser, with and without a mouse."""

import datetime
import re

from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import expect

from recommendations.models import Recommendation
from tests.browser.conftest import assert_accessible, sign_in


def recommendation_url(page, number: str) -> str:
    recommendation = Recommendation.objects.get(review__title__contains="Cybercrime", number=number)
    return f"{page.base_url}/recommendations/{recommendation.pk}/"


def tab_to(page, element_id: str, limit: int = 60) -> None:
    """Press Tab until the element with this id has the focus, as a keyboard user would."""
    for _ in range(limit):
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached #{element_id}")


def test_an_officer_adds_a_slipped_update_with_a_revised_date_and_sees_it(page, demo):
    revised = timezone.localdate() + datetime.timedelta(days=120)
    sign_in(page, "officer")
    page.get_by_role("link", name="My recommendations").click()
    page.get_by_role("link", name=re.compile(r"^Recommendation 2: ")).click()
    page.get_by_role("link", name="Add progress update").click()
    expect(page.get_by_role("heading", name="Add progress update")).to_be_visible()

    # The revised date is asked for only once Slipped is chosen.
    expect(page.get_by_label("Reason for revising")).to_be_hidden()
    page.get_by_label("Slipped").check()
    revised_group = page.get_by_role("group", name="Revised target date")
    revised_group.get_by_label("Day").fill(str(revised.day))
    revised_group.get_by_label("Month").fill(str(revised.month))
    revised_group.get_by_label("Year").fill(str(revised.year))
    page.get_by_label("Reason for revising").fill("The cadets' programme moved to next term.")
    page.get_by_label("Progress update", exact=True).fill(
        "The second focus session was postponed by the police."
    )
    page.get_by_role("button", name="Add progress update").click()

    expect(page.get_by_role("heading", name="Recommendation 2", exact=True)).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("Progress update added")
    newest = page.locator(".app-timeline__item").first
    expect(newest).to_contain_text("Slipped")
    expect(newest).to_contain_text("The second focus session was postponed by the police.")
    expect(newest).to_contain_text("Added by Demo Officer")
    # Submitted: the revised date is proposed, and takes effect when the scrutiny officer accepts.
    expect(newest).to_contain_text("Submitted, awaiting check")
    expect(newest).to_contain_text(f"Revised target date proposed: {date_format(revised)}")
    expect(newest).to_contain_text("Reason: The cadets' programme moved to next term.")
    assert_accessible(page)


def test_a_councillor_does_not_see_add_progress_update(page, demo):
    sign_in(page, "councillor")
    page.goto(recommendation_url(page, "2"))
    expect(page.get_by_role("heading", name="Recommendation 2", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Add progress update")).to_have_count(0)
    expect(page.get_by_role("button", name="Add progress update")).to_have_count(0)
    expect(page.get_by_role("link", name="My recommendations")).to_have_count(0)


def test_the_add_update_form_can_be_completed_with_the_keyboard_alone(page, demo):
    revised = timezone.localdate() + datetime.timedelta(days=90)
    sign_in(page, "officer")
    page.goto(recommendation_url(page, "6"))

    link = page.get_by_role("link", name="Add progress update")
    for _ in range(60):
        if link.evaluate("element => element === document.activeElement"):
            break
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Add progress update")).to_be_visible()

    tab_to(page, "id_as_at_day")  # today's date is filled in already
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # into the statuses: "Not started"
    assert page.evaluate("document.activeElement.id") == "id_status_0"
    page.keyboard.press("ArrowDown")  # On track
    page.keyboard.press("ArrowDown")  # Slipped, which reveals its questions
    expect(page.get_by_label("Slipped")).to_be_checked()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_revised_target_date_day"
    page.keyboard.type(str(revised.day))
    page.keyboard.press("Tab")
    page.keyboard.type(str(revised.month))
    page.keyboard.press("Tab")
    page.keyboard.type(str(revised.year))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_revision_reason"
    page.keyboard.type("Filming waits for the new school year.")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_narrative"
    page.keyboard.type("The script is agreed with the National Crime Agency.")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_evidence"  # optional: passed by
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Add progress update"
    page.keyboard.press("Enter")

    expect(page.get_by_role("alert")).to_contain_text("Progress update added")
    expect(page.locator(".app-timeline__item").first).to_contain_text(
        "The script is agreed with the National Crime Agency."
    )
