"""The public site at /public/: no sign-in, public reviews only."""

from django.urls import path

from . import views

app_name = "public"

urlpatterns = [
    path("", views.home, name="home"),
    path("reviews/<int:pk>/", views.show_review, name="show_review"),
    path("recommendations/<int:pk>/", views.show_recommendation, name="show_recommendation"),
    path("appendices/<int:pk>/pdf/", views.download_appendix_pdf, name="download_appendix_pdf"),
    path("search/", views.search_recommendations, name="search"),
    path("recommendations.csv", views.download_csv, name="download_csv"),
    path("sitemap.xml", views.sitemap, name="sitemap"),
]
