"""Updates to check: the scrutiny officer accepts each submitted update or returns it with a
comment (docs/domain.md, "Acceptance"). Shown only when updates need acceptance."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.views.decorators.http import require_POST, require_safe

from .. import access
from ..models import AlreadyDecided, Outcome, ProgressUpdate
from ..requests.tasks import queue_returned_update_email


def _require_checker(user) -> None:
    if not settings.UPDATES_NEED_ACCEPTANCE:
        raise Http404("Updates do not need checking here.")
    access.require_checker(user)


def updates_to_check():
    """Every submitted update, oldest first, each with `previous`: its recommendation's newest
    accepted update (or None)."""
    updates = list(
        ProgressUpdate.objects.submitted()
        .select_related("recommendation__review", "author")
        .prefetch_related(Prefetch("evidence", to_attr="evidence_files"))
        .order_by("recorded_at", "pk")
    )
    previous = {}
    for update in (
        ProgressUpdate.objects.accepted()
        .filter(recommendation__in={update.recommendation_id for update in updates})
        .order_by("recommendation", "-as_at", "-recorded_at", "-pk")
    ):
        previous.setdefault(update.recommendation_id, update)
    for update in updates:
        update.previous = previous.get(update.recommendation_id)
    return updates


def _render_list(request, *, errors=None):
    """The page; `errors` maps an update's id to the messages shown at its comment box."""
    errors = errors or {}
    updates = updates_to_check()
    for update in updates:
        update.comment_errors = errors.get(update.pk, [])
    return render(request, "checking/updates_to_check.html", {"updates": updates, "errors": errors})


@require_safe
def list_updates_to_check(request):
    _require_checker(request.user)
    return _render_list(request)


@require_POST
def decide_update(request, pk):
    _require_checker(request.user)
    update = get_object_or_404(ProgressUpdate.objects.select_related("recommendation"), pk=pk)
    outcome = request.POST.get("outcome")
    if outcome not in Outcome.values:
        return _render_list(request, errors={update.pk: ["Choose Accept or Return."]})
    try:
        with transaction.atomic():
            decision = update.decide(
                outcome=outcome, by=request.user, comment=request.POST.get("comment", "")
            )
            if decision.outcome == Outcome.RETURNED:
                queue_returned_update_email(decision)
    except AlreadyDecided as already:
        first = already.decision
        messages.warning(
            request,
            f"Update on recommendation {update.recommendation.number} was already "
            f"{first.get_outcome_display().lower()} by {first.decided_by} on "
            f"{date_format(first.decided_at, 'j F Y \\a\\t H:i')}. Nothing more was recorded.",
        )
        return redirect("recommendations:list_updates_to_check")
    except ValidationError as error:
        messages_by_field = error.message_dict
        return _render_list(
            request,
            errors={update.pk: messages_by_field.get("comment") or error.messages},
        )
    messages.success(
        request,
        f"Update on recommendation {update.recommendation.number} "
        f"{decision.get_outcome_display().lower()}",
    )
    return redirect(reverse("recommendations:list_updates_to_check"))
