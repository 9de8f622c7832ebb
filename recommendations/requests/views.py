"""The pages of asking: ask for updates (form, preview, send), a request, and its reminders."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from .. import access
from ..dashboard.views import updates_to_check_count
from .asking import plan_request, send_request
from .forms import AskForUpdatesForm, back_url, initial_from_query
from .reminders import send_reminders_now
from .status import request_page_context


def _plan(form: AskForUpdatesForm):
    data = form.cleaned_data
    return plan_request(data["meeting"], data["reviews"], data["deadline"])


@require_http_methods(["GET", "POST"])
def ask_for_updates(request):
    access.require_asker(request.user)
    if request.method == "POST":
        form = AskForUpdatesForm(request.POST)
        if form.is_valid():
            update_request = send_request(_plan(form), requested_by=request.user)
            count = update_request.emails.count()
            messages.success(
                request,
                ngettext(
                    "Requests sent: %(n)d email queued", "Requests sent: %(n)d emails queued", count
                )
                % {"n": count},
            )
            return redirect(update_request)
    elif "preview" in request.GET:
        form = AskForUpdatesForm(request.GET)
        if form.is_valid():
            change = request.GET.copy()
            change.pop("preview", None)
            return render(
                request,
                "requests/preview_update_request.html",
                {"form": form, "plan": _plan(form), "change_url": f"?{change.urlencode()}"},
            )
    else:
        form = AskForUpdatesForm(initial=initial_from_query(request.GET, timezone.localdate()))
    return render(
        request,
        "requests/ask_for_updates.html",
        {"form": form, "back_url": back_url(request.GET)},
    )


@require_safe
def show_update_request(request, pk):
    update_request = access.get_update_request(request, pk)
    context = request_page_context(update_request, timezone.localdate())
    context["to_check_count"] = updates_to_check_count(request.user)
    return render(request, "requests/show_update_request.html", context)


@require_POST
def remind_now(request, pk):
    update_request = access.get_update_request(request, pk)
    sent = send_reminders_now(update_request)
    reminders = ngettext("%(n)d reminder", "%(n)d reminders", sent.reminders)
    retried = ngettext("%(n)d failed email", "%(n)d failed emails", sent.retried)
    messages.success(
        request,
        f"{reminders % {'n': sent.reminders}} queued; {retried % {'n': sent.retried}} tried again",
    )
    return redirect(update_request)
