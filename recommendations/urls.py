from django.urls import path

from . import appendix_views, tracker_views, views

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
    path(
        "reviews/<int:pk>/progress-report/",
        appendix_views.show_progress_report,
        name="show_progress_report",
    ),
    path(
        "reviews/<int:pk>/progress-report/pdf/",
        appendix_views.download_progress_report_pdf,
        name="download_progress_report_pdf",
    ),
    path(
        "reviews/<int:pk>/progress-report/publish/",
        appendix_views.publish_progress_report,
        name="publish_progress_report",
    ),
    path("meetings/<int:pk>/", appendix_views.show_meeting, name="show_meeting"),
    path(
        "published-appendices/<int:pk>/pdf/",
        appendix_views.download_published_appendix,
        {"file_format": "pdf"},
        name="download_published_appendix_pdf",
    ),
    path(
        "published-appendices/<int:pk>/html/",
        appendix_views.download_published_appendix,
        {"file_format": "html"},
        name="download_published_appendix_html",
    ),
]
