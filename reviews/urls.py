from django.urls import path

from . import views

app_name = "reviews"

# Committee-world pages. A review's own page shows its recommendations, so it lives in the
# recommendations app (recommendations:show_review).
urlpatterns = [
    path("reviews/add/", views.add_review, name="add_review"),
    path("reviews/<int:pk>/edit/", views.edit_review, name="edit_review"),
    path("reviews/<int:pk>/public/", views.set_review_public, name="set_review_public"),
]
