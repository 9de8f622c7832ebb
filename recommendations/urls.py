from django.urls import path

from . import dashboard_views, register_views, views

app_name = "recommendations"

urlpatterns = [
    path("", dashboard_views.show_dashboard, name="show_dashboard"),
    path("reviews/", views.list_reviews, name="list_reviews"),
    path("register/", register_views.show_register, name="show_register"),
]
