"""GOV.UK Design System form markup for every form in the project.

Every field renders through `templates/includes/field.html` (label or legend, hint, error message,
widget); widgets get the design system's classes here, so templates only say `{{ field.as_field_group }}`.
"""

import datetime
import re

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting

WIDGET_CLASSES = {
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "selectmultiple": "govuk-select",
    "clearablefile": "govuk-file-upload",
    "file": "govuk-file-upload",
    "checkbox": "govuk-checkboxes__input",
}


class GovUKFormRenderer(TemplatesSetting):
    form_template_name = "includes/form.html"
    field_template_name = "includes/field.html"


class GovUKBoundField(BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if isinstance(widget, forms.MultiWidget | forms.RadioSelect | forms.CheckboxSelectMultiple):
            return attrs
        css = WIDGET_CLASSES.get(self.widget_type, "govuk-input")
        classes = [css, widget.attrs.get("class", ""), attrs.get("class", "")]
        if self.errors and css != "govuk-checkboxes__input":
            classes.append(f"{css}--error")
        attrs["class"] = " ".join(c for c in classes if c)
        return attrs


class GovUKFormMixin:
    """Use on every form: GOV.UK classes, error ids Django's aria-describedby points at."""

    bound_field_class = GovUKBoundField
    default_renderer = GovUKFormRenderer

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if (
                field.error_messages.get("required")
                == forms.Field.default_error_messages["required"]
            ):
                verb = (
                    "Select"
                    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField)
                    else "Enter"
                )
                field.error_messages["required"] = f"{verb} {str(field.label or 'a value').lower()}"


class Form(GovUKFormMixin, forms.Form):
    pass


class ModelForm(GovUKFormMixin, forms.ModelForm):
    pass


class GovUKRadios(forms.RadioSelect):
    """Radios with an optional hint under each choice (`hints={value: text}`)."""

    template_name = "includes/widgets/radios.html"
    option_template_name = "includes/widgets/radio_option.html"

    def __init__(self, attrs=None, choices=(), hints=None):
        super().__init__(attrs, choices)
        self.hints = hints or {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["hint"] = self.hints.get(str(value), "")
        return option

    def id_for_label(self, id_, index="0"):
        # The error summary links to the first radio.
        return f"{id_}_{index}" if id_ else ""


class GovUKCheckboxes(forms.CheckboxSelectMultiple):
    template_name = "includes/widgets/checkboxes.html"
    option_template_name = "includes/widgets/checkbox_option.html"

    def id_for_label(self, id_, index="0"):
        return f"{id_}_{index}" if id_ else ""


class GovUKDateInput(forms.MultiWidget):
    """The design system's date input: separate day, month and year boxes in a fieldset."""

    template_name = "includes/widgets/date_input.html"
    use_fieldset = True

    def __init__(self, attrs=None):
        widgets = {
            "day": forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-2"}),
            "month": forms.TextInput(
                attrs={"inputmode": "numeric", "class": "govuk-input--width-2"}
            ),
            "year": forms.TextInput(
                attrs={"inputmode": "numeric", "class": "govuk-input--width-4"}
            ),
        }
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            year, month, day = value.split("-")
            return [int(day), int(month), int(year)]
        return [None, None, None]

    def value_from_datadict(self, data, files, name):
        parts = super().value_from_datadict(data, files, name)
        return [(part or "").strip() for part in parts]

    def value_omitted_from_data(self, data, files, name):
        return all(f"{name}_{part}" not in data for part in ("day", "month", "year"))

    def id_for_label(self, id_):
        return f"{id_}_day" if id_ else ""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for subwidget, part in zip(
            context["widget"]["subwidgets"], ("day", "month", "year"), strict=True
        ):
            subwidget["attrs"]["id"] = f"{attrs.get('id', name)}_{part}"
            subwidget["part"] = part
        context["widget"]["has_error"] = context["widget"]["attrs"].get("aria-invalid") == "true"
        return context


class GovUKDateField(forms.DateField):
    """A date from day, month and year boxes, with the design system's error messages."""

    widget = GovUKDateInput

    def __init__(self, *args, not_after: "callable | None" = None, **kwargs):
        self.not_after = not_after
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if isinstance(value, datetime.date) or value in self.empty_values:
            return super().to_python(value)
        if isinstance(value, str):
            return super().to_python(value)
        day, month, year = value
        label = (self.label or "Date").capitalize()
        if not (day or month or year):
            return None
        missing = [
            name for name, part in (("day", day), ("month", month), ("year", year)) if not part
        ]
        if missing:
            raise ValidationError(
                f"{label} must include a {' and '.join(missing)}", code="incomplete"
            )
        if not (day.isdigit() and month.isdigit() and year.isdigit()):
            raise ValidationError(f"{label} must be a real date", code="invalid")
        if len(year) != 4:
            raise ValidationError("Year must include 4 numbers", code="invalid_year")
        try:
            return datetime.date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(f"{label} must be a real date", code="invalid") from None

    def validate(self, value):
        super().validate(value)
        if value and self.not_after and value > self.not_after():
            label = (self.label or "Date").capitalize()
            raise ValidationError(f"{label} must be today or in the past", code="in_future")


class SignInForm(GovUKFormMixin, AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"
