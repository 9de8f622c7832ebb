"""Sessions signed in with a password that must have the second factor and have not."""

from django.contrib.auth import BACKEND_SESSION_KEY, logout
from django.shortcuts import redirect
from django.urls import reverse

from . import pending, second_factor
from .sessions import FACTOR_REQUIRED, PASSWORD, SIGN_IN_METHOD


class SecondFactorMiddleware:
    """A session signed in with a password whose user must use the second factor, but that no
    device verifies (the authenticator was reset by an administrator, say), is signed out and
    sent to the second step, as at sign-in.

    Only sessions marked as password sign-ins are looked at (not the identity provider's, nor
    sessions made before the second factor, which the session hash ended anyway). Whether the
    factor is required is decided at sign-in and kept in the session: it changes only with a
    role, and a change of role ends the session. So no query here beyond django-otp's reading
    of the session's device.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if (
            session is not None
            and session.get(SIGN_IN_METHOD) == PASSWORD
            and request.user.is_authenticated
            and not request.user.is_verified()
            and self._required(request)
            and request.path != reverse("logout")
        ):
            return self._back_to_second_step(request)
        return self.get_response(request)

    @staticmethod
    def _required(request) -> bool:
        user = request.user
        if user.is_staff or user.is_superuser:
            return True
        if FACTOR_REQUIRED not in request.session:
            request.session[FACTOR_REQUIRED] = second_factor.second_factor_required(user)
        return request.session[FACTOR_REQUIRED]

    @staticmethod
    def _back_to_second_step(request):
        user = request.user
        backend = request.session[BACKEND_SESSION_KEY]
        next_url = request.get_full_path() if request.method == "GET" else "/"
        logout(request)
        return redirect(pending.start(request, user, backend=backend, next_url=next_url))
