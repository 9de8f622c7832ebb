"""Signing in with a password and, where it applies, the second step: a code, or setting up an
authenticator app first. Only after the second step is anyone signed in."""

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.views import LoginView, redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from scrutiny.forms import SignInForm

from . import pending, second_factor
from .second_factor_forms import SetUpAuthenticatorForm, SignInCodeForm
from .sessions import FACTOR_REQUIRED, PASSWORD, SIGN_IN_METHOD

SECRET = "authenticator_secret"
RECOVERY_CODES = "recovery_codes_to_show"


class SignInView(LoginView):
    """The password form. A right password signs in at once, or starts the second step."""

    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if second_factor.asks_for_second_step(user):
            return redirect(
                pending.start(
                    self.request, user, backend=user.backend, next_url=self.get_success_url()
                )
            )
        response = super().form_valid(form)
        self.request.session[SIGN_IN_METHOD] = PASSWORD
        self.request.session[FACTOR_REQUIRED] = False
        return response


@login_not_required
def sign_in_to_admin(request):
    """The admin's own sign-in page, replaced: everyone signs in through /sign-in/, so nobody
    reaches the admin without the second factor."""
    next_url = request.GET.get("next") or reverse("admin:index")
    if not request.user.is_authenticated:
        return redirect_to_login(next_url)
    if request.user.is_active and request.user.is_staff:
        return redirect(reverse("admin:index"))
    raise PermissionDenied("Only an administrator can use the admin.")


def finish_sign_in(request, user, device):
    """Sign `user` in, recording the device of the second step in the session."""
    next_url = pending.next_url(request)
    backend = user.backend
    pending.finish(request)
    login(request, user, backend=backend)
    if device is not None:
        otp_login(request, device)
    request.session[SIGN_IN_METHOD] = PASSWORD
    request.session[FACTOR_REQUIRED] = second_factor.second_factor_required(user)
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    return next_url


def _credentials(user) -> dict:
    return {"username": user.get_username()}


@login_not_required
@require_http_methods(["GET", "POST"])
def enter_sign_in_code(request):
    user = pending.pending_user(request)
    if user is None:
        return pending.start_again(request)
    if second_factor.authenticator_of(user) is None:
        # Removed since the password step (by an administrator, say).
        if second_factor.second_factor_required(user):
            return redirect("account:set_up_authenticator_to_sign_in")
        return redirect(finish_sign_in(request, user, None))
    # The same lock-out as the password step: five failures for this username from this address.
    if not AxesProxyHandler.is_allowed(request, _credentials(user)):
        return get_lockout_response(request, None, _credentials(user))
    form = SignInCodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        kind, code = form.cleaned_data["code"]
        outcome = second_factor.check_code(user, kind, code)
        if outcome.device is not None:
            return redirect(finish_sign_in(request, user, outcome.device))
        form.add_error("code", outcome.problem)
        if outcome.failed:
            # django-axes records it as a failed sign-in; at the limit it answers with the
            # locked-out page instead of this one (its middleware, request.axes_locked_out).
            user_login_failed.send(__name__, credentials=_credentials(user), request=request)
    return render(request, "sign_in/enter_code.html", {"form": form})


def authenticator_set_up(request, user, *, action: str):
    """The set-up page for `user`: the QR code and the secret as text, and the code that proves
    the app has it. Returns (response, None) to show the page, or (None, recovery codes)."""
    # The secret waits in the session, for this user only, until a code proves the app has it.
    kept = request.session.get(SECRET)
    if isinstance(kept, dict) and kept.get("user") == user.pk:
        secret = kept["secret"]
    else:
        secret = second_factor.new_secret()
        request.session[SECRET] = {"user": user.pk, "secret": secret}
    form = SetUpAuthenticatorForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        step = second_factor.code_matches_new_secret(secret, form.cleaned_data["code"])
        if step is not None:
            del request.session[SECRET]
            return None, second_factor.set_up_authenticator(user, secret, step)
        form.add_error(
            "code",
            "The code is not right. Check that the app has this account (scan the QR code or "
            "type the key again), then enter the code it shows now",
        )
    url = second_factor.set_up_url(user, secret)
    context = {
        "form": form,
        "action": action,
        "qr_code": second_factor.qr_code_svg(url),
        "secret": second_factor.secret_as_text(secret),
        "account_name": user.get_username(),
        "required": second_factor.second_factor_required(user),
    }
    return render(request, "sign_in/set_up_authenticator.html", context), None


def show_recovery_codes_next(request, codes: list[str], next_url: str):
    """Keep the new codes for the one page that shows them, then go there."""
    request.session[RECOVERY_CODES] = {"codes": codes, "next": next_url}
    return redirect("account:show_recovery_codes")


@login_not_required
@require_http_methods(["GET", "POST"])
def set_up_authenticator_to_sign_in(request):
    user = pending.pending_user(request)
    if user is None:
        return pending.start_again(request)
    if second_factor.authenticator_of(user) is not None:
        return redirect("account:enter_sign_in_code")
    response, codes = authenticator_set_up(
        request, user, action=reverse("account:set_up_authenticator_to_sign_in")
    )
    if response is not None:
        return response
    device = second_factor.authenticator_of(user)
    next_url = finish_sign_in(request, user, device)
    messages.success(request, "Your authenticator app is set up")
    return show_recovery_codes_next(request, codes, next_url)
