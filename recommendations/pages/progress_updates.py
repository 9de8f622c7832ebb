"""Logging progress: an officer adds a dated update to a recommendation they may update."""

from django.contrib import messages
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from scrutiny.editing import lock_for_edit

from .. import access
from ..choices import Status
from ..models import Evidence, Recommendation
from ..models.evidence import add_evidence, keep_files_only_on_commit
from .forms import ProgressUpdateForm


@require_http_methods(["GET", "POST"])
def add_progress_update(request, pk):
    recommendation = access.get_recommendation_for_update(request, pk)
    form = ProgressUpdateForm(
        *((request.POST, request.FILES) if request.method == "POST" else (None,))
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic(), keep_files_only_on_commit() as stored:
            # Locked, so a revised target date and its version bump never race an edit.
            locked = lock_for_edit(Recommendation, pk)
            access.require_may_update(request.user, locked)
            update = locked.record_progress(
                author=request.user,
                as_at=data["as_at"],
                status=data["status"],
                narrative=data["narrative"],
                revised_target_date=data["revised_target_date"],
                revision_reason=data["revision_reason"],
            )
            for uploaded, content_type in data["evidence"]:
                add_evidence(update, uploaded, content_type, stored)
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


@require_safe
def download_evidence(request, pk):
    """An evidence file, as an attachment of its stored content type; 404 for anyone who may not
    see its update (never served from a public media URL)."""
    evidence = get_object_or_404(Evidence, pk=pk)
    if not access.updates_visible_to(request.user).filter(pk=evidence.update_id).exists():
        raise Http404("No such file.")
    return FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.name,
        content_type=evidence.content_type,
    )
