"""Pages for tracker files: import (upload, preview, confirm) and the review's exports.

An uploaded file waits between preview and confirm in the "tracker_uploads" storage (see
`uploads`), under a random token that only the uploader's session knows, with its SHA-256; confirm
re-reads it, checks the digest, checks every row again and compares the plan with the one
previewed. No data travels in the form.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from reviews.models import Review

from ..access import may_import, readers_only
from ..models import ImportJob, Recommendation
from .applying import IMPORT_STEPS, apply_plan
from .background import current_step, queue_import, runs_in_background
from .columns import COLUMNS
from .forms import TrackerUploadForm
from .planning import plan_import
from .problems import TrackerFileError
from .reading import MAX_ROWS, max_upload_bytes, read_tracker
from .uploads import forget_upload, hand_over_upload, keep_upload, load_upload
from .writing import write_csv, write_xlsx


def _require_import(request) -> None:
    if not may_import(request.user):
        raise PermissionDenied("Only a scrutiny officer can import tracker files.")


def _upload_again(request):
    messages.warning(
        request,
        "That upload is no longer available (it was imported or has expired). Upload the file again.",
    )
    return redirect("recommendations:upload_tracker")


def _render_upload(request, form, *, problems=None, file_name="", status=200):
    return render(
        request,
        "trackers/upload.html",
        {
            "form": form,
            "problems": problems or [],
            "file_name": file_name,
            "columns": COLUMNS,
            "max_rows": MAX_ROWS,
        },
        status=status,
    )


def _problems_on_form(form, error: TrackerFileError) -> list:
    """Put the file's problems on the form; returns those to list in the table below it."""
    problems = error.problems
    if len(problems) == 1 and problems[0].row is None:
        form.add_error("file", str(problems[0]))
        return []
    count = len(problems)
    form.add_error(
        "file",
        ngettext(
            "The file has %(count)d problem, listed below. Fix it and upload the file again",
            "The file has %(count)d problems, listed below. Fix them and upload the file again",
            count,
        )
        % {"count": count},
    )
    return problems


@require_http_methods(["GET", "POST"])
def upload_tracker(request):
    _require_import(request)
    if request.method == "GET":
        return _render_upload(request, TrackerUploadForm())
    form = TrackerUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_upload(request, form)
    upload = form.cleaned_data["file"]
    data = b"".join(upload.chunks())
    try:
        plan_import(read_tracker(data, upload.name, max_bytes=max_upload_bytes()))
    except TrackerFileError as error:
        problems = _problems_on_form(form, error)
        return _render_upload(request, form, problems=problems, file_name=upload.name)
    token = keep_upload(request, upload.name, data)
    return redirect("recommendations:preview_tracker_import", token=token)


def _render_preview(request, token, name, plan, *, changed_since=False):
    return render(
        request,
        "trackers/preview.html",
        {"token": token, "file_name": name, "plan": plan, "changed_since": changed_since},
    )


@require_http_methods(["GET"])
def preview_tracker_import(request, token):
    _require_import(request)
    upload = load_upload(request, token)
    if upload is None:
        return _upload_again(request)
    name, data = upload
    try:
        plan = plan_import(read_tracker(data, name, max_bytes=max_upload_bytes()))
    except TrackerFileError as error:
        # The file was fine when uploaded; the register has changed since (a review it names as
        # new may now need its committee, say).
        forget_upload(request, token)
        return _render_problems(request, error, name)
    return _render_preview(request, token, name, plan)


def _render_problems(request, error: TrackerFileError, name: str):
    """The upload page showing the problems of a kept file, which must be uploaded again."""
    form = TrackerUploadForm()
    form.full_clean()  # an unbound form's errors start empty, ready for ours
    form.cleaned_data = {}
    problems = _problems_on_form(form, error)
    return _render_upload(request, form, problems=problems, file_name=name)


class _PlanChanged(Exception):
    def __init__(self, plan):
        self.plan = plan


@require_POST
def confirm_tracker_import(request, token):
    _require_import(request)
    upload = load_upload(request, token)
    if upload is None:
        return _upload_again(request)
    name, data = upload
    try:
        with transaction.atomic():
            table = read_tracker(data, name, max_bytes=max_upload_bytes())
            plan = plan_import(table)
            if plan.fingerprint() != request.POST.get("fingerprint", ""):
                raise _PlanChanged(plan)
            if runs_in_background(len(table.rows)):
                job = queue_import(
                    token=token,
                    name=name,
                    data=data,
                    rows=len(table.rows),
                    plan=plan,
                    user=request.user,
                )
                hand_over_upload(request, token)
                return redirect("recommendations:show_tracker_import", job.pk)
            apply_plan(plan, request.user)
    except _PlanChanged as changed:
        return _render_preview(request, token, name, changed.plan, changed_since=True)
    except TrackerFileError as error:
        forget_upload(request, token)
        return _render_problems(request, error, name)
    except IntegrityError:
        messages.warning(
            request,
            "Someone else changed the same records while the file was being imported, so nothing "
            "was imported. Check the preview again.",
        )
        return redirect("recommendations:preview_tracker_import", token=token)
    forget_upload(request, token)
    messages.success(request, f"Imported {name}. {plan.summary()}.")
    return redirect("recommendations:list_reviews")


@require_http_methods(["GET"])
def show_tracker_import(request, pk):
    """An import the worker is applying: refreshes itself until it is done or has failed."""
    _require_import(request)
    job = get_object_or_404(ImportJob, pk=pk)
    step = current_step(job)
    return render(
        request,
        "trackers/show_import.html",
        {
            "job": job,
            "step": step,
            "steps": len(IMPORT_STEPS),
            "step_name": IMPORT_STEPS[step - 1] if step else "",
        },
    )


def _download(review: Review, content: bytes, extension: str, content_type: str):
    response = HttpResponse(content, content_type=content_type)
    filename = f"tracker-{slugify(review.title) or review.pk}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_http_methods(["GET"])
@readers_only
def download_review_tracker_csv(request, pk):
    review = get_object_or_404(Review, pk=pk)
    content = write_csv(Recommendation.objects.filter(review=review).order_by("sort_key"))
    return _download(review, content, "csv", "text/csv; charset=utf-8")


@require_http_methods(["GET"])
@readers_only
def download_review_tracker_xlsx(request, pk):
    review = get_object_or_404(Review, pk=pk)
    content = write_xlsx(Recommendation.objects.filter(review=review).order_by("sort_key"))
    return _download(
        review,
        content,
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
