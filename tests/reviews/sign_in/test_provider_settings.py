"""Turning provider sign-in on and off, and the settings it reads from the environment."""

import importlib

import pytest
from django.core.exceptions import ImproperlyConfigured

from scrutiny.env import parse_domain_organisations, parse_group_roles, parse_issuer
from scrutiny.settings import ROLE_GROUPS
from tests.test_settings import run_manage

pytestmark = pytest.mark.django_db


def test_the_sign_in_page_has_no_provider_button_when_it_is_not_set_up(client, settings):
    settings.OIDC_ISSUER = ""
    page = client.get("/sign-in/").content.decode()
    assert "Sign in with" not in page
    assert "/sign-in/provider/" not in page


@pytest.mark.parametrize(
    "path",
    [
        "/sign-in/provider/",
        "/sign-in/provider/callback/?code=x&state=y",
        "/sign-in/provider/sign-out/",
        "/sign-in/provider/signed-out/",
    ],
)
def test_its_pages_are_not_found_when_it_is_not_set_up(client, settings, path):
    settings.OIDC_ISSUER = ""
    assert client.get(path).status_code == 404


def test_the_sign_in_page_offers_the_provider_and_keeps_where_to_go_next(client, provider):
    page = client.get("/sign-in/?next=/reviews/").content.decode()
    assert "Sign in with Council Login" in page
    assert 'href="/sign-in/provider/?next=/reviews/"' in page
    assert "Sign in with a username and password" in page


def test_group_roles_are_read_as_pairs_in_any_letter_case():
    assert parse_group_roles(" a1 = councillor ; b2=Scrutiny Officer;", ROLE_GROUPS) == {
        "a1": "Councillor",
        "b2": "Scrutiny officer",
    }
    assert parse_group_roles("", ROLE_GROUPS) == {}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("a1=Councillor;b2", "cannot read 'b2'"),
        ("a1=Mayor", "'a1' to 'Mayor', which is not a role: use one of Councillor, Officer"),
        ("a1=Councillor;a1=Officer", "names 'a1' more than once"),
        ("=Officer", "cannot read '=Officer'"),
    ],
)
def test_a_bad_group_roles_value_is_refused_clearly(value, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        parse_group_roles(value, ROLE_GROUPS)


def test_email_domains_are_read_in_lower_case_and_checked():
    assert parse_domain_organisations("Durham.gov.uk=Durham County Council") == {
        "durham.gov.uk": "Durham County Council"
    }
    with pytest.raises(ImproperlyConfigured, match="is not an email domain"):
        parse_domain_organisations("@durham.gov.uk=Durham County Council")


def test_the_issuer_must_be_https_except_on_this_machine():
    assert parse_issuer("https://login.microsoftonline.com/t/v2.0")
    assert parse_issuer("http://127.0.0.1:8080")
    with pytest.raises(ImproperlyConfigured, match="must be an https:// address"):
        parse_issuer("http://login.example.com")


def test_the_role_groups_are_those_of_the_roles_migration():
    roles = importlib.import_module("recommendations.migrations.0003_create_roles").ROLES
    assert set(ROLE_GROUPS) == set(roles)


def test_start_up_refuses_an_unknown_role_in_the_mapping():
    result = run_manage("check", DJANGO_DEBUG="1", OIDC_GROUP_ROLES="abc=Leader")
    assert result.returncode != 0
    assert "OIDC_GROUP_ROLES maps 'abc' to 'Leader', which is not a role" in result.stderr


def test_start_up_refuses_an_issuer_without_the_applications_registration():
    result = run_manage("check", DJANGO_DEBUG="1", OIDC_ISSUER="https://login.example.com/t")
    assert result.returncode != 0
    assert "OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be set too" in result.stderr
