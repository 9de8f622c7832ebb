"""The appendix on screen, as a PDF, published to a meeting, and its published copies."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_POST, require_safe

from reviews.models import Review

from .. import access
from ..access import readers_only
from ..models import PublishedAppendix
from .build import DEFAULT_NUMBER, build_appendix, file_name
from .forms import AppendixForm, PublishForm
from .pdf import html_to_pdf
from .publish import publish_appendix
from .render import render_report_html


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
    review = _get_review(pk)
    form = _chosen(request, review)
    if not form.is_valid():
        return _render_page(request, review, form, status=400)
    appendix = _appendix_for(form)
    pdf = html_to_pdf(render_report_html(appendix, generated_at=timezone.now()))
    return _file_response(pdf, "application/pdf", appendix.file_name("pdf"))


@require_POST
def publish_progress_report(request, pk):
    review = _get_review(pk)
    if not access.may_publish(request.user):
        raise PermissionDenied("Only a scrutiny officer can publish an appendix.")
    form = PublishForm(review, request.POST)
    if not form.is_valid():
        return _render_page(request, review, form, status=400)
    data = form.cleaned_data
    published = publish_appendix(
        review,
        meeting=data["meeting"],
        as_at=data["as_at"],
        number=data["number"],
        include_closed=data["include_closed"],
        user=request.user,
    )
    messages.success(
        request,
        f"Appendix {published.number} published to the meeting of "
        f"{date_format(published.meeting.date)}",
    )
    return redirect("recommendations:show_meeting", published.meeting_id)


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
