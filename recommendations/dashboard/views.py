"""The members' dashboard: the page everyone lands on after signing in."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from .. import access
from ..access import readers_only
from ..choices import Status
from . import queries as dashboard


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
        },
    )
