from django.contrib.auth.decorators import login_not_required
from django.urls import path

from . import oidc_views

app_name = "sign_in"

# Signing in through the council's identity provider (404 while OIDC_ISSUER is unset), and the
# page for someone signed in without a role. Sign-out itself stays at /sign-out/.
urlpatterns = [
    path(
        "sign-in/provider/",
        login_not_required(oidc_views.StartProviderSignIn.as_view()),
        name="start_provider_sign_in",
    ),
    path(
        "sign-in/provider/callback/",
        login_not_required(oidc_views.FinishProviderSignIn.as_view()),
        name="finish_provider_sign_in",
    ),
    path(
        "sign-in/provider/sign-out/",
        oidc_views.sign_out_of_provider,
        name="sign_out_of_provider",
    ),
    path("sign-in/provider/signed-out/", oidc_views.show_signed_out, name="show_signed_out"),
    path("no-access/", oidc_views.show_no_access, name="show_no_access"),
]
