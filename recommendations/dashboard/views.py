"""The members' dashboard: the page everyone lands on after signing in."""

from django.conf import settings
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from .. import access
from ..access import readers_only
from ..models import ProgressUpdate, remembered
from . import queries as dashboard
from .figures import figures as dashboard_figures


def updates_to_check_count(user) -> int | None:
    """How many submitted updates wait for `user` to check them; None when they check none."""
    if not settings.UPDATES_NEED_ACCEPTANCE or not access.may_check_updates(user):
        return None
    return remembered("updates-to-check", ProgressUpdate.objects.submitted_count)


@require_safe
@readers_only
def show_dashboard(request):
    today = timezone.localdate()
    mine = access.updatable_by(request.user) if access.is_officer(request.user) else None
    figures = dashboard_figures(today)
    yours, yours_count = dashboard.yours_list(mine, today) if mine is not None else (None, None)
    return render(
        request,
        "dashboard/show_dashboard.html",
        {
            "today": today,
            "figures": figures,
            "headlines": figures.headlines,
            "committees": figures.committees,
            "meetings": figures.meetings,
            "yours": yours,
            "yours_count": yours_count,
            "to_check_count": updates_to_check_count(request.user),
        },
    )
