"""Signing in through the council's identity provider in a browser: a real OpenID Connect provider
(tests/reviews/sign_in/oidc_provider/provider.mjs) on 127.0.0.1 sends Chromium back to the live server."""

import re

import pytest
from playwright.sync_api import expect

from reviews.models import User
from tests.browser.conftest import assert_accessible
from tests.reviews.sign_in.provider import Provider, account, free_port


@pytest.fixture(scope="module")
def browser_provider(live_server, tmp_path_factory):
    provider = Provider(tmp_path_factory.mktemp("oidc-provider-browser"), [live_server.url])
    yield provider
    provider.stop()


@pytest.fixture
def council_login(browser_provider, settings, roles):
    """The provider, and the application set up to sign in through it."""
    browser_provider.set_accounts()
    for name, value in browser_provider.settings().items():
        setattr(settings, name, value)
    return browser_provider


def sign_in_at_the_provider(page, login: str) -> None:
    page.goto(f"{page.base_url}/sign-in/")
    page.get_by_role("button", name="Sign in with Council Login").click()
    page.get_by_placeholder("Enter any login").fill(login)
    page.get_by_placeholder("and password").fill("any password")
    page.get_by_role("button", name="Sign-in").click()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()


def test_the_sign_in_page_offers_the_provider_and_is_accessible(page, council_login):
    page.goto(f"{page.base_url}/sign-in/")
    expect(page.get_by_role("button", name="Sign in with Council Login")).to_be_visible()
    expect(page.get_by_role("heading", name="Sign in with a username and password")).to_be_visible()
    assert_accessible(page)


def test_a_councillor_signs_in_through_the_provider_and_out_of_both(page, council_login):
    council_login.set_accounts(account("jane", "grp-councillors"))

    sign_in_at_the_provider(page, "jane")

    expect(page).to_have_url(f"{page.base_url}/")
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    expect(page.get_by_text("Signed in as Jane Example")).to_be_visible()
    assert [g.name for g in User.objects.get(identity_subject="jane").groups.all()] == [
        "Councillor"
    ]
    assert_accessible(page)

    page.get_by_role("button", name="Sign out", exact=True).click()
    expect(page.get_by_role("heading", name="You have signed out")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Sign out of Council Login too").click()
    page.get_by_role("button", name="Yes, sign me out").click()
    expect(page.get_by_text("You are no longer signed in")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{page.base_url}/")
    expect(page).to_have_url(re.compile(r"/sign-in/\?next=/$"))


def test_someone_with_no_mapped_group_lands_on_the_no_access_page(page, council_login):
    council_login.set_accounts(account("newcomer", "grp-unrelated"))

    sign_in_at_the_provider(page, "newcomer")

    expect(page).to_have_url(f"{page.base_url}/no-access/")
    expect(page.get_by_role("heading", name="You do not have access yet")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Register").click()
    expect(page.get_by_role("heading", name="You do not have access yet")).to_be_visible()
    assert_accessible(page)


def test_cancelling_at_the_provider_is_explained_accessibly(page, council_login):
    council_login.set_accounts(account("jane", "grp-councillors"))
    page.goto(f"{page.base_url}/sign-in/")
    page.get_by_role("button", name="Sign in with Council Login").click()
    page.get_by_role("link", name="[ Cancel ]").click()
    expect(page.get_by_role("heading", name="You did not sign in")).to_be_visible()
    assert_accessible(page)


def test_a_sign_in_that_cannot_be_checked_is_explained_accessibly(page, council_login):
    page.goto(f"{page.base_url}/sign-in/provider/callback/?code=forged&state=forged")
    expect(page.get_by_role("heading", name="Your sign-in could not be checked")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{page.base_url}/sign-in/provider/callback/?error=server_error&state=forged")
    expect(page.get_by_role("heading", name="Council Login could not sign you in")).to_be_visible()
    assert_accessible(page)


def test_the_provider_down_is_explained_accessibly(page, council_login, settings):
    settings.OIDC_ISSUER = f"http://127.0.0.1:{free_port()}"
    page.goto(f"{page.base_url}/sign-in/")
    page.get_by_role("button", name="Sign in with Council Login").click()
    expect(page.get_by_role("heading", name="Council Login could not be reached")).to_be_visible()
    assert_accessible(page)


def test_a_refused_and_a_switched_off_account_are_explained_accessibly(
    page, council_login, settings
):
    settings.ACCESS_REQUEST_CONTACT = "scrutiny@durham.example.gov.uk"
    for username in ("jane1", "jane2"):
        User.objects.create_user(username, email="jane@durham.example.gov.uk")
    User.objects.create_user(
        "off",
        is_active=False,
        identity_issuer=council_login.issuer,
        identity_subject="off",
    )
    council_login.set_accounts(account("jane", "grp-councillors"), account("off", "grp-officers"))

    sign_in_at_the_provider(page, "jane")
    expect(page.get_by_role("heading", name="We cannot sign you in")).to_be_visible()
    expect(page.get_by_role("link", name="scrutiny@durham.example.gov.uk")).to_be_visible()
    assert_accessible(page)

    page.context.clear_cookies()
    sign_in_at_the_provider(page, "off")
    expect(page.get_by_role("heading", name="Your account is switched off")).to_be_visible()
    assert_accessible(page)


def test_the_sign_in_page_has_no_provider_button_when_it_is_not_set_up(page, roles, settings):
    settings.OIDC_ISSUER = ""
    page.goto(f"{page.base_url}/sign-in/")
    expect(page.get_by_role("heading", name="Sign in", exact=True)).to_be_visible()
    expect(page.get_by_text("Sign in with")).to_have_count(0)
