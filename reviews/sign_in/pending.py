"""A sign-in halfway through: the password was right, the second step is still to come.

Nobody is signed in yet. The session holds whose password it was, the backend that checked it,
where to go afterwards and until when the second step may be taken; nothing else in the
application reads it, so a pending person sees only the sign-in pages.
"""

import time

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.shortcuts import redirect
from django.urls import reverse

from . import second_factor

PENDING = "sign_in_pending"
# Long enough to find a phone; a set-up (install an app, scan, type) gets longer.
CODE_SECONDS = 5 * 60
SET_UP_SECONDS = 15 * 60


def start(request, user, *, backend: str, next_url: str) -> str:
    """Remember the password step and return the address of the step to take next."""
    setting_up = second_factor.authenticator_of(user) is None
    # A new session key, as a sign-in would give: a key seen before the password is worth nothing.
    request.session.cycle_key()
    request.session[PENDING] = {
        "user": user.pk,
        "backend": backend,
        "next": next_url,
        "until": time.time() + (SET_UP_SECONDS if setting_up else CODE_SECONDS),
    }
    if setting_up:
        return reverse("account:set_up_authenticator_to_sign_in")
    return reverse("account:enter_sign_in_code")


def pending_user(request):
    """The user whose second step this is, or None when there is none or its time is up."""
    pending = request.session.get(PENDING)
    if not isinstance(pending, dict) or time.time() > pending.get("until", 0):
        return None
    user = get_user_model().objects.filter(pk=pending.get("user"), is_active=True).first()
    if user is not None:
        user.backend = pending["backend"]
    return user


def next_url(request) -> str:
    return request.session.get(PENDING, {}).get("next") or "/"


def finish(request) -> None:
    request.session.pop(PENDING, None)


def start_again(request):
    """The answer when the second step is asked for with no password step, or too late."""
    had_one = PENDING in request.session
    finish(request)
    if had_one:
        messages.error(
            request,
            "Your sign-in timed out before it was finished. Sign in again with your username "
            "and password.",
        )
    return redirect("login")
