"""The committees, a committee's page (its meetings, coming and past, its reviews and its
unscheduled work programme) and the clerk's page to add a meeting."""

from django.db.models import Count, Min, Q
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_http_methods, require_safe

from reviews.forms import MeetingForm
from reviews.models import Committee
from scrutiny.editing import create_with_clash

from .. import access
from ..access import readers_only


@require_safe
@readers_only
def list_committees(request):
    today = timezone.localdate()
    committees = Committee.objects.annotate(
        review_count=Count("reviews", distinct=True),
        next_meeting_date=Min("meetings__date", filter=Q(meetings__date__gte=today)),
    ).order_by("name")
    return render(request, "pages/list_committees.html", {"committees": committees})


@require_safe
@readers_only
def show_committee(request, pk):
    today = timezone.localdate()
    committee = get_object_or_404(Committee, pk=pk)
    meetings = committee.meetings.annotate(item_count=Count("work_programme_items"))
    return render(
        request,
        "pages/show_committee.html",
        {
            "committee": committee,
            "coming": meetings.upcoming(today),
            "past": meetings.past(today),
            "reviews": committee.reviews.order_by("title"),
            "unscheduled": committee.work_programme_items.filter(meeting=None)
            .select_related("review")
            .order_by("title", "pk"),
            "may_edit": access.may_edit_meetings(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def add_meeting(request, pk):
    committee = access.get_committee_for_new_meeting(request, pk)
    return create_with_clash(
        request,
        form=MeetingForm(request.POST if request.method == "POST" else None, committee=committee),
        template="pages/meeting_form.html",
        context={"meeting": None, "committee": committee, "back_url": committee.get_absolute_url()},
        success=lambda meeting: f"Meeting of {date_format(meeting.date, 'j F Y')} added",
    )
