"""Hostile submissions to every form and POST address: never a server error, never a half change.

Each door is opened as the person who would use it. The form's fields are read from the page
itself, then Hypothesis sends at least 200 submissions of hostile, missing and genuine values. Each
submission runs in a savepoint that is rolled back afterwards, so every one meets the same world, and
a refused one that wrote anything must have left every table exactly as the world was before.
"""

import datetime
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tests.factories import authenticator_code, give_authenticator, tracker_csv, tracker_row

from .forms import read_form
from .hostile import AWKWARD, database_state, hostile_text, submissions, writes_recorded


@dataclass(frozen=True)
class Door:
    """A form: the page that shows it, where it sends, how, and who uses it."""

    name: str
    user: str | None
    page: Callable[[dict], str]
    action: Callable[[dict], str] | None = None  # defaults to the page itself
    method: str = "post"
    form: Callable[[dict], str] | None = None  # where the page's form sends, if not to `action`
    extra: tuple = ()  # fixed (name, value) pairs a button adds to every submission
    # Models a GET it answers with 200 may write: the record of a PDF being made is the cache's.
    may_write: tuple = ()

    def target(self, world) -> str:
        return (self.action or self.page)(world)


def _url(name, *keys):
    return lambda world: reverse(name, args=[world[key].pk for key in keys])


def _appendix_for_meeting(world) -> str:
    query = urlencode(
        {
            "as_at_day": 20,
            "as_at_month": 1,
            "as_at_year": 2025,
            "meeting": world["meeting"].pk,
            "number": 2,
        }
    )
    return reverse("recommendations:show_progress_report", args=[world["review"].pk]) + "?" + query


def _ask_preview(world) -> str:
    deadline = world["coming meeting"].date - datetime.timedelta(days=14)
    query = urlencode(
        {
            "meeting": world["coming meeting"].pk,
            "reviews": world["review"].pk,
            "deadline_day": deadline.day,
            "deadline_month": deadline.month,
            "deadline_year": deadline.year,
            "preview": "1",
        }
    )
    return reverse("recommendations:ask_for_updates") + "?" + query


PAGE_DOORS = [
    Door("sign in", None, lambda world: reverse("login")),
    Door("add a review", "clerk", _url("reviews:add_review")),
    Door("edit a review", "clerk", _url("reviews:edit_review", "review")),
    Door("add a recommendation", "clerk", _url("recommendations:add_recommendation", "review")),
    Door(
        "edit a recommendation",
        "clerk",
        _url("recommendations:edit_recommendation", "recommendation"),
    ),
    Door(
        "close a recommendation",
        "clerk",
        _url("recommendations:close_recommendation", "recommendation"),
    ),
    Door(
        "add a progress update (officer)",
        "officer",
        _url("recommendations:add_progress_update", "recommendation"),
    ),
    Door(
        "add a progress update (scrutiny officer)",
        "clerk",
        _url("recommendations:add_progress_update", "recommendation"),
    ),
    Door(
        "publish an appendix",
        "clerk",
        _appendix_for_meeting,
        action=_url("recommendations:publish_progress_report", "review"),
    ),
    Door(
        "choose an appendix",
        "councillor",
        _url("recommendations:show_progress_report", "review"),
        method="get",
    ),
    Door(
        "download an appendix",
        "councillor",
        _url("recommendations:show_progress_report", "review"),
        action=_url("recommendations:download_progress_report_pdf", "review"),
        method="get",
        form=_url("recommendations:show_progress_report", "review"),
        may_write=("recommendations.PdfJob",),
    ),
    Door(
        "choose whom to ask for updates",
        "clerk",
        _url("recommendations:ask_for_updates"),
        method="get",
        extra=(("preview", "1"),),
    ),
    Door(
        "send requests for updates",
        "clerk",
        _ask_preview,
        action=_url("recommendations:ask_for_updates"),
    ),
    Door(
        "send reminders now",
        "clerk",
        _url("recommendations:show_update_request", "update request"),
        action=_url("recommendations:send_update_request_reminders", "update request"),
    ),
    Door(
        "accept or return an update",
        "clerk",
        _url("recommendations:list_updates_to_check"),
        action=_url("recommendations:decide_update", "submitted update"),
    ),
    Door("add a meeting", "clerk", _url("recommendations:add_meeting", "committee")),
    Door("edit a meeting", "clerk", _url("recommendations:edit_meeting", "meeting")),
    Door(
        "add a work programme item",
        "clerk",
        _url("recommendations:add_work_programme_item", "meeting"),
    ),
    Door(
        "edit a work programme item",
        "clerk",
        _url("recommendations:edit_work_programme_item", "item"),
    ),
    Door(
        "remove a work programme item",
        "clerk",
        _url("recommendations:remove_work_programme_item", "item"),
    ),
    Door(
        "make a review public or private",
        "clerk",
        _url("recommendations:show_review", "review"),
        action=_url("reviews:set_review_public", "review"),
    ),
    Door("search the public record", None, lambda world: reverse("public:search"), method="get"),
    Door("filter the register", "councillor", _url("recommendations:show_register"), method="get"),
    Door("set up an authenticator app", "councillor", _url("account:set_up_authenticator")),
    Door("change your password", "councillor", _url("account:change_password")),
]


# django-axes's records of sign-in attempts are read-only in the admin: nothing to submit.
ADMIN_APPS_NOT_OURS = {"axes"}


def _admin_doors() -> list[Door]:
    doors = []
    for model in sorted(admin.site._registry, key=lambda model: model._meta.label):
        if model._meta.app_label in ADMIN_APPS_NOT_OURS:
            continue
        info = (model._meta.app_label, model._meta.model_name)
        label = model._meta.verbose_name
        doors.append(
            Door(f"admin: add {label}", "administrator", _admin_add(info)),
        )
        doors.append(Door(f"admin: change {label}", "administrator", _admin_change(model, info)))
    return doors


def _admin_add(info):
    return lambda world: reverse("admin:{}_{}_add".format(*info))


def _admin_change(model, info):
    def url(world):
        instance = model._base_manager.order_by("pk").first()
        if instance is None:
            pytest.skip(f"no {model._meta.verbose_name} in the world to change")
        return reverse("admin:{}_{}_change".format(*info), args=[instance.pk])

    return url


DOORS = PAGE_DOORS + _admin_doors()


def _attempt(client, door: Door, url: str, data: dict, world_state: dict):
    """Send one submission; it must answer below 500 and, if refused, change nothing."""
    with transaction.atomic(), writes_recorded() as writes:
        send = client.get if door.method == "get" else client.post
        response = send(url, data)
        assert response.status_code < 500, (response.status_code, data)
        refused = door.method == "get" or response.status_code != 302
        if refused and writes:
            state, expected = database_state(), world_state
            if response.status_code == 200 and door.may_write:
                state = {k: v for k, v in state.items() if k not in door.may_write}
                expected = {k: v for k, v in expected.items() if k not in door.may_write}
            assert state == expected, (
                f"refused with {response.status_code} after writing {writes}: {data!r}"
            )
        transaction.set_rollback(True)


@pytest.mark.parametrize("door", DOORS, ids=lambda door: door.name)
def test_no_submission_to_a_form_fails_and_a_refused_one_changes_nothing(door, world, client):
    if door.user:
        client.force_login(world[door.user])
    page = client.get(door.page(world))
    admin_offers_none = door.name.startswith("admin") and page.status_code == 403
    if admin_offers_none:
        pytest.skip("the admin offers this form to nobody (a read-only record)")
    assert page.status_code == 200, f"{door.name}: the form's page answered {page.status_code}"
    action = door.target(world)
    sends_to = (door.form or door.action or door.page)(world).split("?")[0]
    fields = read_form(page.content.decode(), action=sends_to, method=door.method)
    if not fields and door.name.startswith("admin"):
        pytest.skip("the admin shows this record read-only: no form to submit")
    assert fields or door.extra or door.method == "post", f"{door.name}: no form on its page"

    world_state = database_state()

    @given(data=submissions(fields))
    def try_one(data):
        _attempt(client, door, action, {**data, **dict(door.extra)}, world_state)

    try_one()


# A tracker file: the upload form's one field is a file, so the file itself is what is fuzzed.
_GOOD_CSV = tracker_csv(tracker_row())
file_names = st.one_of(
    st.sampled_from(["tracker.csv", "tracker.xlsx", "TRACKER.CSV", "tracker.xlsx.exe", "x"]),
    # Any name a browser could send; one with no file name left (such as "/") is dropped by
    # Django's upload parser before any view sees it, and the test client cannot send it at all.
    st.text(min_size=1, max_size=40).filter(
        lambda name: "\x00" not in name and os.path.basename(name) not in {"", ".", ".."}
    ),
)
file_contents = st.one_of(
    st.binary(max_size=4_000),
    st.just(_GOOD_CSV),
    st.builds(lambda cut: _GOOD_CSV[:cut], st.integers(0, len(_GOOD_CSV))),
    st.text(max_size=2_000).map(lambda text: text.encode("utf-8", "surrogatepass")),
    st.sampled_from([value.encode("utf-8", "surrogatepass") for value in AWKWARD]),
    st.just(b"PK\x03\x04" + b"\x00" * 200),
)


def test_no_tracker_file_upload_fails_and_a_refused_one_changes_nothing(world, client):
    client.force_login(world["clerk"])
    door = Door("upload a tracker", "clerk", _url("recommendations:upload_tracker"))
    url = door.page(world)
    world_state = database_state()

    @given(name=file_names, content=file_contents)
    def try_one(name, content):
        _attempt(client, door, url, {"file": SimpleUploadedFile(name, content)}, world_state)

    try_one()


tokens = st.one_of(st.from_regex(r"[-a-zA-Z0-9_]{1,80}", fullmatch=True), st.sampled_from(["0"]))


def test_no_made_up_import_token_fails_or_changes_anything(world, client):
    client.force_login(world["clerk"])
    world_state = database_state()

    @given(token=tokens, data=st.dictionaries(st.text(max_size=10), st.sampled_from(AWKWARD)))
    def try_one(token, data):
        for name, method in (("preview_tracker_import", "get"), ("confirm_tracker_import", "post")):
            url = reverse(f"recommendations:{name}", args=[token])
            door = Door(name, "clerk", lambda world, url=url: url, method=method)
            _attempt(client, door, url, data if method == "post" else {}, world_state)

    try_one()


def test_the_harness_notices_a_submission_that_changed_something(world):
    """The check every door relies on: a write is recorded, and the changed row is seen."""
    world_state = database_state()
    with transaction.atomic(), writes_recorded() as writes:
        world["committee"].name = "Renamed behind the form's back"
        world["committee"].save()
        assert "reviews_committee" in writes
        assert database_state() != world_state
        transaction.set_rollback(True)
    assert database_state() == world_state


def test_no_code_at_the_second_step_fails_or_signs_in_by_chance(world, client, settings):
    """The code page is reached only halfway through a sign-in, so the door above cannot open
    it: hostile codes, and codes in every shape, from the scrutiny officer's pending sign-in."""
    # The lock-out and the device's throttle would soon stop every submission before the check.
    settings.AXES_FAILURE_LIMIT = 10**9
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0
    give_authenticator(world["clerk"])
    world["clerk"].set_password("password")
    world["clerk"].save()
    response = client.post(reverse("login"), {"username": "clerk", "password": "password"})
    assert response["Location"] == reverse("account:enter_sign_in_code")
    door = Door("enter a sign-in code", None, _url("account:enter_sign_in_code"))
    url = door.page(world)
    world_state = database_state()
    codes = st.one_of(
        hostile_text,
        st.from_regex(r"[0-9 \-]{0,12}", fullmatch=True),
        st.from_regex(r"[a-zA-Z2-7 ]{6,12}", fullmatch=True),
    )

    @given(code=codes)
    def try_one(code):
        with transaction.atomic():
            response = client.post(url, {"code": code})
            assert response.status_code < 500, (response.status_code, code)
            if response.status_code != 200:
                # Only the app's own code, should Hypothesis happen on it, signs in.
                current = {authenticator_code(steps_ahead=step) for step in (-1, 0, 1)}
                assert re.sub(r"[\s-]", "", code) in current, (response.status_code, code)
            transaction.set_rollback(True)

    try_one()
    assert database_state() == world_state
