"""Logging progress: an officer adds a dated update to a recommendation they may update."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from scrutiny.editing import lock_for_edit

from .. import access
from ..choices import Status
from ..models import Recommendation
from .forms import ProgressUpdateForm


@require_http_methods(["GET", "POST"])
def add_progress_update(request, pk):
    recommendation = access.get_recommendation_for_update(request, pk)
    form = ProgressUpdateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            # Locked, so a revised target date and its version bump never race an edit.
            locked = lock_for_edit(Recommendation, pk)
            access.require_may_update(request.user, locked)
            locked.record_progress(
                author=request.user,
                as_at=data["as_at"],
                status=data["status"],
                narrative=data["narrative"],
                revised_target_date=data["revised_target_date"],
                revision_reason=data["revision_reason"],
            )
        messages.success(request, "Progress update added")
        return redirect(recommendation)
    return render(
        request,
        "pages/progress_update_form.html",
        {
            "form": form,
            "recommendation": recommendation,
            "slipped": Status.SLIPPED.value,
            "back_url": recommendation.get_absolute_url(),
        },
    )
