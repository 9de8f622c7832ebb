"""Your account: the second factor (set up, recovery codes, remove) and changing your password."""

from django.contrib import messages
from django.contrib.auth.views import PasswordChangeView
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import login as otp_login

from . import second_factor
from .second_factor_forms import ChangePasswordForm
from .second_factor_views import RECOVERY_CODES, authenticator_set_up, show_recovery_codes_next
from .sessions import PROVIDER, SIGN_IN_METHOD


def manages_password_here(request) -> bool:
    """Whether this session signed in with a password here (not through the identity provider),
    and so may set up the second factor and change the password."""
    return request.session.get(SIGN_IN_METHOD) != PROVIDER and request.user.has_usable_password()


def _password_account(request):
    if not manages_password_here(request):
        raise PermissionDenied(
            "You sign in through your organisation's account: its own settings keep your "
            "password and second factor."
        )
    return request.user


@require_GET
def show_account(request):
    user = request.user
    authenticator = second_factor.authenticator_of(user) if manages_password_here(request) else None
    context = {
        "manages_password": manages_password_here(request),
        "authenticator": authenticator,
        "recovery_codes_left": second_factor.recovery_codes_left(user) if authenticator else 0,
        "required": second_factor.second_factor_required(user),
    }
    return render(request, "sign_in/account.html", context)


@require_http_methods(["GET", "POST"])
def set_up_authenticator(request):
    user = _password_account(request)
    if second_factor.authenticator_of(user) is not None:
        messages.info(request, "You already have an authenticator app set up")
        return redirect("account:show_account")
    response, codes = authenticator_set_up(
        request, user, action=reverse("account:set_up_authenticator")
    )
    if response is not None:
        return response
    # This session has just shown the code: it counts as verified, like a sign-in with it.
    otp_login(request, second_factor.authenticator_of(user))
    messages.success(request, "Your authenticator app is set up")
    return show_recovery_codes_next(request, codes, reverse("account:show_account"))


@require_POST
def make_recovery_codes(request):
    user = _password_account(request)
    if second_factor.authenticator_of(user) is None:
        messages.info(request, "Set up an authenticator app first: recovery codes go with it")
        return redirect("account:show_account")
    codes = second_factor.make_recovery_codes(user)
    messages.success(request, "You have new recovery codes. The old ones no longer work")
    return show_recovery_codes_next(request, codes, reverse("account:show_account"))


@require_GET
def show_recovery_codes(request):
    """The new recovery codes, once: they are not kept anywhere they could be shown again."""
    shown = request.session.pop(RECOVERY_CODES, None)
    if not isinstance(shown, dict):
        messages.info(
            request,
            "Recovery codes are shown only once, when they are made. If you have lost yours, "
            "make new ones.",
        )
        return redirect("account:show_account")
    return render(
        request,
        "sign_in/recovery_codes.html",
        {"codes": shown["codes"], "next_url": shown["next"]},
    )


@require_http_methods(["GET", "POST"])
def remove_authenticator(request):
    user = _password_account(request)
    if second_factor.authenticator_of(user) is None:
        return redirect("account:show_account")
    if second_factor.second_factor_required(user):
        raise PermissionDenied(
            "Scrutiny officers and administrators must keep an authenticator app. To move to a "
            "new phone, ask an administrator to reset it, then set it up again when you sign in."
        )
    if request.method == "POST":
        second_factor.remove_authenticator(user)
        messages.success(
            request, "Your authenticator app is removed. You sign in with your password alone"
        )
        return redirect("account:show_account")
    return render(request, "sign_in/remove_authenticator.html")


class ChangePasswordView(PasswordChangeView):
    """Django's password change: this session stays signed in, every other one of the user ends."""

    form_class = ChangePasswordForm
    template_name = "sign_in/change_password.html"
    success_url = reverse_lazy("account:show_account")

    def dispatch(self, request, *args, **kwargs):
        _password_account(request)
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        # Django's own keeps this session (update_session_auth_hash); the others end.
        response = super().form_valid(form)
        messages.success(
            self.request,
            "Your password is changed. You have been signed out everywhere else",
        )
        return response
