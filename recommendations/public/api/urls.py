"""The public JSON API at /api/v1/."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from ..caching import public_view
from . import views

app_name = "api"

urlpatterns = [
    path("", views.index, name="index"),
    path("schema/", public_view(SpectacularAPIView.as_view()), name="schema"),
    path("reviews/", views.ReviewList.as_view(), name="reviews"),
    path("reviews/<int:pk>/", views.ReviewDetail.as_view(), name="review"),
    path("recommendations/", views.RecommendationList.as_view(), name="recommendations"),
    path(
        "recommendations/<int:pk>/",
        views.RecommendationDetail.as_view(),
        name="recommendation",
    ),
    path("appendices/", views.AppendixList.as_view(), name="appendices"),
    path("appendices/<int:pk>/", views.AppendixDetail.as_view(), name="appendix"),
]
