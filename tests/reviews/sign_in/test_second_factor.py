"""The second factor for password sign-ins: who must use it, setting it up, codes and recovery
codes, and the lock-out. Everything goes through the pages, as a browser would."""

import datetime
import re
from base64 import b32decode

import pytest
import time_machine
from axes.models import AccessAttempt
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import authenticator_code, give_authenticator, make_user

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 3, 2, 9, 0, 5, tzinfo=datetime.UTC)


@pytest.fixture
def now():
    """A fixed moment, 5 seconds into a 30-second step; `now.shift(seconds)` moves it on."""
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def password(client, username, password="password", next_url=None):
    data = {"username": username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post("/sign-in/", data)


def code(client, value):
    return client.post("/sign-in/code/", {"code": value})


def signed_in(client) -> bool:
    response = client.get("/reviews/")
    return response.status_code == 200


def recovery_codes(client) -> list[str]:
    page = client.get("/account/recovery-codes/").content.decode()
    return re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page)


def set_up_secret(page: str) -> str:
    """The key the set-up page shows as text, as the hex django-otp keeps."""
    text = re.search(r'id="authenticator-key">([A-Z2-7 ]+)<', page)[1].replace(" ", "")
    return b32decode(text).hex()


# Who is asked -------------------------------------------------------------------------------


def test_a_councillor_without_an_authenticator_signs_in_with_the_password_alone(client, councillor):
    assert password(client, "councillor")["Location"] == "/"
    assert signed_in(client)
    assert client.session["sign_in_method"] == "password"


@pytest.mark.parametrize("persona", ["clerk", "administrator"])
def test_scrutiny_officers_and_administrators_must_set_one_up_first(request, client, persona):
    user = request.getfixturevalue(persona)
    response = password(client, user.username)
    assert response["Location"] == "/sign-in/set-up-authenticator/"
    assert not signed_in(client)


def test_a_staff_member_without_a_group_must_too(client):
    make_user("staff", is_staff=True)
    assert password(client, "staff")["Location"] == "/sign-in/set-up-authenticator/"


def test_a_required_user_who_has_set_it_up_is_asked_for_a_code(client, clerk):
    give_authenticator(clerk)
    assert password(client, "clerk")["Location"] == "/sign-in/code/"
    assert not signed_in(client)


def test_pending_people_see_nothing_else_and_stay_signed_out(client, clerk, review_page_urls):
    password(client, "clerk")
    for url in review_page_urls:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/sign-in/?next=")
    assert client.get("/admin/")["Location"] == "/admin/login/?next=/admin/"
    # The admin's own sign-in sends them to ours, where they start again.
    response = client.get("/admin/login/?next=/admin/")
    assert response["Location"] == "/sign-in/?next=/admin/"


@pytest.fixture
def review_page_urls():
    return ["/", "/reviews/", "/register/", "/account/", "/account/authenticator/set-up/"]


# Setting up ---------------------------------------------------------------------------------


def test_set_up_shows_the_qr_code_and_the_key_as_text(client, clerk, now):
    password(client, "clerk")
    page = client.get("/sign-in/set-up-authenticator/").content.decode()
    assert "<svg" in page and 'aria-label="QR code to scan with your authenticator app"' in page
    assert re.search(r'id="authenticator-key">[A-Z2-7]{4}( [A-Z2-7]{4}){7}<', page)
    # The same key on every visit until it is confirmed, and nothing stored yet.
    assert set_up_secret(client.get("/sign-in/set-up-authenticator/").content.decode()) == (
        set_up_secret(page)
    )
    assert not TOTPDevice.objects.exists()


def test_a_wrong_confirmation_code_is_refused_and_sets_up_nothing(client, clerk, now):
    password(client, "clerk")
    client.get("/sign-in/set-up-authenticator/")
    response = client.post("/sign-in/set-up-authenticator/", {"code": "000000"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in content
    assert "The code is not right. Check that the app has this account" in content
    assert 'class="govuk-input govuk-input--width-10 govuk-input--error"' in content
    assert not TOTPDevice.objects.exists()
    assert not signed_in(client)


def test_the_right_code_sets_it_up_signs_in_and_shows_recovery_codes_once(client, clerk, now):
    password(client, "clerk", next_url="/register/")
    secret = set_up_secret(client.get("/sign-in/set-up-authenticator/").content.decode())

    response = client.post("/sign-in/set-up-authenticator/", {"code": authenticator_code(secret)})

    assert response["Location"] == "/account/recovery-codes/"
    device = TOTPDevice.objects.get(user=clerk)
    assert device.confirmed and device.key == secret
    codes = recovery_codes(client)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert sorted(codes) == sorted(
        StaticToken.objects.filter(device__user=clerk).values_list("token", flat=True)
    )
    # Shown once: a second visit has nothing to show.
    again = client.get("/account/recovery-codes/", follow=True).content.decode()
    assert "Recovery codes are shown only once" in again
    assert not set(codes) & set(re.findall(r"[a-z2-7]{8}", again))
    assert signed_in(client)
    assert client.session["sign_in_method"] == "password"
    assert client.session["otp_device_id"] == device.persistent_id


def test_the_recovery_codes_page_continues_to_where_they_were_going(client, clerk, now):
    password(client, "clerk", next_url="/register/")
    secret = set_up_secret(client.get("/sign-in/set-up-authenticator/").content.decode())
    client.post("/sign-in/set-up-authenticator/", {"code": authenticator_code(secret)})
    assert 'href="/register/"' in client.get("/account/recovery-codes/").content.decode()


def test_the_code_that_confirmed_the_set_up_cannot_sign_in_again(client, clerk, now):
    password(client, "clerk")
    secret = set_up_secret(client.get("/sign-in/set-up-authenticator/").content.decode())
    used = authenticator_code(secret)
    client.post("/sign-in/set-up-authenticator/", {"code": used})
    client.post("/sign-out/")
    password(client, "clerk")
    response = code(client, used)
    assert "That code has already been used" in response.content.decode()
    assert not signed_in(client)


def test_one_persons_unfinished_set_up_key_is_never_shown_to_the_next(client, clerk, now):
    make_user("clerk2", role="Scrutiny officer")
    password(client, "clerk")
    first = set_up_secret(client.get("/sign-in/set-up-authenticator/").content.decode())
    password(client, "clerk2")
    second = set_up_secret(client.get("/sign-in/set-up-authenticator/").content.decode())
    assert first != second


# Codes at sign-in ---------------------------------------------------------------------------


@pytest.fixture
def enrolled_clerk(clerk):
    give_authenticator(clerk)
    return clerk


def test_the_right_code_signs_in_to_where_they_were_going(client, enrolled_clerk, now):
    password(client, "clerk", next_url="/register/")
    response = code(client, authenticator_code())
    assert response["Location"] == "/register/"
    assert signed_in(client)
    device = TOTPDevice.objects.get(user=enrolled_clerk)
    assert client.session["otp_device_id"] == device.persistent_id
    assert "sign_in_pending" not in client.session


def test_a_code_from_the_step_before_or_after_is_accepted(client, enrolled_clerk, now):
    password(client, "clerk")
    assert code(client, authenticator_code(steps_ahead=-1)).status_code == 302


def test_a_code_two_steps_old_is_refused(client, enrolled_clerk, now):
    password(client, "clerk")
    response = code(client, authenticator_code(steps_ahead=-2))
    assert "The code is not right or has expired" in response.content.decode()
    assert not signed_in(client)


def test_a_wrong_code_is_explained_and_counts_as_a_failed_sign_in(client, enrolled_clerk, now):
    password(client, "clerk")
    response = code(client, "123456" if authenticator_code() != "123456" else "654321")
    content = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in content
    assert '<a href="#id_code">The code is not right or has expired' in content
    assert 'id="id_code_error"' in content
    assert not signed_in(client)
    attempt = AccessAttempt.objects.get(username="clerk")
    assert attempt.failures_since_start == 1
    assert attempt.path_info == "/sign-in/code/"
    assert "code=****" in attempt.post_data


def test_a_code_used_once_is_refused_the_second_time_in_the_same_step(client, enrolled_clerk, now):
    current = authenticator_code()
    password(client, "clerk")
    assert code(client, current).status_code == 302
    client.post("/sign-out/")
    password(client, "clerk")
    response = code(client, current)
    assert "That code has already been used" in response.content.decode()
    assert not signed_in(client)
    # The next step's code works.
    now.shift(30)
    assert code(client, authenticator_code()).status_code == 302


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "Enter the 6-digit code from your authenticator app, or one of your recovery codes"),
        ("12345", "Enter the 6-digit code from your authenticator app: it has 6 digits"),
        ("1234567", "Enter the 6-digit code from your authenticator app: it has 6 digits"),
        ("12a456", "or a recovery code of 8 letters and numbers"),
        ("١٢٣٤٥٦", "or a recovery code of 8 letters and numbers"),
        ("12\x0034", "Null characters are not allowed"),
        ("9" * 5000, "Enter the 6-digit code from your authenticator app, or one of your"),
        ("'; drop table --", "or a recovery code of 8 letters and numbers"),
    ],
)
def test_a_code_that_cannot_be_one_is_explained_and_not_counted(
    client, enrolled_clerk, now, value, message
):
    password(client, "clerk")
    response = code(client, value)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not AccessAttempt.objects.exists()
    assert not signed_in(client)


def test_spaces_in_a_code_are_ignored(client, enrolled_clerk, now):
    current = authenticator_code()
    password(client, "clerk")
    assert code(client, f" {current[:3]} {current[3:]} ").status_code == 302


def test_quick_repeated_guesses_are_throttled_by_the_device(client, enrolled_clerk, now):
    password(client, "clerk")
    code(client, "000000" if authenticator_code() != "000000" else "111111")
    response = code(client, authenticator_code())
    assert "You have entered too many wrong codes. Wait 1 second, then try again" in (
        response.content.decode()
    )
    now.shift(1)
    assert code(client, authenticator_code()).status_code == 302


def test_five_wrong_codes_lock_out_and_then_the_right_code_does_not_get_in(
    client, enrolled_clerk, now
):
    wrong = "000000" if authenticator_code() != "000000" else "111111"
    password(client, "clerk")
    for attempt in range(4):
        assert code(client, wrong).status_code == 200
        now.shift(2**attempt)  # past django-otp's own throttle: axes is under test here

    locked = code(client, wrong)

    assert locked.status_code == 429
    assert "Sign-in locked for 15 minutes" in locked.content.decode()
    now.shift(60)
    right = code(client, authenticator_code())
    assert right.status_code == 429
    assert not signed_in(client)
    # The password step is locked too, for that username from that address.
    assert password(client, "clerk").status_code == 429


def test_a_right_code_clears_earlier_failures(client, enrolled_clerk, now):
    password(client, "clerk")
    code(client, "000000" if authenticator_code() != "000000" else "111111")
    now.shift(2)
    assert code(client, authenticator_code()).status_code == 302
    assert not AccessAttempt.objects.filter(username="clerk").exists()


def test_the_second_step_times_out_after_five_minutes(client, enrolled_clerk, now):
    password(client, "clerk")
    now.shift(5 * 60 + 1)
    response = code(client, authenticator_code())
    assert response["Location"] == "/sign-in/"
    page = client.get("/sign-in/").content.decode()
    assert "Your sign-in timed out before it was finished" in page
    assert not signed_in(client)


def test_the_code_page_without_a_password_step_goes_back_to_sign_in(client):
    assert client.get("/sign-in/code/")["Location"] == "/sign-in/"
    assert client.post("/sign-in/code/", {"code": "123456"})["Location"] == "/sign-in/"
    assert client.get("/sign-in/set-up-authenticator/")["Location"] == "/sign-in/"


# Recovery codes -----------------------------------------------------------------------------


@pytest.fixture
def clerk_with_codes(client, clerk, now):
    """The clerk, set up through the pages; returns their recovery codes."""
    password(client, "clerk")
    secret = set_up_secret(client.get("/sign-in/set-up-authenticator/").content.decode())
    client.post("/sign-in/set-up-authenticator/", {"code": authenticator_code(secret)})
    codes = recovery_codes(client)
    client.post("/sign-out/")
    return codes


def test_a_recovery_code_signs_in_once(client, clerk_with_codes, now):
    first = clerk_with_codes[0]
    password(client, "clerk")
    # Typed in capitals with a space: still the code.
    assert code(client, f"{first[:4].upper()} {first[4:]}").status_code == 302
    assert signed_in(client)
    client.post("/sign-out/")

    now.shift(5)
    password(client, "clerk")
    response = code(client, first)
    assert "That recovery code is not right or has already been used" in response.content.decode()
    assert not signed_in(client)
    now.shift(5)
    assert code(client, clerk_with_codes[1]).status_code == 302


def test_new_recovery_codes_replace_the_old_ones(client, clerk, clerk_with_codes, now):
    password(client, "clerk")
    code(client, clerk_with_codes[0])
    assert "You have 9 recovery codes left" in client.get("/account/").content.decode()

    response = client.post("/account/recovery-codes/new/")

    assert response["Location"] == "/account/recovery-codes/"
    new = recovery_codes(client)
    assert len(new) == 10 and not set(new) & set(clerk_with_codes)
    client.post("/sign-out/")
    now.shift(5)
    password(client, "clerk")
    assert (
        "not right or has already been used" in code(client, clerk_with_codes[1]).content.decode()
    )
    now.shift(5)
    assert code(client, new[0]).status_code == 302


# Offered to everyone else -------------------------------------------------------------------


def test_a_councillor_is_offered_it_on_their_account_page_and_it_then_applies(
    client, councillor, now
):
    password(client, "councillor")
    account = client.get("/account/").content.decode()
    assert "You sign in with your password alone" in account
    assert 'href="/account/authenticator/set-up/"' in account

    page = client.get("/account/authenticator/set-up/").content.decode()
    secret = set_up_secret(page)
    response = client.post("/account/authenticator/set-up/", {"code": authenticator_code(secret)})
    assert response["Location"] == "/account/recovery-codes/"
    assert len(recovery_codes(client)) == 10
    assert "You have 10 recovery codes left" in client.get("/account/").content.decode()
    client.post("/sign-out/")

    now.shift(30)
    assert password(client, "councillor")["Location"] == "/sign-in/code/"
    assert not signed_in(client)
    assert code(client, authenticator_code(secret)).status_code == 302
    assert signed_in(client)


def test_a_councillor_may_remove_it_and_signs_in_with_the_password_again(client, councillor, now):
    give_authenticator(councillor)
    password(client, "councillor")
    code(client, authenticator_code())
    assert "Remove authenticator app" in client.get("/account/").content.decode()
    assert client.get("/account/authenticator/remove/").status_code == 200

    assert client.post("/account/authenticator/remove/")["Location"] == "/account/"

    assert not TOTPDevice.objects.filter(user=councillor).exists()
    client.post("/sign-out/")
    assert password(client, "councillor")["Location"] == "/"


def test_a_required_user_cannot_remove_theirs(client, enrolled_clerk, now):
    password(client, "clerk")
    code(client, authenticator_code())
    assert "Remove authenticator app" not in client.get("/account/").content.decode()
    response = client.post("/account/authenticator/remove/")
    assert response.status_code == 403
    assert b"must keep an authenticator app" in response.content
    assert TOTPDevice.objects.filter(user=enrolled_clerk).exists()


def test_a_wrong_code_when_setting_up_from_the_account_page_sets_up_nothing(
    client, councillor, now
):
    password(client, "councillor")
    client.get("/account/authenticator/set-up/")
    response = client.post("/account/authenticator/set-up/", {"code": "abc"})
    assert "Enter the 6-digit code from your authenticator app" in response.content.decode()
    assert not TOTPDevice.objects.exists()


# Sessions from before, and the admin --------------------------------------------------------


def test_a_password_session_whose_authenticator_was_reset_goes_back_to_set_up(
    client, enrolled_clerk, now
):
    password(client, "clerk", next_url="/register/")
    code(client, authenticator_code())
    assert signed_in(client)

    # An administrator resets the lost authenticator.
    TOTPDevice.objects.filter(user=enrolled_clerk).delete()

    response = client.get("/register/")
    assert response["Location"] == "/sign-in/set-up-authenticator/"
    assert not signed_in(client)


def test_a_session_made_without_the_password_form_is_left_alone(client, clerk):
    client.force_login(clerk)
    assert signed_in(client)


def test_the_admin_sign_in_page_sends_everyone_to_ours(client, administrator, councillor):
    response = client.get("/admin/login/?next=/admin/reviews/")
    assert response["Location"] == "/sign-in/?next=/admin/reviews/"
    assert client.post("/admin/login/", {"username": "administrator", "password": "password"})[
        "Location"
    ].startswith("/sign-in/")
    assert not signed_in(client)
    client.force_login(councillor)
    assert client.get("/admin/login/").status_code == 403
    client.force_login(administrator)
    assert client.get("/admin/login/")["Location"] == "/admin/"


def test_an_administrator_reaches_the_admin_only_through_both_steps(client, administrator, now):
    give_authenticator(administrator)
    response = client.get("/admin/")
    assert response["Location"].startswith("/admin/login/")
    response = client.get(response["Location"])
    assert response["Location"] == "/sign-in/?next=/admin/"
    assert password(client, "administrator", next_url="/admin/")["Location"] == "/sign-in/code/"
    assert client.get("/admin/").status_code == 302
    assert code(client, authenticator_code())["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_next_address_elsewhere_is_not_followed(client, enrolled_clerk, now):
    password(client, "clerk", next_url="https://evil.example/")
    assert code(client, authenticator_code())["Location"] == "/"


def test_the_time_in_the_session_is_what_counts_not_the_clock_of_the_request(client, clerk):
    # Pending state carries its own deadline: a session older than it is refused whatever else.
    with time_machine.travel(START, tick=False):
        password(client, "clerk")
    with time_machine.travel(START + datetime.timedelta(minutes=16), tick=False):
        assert client.get("/sign-in/set-up-authenticator/")["Location"] == "/sign-in/"
    assert timezone.now() > START


def test_an_administrator_resets_a_lost_authenticator_from_the_users_list(
    client, administrator, enrolled_clerk, councillor, now
):
    give_authenticator(councillor)
    client.force_login(administrator)
    response = client.post(
        "/admin/reviews/user/",
        {"action": "reset_second_factor", "_selected_action": [enrolled_clerk.pk]},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=enrolled_clerk).exists()
    assert TOTPDevice.objects.filter(user=councillor).exists()
    client.post("/admin/logout/")
    assert password(client, "clerk")["Location"] == "/sign-in/set-up-authenticator/"


def test_the_second_factor_adds_no_query_to_a_page_for_someone_without_it(client, councillor):
    def queries_for_a_page():
        client.get("/reviews/")  # the first page after signing in may refresh the session
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/reviews/").status_code == 200
        return len(queries)

    client.force_login(councillor)
    without_the_middlewares_marker = queries_for_a_page()
    client.post("/sign-out/")
    password(client, "councillor")
    assert client.session["sign_in_method"] == "password"
    assert queries_for_a_page() == without_the_middlewares_marker
