"""Signing in, and django-axes locking a username from an address after five failures.

These post to /sign-in/ as a browser does (axes needs the request), rather than `client.login`.
"""

import datetime
import logging

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth.hashers import make_password
from django.utils import timezone

import scrutiny.settings as deployed
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def sign_in(client, username="councillor", password="password", **extra):
    return client.post("/sign-in/", {"username": username, "password": password}, **extra)


def test_a_correct_password_signs_in(client, councillor):
    response = sign_in(client)
    assert response.status_code == 302
    assert client.get("/reviews/").status_code == 200


def test_a_wrong_password_is_explained_and_the_username_kept(client, councillor):
    response = sign_in(client, password="wrong")
    content = response.content.decode()
    assert response.status_code == 200
    assert "Enter a correct username and password" in content
    assert 'name="username" value="councillor"' in content


def test_a_username_longer_than_any_account_is_refused_before_anything_is_recorded(
    client, councillor
):
    # Found by the fuzz suite on PostgreSQL: the failure's record could not hold the name.
    response = sign_in(client, username="x" * 300)
    assert response.status_code == 200
    assert "Usernames are 150 characters or fewer" in response.content.decode()
    assert not AccessAttempt.objects.exists()


def test_five_failures_lock_the_username_from_that_address_for_15_minutes(
    client, councillor, caplog
):
    caplog.set_level(logging.WARNING, logger="axes")
    for _ in range(4):
        assert sign_in(client, password="wrong").status_code == 200

    locked = sign_in(client, password="wrong")

    assert locked.status_code == 429
    assert "Sign-in locked for 15 minutes" in locked.content.decode()
    assert any(
        record.name.startswith("axes") and "locking out" in record.getMessage().lower()
        for record in caplog.records
    )
    # Even the right password is refused while locked, and nobody is signed in.
    assert sign_in(client).status_code == 429
    assert client.get("/reviews/").status_code == 302
    assert AccessAttempt.objects.get(username="councillor").failures_since_start >= 5


def test_the_lock_is_for_that_username_from_that_address_only(client, councillor):
    make_user("other", role="Councillor")
    for _ in range(5):
        sign_in(client, password="wrong")
    assert sign_in(client, username="other").status_code == 302
    client.logout()
    assert sign_in(client, REMOTE_ADDR="192.0.2.7").status_code == 302


def test_the_lock_lifts_after_15_minutes(client, councillor):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(5):
            sign_in(client, password="wrong")
        assert sign_in(client).status_code == 429
    with time_machine.travel(start + datetime.timedelta(minutes=16), tick=False):
        assert sign_in(client).status_code == 302


def test_passwords_are_stored_with_argon2id_and_older_ones_upgraded_at_sign_in(
    client, settings, councillor
):
    # The tests hash with MD5 for speed; the deployed settings are what matter here.
    settings.PASSWORD_HASHERS = deployed.PASSWORD_HASHERS
    councillor.password = make_password("password", hasher="pbkdf2_sha256")
    councillor.save()

    assert sign_in(client).status_code == 302

    councillor.refresh_from_db()
    assert councillor.password.startswith("argon2$argon2id$")
