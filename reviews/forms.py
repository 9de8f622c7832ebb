import re

from django import forms
from django.core.exceptions import ValidationError

from scrutiny.editing import VersionedModelForm
from scrutiny.forms import GovUKDateField, GovUKRadios, ModelChoiceField, SingleLineField

from .models import Committee, Review


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
