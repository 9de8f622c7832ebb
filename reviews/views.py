"""Pages about the committee world alone: adding and editing reviews.

Pages that show recommendations (a review's own page among them) live in the recommendations app,
which may import from here; redirects reach them by URL name only.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from scrutiny.editing import create_with_clash, edit_with_lock, lock_for_edit

from .forms import ReviewForm
from .models import Review


def get_review_for_edit(request, pk) -> Review:
    """The review to edit: 404 when there is none, 403 for anyone but a scrutiny officer."""
    review = get_object_or_404(Review, pk=pk)
    if not request.user.has_perm("reviews.change_review"):
        raise PermissionDenied("Only a scrutiny officer can edit reviews.")
    return review


@require_http_methods(["GET", "POST"])
def add_review(request):
    if not request.user.has_perm("reviews.add_review"):
        raise PermissionDenied("Only a scrutiny officer can add reviews.")
    return create_with_clash(
        request,
        form=ReviewForm(request.POST if request.method == "POST" else None),
        template="reviews/review_form.html",
        context={"review": None, "back_url": reverse("recommendations:list_reviews")},
        success=lambda review: f"Review “{review.title}” added",
    )


@require_http_methods(["GET", "POST"])
def edit_review(request, pk):
    review = get_review_for_edit(request, pk)
    return edit_with_lock(
        request,
        model=Review,
        pk=review.pk,
        form_class=ReviewForm,
        template="reviews/review_form.html",
        context={"review": review, "back_url": review.get_absolute_url()},
        success="Review saved",
    )


@require_http_methods(["POST"])
def set_review_public(request, pk):
    """Make a review public or private (the form's `public` is "yes" or "no"). The save goes
    through `save()`, so the history records who changed it and when; the version moves on, so a
    review form opened before cannot put the old value back."""
    review = get_review_for_edit(request, pk)
    choice = request.POST.get("public")
    if choice not in ("yes", "no"):
        messages.error(request, "Choose whether the review is public or private.")
        return redirect(review.get_absolute_url())
    with transaction.atomic():
        review = lock_for_edit(Review, review.pk)
        review.is_public = choice == "yes"
        review.version += 1
        review.save()
    messages.success(
        request,
        "The review is now public" if review.is_public else "The review is now private",
    )
    return redirect(review.get_absolute_url())
