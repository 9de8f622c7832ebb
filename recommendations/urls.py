from django.urls import path

from .appendix import views as appendix_views
from .dashboard import views as dashboard_views
from .pages import checking, committees, meetings
from .pages import progress_updates as progress_update_views
from .pages import recommendations as recommendation_views
from .pages import reviews as review_views
from .register import views as register_views
from .requests import views as request_views
from .trackers import views as tracker_views

app_name = "recommendations"

urlpatterns = [
    path("", dashboard_views.show_dashboard, name="show_dashboard"),
    path("reviews/", review_views.list_reviews, name="list_reviews"),
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
    path("pdf-jobs/<int:pk>/", appendix_views.show_pdf_job, name="show_pdf_job"),
    path(
        "pdf-jobs/<int:pk>/file/",
        appendix_views.download_pdf_job_file,
        name="download_pdf_job_file",
    ),
    path(
        "trackers/imports/<int:pk>/", tracker_views.show_tracker_import, name="show_tracker_import"
    ),
    path("committees/", committees.list_committees, name="list_committees"),
    path("committees/<int:pk>/", committees.show_committee, name="show_committee"),
    path("committees/<int:pk>/meetings/add/", committees.add_meeting, name="add_meeting"),
    path("meetings/<int:pk>/", meetings.show_meeting, name="show_meeting"),
    path("meetings/<int:pk>/edit/", meetings.edit_meeting, name="edit_meeting"),
    path("meetings/<int:pk>/history/", meetings.show_meeting_history, name="show_meeting_history"),
    path(
        "meetings/<int:pk>/work-programme/add/",
        meetings.add_work_programme_item,
        name="add_work_programme_item",
    ),
    path(
        "work-programme/<int:pk>/edit/",
        meetings.edit_work_programme_item,
        name="edit_work_programme_item",
    ),
    path(
        "work-programme/<int:pk>/remove/",
        meetings.remove_work_programme_item,
        name="remove_work_programme_item",
    ),
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
    # A review's page and history (the review's own add and edit pages are in reviews/urls.py).
    path("reviews/<int:pk>/", review_views.show_review, name="show_review"),
    path("reviews/<int:pk>/history/", review_views.show_review_history, name="show_review_history"),
    path(
        "reviews/<int:pk>/recommendations/add/",
        recommendation_views.add_recommendation,
        name="add_recommendation",
    ),
    path(
        "recommendations/mine/",
        recommendation_views.list_my_recommendations,
        name="list_my_recommendations",
    ),
    path(
        "recommendations/<int:pk>/",
        recommendation_views.show_recommendation,
        name="show_recommendation",
    ),
    path(
        "recommendations/<int:pk>/history/",
        recommendation_views.show_recommendation_history,
        name="show_recommendation_history",
    ),
    path(
        "recommendations/<int:pk>/edit/",
        recommendation_views.edit_recommendation,
        name="edit_recommendation",
    ),
    path(
        "recommendations/<int:pk>/close/",
        recommendation_views.close_recommendation,
        name="close_recommendation",
    ),
    path(
        "recommendations/<int:pk>/progress-updates/add/",
        progress_update_views.add_progress_update,
        name="add_progress_update",
    ),
    path("evidence/<int:pk>/", progress_update_views.download_evidence, name="download_evidence"),
    path("updates/to-check/", checking.list_updates_to_check, name="list_updates_to_check"),
    path("updates/<int:pk>/decide/", checking.decide_update, name="decide_update"),
    path("update-requests/ask/", request_views.ask_for_updates, name="ask_for_updates"),
    path(
        "update-requests/<int:pk>/",
        request_views.show_update_request,
        name="show_update_request",
    ),
    path(
        "update-requests/<int:pk>/reminders/",
        request_views.remind_now,
        name="send_update_request_reminders",
    ),
    path("register/", register_views.show_register, name="show_register"),
    path(
        "register/tracker.csv", register_views.download_register_csv, name="download_register_csv"
    ),
    path(
        "register/tracker.xlsx",
        register_views.download_register_xlsx,
        name="download_register_xlsx",
    ),
]
