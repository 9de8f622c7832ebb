"""Signing out after a sign-in through the identity provider: the tracker's session ends, and the
provider's own sign-out is offered (RP-initiated logout, with the ID token as the hint)."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.core.cache import cache

from tests.reviews.sign_in.provider import CLIENT_ID, account, through_provider
from tests.reviews.sign_in.test_provider_sign_in import APP, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, provider):
    provider.set_accounts(account("jane", "grp-councillors"))
    sign_in(client, "jane")
    return client.session["oidc_id_token"]


def test_signing_out_ends_the_session_and_offers_the_providers_sign_out(client, signed_in):
    response = client.post("/sign-out/")

    assert response["Location"] == "/sign-in/provider/signed-out/"
    assert client.get("/")["Location"].startswith("/sign-in/")
    page = client.get("/sign-in/provider/signed-out/").content.decode()
    assert "You have signed out of scrutiny recommendations tracker" in page
    assert 'href="/sign-in/provider/sign-out/"' in page
    assert "Sign out of Council Login too" in page


def test_the_providers_sign_out_carries_the_id_token_and_comes_back(client, provider, signed_in):
    client.post("/sign-out/")

    response = client.get("/sign-in/provider/sign-out/")

    end_session = response["Location"]
    assert end_session.startswith(f"{provider.issuer}/session/end?")
    query = parse_qs(urlsplit(end_session).query)
    assert query["id_token_hint"] == [signed_in]
    assert query["client_id"] == [CLIENT_ID]
    assert query["post_logout_redirect_uri"] == [f"{APP}/sign-in/provider/signed-out/"]
    # The provider takes it: its confirmation page, then back to the signed-out page.
    browser = requests.Session()
    confirm = browser.get(end_session, timeout=10)
    assert confirm.status_code == 200
    action = re.search(r'<form[^>]*action="([^"]+)"', confirm.text).group(1)
    fields = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', confirm.text))
    done = browser.post(
        requests.compat.urljoin(end_session, action),
        data={**fields, "logout": "yes"},
        allow_redirects=False,
        timeout=10,
    )
    assert done.headers["Location"].startswith(f"{APP}/sign-in/provider/signed-out/")
    # Back here the page no longer offers what has been done.
    page = client.get("/sign-in/provider/signed-out/").content.decode()
    assert "You are no longer signed in" in page
    assert "Sign out of Council Login too" not in page


def test_a_provider_without_a_sign_out_is_said_to_have_none(client, provider, signed_in):
    client.post("/sign-out/")
    document = cache.get(f"oidc-discovery:{provider.issuer}")
    del document["end_session_endpoint"]
    cache.set(f"oidc-discovery:{provider.issuer}", document)

    page = client.get("/sign-in/provider/signed-out/").content.decode()

    assert "Council Login does not let scrutiny recommendations tracker sign you out" in page
    assert "/sign-in/provider/sign-out/" not in page


def test_a_password_user_signs_out_to_the_sign_in_page_as_before(client, provider, councillor):
    client.post("/sign-in/", {"username": "councillor", "password": "password"})

    response = client.post("/sign-out/")

    assert response["Location"] == "/sign-in/"
    assert client.get("/")["Location"].startswith("/sign-in/")


def test_the_provider_session_is_not_offered_to_someone_else_later(client, provider):
    provider.set_accounts(account("jane", "grp-councillors"))
    callback = through_provider(client.get("/sign-in/provider/")["Location"], "jane", app_url=APP)
    client.get(callback.removeprefix(APP))
    client.post("/sign-out/")
    client.get("/sign-in/provider/sign-out/")

    assert client.get("/sign-in/provider/sign-out/")["Location"] == (
        "/sign-in/provider/signed-out/"
    )
