from django.urls import path

from . import tracker_views, views

app_name = "recommendations"

urlpatterns = [
    path("", views.home, name="home"),
    path("reviews/", views.list_reviews, name="list_reviews"),
    path("trackers/import/", tracker_views.upload_tracker, name="upload_tracker"),
    path(
        "trackers/import/<slug:token>/",
        tracker_views.preview_tracker_import,
        name="preview_tracker_import",
    ),
    path(
        "trackers/import/<slug:token>/confirm/",
        tracker_views.confirm_tracker_import,
        name="confirm_tracker_import",
    ),
    path(
        "reviews/<int:pk>/tracker.csv",
        tracker_views.download_review_tracker_csv,
        name="download_review_tracker_csv",
    ),
    path(
        "reviews/<int:pk>/tracker.xlsx",
        tracker_views.download_review_tracker_xlsx,
        name="download_review_tracker_xlsx",
    ),
]
