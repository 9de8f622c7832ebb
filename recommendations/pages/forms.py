from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format

from reviews.models import Meeting, Organisation, Review, User
from scrutiny.editing import VersionedModelForm
from scrutiny.forms import (
    Form,
    GovUKCheckboxes,
    GovUKDateField,
    GovUKRadios,
    ModelChoiceField,
    ModelMultipleChoiceField,
    SingleLineField,
)
from scrutiny.text import LONG_TEXT_MAX

from .. import access
from ..choices import Closure, Response, Status
from ..models import MAX_EVIDENCE_FILES, Recommendation, evidence

NARRATIVE_MAX = LONG_TEXT_MAX
TEXT_MAX = LONG_TEXT_MAX


class MultipleFileInput(forms.ClearableFileInput):
    """A file input that takes several files (Django's documented way)."""

    allow_multiple_selected = True
    template_name = "django/forms/widgets/input.html"


class EvidenceField(forms.FileField):
    """Up to MAX_EVIDENCE_FILES files, each with a safe name, of an allowed kind by its content
    and at most 20 MB. Cleans to a list of (uploaded file, content type)."""

    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("class", "govuk-file-upload")

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > MAX_EVIDENCE_FILES:
            raise ValidationError(
                f"You can add at most {MAX_EVIDENCE_FILES} files to an update; you chose "
                f"{len(files)}."
            )
        errors, cleaned = [], []
        for uploaded in files:
            try:
                evidence.check_name(uploaded.name)
                cleaned.append((uploaded, evidence.check_content(uploaded)))
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return cleaned


def max_length_message(label: str, limit: int) -> str:
    return f"{label} must be {limit:,} characters or fewer"


class ProgressUpdateForm(Form):
    """A dated statement of progress; Slipped also revises the recommendation's target date."""

    as_at = GovUKDateField(
        label="Date",
        initial=timezone.localdate,
        not_after=timezone.localdate,
        help_text="The date this update speaks for, for example 27 3 2025.",
        error_messages={"required": "Enter the date this update speaks for"},
    )
    status = forms.ChoiceField(
        label="Status",
        choices=Status.choices,
        widget=GovUKRadios(hints={status.value: status.meaning for status in Status}),
        error_messages={
            "required": "Select the status of the recommendation",
            "invalid_choice": "Select one of the statuses listed",
        },
    )
    narrative = forms.CharField(
        label="Progress update",
        max_length=NARRATIVE_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="What has happened since the last update. Committee members will read this.",
        error_messages={
            "required": "Enter the progress update",
            "max_length": max_length_message("Progress update", NARRATIVE_MAX),
        },
    )
    revised_target_date = GovUKDateField(
        label="Revised target date",
        required=False,
        help_text="For example 31 7 2026.",
    )
    revision_reason = forms.CharField(
        label="Reason for revising",
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": max_length_message("Reason for revising", TEXT_MAX)},
    )

    evidence = EvidenceField(
        label="Evidence (optional)",
        help_text=f"Up to {MAX_EVIDENCE_FILES} files, each up to 20 MB: {evidence.KINDS_TEXT}.",
    )

    # Asked only when the status is Slipped (revealed beneath that choice).
    slipped_fields = ("revised_target_date", "revision_reason")
    # The order of the page, so the error summary lists problems in the order they appear.
    field_order = ["as_at", "status", *slipped_fields, "narrative", "evidence"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Bound to the date field's own messages ("Date must be a real date" and so on).
        self.fields["as_at"].error_messages["required"] = "Enter the date this update speaks for"

    @property
    def is_slipped(self) -> bool:
        return self["status"].value() == Status.SLIPPED

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") != Status.SLIPPED:
            # Fields under an unchosen option are ignored, as the design system's reveal implies.
            for name in self.slipped_fields:
                self.errors.pop(name, None)
                cleaned[name] = None if name == "revised_target_date" else ""
            return cleaned
        revised = cleaned.get("revised_target_date")
        if revised is None and "revised_target_date" not in self.errors:
            self.add_error("revised_target_date", "Enter the revised target date")
        if not cleaned.get("revision_reason", "").strip() and "revision_reason" not in self.errors:
            self.add_error("revision_reason", "Enter the reason for revising the target date")
        as_at = cleaned.get("as_at")
        if revised and as_at and revised < as_at:
            self.add_error(
                "revised_target_date",
                "Revised target date must be on or after the date of the update",
            )
        return cleaned


class RecommendationForm(VersionedModelForm):
    number = SingleLineField(
        label="Number",
        max_length=20,
        help_text="As the review wrote it, for example 3 or R12.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "spellcheck": "false"}),
        error_messages={
            "required": "Enter the number of the recommendation",
            "max_length": "Number must be 20 characters or fewer",
        },
    )
    text = forms.CharField(
        label="Recommendation",
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": "Enter the text of the recommendation",
            "max_length": max_length_message("Recommendation", TEXT_MAX),
        },
    )
    lead_organisation = ModelChoiceField(
        Organisation.objects.all(),
        label="Lead organisation",
        required=False,
        empty_label="None yet",
        error_messages={"invalid_choice": "Select a lead organisation from the list"},
    )
    lead_officer = ModelChoiceField(
        User.objects.none(),
        label="Lead officer",
        required=False,
        empty_label="None",
        help_text="An officer who may then add progress updates to it.",
        error_messages={"invalid_choice": "Select a lead officer from the list"},
    )
    partners = ModelMultipleChoiceField(
        Organisation.objects.all(),
        label="Partners",
        required=False,
        widget=GovUKCheckboxes,
        help_text="Organisations that support the lead. Their officers may add progress updates.",
        error_messages={"invalid_choice": "Select partners from the list"},
    )
    response = forms.ChoiceField(
        label="Executive response",
        choices=Response.choices,
        widget=GovUKRadios,
        error_messages={
            "required": "Select the executive response",
            "invalid_choice": "Select one of the responses listed",
        },
    )
    response_text = forms.CharField(
        label="Reasons given with the response",
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "max_length": max_length_message("Reasons given with the response", TEXT_MAX)
        },
    )
    target_date = GovUKDateField(
        label="Target date", required=False, help_text="For example 31 3 2026."
    )
    is_priority = forms.BooleanField(label="Priority recommendation", required=False)

    class Meta:
        model = Recommendation
        fields = [
            "number",
            "text",
            "lead_organisation",
            "lead_officer",
            "partners",
            "response",
            "response_text",
            "target_date",
            "is_priority",
        ]

    def __init__(self, *args, review: Review | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.review = review or self.instance.review
        self.fields["lead_officer"].queryset = access.possible_lead_officers(
            self.instance.lead_officer
        )

    def clean_number(self) -> str:
        number = self.cleaned_data["number"].strip()
        clash = Recommendation.objects.filter(review=self.review, number=number).exclude(
            pk=self.instance.pk
        )
        if clash.exists():
            raise ValidationError(f"This review already has a recommendation {number}")
        return number

    def clean(self):
        cleaned = super().clean()
        lead, partners = cleaned.get("lead_organisation"), cleaned.get("partners")
        if lead and partners and lead in partners:
            self.add_error("partners", "The lead organisation cannot also be a partner")
        return cleaned

    def validate_unique(self):
        # The number's uniqueness within its review is checked in clean_number.
        pass

    def save(self, commit: bool = True):
        if self.instance.pk is None:
            self.instance.review = self.review
        return super().save(commit)


class ClosureForm(VersionedModelForm):
    """The committee's sign-off, recorded by the clerk: the meeting, and how it closed."""

    closed_at_meeting = ModelChoiceField(
        Meeting.objects.none(),
        label="Meeting",
        help_text="The meeting of the committee that signed it off.",
        empty_label="Select a meeting",
        error_messages={
            "required": "Select the meeting at which the committee signed it off",
            "invalid_choice": "Select one of the meetings listed",
        },
    )
    closure = forms.ChoiceField(
        label="How it closed",
        choices=Closure.choices,
        widget=GovUKRadios,
        error_messages={
            "required": "Select how it closed",
            "invalid_choice": "Select one of the ways listed",
        },
    )

    class Meta:
        model = Recommendation
        fields = ["closed_at_meeting", "closure"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["closed_at_meeting"].queryset = Meeting.objects.filter(
            committee=self.instance.review.committee_id, date__lte=timezone.localdate()
        ).select_related("committee")
        self.fields["closed_at_meeting"].label_from_instance = lambda m: date_format(m.date)
