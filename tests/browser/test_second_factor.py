"""The second factor in the browser: setting up an authenticator app, the code page, recovery
codes, the account page and changing the password, each checked with axe."""

import re
from base64 import b32decode

from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from reviews.models import User
from tests.browser.conftest import DEMO_PASSWORD, assert_accessible, next_code, sign_in
from tests.factories import authenticator_code


def enter_password(page, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(f"{page.base_url}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def key_on_the_page(page) -> str:
    text = page.locator("#authenticator-key").inner_text().replace(" ", "")
    return b32decode(text).hex()


def test_a_scrutiny_officer_sets_up_the_app_at_first_sign_in(page, demo):
    TOTPDevice.objects.filter(user__username="clerk").delete()
    enter_password(page, "clerk")

    expect(page.get_by_role("heading", name="Set up an authenticator app")).to_be_visible()
    expect(
        page.get_by_role("img", name="QR code to scan with your authenticator app")
    ).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Code from the app").fill("12345")
    page.get_by_role("button", name="Set up authenticator app").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Enter the 6-digit code from your authenticator app"
    )
    assert_accessible(page)

    page.get_by_label("Code from the app").fill(authenticator_code(key_on_the_page(page)))
    page.get_by_role("button", name="Set up authenticator app").click()

    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    assert_accessible(page)
    page.get_by_role("button", name="I have kept my recovery codes, continue").click()
    expect(page.get_by_text("Signed in as Demo Clerk")).to_be_visible()


def test_the_code_page_with_and_without_errors(page, demo):
    enter_password(page, "admin")
    expect(page.get_by_role("heading", name="Enter your security code")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Security code").fill("12 ab")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert")).to_contain_text("or a recovery code of 8 letters")
    assert_accessible(page)

    page.get_by_label("Security code").fill(next_code("admin"))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("Signed in as Demo Administrator")).to_be_visible()


def test_the_admin_is_reached_through_both_steps(page, demo):
    page.goto(f"{page.base_url}/admin/")
    expect(page).to_have_url(re.compile(r"/sign-in/\?next=/admin/$"))
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Security code").fill(next_code("admin"))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()


def test_a_councillor_sets_up_an_app_from_the_account_page_and_removes_it(page, demo):
    sign_in(page, "councillor")
    page.get_by_role("link", name="Your account").click()
    expect(page.get_by_role("heading", name="Your account")).to_be_visible()
    expect(page.locator("#second-factor-status")).to_contain_text("password alone")
    assert_accessible(page)

    page.get_by_role("button", name="Set up an authenticator app").click()
    expect(page.get_by_role("heading", name="Set up an authenticator app")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Code from the app").fill(authenticator_code(key_on_the_page(page)))
    page.get_by_role("button", name="Set up authenticator app").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    page.get_by_role("button", name="I have kept my recovery codes, continue").click()

    expect(page.locator("#recovery-codes-left")).to_have_text("You have 10 recovery codes left.")
    assert_accessible(page)
    page.get_by_role("link", name="Remove authenticator app").click()
    expect(page.get_by_role("heading", name="Remove your authenticator app")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Remove authenticator app").click()
    expect(page.get_by_role("alert")).to_contain_text("Your authenticator app is removed")
    assert not TOTPDevice.objects.filter(user__username="councillor").exists()


def test_changing_the_password(page, demo):
    sign_in(page, "councillor")
    page.goto(f"{page.base_url}/account/")
    page.get_by_role("link", name="Change your password").click()
    expect(page.get_by_role("heading", name="Change your password")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter your current password")
    assert_accessible(page)

    page.get_by_label("Current password").fill(DEMO_PASSWORD)
    page.get_by_label("New password", exact=True).fill("a long new pass phrase")
    page.get_by_label("Confirm new password").fill("a long new pass phrase")
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("alert")).to_contain_text("Your password is changed")
    assert User.objects.get(username="councillor").check_password("a long new pass phrase")
