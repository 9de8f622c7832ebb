"""The appendix on screen, as a PDF, published to a meeting, and its published copies."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_POST, require_safe

from reviews.models import Review

from .. import access
from ..access import readers_only
from ..models import PdfJob, PublishedAppendix
from . import pdf_cache
from .build import DEFAULT_NUMBER, build_appendix, file_name
from .forms import AppendixForm, PublishForm
from .tasks import queue_publish, request_download


def _get_review(pk) -> Review:
    return get_object_or_404(Review.objects.select_related("committee"), pk=pk)


def _appendix_for(form: AppendixForm, **overrides):
    data = form.cleaned_data
    return build_appendix(
        form.review,
        data["as_at"],
        meeting=data.get("meeting"),
        number=data["number"],
        include_closed=data.get("include_closed", False),
        **overrides,
    )


def _chosen(request, review: Review) -> AppendixForm:
    """The form from the query string; what it leaves out defaults to today's appendix number 2."""
    data = request.GET.copy()
    if not any(key in data for key in ("as_at_day", "as_at_month", "as_at_year")):
        today = timezone.localdate()
        data.update(
            {
                "as_at_day": str(today.day),
                "as_at_month": str(today.month),
                "as_at_year": str(today.year),
            }
        )
    data.setdefault("number", str(DEFAULT_NUMBER))
    return AppendixForm(review, data)


def _render_page(request, review, form, *, status=200):
    appendix = _appendix_for(form) if form.is_valid() else None
    return render(
        request,
        "appendix/show_progress_report.html",
        {
            "review": review,
            "form": form,
            "appendix": appendix,
            "query": form.query_string() if appendix else "",
            "may_publish": access.may_publish(request.user),
        },
        status=status,
    )


@require_safe
@readers_only
def show_progress_report(request, pk):
    review = _get_review(pk)
    return _render_page(request, review, _chosen(request, review))


@require_safe
@readers_only
def download_progress_report_pdf(request, pk):
    """The PDF at once if one for exactly this content is cached, else the preparing page.

    GET changes no record of the app's: it may only queue the render of a cached file.
    """
    review = _get_review(pk)
    form = _chosen(request, review)
    if not form.is_valid():
        return _render_page(request, review, form, status=400)
    appendix = _appendix_for(form)
    pdf = pdf_cache.cached_pdf(pdf_cache.fingerprint(appendix))
    if pdf is not None:
        return _file_response(pdf, "application/pdf", appendix.file_name("pdf"))
    job = request_download(appendix)
    job.refresh_from_db()
    if job.status == PdfJob.Status.READY:  # made at once (a worker that runs tasks in-process)
        return _file_response(_job_file(job), "application/pdf", job.file_name)
    return redirect("recommendations:show_pdf_job", job.pk)


@require_POST
def publish_progress_report(request, pk):
    review = _get_review(pk)
    if not access.may_publish(request.user):
        raise PermissionDenied("Only a scrutiny officer can publish an appendix.")
    form = PublishForm(review, request.POST)
    if not form.is_valid():
        return _render_page(request, review, form, status=400)
    data = form.cleaned_data
    job = queue_publish(
        review,
        meeting=data["meeting"],
        as_at=data["as_at"],
        number=data["number"],
        include_closed=data["include_closed"],
        user=request.user,
    )
    job.refresh_from_db()
    if job.status == PdfJob.Status.READY:  # published at once (tasks run in-process)
        return _published(request, job.published)
    return redirect("recommendations:show_pdf_job", job.pk)


def _published(request, published: PublishedAppendix):
    messages.success(
        request,
        f"Appendix {published.number} published to the meeting of "
        f"{date_format(published.meeting.date)}",
    )
    return redirect("recommendations:show_meeting", published.meeting_id)


def _get_job(pk) -> PdfJob:
    return get_object_or_404(
        PdfJob.objects.select_related("review__committee", "meeting", "published__meeting"),
        pk=pk,
    )


@require_safe
@readers_only
def show_pdf_job(request, pk):
    """Preparing the PDF: refreshes itself while the worker makes it, then offers it or says it
    failed. A finished publish goes on to its meeting, as publishing at once did."""
    job = _get_job(pk)
    if job.kind == PdfJob.Kind.PUBLISH:
        if not access.may_publish(request.user):
            raise PermissionDenied("Only a scrutiny officer can publish an appendix.")
        if job.status == PdfJob.Status.READY and job.published is not None:
            return _published(request, job.published)
    return render(request, "appendix/show_pdf_job.html", {"job": job, "review": job.review})


@require_safe
@readers_only
def download_pdf_job_file(request, pk):
    job = _get_job(pk)
    if job.kind != PdfJob.Kind.DOWNLOAD or job.status != PdfJob.Status.READY:
        raise Http404("This PDF is not ready.")
    try:
        pdf = _job_file(job)
    except FileNotFoundError:
        raise Http404("This PDF is no longer kept; download it again from the report.") from None
    return _file_response(pdf, "application/pdf", job.file_name)


def _job_file(job: PdfJob) -> bytes:
    with pdf_cache.cache_storage().open(pdf_cache.cache_name(job.fingerprint), "rb") as file:
        return file.read()


@require_safe
@readers_only
def download_published_appendix(request, pk, file_format):
    published = get_object_or_404(PublishedAppendix.objects.select_related("review"), pk=pk)
    name = file_name(published.number, published.review.title, published.as_at, file_format)
    if file_format == "pdf":
        return _file_response(bytes(published.pdf), "application/pdf", name)
    return _file_response(published.html.encode(), "text/html; charset=utf-8", name)


def _file_response(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
