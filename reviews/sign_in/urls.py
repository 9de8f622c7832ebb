"""Signing in (the password, then the second step), the admin's sign-in page, and the account.

"login" keeps its name outside any namespace: LOGIN_URL and every template use it.
"""

from django.urls import include, path

from . import account_views, second_factor_views

account_patterns = [
    path("sign-in/code/", second_factor_views.enter_sign_in_code, name="enter_sign_in_code"),
    path(
        "sign-in/set-up-authenticator/",
        second_factor_views.set_up_authenticator_to_sign_in,
        name="set_up_authenticator_to_sign_in",
    ),
    path("account/", account_views.show_account, name="show_account"),
    path(
        "account/authenticator/set-up/",
        account_views.set_up_authenticator,
        name="set_up_authenticator",
    ),
    path(
        "account/authenticator/remove/",
        account_views.remove_authenticator,
        name="remove_authenticator",
    ),
    path("account/recovery-codes/", account_views.show_recovery_codes, name="show_recovery_codes"),
    path(
        "account/recovery-codes/new/",
        account_views.make_recovery_codes,
        name="make_recovery_codes",
    ),
    path("account/password/", account_views.ChangePasswordView.as_view(), name="change_password"),
]

urlpatterns = [
    path("sign-in/", second_factor_views.SignInView.as_view(), name="login"),
    # Before the admin's own URLs, so its sign-in page is never reached.
    path("admin/login/", second_factor_views.sign_in_to_admin),
    path("", include((account_patterns, "account"))),
]
