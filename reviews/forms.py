import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.text import Truncator

from scrutiny.editing import VERSION_TAMPERED, VersionedModelForm
from scrutiny.forms import Form, GovUKDateField, GovUKRadios, ModelChoiceField, SingleLineField

from .models import Committee, Meeting, Review, WorkProgrammeItem


class ReviewForm(VersionedModelForm):
    committee = ModelChoiceField(
        Committee.objects.all(),
        label="Committee",
        error_messages={
            "required": "Select the committee",
            "invalid_choice": "Select a committee from the list",
        },
    )
    title = SingleLineField(
        label="Title",
        max_length=300,
        error_messages={
            "required": "Enter the title of the review",
            "max_length": "Title must be 300 characters or fewer",
        },
    )
    chaired_by = SingleLineField(
        label="Chaired by",
        required=False,
        max_length=200,
        help_text="The member who chaired the review, for example Cllr H Liddle.",
        error_messages={"max_length": "Chaired by must be 200 characters or fewer"},
    )
    municipal_year = SingleLineField(
        label="Municipal year",
        required=False,
        max_length=7,
        help_text="For example, 2017/18.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "spellcheck": "false"}),
        error_messages={"max_length": "Enter the municipal year like 2017/18"},
    )
    report_to_executive_date = GovUKDateField(
        label="Report to executive",
        required=False,
        help_text="When the review's report went to cabinet, for example 13 6 2018. The executive's response is due two months later.",
    )
    status = forms.ChoiceField(
        label="Status",
        choices=Review.Status.choices,
        widget=GovUKRadios,
        error_messages={
            "required": "Select the status of the review",
            "invalid_choice": "Select a status from the list",
        },
    )

    class Meta:
        model = Review
        fields = [
            "committee",
            "title",
            "chaired_by",
            "municipal_year",
            "report_to_executive_date",
            "status",
        ]

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        clash = Review.objects.filter(title=title).exclude(pk=self.instance.pk)
        if clash.exists():
            raise ValidationError("There is already a review with this title")
        return title

    def clean_municipal_year(self) -> str:
        year = self.cleaned_data["municipal_year"].strip()
        if not year:
            return year
        match = re.fullmatch(r"(\d{4})/(\d{2})", year)
        if not match or (int(match[1]) + 1) % 100 != int(match[2]):
            raise ValidationError("Enter the municipal year like 2017/18")
        return year

    def validate_unique(self):
        # Titles are checked in clean_title, with a clearer message than the model's.
        pass


class MeetingForm(VersionedModelForm):
    """A meeting of one committee: its date and, when it needs one, a title."""

    date = GovUKDateField(
        label="Date",
        help_text="For example, 5 11 2026.",
        error_messages={"required": "Enter the date of the meeting"},
    )
    title = SingleLineField(
        label="Title (optional)",
        required=False,
        max_length=200,
        help_text="For example, Special meeting on the budget.",
        error_messages={"max_length": "Title must be 200 characters or fewer"},
    )

    class Meta:
        model = Meeting
        fields = ["date", "title"]

    def __init__(self, *args, committee: Committee | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.committee = committee or self.instance.committee

    def clean_date(self):
        date = self.cleaned_data["date"]
        clash = Meeting.objects.filter(committee=self.committee, date=date).exclude(
            pk=self.instance.pk
        )
        if clash.exists():
            raise ValidationError(
                f"This committee already has a meeting on {date_format(date, 'j F Y')}"
            )
        return date

    def clean_title(self) -> str:
        return self.cleaned_data["title"].strip()

    def validate_unique(self):
        # One meeting a day per committee is checked in clean_date, with a clearer message.
        pass

    def save(self, commit: bool = True):
        if self.instance.pk is None:
            self.instance.committee = self.committee
        return super().save(commit)


# Room for "Progress report on " before a review title, within the item title's limit.
ITEM_TITLE_MAX = 300


def progress_report_title(review: Review) -> str:
    return Truncator(f"Progress report on {review.title}").chars(ITEM_TITLE_MAX)


def meeting_label(meeting: Meeting) -> str:
    """A meeting among its committee's: its date, and its title when it has one."""
    date = date_format(meeting.date, "j F Y")
    return f"{date}: {meeting.title}" if meeting.title else date


class WorkProgrammeItemForm(VersionedModelForm):
    """An item on a committee's work programme: a progress report on one of its reviews, or any
    other item with a title; on a meeting of the committee, or not yet scheduled."""

    kind = forms.ChoiceField(
        label="What is the item?",
        choices=WorkProgrammeItem.Kind.choices,
        widget=GovUKRadios(
            hints={
                WorkProgrammeItem.Kind.PROGRESS_REPORT: "Progress on a review's recommendations.",
                WorkProgrammeItem.Kind.OTHER: "Anything else the committee will consider.",
            }
        ),
        error_messages={
            "required": "Select what the item is",
            "invalid_choice": "Select one of the kinds of item listed",
        },
    )
    review = ModelChoiceField(
        Review.objects.none(),
        label="Review",
        required=False,
        empty_label="Select a review",
        help_text="Needed for a progress report: one of the committee's reviews.",
        error_messages={"invalid_choice": "Select a review of this committee from the list"},
    )
    title = SingleLineField(
        label="Title",
        required=False,
        max_length=ITEM_TITLE_MAX,
        help_text="Needed for any other item. A progress report is called after its review "
        "unless you give it a title.",
        error_messages={"max_length": f"Title must be {ITEM_TITLE_MAX} characters or fewer"},
    )
    meeting = ModelChoiceField(
        Meeting.objects.none(),
        label="Meeting",
        required=False,
        empty_label="Not yet scheduled",
        error_messages={"invalid_choice": "Select a meeting of this committee from the list"},
    )

    class Meta:
        model = WorkProgrammeItem
        fields = ["kind", "review", "title", "meeting"]

    def __init__(self, *args, meeting: Meeting | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.instance.committee = meeting.committee
            self.instance.meeting = meeting
            self.initial.setdefault("meeting", meeting.pk)
        self.committee = self.instance.committee
        self.fields["review"].queryset = self.committee.reviews.order_by("title")
        self.fields["meeting"].queryset = self.committee.meetings.order_by("-date")
        self.fields["meeting"].label_from_instance = meeting_label

    def clean(self):
        cleaned = super().clean()
        kind, review = cleaned.get("kind"), cleaned.get("review")
        title = (cleaned.get("title") or "").strip()
        if kind == WorkProgrammeItem.Kind.PROGRESS_REPORT:
            if review is None and "review" not in self.errors:
                self.add_error("review", "Select the review the progress report is on")
            elif review is not None and not title:
                title = progress_report_title(review)
        elif kind == WorkProgrammeItem.Kind.OTHER and not title and "title" not in self.errors:
            self.add_error("title", "Enter the title of the item")
        cleaned["title"] = title
        return cleaned


class RemoveWorkProgrammeItemForm(Form):
    """The confirmation of a removal, carrying the version of the item the clerk saw."""

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={
            "required": VERSION_TAMPERED,
            "invalid": VERSION_TAMPERED,
            "min_value": VERSION_TAMPERED,
        },
    )
