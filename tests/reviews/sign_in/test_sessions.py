"""A change of password or role ends that user's other sessions; whoever made the change on their
own account keeps the session they made it in."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from reviews.models import User
from tests.factories import authenticator_code, give_authenticator, make_user

pytestmark = pytest.mark.django_db


def signed_in(client) -> bool:
    return client.get("/reviews/").status_code == 200


@pytest.fixture
def two_sessions(officer):
    """`officer` signed in on two computers."""
    first, second = Client(), Client()
    first.force_login(officer)
    second.force_login(officer)
    assert signed_in(first) and signed_in(second)
    return first, second


def admin_change_form(user: User, **changes) -> dict:
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "groups": list(user.groups.values_list("pk", flat=True)),
        "user_permissions": [],
        "organisation": user.organisation_id or "",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "09:00:00",
        "_save": "Save",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def test_a_role_given_in_code_ends_both_sessions(officer, two_sessions):
    officer.groups.add(Group.objects.get(name="Scrutiny officer"))
    assert not any(signed_in(client) for client in two_sessions)


def test_a_role_taken_away_ends_both_sessions(officer, two_sessions):
    officer.groups.remove(Group.objects.get(name="Officer"))
    assert not any(signed_in(client) for client in two_sessions)


def test_roles_cleared_end_both_sessions(officer, two_sessions):
    officer.groups.clear()
    assert not any(signed_in(client) for client in two_sessions)


@pytest.mark.parametrize(
    ("flag", "value"), [("is_staff", True), ("is_superuser", True), ("is_active", False)]
)
def test_becoming_an_administrator_or_inactive_ends_both_sessions(
    officer, two_sessions, flag, value
):
    setattr(officer, flag, value)
    officer.save()
    assert not any(signed_in(client) for client in two_sessions)


def test_other_changes_leave_the_sessions_alone(officer, two_sessions):
    generation = officer.session_generation
    officer.first_name = "Olusegun"
    officer.save()
    officer.groups.add(Group.objects.get(name="Officer"))  # already has it: no change
    officer.groups.remove(Group.objects.get(name="Councillor"))  # never had it
    assert all(signed_in(client) for client in two_sessions)
    assert User.objects.get(pk=officer.pk).session_generation == generation


def test_signing_in_again_elsewhere_leaves_the_first_session_alone(client, councillor):
    elsewhere = Client()
    elsewhere.post("/sign-in/", {"username": "councillor", "password": "password"})
    client.post("/sign-in/", {"username": "councillor", "password": "password"})
    assert signed_in(client) and signed_in(elsewhere)


def test_a_role_changed_in_the_admin_ends_the_users_sessions_not_the_administrators(
    client, administrator, officer, two_sessions
):
    client.force_login(administrator)
    clerk_role = Group.objects.get(name="Scrutiny officer")

    response = client.post(
        f"/admin/reviews/user/{officer.pk}/change/",
        admin_change_form(officer, groups=[clerk_role.pk]),
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(User.objects.get(pk=officer.pk).groups.values_list("name", flat=True)) == [
        "Scrutiny officer"
    ]
    assert not any(signed_in(c) for c in two_sessions)
    assert signed_in(client)


def test_saving_a_user_in_the_admin_without_a_change_of_role_keeps_their_sessions(
    client, administrator, officer, two_sessions
):
    client.force_login(administrator)
    response = client.post(
        f"/admin/reviews/user/{officer.pk}/change/",
        admin_change_form(officer, first_name="Olusegun"),
    )
    assert response.status_code == 302
    assert all(signed_in(c) for c in two_sessions)


def test_an_administrator_changing_their_own_roles_stays_signed_in(client, administrator):
    elsewhere = Client()
    elsewhere.force_login(administrator)
    client.force_login(administrator)
    councillor_role = Group.objects.get(name="Councillor")
    response = client.post(
        f"/admin/reviews/user/{administrator.pk}/change/",
        admin_change_form(
            administrator, groups=[councillor_role.pk], is_staff="on", is_superuser="on"
        ),
    )
    assert response.status_code == 302
    assert signed_in(client)
    assert not signed_in(elsewhere)


def test_changing_the_password_on_the_account_page_ends_the_other_session_only(
    councillor,
):
    here, elsewhere = Client(), Client()
    for client in (here, elsewhere):
        client.post("/sign-in/", {"username": "councillor", "password": "password"})
        assert signed_in(client)

    response = here.post(
        "/account/password/",
        {
            "old_password": "password",
            "new_password1": "a long new pass phrase",
            "new_password2": "a long new pass phrase",
        },
    )

    assert response["Location"] == "/account/"
    assert "Your password is changed" in here.get("/account/").content.decode()
    assert signed_in(here)
    assert not signed_in(elsewhere)
    assert User.objects.get(pk=councillor.pk).check_password("a long new pass phrase")


def test_a_verified_session_stays_verified_after_a_password_change(clerk):
    give_authenticator(clerk)
    client = Client()
    client.post("/sign-in/", {"username": "clerk", "password": "password"})
    client.post("/sign-in/code/", {"code": authenticator_code()})
    response = client.post(
        "/account/password/",
        {
            "old_password": "password",
            "new_password1": "a long new pass phrase",
            "new_password2": "a long new pass phrase",
        },
    )
    assert response["Location"] == "/account/"
    assert signed_in(client)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Enter your current password"),
        (
            {"old_password": "wrong", "new_password1": "x" * 20, "new_password2": "x" * 20},
            "Your current password is not right",
        ),
        (
            {"old_password": "password", "new_password1": "a long new pass phrase"},
            "Enter the new password again",
        ),
        (
            {
                "old_password": "password",
                "new_password1": "a long new pass phrase",
                "new_password2": "another long pass phrase",
            },
            "The two new passwords do not match",
        ),
        (
            {"old_password": "password", "new_password1": "12345678", "new_password2": "12345678"},
            "This password is too common",
        ),
        (
            {"old_password": "x" * 10_000, "new_password1": "y" * 300, "new_password2": "y" * 300},
            "Passwords are 256 characters or fewer",
        ),
        (
            {"old_password": "pass\x00word", "new_password1": "a", "new_password2": "a"},
            "Null characters are not allowed",
        ),
    ],
)
def test_a_refused_password_change_says_why_and_changes_nothing(client, councillor, data, message):
    client.post("/sign-in/", {"username": "councillor", "password": "password"})
    response = client.post("/account/password/", data)
    content = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in content
    assert message in content
    assert User.objects.get(pk=councillor.pk).check_password("password")


def test_the_session_hash_includes_the_generation_and_honours_old_secret_keys(settings):
    user = make_user("someone")
    before = user.get_session_auth_hash()
    user.session_generation += 1
    assert user.get_session_auth_hash() != before

    old_key = settings.SECRET_KEY
    signed_with_old_key = user.get_session_auth_hash()
    settings.SECRET_KEY = "a-new-key-" + "x" * 50
    settings.SECRET_KEY_FALLBACKS = [old_key]
    assert user.get_session_auth_hash() != signed_with_old_key
    assert signed_with_old_key in list(user.get_session_auth_fallback_hash())
