from django.urls import path

from . import progress_update_views, recommendation_views, review_views, views

app_name = "recommendations"

urlpatterns = [
    path("", views.home, name="home"),
    path("reviews/", views.list_reviews, name="list_reviews"),
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
]
