from django.urls import path

from . import oidc_views

# /sign-out/ under its name of old, "logout", outside the sign_in namespace: pages and tests ask
# for {% url 'logout' %}.
urlpatterns = [path("sign-out/", oidc_views.SignOut.as_view(), name="logout")]
