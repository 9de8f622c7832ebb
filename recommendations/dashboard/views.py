"""The members' dashboard: the page everyone lands on after signing in."""

from django.conf import settings
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from .. import access
from ..access import readers_only
from ..choices import Status
from ..models import ProgressUpdate
from . import queries as dashboard


def updates_to_check_count(user) -> int | None:
    """How many submitted updates wait for `user` to check them; None when they check none."""
    if not settings.UPDATES_NEED_ACCEPTANCE or not access.may_check_updates(user):
        return None
    return ProgressUpdate.objects.submitted().count()


@require_safe
@readers_only
def show_dashboard(request):
    today = timezone.localdate()
    mine = access.updatable_by(request.user) if access.is_officer(request.user) else None
    headlines = dashboard.headline_counts(today, mine=mine)
    yours_count = headlines.pop("yours", None)
    return render(
        request,
        "dashboard/show_dashboard.html",
        {
            "today": today,
            "headlines": list(headlines.values()),
            "committees": dashboard.committee_summaries(today),
            "meetings": dashboard.coming_up(today),
            "yours": dashboard.yours_list(mine, today) if mine is not None else None,
            "yours_count": yours_count,
            "statuses": list(Status),
            "to_check_count": updates_to_check_count(request.user),
        },
    )
