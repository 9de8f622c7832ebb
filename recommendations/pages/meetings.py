"""A meeting of a committee: its work programme and the appendices published to it."""

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from reviews.models import Meeting

from ..access import readers_only


@require_safe
@readers_only
def show_meeting(request, pk):
    meeting = get_object_or_404(Meeting.objects.select_related("committee"), pk=pk)
    items = meeting.work_programme_items.select_related("review").order_by("title", "pk")
    published = (
        meeting.published_appendices.select_related("review", "published_by")
        .defer("html", "pdf")
        .order_by("-published_at", "-pk")
    )
    return render(
        request,
        "pages/show_meeting.html",
        {"meeting": meeting, "items": items, "published": published},
    )
