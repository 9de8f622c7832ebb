from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

admin.site.site_header = "Scrutiny recommendations tracker: administration"
admin.site.site_title = "Scrutiny tracker admin"

urlpatterns = [
    # /sign-in/ (the password, then the second factor), the admin's sign-in page, /account/.
    path("", include("reviews.sign_in.urls")),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    # The public site and the open data: no sign-in, public reviews only.
    path("public/", include("recommendations.public.urls")),
    path("api/v1/", include("recommendations.public.api.urls")),
    path("", include("reviews.urls")),
    path("", include("recommendations.urls")),
]
