"""The "Ask for updates" form: a meeting, its reviews and a deadline."""

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from reviews.models import Meeting, Review
from scrutiny.forms import (
    Form,
    GovUKCheckboxes,
    GovUKDateField,
    ModelChoiceField,
    ModelMultipleChoiceField,
)

from .asking import recommendations_to_ask_about


class MeetingChoiceField(ModelChoiceField):
    def label_from_instance(self, meeting):
        return f"{meeting.committee}: {date_format(meeting.date, 'l j F Y')}"


class AskForUpdatesForm(Form):
    meeting = MeetingChoiceField(
        queryset=Meeting.objects.none(),
        label="Meeting",
        help_text="The coming meeting that will hear the progress reports.",
        empty_label="Choose a meeting",
    )
    reviews = ModelMultipleChoiceField(
        queryset=Review.objects.exclude(status=Review.Status.CLOSED).order_by("title"),
        label="Reviews",
        help_text="The reviews on the meeting's work programme come ticked; tick any others too.",
        widget=GovUKCheckboxes,
        error_messages={"required": "Select at least one review"},
    )
    deadline = GovUKDateField(
        label="Deadline",
        help_text="Updates are needed by this date: by default 14 days before the meeting.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = timezone.localdate()
        self.fields["meeting"].queryset = (
            Meeting.objects.upcoming(self.today).select_related("committee").order_by("date", "pk")
        )

    def clean(self):
        data = super().clean()
        meeting, deadline = data.get("meeting"), data.get("deadline")
        if deadline and deadline < self.today:
            self.add_error("deadline", "Deadline must be today or later")
        elif meeting and deadline and deadline > meeting.date:
            self.add_error(
                "deadline",
                f"Deadline must be on or before the meeting on {date_format(meeting.date)}",
            )
        reviews = data.get("reviews")
        if reviews and not recommendations_to_ask_about(reviews).exists():
            self.add_error("reviews", "The reviews you chose have no open recommendations")
        return data


def _id(value: str | None) -> int | None:
    """An id from the query string, or None for anything that is not a plausible one."""
    return int(value) if value and value.isascii() and value.isdigit() and len(value) < 10 else None


def initial_from_query(query, today) -> dict:
    """What the form starts with when reached from a meeting (`?meeting=`: its work programme's
    reviews ticked) or a review (`?review=`: it ticked, with its next progress report's meeting)."""
    from .asking import default_deadline, reviews_on_work_programme

    upcoming = Meeting.objects.upcoming(today)
    meeting = upcoming.filter(pk=_id(query.get("meeting"))).first()
    review = Review.objects.filter(pk=_id(query.get("review"))).first()
    if review and not meeting:
        meeting = upcoming.filter(
            work_programme_items__review=review, work_programme_items__kind="progress_report"
        ).first()
    initial = {}
    if meeting:
        initial["meeting"] = meeting
        initial["deadline"] = default_deadline(meeting, today)
        initial["reviews"] = list(reviews_on_work_programme(meeting))
    if review and review not in initial.get("reviews", []):
        initial["reviews"] = [*initial.get("reviews", []), review]
    return initial


def back_url(query) -> str:
    """Where "Back" and "Cancel" go: the meeting or review the form was reached from, else the
    dashboard."""
    if meeting := _id(query.get("meeting")):
        return reverse("recommendations:show_meeting", args=[meeting])
    if review := _id(query.get("review")):
        return reverse("recommendations:show_review", args=[review])
    return reverse("recommendations:show_dashboard")
