"""The register: every recommendation across reviews, with filters that live in the URL."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from ..access import readers_only
from ..models import Recommendation
from ..trackers.writing import write_csv, write_xlsx
from .filters import RegisterFilterForm, Sort


@require_safe
@readers_only
def show_register(request):
    today = timezone.localdate()
    form = RegisterFilterForm(request.GET)
    page = None
    if form.is_valid():
        page = form.page(request.GET.get("page"), today)
    return render(
        request,
        "register/show_register.html",
        {
            "form": form,
            "page": page,
            "page_range": page.paginator.get_elided_page_range(
                page.number, on_each_side=1, on_ends=1
            )
            if page
            else [],
            "columns": sort_columns(form),
            "today": today,
        },
    )


def sort_columns(form) -> list[dict]:
    """The table's headers: for a sortable one, its key, aria-sort and the next sort order."""
    current = form.current_sort()
    columns = []
    for key, label in [
        ("number", "Number"),
        (Sort.REVIEW, "Review"),
        ("text", "Recommendation"),
        (Sort.LEAD, "Lead"),
        (Sort.TARGET, "Target date"),
        (Sort.STATUS, "Status"),
        (Sort.UPDATED, "Last update"),
    ]:
        column = {"label": label, "sortable": key in Sort.values}
        if column["sortable"]:
            default = key == Sort.REVIEW and current == "" and not form.ranked
            if current == key or default:
                column["aria_sort"], column["next"] = "ascending", f"-{key}"
            elif current == f"-{key}":
                column["aria_sort"], column["next"] = "descending", key
            else:
                column["aria_sort"], column["next"] = "none", key
        columns.append(column)
    return columns


def _download_register(request, extension: str, content_type: str, write):
    """The register with its current filters, as a tracker file; bad filters get the page's errors."""
    today = timezone.localdate()
    form = RegisterFilterForm(request.GET)
    if not form.is_valid():
        return render(
            request,
            "register/show_register.html",
            {"form": form, "page": None, "page_range": [], "columns": [], "today": today},
            status=400,
        )
    recommendations = form.filter(Recommendation.objects.all(), today)
    response = HttpResponse(write(recommendations), content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="register-{today:%Y-%m-%d}.{extension}"'
    )
    return response


@require_safe
@readers_only
def download_register_csv(request):
    return _download_register(request, "csv", "text/csv; charset=utf-8", write_csv)


@require_safe
@readers_only
def download_register_xlsx(request):
    return _download_register(
        request,
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        write_xlsx,
    )
