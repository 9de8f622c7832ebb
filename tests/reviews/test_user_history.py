"""The user history keeps role (group) and permission changes with their values, and signing in
adds nothing to it."""

import pytest
from django.contrib.auth.models import Group, Permission

from scrutiny.history import history_of
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def group_names(history_row) -> list[str]:
    return sorted(row.group.name for row in history_row.groups.all())


def test_adding_a_role_records_the_groups_in_the_users_history():
    user = make_user("newcomer")
    user.groups.add(Group.objects.get(name="Officer"))

    newest = user.history.first()
    assert group_names(newest) == ["Officer"]
    assert group_names(user.history.last()) == []


def test_the_history_reads_which_role_was_taken_away_and_which_given():
    user = make_user("mover", role="Officer")
    user.groups.set([Group.objects.get(name="Scrutiny officer")])

    changes = [
        (change.label, change.old, change.new)
        for entry in history_of(user)
        for change in entry.changes
        if change.label.lower() == "groups"
    ]
    assert ("groups", "Officer", "") in [(label.lower(), old, new) for label, old, new in changes]
    assert any(new == "Scrutiny officer" for _, _, new in changes)


def test_a_permission_given_directly_is_recorded_with_its_value():
    user = make_user("special")
    permission = Permission.objects.get(codename="change_review")
    user.user_permissions.add(permission)

    newest = user.history.first()
    assert [row.permission for row in newest.user_permissions.all()] == [permission]


def test_signing_in_adds_no_history_row_but_still_records_the_sign_in(client):
    user = make_user("councillor", role="Councillor")
    rows_before = user.history.count()

    response = client.post("/sign-in/", {"username": "councillor", "password": "password"})

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.last_login is not None
    assert user.history.count() == rows_before


def test_changing_roles_in_the_admin_writes_one_row_with_the_roles_and_the_administrator(
    client, administrator
):
    user = make_user("officer", role="Officer", first_name="Olu", last_name="Officer")
    rows_before = user.history.count()
    client.force_login(administrator)
    clerk_role = Group.objects.get(name="Scrutiny officer")

    response = client.post(
        f"/admin/reviews/user/{user.pk}/change/",
        {
            "username": "officer",
            "first_name": "Olu",
            "last_name": "Officer",
            "email": "",
            "is_active": "on",
            "groups": [clerk_role.pk],
            "user_permissions": [],
            "organisation": "",
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "09:00:00",
            "_save": "Save",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert user.history.count() == rows_before + 1
    newest = user.history.first()
    assert newest.history_user == administrator
    assert group_names(newest) == ["Scrutiny officer"]


def test_the_admin_history_page_of_a_user_shows_the_role_change(client, administrator):
    user = make_user("officer", role="Officer")
    user.groups.set([Group.objects.get(name="Councillor")])
    client.force_login(administrator)

    page = client.get(f"/admin/reviews/user/{user.pk}/history/")

    assert page.status_code == 200
    content = page.content.decode()
    assert "Councillor" in content
