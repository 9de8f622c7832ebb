"""A meeting of a committee: its work programme and the appendices published to it; the clerk's
pages to edit the meeting and put items on its work programme, and its history."""

from dataclasses import dataclass

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from reviews.forms import MeetingForm, RemoveWorkProgrammeItemForm, WorkProgrammeItemForm
from reviews.models import Meeting, WorkProgrammeItem
from scrutiny.editing import create_with_clash, edit_with_lock, lock_for_edit
from scrutiny.history import ACTIONS, HistoryEntry, history_of

from .. import access
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
        {
            "meeting": meeting,
            "items": items,
            "published": published,
            "may_edit": access.may_edit_meetings(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def edit_meeting(request, pk):
    meeting = access.get_meeting_for_edit(request, pk)
    return edit_with_lock(
        request,
        model=Meeting,
        pk=meeting.pk,
        form_class=MeetingForm,
        template="pages/meeting_form.html",
        context={
            "meeting": meeting,
            "committee": meeting.committee,
            "back_url": meeting.get_absolute_url(),
        },
        success="Meeting saved",
    )


@dataclass
class ItemHistory:
    """The history of one item that has been on a meeting's work programme."""

    title: str
    removed: bool
    entries: list[HistoryEntry]


def work_programme_history(meeting: Meeting) -> list[ItemHistory]:
    """Every item that has been on the meeting's work programme, removed ones included (rebuilt
    from their last history row, as the record itself is gone)."""
    ids = (
        WorkProgrammeItem.history.filter(meeting_id=meeting.pk)
        .order_by("id")
        .values_list("id", flat=True)
        .distinct()
    )
    histories = []
    for item_id in ids:
        last = WorkProgrammeItem.history.filter(id=item_id).order_by("-history_date", "-pk")[0]
        histories.append(
            ItemHistory(
                title=last.title,
                removed=last.history_type == "-",
                entries=history_of(last.instance),
            )
        )
    histories.sort(key=lambda history: (history.removed, history.title))
    return histories


@require_safe
@readers_only
def show_meeting_history(request, pk):
    meeting = get_object_or_404(Meeting.objects.select_related("committee"), pk=pk)
    return render(
        request,
        "pages/meeting_history.html",
        {
            "meeting": meeting,
            "entries": history_of(meeting),
            "items": work_programme_history(meeting),
            "removed_action": ACTIONS["-"],
        },
    )


@require_http_methods(["GET", "POST"])
def add_work_programme_item(request, pk):
    meeting = access.get_meeting_for_edit(request, pk)
    return create_with_clash(
        request,
        form=WorkProgrammeItemForm(
            request.POST if request.method == "POST" else None, meeting=meeting
        ),
        template="pages/work_programme_item_form.html",
        context={
            "item": None,
            "meeting": meeting,
            "committee": meeting.committee,
            "back_url": meeting.get_absolute_url(),
        },
        success=lambda item: f"“{item.title}” added to the work programme",
    )


@require_http_methods(["GET", "POST"])
def edit_work_programme_item(request, pk):
    item = access.get_work_programme_item_for_edit(request, pk)
    return edit_with_lock(
        request,
        model=WorkProgrammeItem,
        pk=item.pk,
        form_class=WorkProgrammeItemForm,
        template="pages/work_programme_item_form.html",
        context={
            "item": item,
            "meeting": item.meeting,
            "committee": item.committee,
            "back_url": item.get_absolute_url(),
        },
        success="Item saved",
    )


@require_http_methods(["GET", "POST"])
def remove_work_programme_item(request, pk):
    """GET asks to confirm; POST removes the item as it was when the page was opened (the history
    records who removed it and when), or, if it has changed since, shows it again to confirm."""
    item = access.get_work_programme_item_for_edit(request, pk)
    back_url = item.get_absolute_url()
    form = RemoveWorkProgrammeItemForm(
        request.POST if request.method == "POST" else None, initial={"version": item.version}
    )
    context = {"item": item, "committee": item.committee, "back_url": back_url}
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            try:
                current = lock_for_edit(WorkProgrammeItem, item.pk)
            except WorkProgrammeItem.DoesNotExist:
                raise Http404("The item has already been removed.") from None
            if form.cleaned_data["version"] == current.version:
                current.delete()
                messages.success(request, f"“{current.title}” removed from the work programme")
                return redirect(back_url)
        form = RemoveWorkProgrammeItemForm(initial={"version": current.version})
        context |= {"item": current, "changed": True}
        return render(
            request, "pages/remove_work_programme_item.html", context | {"form": form}, status=409
        )
    return render(request, "pages/remove_work_programme_item.html", context | {"form": form})
