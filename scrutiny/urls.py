from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Scrutiny recommendations tracker: administration"
admin.site.site_title = "Scrutiny tracker admin"

urlpatterns = [
    # /sign-in/ (the password, then the second factor), the admin's sign-in page, /account/.
    path("", include("reviews.sign_in.urls")),
    # Signing out, and signing in through the council's identity provider.
    path("", include("reviews.sign_in.sign_out_urls")),
    path("", include("reviews.sign_in.oidc_urls")),
    path("admin/", admin.site.urls),
    # The public site and the open data: no sign-in, public reviews only.
    path("public/", include("recommendations.public.urls")),
    path("api/v1/", include("recommendations.public.api.urls")),
    path("", include("reviews.urls")),
    path("", include("recommendations.urls")),
]
