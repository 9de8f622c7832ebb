"""Headers on every response: no caching of what a signed-in person sees, a Content Security
Policy that starts from nothing, and resources this site serves kept to this site."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]
    parts = [part.strip().split() for part in policy.split(";") if part.strip()]
    return {name: values for name, *values in parts}


def cache_control(response) -> set[str]:
    return {part.strip() for part in response.headers.get("Cache-Control", "").split(",")}


@pytest.fixture
def signed_in(client, councillor):
    client.force_login(councillor)
    return client


@pytest.fixture
def static_client(settings):
    """A client whose whitenoise serves the source static folders, as the live server does."""
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    return Client()


def test_signed_in_pages_are_never_stored(signed_in):
    for path in ["/", "/reviews/", "/register/"]:
        response = signed_in.get(path)
        assert response.status_code == 200
        assert "no-store" in cache_control(response), path


def test_a_signed_in_redirect_and_error_page_are_not_stored_either(signed_in):
    assert "no-store" in cache_control(signed_in.get("/reviews/999999/"))


def test_signing_in_answers_with_no_store(client, councillor):
    response = client.post("/sign-in/", {"username": "councillor", "password": "password"})
    assert response.status_code == 302
    assert "no-store" in cache_control(response)


def test_static_files_keep_their_caching_for_everyone(static_client, councillor):
    static_client.force_login(councillor)
    response = static_client.get("/static/js/app.js")
    assert response.status_code == 200
    assert "no-store" not in cache_control(response)


def test_a_signed_out_visitor_is_sent_to_sign_in_without_our_no_store(client):
    response = client.get("/reviews/")
    assert response.status_code == 302
    assert "no-store" not in cache_control(response)


def test_the_content_security_policy_starts_from_none_and_allows_only_this_site(signed_in):
    policy = directives(signed_in.get("/reviews/"))
    assert policy["default-src"] == ["'none'"]
    for directive in ["script-src", "style-src", "img-src", "connect-src", "form-action"]:
        assert policy[directive] == ["'self'"], directive
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    everything = " ".join(value for values in policy.values() for value in values)
    assert "unsafe" not in everything
    assert "data:" not in everything
    assert "*" not in everything


def test_the_sign_in_page_has_the_same_policy(client):
    assert directives(client.get("/sign-in/"))["default-src"] == ["'none'"]


def test_pages_and_static_files_are_for_this_site_only(signed_in, client, static_client):
    responses = [
        signed_in.get("/reviews/"),
        client.get("/sign-in/"),
        static_client.get("/static/js/app.js"),
    ]
    for response in responses:
        assert response.headers["Cross-Origin-Resource-Policy"] == "same-origin"
