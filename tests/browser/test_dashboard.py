import re

from playwright.sync_api import expect

from reviews.models import Review
from tests.browser.conftest import assert_accessible, sign_in


def test_a_councillor_lands_on_the_dashboard_and_follows_the_overdue_count(page, demo):
    sign_in(page, "councillor")
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Dashboard")).to_have_attribute("aria-current", "page")
    expect(page.get_by_text("Scrutiny Review of Cybercrime").first).to_be_visible()
    assert_accessible(page)

    overdue = page.locator("#headline-overdue")
    count = int(overdue.locator(".app-headlines__count").inner_text())
    assert count > 0
    overdue.click()
    expect(page).to_have_url(re.compile(r"/register/\?show=overdue$"))
    expect(page.get_by_role("heading", name=f"{count} recommendations")).to_be_visible()
    rows = page.locator("table.app-table--register tbody tr")
    expect(rows).to_have_count(count)
    for index in range(count):
        expect(rows.nth(index)).to_contain_text("Overdue")
    expect(page.get_by_label("Overdue", exact=True)).to_be_checked()
    assert_accessible(page)


def test_the_register_filters_sorts_and_explains_a_bad_filter(page, demo):
    sign_in(page, "councillor")
    page.get_by_role("link", name="Register", exact=True).click()
    expect(page.get_by_role("heading", name="Register of recommendations")).to_be_visible()
    # The seed review's seven and the living review's four.
    expect(page.get_by_role("heading", name="11 recommendations")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Achieved", exact=True).check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"status=achieved"))
    expect(page.get_by_role("heading", name="2 recommendations")).to_be_visible()

    page.get_by_role("link", name=re.compile(r"^Target date")).click()
    expect(page).to_have_url(re.compile(r"sort=target"))
    expect(page.get_by_role("columnheader", name=re.compile(r"^Target date"))).to_have_attribute(
        "aria-sort", "ascending"
    )
    expect(page.get_by_label("Achieved", exact=True)).to_be_checked()

    page.goto(f"{page.base_url}/register/")
    page.get_by_label("Review title").fill("cybercrime")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"review_title=cybercrime"))
    review = Review.objects.get(title__icontains="cybercrime")
    count = review.recommendations.count()
    expect(page.get_by_role("heading", name=f"{count} recommendations")).to_be_visible()
    page.goto(f"{page.base_url}/register/?review={review.pk}")
    expect(page.get_by_text(f"Review: {review.title}")).to_be_visible()
    expect(page.get_by_role("heading", name=f"{count} recommendations")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(r"^Show every review")).click()
    expect(page.get_by_role("heading", name="11 recommendations")).to_be_visible()

    page.goto(f"{page.base_url}/register/?review=not-a-review")
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.get_by_role("alert")).to_contain_text("Select a review from the list")
    expect(page.get_by_text("Correct the filters to see the register.")).to_be_visible()
    assert_accessible(page)


def test_an_officer_sees_what_is_theirs_to_update_first(page, demo):
    sign_in(page, "officer")
    expect(page.get_by_role("heading", name="Yours to update")).to_be_visible()
    assert_accessible(page)
