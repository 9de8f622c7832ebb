"""The small form that chooses which appendix to show: as-at date, meeting, number, closed ones."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode

from reviews.models import Meeting, Review
from scrutiny.forms import Form, GovUKDateField, ModelChoiceField

from .build import DEFAULT_NUMBER, MAX_APPENDIX_NUMBER

EARLIEST_AS_AT = datetime.date(2000, 1, 1)


class MeetingChoiceField(ModelChoiceField):
    def label_from_instance(self, meeting: Meeting) -> str:
        return date_format(meeting.date)


class AppendixForm(Form):
    as_at = GovUKDateField(
        label="Position as at",
        help_text="For example, 21 1 2019. Updates dated after this are left out.",
    )
    meeting = MeetingChoiceField(
        label="Meeting of the committee",
        queryset=Meeting.objects.none(),
        required=False,
        empty_label="Not for a meeting",
        error_messages={"invalid_choice": "Select a meeting of this review's committee"},
    )
    number = forms.IntegerField(
        label="Appendix number",
        min_value=1,
        max_value=MAX_APPENDIX_NUMBER,
        error_messages={
            "required": "Enter the appendix number",
            "invalid": "Appendix number must be a whole number, like 2",
            "min_value": "Appendix number must be 1 or more",
            "max_value": f"Appendix number must be {MAX_APPENDIX_NUMBER} or less",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-2"}),
    )
    include_closed = forms.BooleanField(
        label="Include recommendations the committee has closed", required=False
    )

    def __init__(self, review: Review, *args, **kwargs):
        kwargs.setdefault("initial", {"as_at": timezone.localdate(), "number": DEFAULT_NUMBER})
        super().__init__(*args, **kwargs)
        self.review = review
        self.fields["meeting"].queryset = Meeting.objects.filter(
            committee_id=review.committee_id
        ).order_by("-date")

    def clean_as_at(self):
        as_at = self.cleaned_data["as_at"]
        if as_at < EARLIEST_AS_AT:
            raise forms.ValidationError(
                f"Position as at must be on or after {date_format(EARLIEST_AS_AT)}"
            )
        return as_at

    def query_string(self) -> str:
        """The chosen values as GET parameters, for the PDF link."""
        data = self.cleaned_data
        params = {
            "as_at_day": data["as_at"].day,
            "as_at_month": data["as_at"].month,
            "as_at_year": data["as_at"].year,
            "meeting": data["meeting"].pk if data.get("meeting") else "",
            "number": data["number"],
        }
        if data.get("include_closed"):
            params["include_closed"] = "on"
        return urlencode(params)


class PublishForm(AppendixForm):
    """The same choices, posted to publish: a published appendix always goes to a meeting."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A published copy speaks for what has happened (PublishedAppendix.clean says the same).
        self.fields["as_at"].not_after = timezone.localdate
        self.fields["meeting"].required = True
        self.fields["meeting"].error_messages["required"] = (
            "Select the meeting to publish the appendix to"
        )
