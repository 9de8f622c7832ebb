import re

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in


def test_the_sign_in_page_is_accessible_with_and_without_errors(page, demo):
    page.goto(f"{page.base_url}/")
    expect(page).to_have_url(re.compile(r"/sign-in/\?next=/$"))
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter your username")
    assert_accessible(page)


def test_a_councillor_signs_in_reaches_the_reviews_and_signs_out(page, demo):
    sign_in(page, "councillor")
    expect(page.get_by_text("Signed in as Demo Councillor")).to_be_visible()
    page.get_by_role("link", name="Reviews").click()
    expect(page.get_by_role("heading", name="Reviews")).to_be_visible()
    expect(page.get_by_text("Scrutiny Review of Cybercrime")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def test_a_wrong_password_is_explained(page, demo):
    sign_in(page, "councillor", "wrong")
    expect(page.get_by_role("alert")).to_contain_text("Enter a correct username and password")
    assert_accessible(page)
