"""The pages of signing in with the council's identity provider, and of signing out of it.

The first two are mozilla-django-oidc's views with the endpoint from discovery and every failure
answered by a page that says what happened (never a 500 or a bare 400).
"""

import logging
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LogoutView
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.generic import View
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from . import oidc
from .sessions import PROVIDER, SIGN_IN_METHOD

logger = logging.getLogger(__name__)

# The ID token of a provider session just ended, kept in the signed-out visitor's new session
# for the provider's sign-out (id_token_hint).
SIGNED_OUT_HINT = "provider_signed_out_id_token"


def require_enabled() -> None:
    if not oidc.enabled():
        raise Http404("Signing in with an identity provider is not set up")


def problem(request, kind: str, status: int, reason: str = ""):
    """One page for everything that can stop a provider sign-in; `kind` picks its words."""
    return render(
        request,
        "sign_in/provider_problem.html",
        {"kind": kind, "reason": reason},
        status=status,
    )


class StartProviderSignIn(OIDCAuthenticationRequestView):
    """Send the browser to the provider with a fresh state, nonce and PKCE challenge."""

    def __init__(self, **kwargs):
        # The library reads the authorisation endpoint when the view is built; it comes from
        # discovery here, when get() can still answer a failure with a page.
        View.__init__(self, **kwargs)

    OIDC_OP_AUTH_ENDPOINT = property(lambda self: oidc.endpoint("authorization_endpoint"))
    OIDC_RP_CLIENT_ID = property(lambda self: settings.OIDC_CLIENT_ID)

    def get(self, request):
        require_enabled()
        try:
            oidc.discovery()
        except oidc.ProviderUnreachable as error:
            logger.warning("Identity provider unreachable at sign-in: %s", error)
            return problem(request, "unreachable", 503)
        return super().get(request)


class FinishProviderSignIn(OIDCAuthenticationCallbackView):
    """The provider sends the browser back here with a code (or an error) and the state."""

    user = None

    def get(self, request):
        require_enabled()
        if request.GET.get("error"):
            return self.provider_said_no(request)
        try:
            return super().get(request)
        except oidc.SignInRefused as refusal:
            return problem(request, "refused", 403, str(refusal))
        except SuspiciousOperation as error:
            # A state this browser was not given (tampered, replayed, or from another browser),
            # or an ID token whose nonce, signature, issuer or audience is wrong.
            logger.warning("Provider sign-in refused: %s", error)
            return problem(request, "unchecked", 400)
        except requests.HTTPError as error:
            if error.response is not None and error.response.status_code < 500:
                # The provider refused the code: used twice, expired, or the PKCE proof wrong.
                logger.warning("Provider refused the sign-in code: %s", error)
                return problem(request, "unchecked", 400)
            logger.warning("Identity provider failed during sign-in: %s", error)
            return problem(request, "unreachable", 502)
        except (oidc.ProviderUnreachable, requests.RequestException) as error:
            logger.warning("Identity provider unreachable during sign-in: %s", error)
            return problem(request, "unreachable", 502)

    def provider_said_no(self, request):
        states = request.session.get("oidc_states", {})
        if isinstance(states, dict) and states.pop(request.GET.get("state"), None) is not None:
            request.session.modified = True
        error = request.GET.get("error", "")
        logger.info(
            "Identity provider answered %s: %s", error, request.GET.get("error_description")
        )
        return problem(request, "cancelled" if error == "access_denied" else "provider_error", 400)

    def login_failure(self):
        if self.user is not None and not self.user.is_active:
            return problem(self.request, "inactive", 403)
        # No state in this session at all: it expired, or sign-in began in another browser.
        return problem(self.request, "unchecked", 400)

    def login_success(self):
        response = super().login_success()
        self.request.session[SIGN_IN_METHOD] = PROVIDER
        return response

    @property
    def success_url(self):
        if not oidc.has_access(self.user):
            return reverse("sign_in:show_no_access")
        return super().success_url


class SignOut(LogoutView):
    """Django's sign-out; someone who signed in through the provider then lands on a page that
    offers the provider's sign-out as well."""

    def post(self, request, *args, **kwargs):
        id_token = None
        if request.session.get(SIGN_IN_METHOD) == PROVIDER:
            id_token = request.session.get("oidc_id_token") or ""
        response = super().post(request, *args, **kwargs)
        if id_token is None or not oidc.enabled():
            return response
        request.session[SIGNED_OUT_HINT] = id_token
        return redirect("sign_in:show_signed_out")


@login_not_required
def show_signed_out(request):
    require_enabled()
    offered = SIGNED_OUT_HINT in request.session
    end_session, unreachable = None, False
    if offered:
        try:
            end_session = oidc.endpoint("end_session_endpoint")
        except oidc.ProviderUnreachable:
            unreachable = True
    return render(
        request,
        "sign_in/signed_out.html",
        {
            "offered": offered,
            "end_session": end_session,
            "unreachable": unreachable,
        },
    )


@login_not_required
def sign_out_of_provider(request):
    """To the provider's end_session_endpoint (RP-initiated logout), which sends the browser
    back to the signed-out page. A link, not a form: the Content Security Policy's form-action
    would stop a form's redirect to the provider."""
    require_enabled()
    try:
        end_session = oidc.endpoint("end_session_endpoint")
    except oidc.ProviderUnreachable:
        return problem(request, "unreachable", 503)
    # Used once: back from the provider, the signed-out page no longer offers its sign-out.
    id_token = request.session.pop(SIGNED_OUT_HINT, None)
    if id_token is None or not end_session:
        return redirect("sign_in:show_signed_out")
    parameters = {
        "client_id": settings.OIDC_CLIENT_ID,
        "post_logout_redirect_uri": request.build_absolute_uri(reverse("sign_in:show_signed_out")),
    }
    if id_token:
        parameters["id_token_hint"] = id_token
    separator = "&" if "?" in end_session else "?"
    return redirect(f"{end_session}{separator}{urlencode(parameters)}")


def show_no_access(request):
    """Where someone signed in without a role lands: whom to ask."""
    if oidc.has_access(request.user):
        return redirect("/")
    return render(request, "sign_in/no_access.html")
