"""Signing in through the council's identity provider: a real OpenID Connect provider
(tests/reviews/sign_in/oidc_provider/provider.mjs) on 127.0.0.1, the application through the test client."""

from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from reviews.models import User
from reviews.sign_in.oidc import user_for_claims
from tests.reviews.sign_in.provider import Provider, account, free_port, through_provider

pytestmark = pytest.mark.django_db

APP = "http://testserver"


def start(client, next_url: str | None = None):
    query = f"?{urlencode({'next': next_url})}" if next_url else ""
    response = client.get(f"/sign-in/provider/{query}")
    assert response.status_code == 302, response.content
    return response["Location"]


def callback_for(client, sub: str, **options) -> str:
    """The address the provider sends the browser back to after `sub` signs in there."""
    return through_provider(start(client), sub, app_url=APP, **options)


def sign_in(client, sub: str, **options):
    return client.get(callback_for(client, sub, **options).removeprefix(APP))


def test_a_first_sign_in_creates_the_user_with_the_role_of_their_group(client, provider):
    provider.set_accounts(account("jane", "grp-officers"))

    response = sign_in(client, "jane")

    assert response.status_code == 302
    assert response["Location"] == "/"
    user = User.objects.get(identity_subject="jane")
    assert user.identity_issuer == provider.issuer
    assert user.username == "jane@durham.example.gov.uk"
    assert (user.first_name, user.last_name) == ("Jane", "Example")
    assert user.email == "jane@durham.example.gov.uk"
    assert not user.has_usable_password()
    assert [group.name for group in user.groups.all()] == ["Officer"]
    assert client.session["sign_in_method"] == "provider"
    assert client.session["oidc_id_token"].count(".") == 2
    assert client.get("/").status_code == 200


@pytest.mark.parametrize(
    ("group", "role"),
    [
        ("grp-councillors", "Councillor"),
        ("grp-officers", "Officer"),
        ("grp-scrutiny", "Scrutiny officer"),
    ],
)
def test_each_mapped_group_gives_its_role(client, provider, group, role):
    provider.set_accounts(account("sam", "grp-unrelated", group))
    sign_in(client, "sam")
    user = User.objects.get(identity_subject="sam")
    assert [g.name for g in user.groups.all()] == [role]


def test_a_changed_group_changes_the_role_at_the_next_sign_in(client, provider):
    provider.set_accounts(account("jane", "grp-councillors"))
    sign_in(client, "jane")
    client.post("/sign-out/")

    provider.set_accounts(account("jane", "grp-scrutiny"))
    sign_in(client, "jane")

    user = User.objects.get(identity_subject="jane")
    assert [g.name for g in user.groups.all()] == ["Scrutiny officer"]
    assert client.get("/reviews/add/").status_code == 200
    # The history keeps each change of role, as for a change made in the admin.
    roles_in_history = [
        sorted(group.group.name for group in row.groups.all())
        for row in user.history.order_by("history_id")
    ]
    assert ["Councillor"] in roles_in_history
    assert roles_in_history[-1] == ["Scrutiny officer"]
    # Made by the person themselves, as they signed in.
    latest = user.history.latest("history_id")
    assert latest.history_user == user
    assert latest.history_change_reason == "Signed in through the identity provider"


def test_leaving_the_group_takes_the_role_away_at_the_next_sign_in(client, provider):
    provider.set_accounts(account("jane", "grp-scrutiny"))
    sign_in(client, "jane")
    client.post("/sign-out/")

    provider.set_accounts(account("jane"))
    response = sign_in(client, "jane")

    assert response["Location"] == "/no-access/"
    assert not User.objects.get(identity_subject="jane").groups.exists()
    assert client.get("/reviews/add/").status_code == 403


def test_other_groups_and_administrator_status_are_left_as_they_are(client, provider):
    from django.contrib.auth.models import Group

    helpdesk = Group.objects.create(name="Helpdesk")
    user = User.objects.create_user(
        "jane", email="jane@durham.example.gov.uk", is_staff=True, is_superuser=False
    )
    user.groups.add(helpdesk, Group.objects.get(name="Councillor"))
    provider.set_accounts(account("jane", "grp-officers"))

    sign_in(client, "jane")

    user.refresh_from_db()
    assert sorted(g.name for g in user.groups.all()) == ["Helpdesk", "Officer"]
    assert user.is_staff and not user.is_superuser


def test_claims_never_make_anyone_staff_or_superuser(provider):
    user = user_for_claims(
        {"sub": "mallory", "groups": ["grp-scrutiny"], "is_superuser": True, "is_staff": True}
    )
    assert not user.is_staff and not user.is_superuser


def test_without_a_mapping_roles_are_given_in_the_admin_and_left_alone(client, provider, settings):
    settings.OIDC_GROUP_ROLES = {}
    provider.set_accounts(account("jane", "grp-officers"))
    sign_in(client, "jane")
    user = User.objects.get(identity_subject="jane")
    assert not user.groups.exists()
    from django.contrib.auth.models import Group

    user.groups.add(Group.objects.get(name="Councillor"))
    client.post("/sign-out/")

    sign_in(client, "jane")

    assert [g.name for g in user.groups.all()] == ["Councillor"]


def test_a_password_account_with_the_same_email_is_linked_and_keeps_its_history(
    client, provider, clerk
):
    existing = User.objects.create_user(
        "jsmith", password="password", email="Jane@Durham.Example.gov.uk"
    )
    provider.set_accounts(account("jane", "grp-officers", given_name="Janet"))

    sign_in(client, "jane")

    existing.refresh_from_db()
    assert (existing.identity_issuer, existing.identity_subject) == (provider.issuer, "jane")
    assert existing.username == "jsmith"
    assert existing.first_name == "Janet"
    assert User.objects.filter(email__iexact="jane@durham.example.gov.uk").count() == 1
    assert existing.history.count() >= 2


def test_an_account_linked_to_someone_else_is_never_taken_over(client, provider):
    User.objects.create_user(
        "jane@durham.example.gov.uk",
        email="jane@durham.example.gov.uk",
        identity_issuer="https://elsewhere.example",
        identity_subject="someone-else",
    )
    provider.set_accounts(account("jane", "grp-officers"))

    sign_in(client, "jane")

    created = User.objects.get(identity_issuer=provider.issuer, identity_subject="jane")
    assert created.username == "jane@durham.example.gov.uk-2"


def test_two_accounts_with_the_email_are_refused_with_a_clear_page(client, provider, settings):
    settings.ACCESS_REQUEST_CONTACT = "scrutiny@durham.example.gov.uk"
    for username in ("jane1", "jane2"):
        User.objects.create_user(username, email="jane@durham.example.gov.uk")
    provider.set_accounts(account("jane", "grp-officers"))

    response = sign_in(client, "jane")

    content = response.content.decode()
    assert response.status_code == 403
    assert "We cannot sign you in" in content
    assert "More than one account here has the email address" in content
    assert 'href="mailto:scrutiny@durham.example.gov.uk"' in content
    assert client.get("/").status_code == 302


def test_the_email_domain_gives_a_new_officer_their_organisation(client, provider, settings):
    from tests.factories import make_organisation

    durham = make_organisation("Durham County Council")
    settings.OIDC_EMAIL_DOMAIN_ORGANISATIONS = {"durham.example.gov.uk": durham.name}
    provider.set_accounts(account("jane", "grp-officers"))

    sign_in(client, "jane")

    assert User.objects.get(identity_subject="jane").organisation == durham


def test_an_organisation_set_by_an_administrator_is_kept(client, provider, settings):
    from tests.factories import make_organisation

    police = make_organisation("Durham Constabulary")
    make_organisation("Durham County Council")
    settings.OIDC_EMAIL_DOMAIN_ORGANISATIONS = {"durham.example.gov.uk": "Durham County Council"}
    User.objects.create_user("jane", email="jane@durham.example.gov.uk", organisation=police)
    provider.set_accounts(account("jane", "grp-officers"))

    sign_in(client, "jane")

    assert User.objects.get(identity_subject="jane").organisation == police


def test_someone_with_no_mapped_group_lands_on_the_no_access_page(client, provider, settings):
    settings.ACCESS_REQUEST_CONTACT = "scrutiny@durham.example.gov.uk"
    provider.set_accounts(account("jane", "grp-unrelated"))

    response = sign_in(client, "jane")

    assert response["Location"] == "/no-access/"
    page = client.get("/no-access/").content.decode()
    assert "You do not have access yet" in page
    assert 'href="mailto:scrutiny@durham.example.gov.uk"' in page
    # Every other page says the same, rather than a bare refusal.
    refused = client.get("/register/")
    assert refused.status_code == 403
    assert "You do not have access yet" in refused.content.decode()


def test_the_no_access_page_sends_someone_with_a_role_to_the_dashboard(client, councillor):
    client.force_login(councillor)
    assert client.get("/no-access/")["Location"] == "/"


def test_it_goes_back_to_the_page_asked_for(client, provider):
    provider.set_accounts(account("jane", "grp-councillors"))
    callback = through_provider(start(client, "/reviews/"), "jane", app_url=APP)
    assert client.get(callback.removeprefix(APP))["Location"] == "/reviews/"


def test_it_never_goes_back_to_another_site(client, provider):
    provider.set_accounts(account("jane", "grp-councillors"))
    callback = through_provider(start(client, "https://evil.example/"), "jane", app_url=APP)
    assert client.get(callback.removeprefix(APP))["Location"] == "/"


def test_it_asks_for_the_code_with_pkce_state_and_nonce(client, provider):
    query = parse_qs(urlsplit(start(client)).query)
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) >= 43
    assert query["state"][0] in client.session["oidc_states"]
    assert query["nonce"][0] == client.session["oidc_states"][query["state"][0]]["nonce"]
    assert query["scope"] == ["openid email profile"]


# What can go wrong: each answered by a page that says what happened, and nobody signed in.


def assert_signed_out(client):
    assert client.get("/")["Location"].startswith("/sign-in/")


def test_a_tampered_state_is_refused(client, provider):
    provider.set_accounts(account("jane", "grp-officers"))
    callback = callback_for(client, "jane")
    state = parse_qs(urlsplit(callback).query)["state"][0]

    response = client.get(callback.removeprefix(APP).replace(state, state[:-1] + "x"))

    assert response.status_code == 400
    assert "Your sign-in could not be checked" in response.content.decode()
    assert_signed_out(client)
    assert not User.objects.filter(identity_subject="jane").exists()


def test_a_callback_without_the_session_that_began_it_is_refused(client, provider):
    provider.set_accounts(account("jane", "grp-officers"))
    callback = callback_for(client, "jane")
    client.cookies.clear()

    response = client.get(callback.removeprefix(APP))

    assert response.status_code == 400
    assert "Your sign-in could not be checked" in response.content.decode()
    assert_signed_out(client)


def test_a_nonce_that_does_not_match_is_refused(client, provider):
    provider.set_accounts(account("jane", "grp-officers"))
    callback = callback_for(client, "jane")
    state = parse_qs(urlsplit(callback).query)["state"][0]
    session = client.session
    session["oidc_states"][state]["nonce"] = "a-nonce-the-provider-never-saw"
    session.save()

    response = client.get(callback.removeprefix(APP))

    assert response.status_code == 400
    assert "Your sign-in could not be checked" in response.content.decode()
    assert_signed_out(client)
    assert not User.objects.filter(identity_subject="jane").exists()


def test_a_callback_used_twice_is_refused_the_second_time(client, provider):
    provider.set_accounts(account("jane", "grp-officers"))
    callback = callback_for(client, "jane").removeprefix(APP)
    assert client.get(callback).status_code == 302
    client.post("/sign-out/")

    response = client.get(callback)

    assert response.status_code == 400
    assert_signed_out(client)


def test_cancelling_at_the_provider_is_explained(client, provider):
    provider.set_accounts(account("jane", "grp-officers"))

    response = sign_in(client, "jane", cancel=True)

    assert response.status_code == 400
    content = response.content.decode()
    assert "You did not sign in" in content
    assert "The sign-in was cancelled, or Council Login did not allow it" in content
    assert_signed_out(client)


def test_the_provider_down_before_sign_in_is_answered_with_a_clear_page(client, provider, settings):
    settings.OIDC_ISSUER = f"http://127.0.0.1:{free_port()}"

    response = client.get("/sign-in/provider/")

    assert response.status_code == 503
    content = response.content.decode()
    assert "Council Login could not be reached" in content
    assert "sign in with those instead" in content


def test_the_provider_down_during_sign_in_is_answered_with_a_clear_page(
    client, settings, db, tmp_path
):
    provider = Provider(tmp_path, [APP])
    try:
        for name, value in provider.settings().items():
            setattr(settings, name, value)
        provider.set_accounts(account("jane", "grp-officers"))
        callback = callback_for(client, "jane")
    finally:
        provider.stop()

    response = client.get(callback.removeprefix(APP))

    assert response.status_code == 502
    assert "Council Login could not be reached" in response.content.decode()
    assert_signed_out(client)


def test_a_switched_off_account_is_refused(client, provider):
    User.objects.create_user(
        "jane",
        email="jane@durham.example.gov.uk",
        is_active=False,
        identity_issuer=provider.issuer,
        identity_subject="jane",
    )
    provider.set_accounts(account("jane", "grp-officers"))

    response = sign_in(client, "jane")

    assert response.status_code == 403
    assert "Your account is switched off" in response.content.decode()
    assert_signed_out(client)


def test_a_password_sign_in_never_exchanges_a_code_from_its_address(client, settings, councillor):
    # The provider is down: were the code used, the sign-in would fail.
    settings.OIDC_ISSUER = f"http://127.0.0.1:{free_port()}"
    settings.OIDC_CLIENT_ID, settings.OIDC_CLIENT_SECRET = "id", "secret"

    response = client.post(
        "/sign-in/?code=stolen&state=whatever",
        {"username": "councillor", "password": "password"},
    )

    assert response.status_code == 302
    assert client.get("/reviews/").status_code == 200


def test_a_wrong_pkce_verifier_is_refused_by_the_provider_and_explained(client, provider):
    provider.set_accounts(account("jane", "grp-officers"))
    callback = callback_for(client, "jane")
    state = parse_qs(urlsplit(callback).query)["state"][0]
    session = client.session
    session["oidc_states"][state]["code_verifier"] = "x" * 64
    session.save()

    response = client.get(callback.removeprefix(APP))

    assert response.status_code == 400
    assert "Your sign-in could not be checked" in response.content.decode()
    assert_signed_out(client)


@pytest.mark.parametrize("token", [None, "", "not-a-token", "e30.e30.e30"])
def test_an_id_token_that_cannot_be_read_is_refused_not_an_error(provider, token):
    from django.core.exceptions import SuspiciousOperation

    from reviews.sign_in.oidc import ProviderBackend

    with pytest.raises(SuspiciousOperation):
        ProviderBackend().verify_token(token, nonce="n")


def test_switching_off_a_provider_user_ends_their_session(client, provider):
    provider.set_accounts(account("jane", "grp-officers"))
    sign_in(client, "jane")
    assert client.get("/").status_code == 200

    User.objects.filter(identity_subject="jane").update(is_active=False)

    assert_signed_out(client)


def test_another_error_from_the_provider_is_explained(client, provider):
    start(client)

    response = client.get("/sign-in/provider/callback/?error=temporarily_unavailable&state=x")

    assert response.status_code == 400
    assert "Council Login could not sign you in" in response.content.decode()
    assert_signed_out(client)
