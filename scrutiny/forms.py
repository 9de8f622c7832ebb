"""GOV.UK Design System form markup for every form in the project.

Every field renders through `templates/includes/field.html` (label or legend, hint, error message,
widget); widgets get the design system's classes here, so templates only say `{{ field.as_field_group }}`.
"""

import datetime
import re
from collections.abc import Iterable

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import connections, models
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.utils.formats import localize
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from .dates import EARLIEST, LATEST, range_message
from .text import SingleLineFormField

WIDGET_CLASSES = {
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "govukselect": "govuk-select",
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
    """The design system's checkboxes. `render` writes, in Python, the HTML the two templates
    below give (tests/test_forms.py compares them): through the templates, each option is an
    include, which cost the register a millisecond a box."""

    template_name = "includes/widgets/checkboxes.html"
    option_template_name = "includes/widgets/checkbox_option.html"

    def id_for_label(self, id_, index="0"):
        return f"{id_}_{index}" if id_ else ""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        boxes = format_html_join(
            "",
            '<div class="govuk-checkboxes__item">\n'
            '  <input class="govuk-checkboxes__input" type="checkbox" name="{}" value="{}"'
            ' id="{}"{}>\n'
            '  <label class="govuk-label govuk-checkboxes__label" for="{}">{}</label>\n'
            "</div>\n",
            (
                (
                    option["name"],
                    str(option["value"]),
                    option["attrs"].get("id", ""),
                    SafeString(" checked") if option["attrs"].get("checked") else "",
                    option["attrs"].get("id", ""),
                    localize(option["label"]),
                )
                for _, options, _ in widget["optgroups"]
                for option in options
            ),
        )
        return format_html(
            '<div class="govuk-checkboxes govuk-checkboxes--small"'
            ' data-module="govuk-checkboxes">\n  {}\n</div>',
            boxes,
        )


def html_attributes(attrs: dict) -> SafeString:
    """A widget's attributes as Django's `django/forms/widgets/attrs.html` writes them, each
    after a space: `name="value"`, or the name alone for True; False leaves one out."""
    if not attrs:  # as most options have
        return SafeString()
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
            for name, value in attrs.items()
            if value is not False
        ),
    )


class GovUKSelect(forms.Select):
    """A drop-down whose options are written in Python, in the same HTML as Django's Select.

    Django draws each <option> through a template include: for a list of a couple of hundred
    organisations that took longer than the rest of the register page. The choices, the one
    selected and the attributes come from Django's own `get_context()`; only the drawing is
    here, `django/forms/widgets/select.html` and `select_option.html` written with
    `format_html` (tests/test_forms.py compares the two). The project's ModelChoiceField uses it.
    """

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        groups = widget["optgroups"]
        if any(group_name for group_name, _, _ in groups):
            options = format_html_join("", "{}", ((_optgroup(*group),) for group in groups))
        else:  # the usual case: each choice a group of one without a name
            options = _options(option for _, group, _ in groups for option in group)
        return format_html(
            '<select name="{}"{}>{}\n</select>',
            widget["name"],
            html_attributes(widget["attrs"]),
            options,
        )


def _options(options: Iterable[dict]) -> SafeString:
    return format_html_join(
        "",
        # The value as `stringformat:'s'` writes it, the label localized as {{ }} would be.
        '\n  <option value="{}"{}>{}</option>\n',
        (
            (option["value"], html_attributes(option["attrs"]), localize(option["label"]))
            for option in options
        ),
    )


def _optgroup(group_name, options: list[dict], index: int) -> SafeString:
    if not group_name:
        return _options(options)
    return format_html('\n  <optgroup label="{}">{}\n  </optgroup>', group_name, _options(options))


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
    """A date from day, month and year boxes, with the design system's error messages.

    Only dates between scrutiny.dates.EARLIEST and LATEST are accepted, as the models require;
    `not_after` (a callable, such as `timezone.localdate`) refuses later dates too.
    """

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
        if not all(part.isascii() and part.isdigit() for part in (day, month, year)):
            raise ValidationError(f"{label} must be a real date", code="invalid")
        if len(year) != 4:
            raise ValidationError("Year must include 4 numbers", code="invalid_year")
        # Checked as text first: a day or month of many digits is not a date, and would not
        # fit the C integers the calendar uses.
        if len(day.lstrip("0")) > 2 or len(month.lstrip("0")) > 2:
            raise ValidationError(f"{label} must be a real date", code="invalid")
        try:
            return datetime.date(int(year), int(month), int(day))
        except (ValueError, OverflowError):
            raise ValidationError(f"{label} must be a real date", code="invalid") from None

    def validate(self, value):
        super().validate(value)
        label = (self.label or "Date").capitalize()
        if value and not EARLIEST <= value <= LATEST:
            raise ValidationError(range_message(label), code="out_of_range")
        if value and self.not_after and value > self.not_after():
            raise ValidationError(f"{label} must be today or in the past", code="in_future")


# A single line of text, without the invisible characters that make text read differently from
# what is stored (see scrutiny/text.py): numbers, titles and names.
SingleLineField = SingleLineFormField


def _key_field(queryset: models.QuerySet, to_field_name: str | None) -> models.Field:
    """The model field a choice names: `to_field_name`, or the primary key."""
    field = (
        queryset.model._meta.get_field(to_field_name) if to_field_name else queryset.model._meta.pk
    )
    # A one-to-one primary key: the field of the key it holds.
    return field.target_field if field.is_relation else field


def _integer_range(queryset: models.QuerySet, to_field_name: str | None) -> tuple | None:
    """The range of the integers the database stores in the field a choice names, or None when
    the field is not an integer (a slug, say)."""
    internal_type = _key_field(queryset, to_field_name).get_internal_type()
    if "Integer" not in internal_type and "AutoField" not in internal_type:
        return None
    return connections[queryset.db].ops.integer_field_range(internal_type)


def _out_of_range(queryset: models.QuerySet, to_field_name: str | None, value) -> bool:
    """Is `value` an integer no row could have, one a database cannot even be asked about (on
    SQLite, a number beyond 64 bits raises an OverflowError rather than finding nothing)?"""
    if isinstance(value, models.Model) or value in (None, ""):
        return False
    try:
        number = int(str(value).strip())
    except ValueError:  # not a number: the field's own check refuses it
        return False
    bounds = _integer_range(queryset, to_field_name)
    if bounds is None:
        return False
    low, high = bounds
    return (low is not None and number < low) or (high is not None and number > high)


def _cannot_be_looked_up(queryset: models.QuerySet, to_field_name: str | None, value) -> bool:
    """Is `value` something no query for the field should be given: out of the database's range,
    or not a value of the field's type at all (" " for an integer key)? The admin's autocomplete
    widget looks up whatever was sent when it shows the form again, and fails on either."""
    if isinstance(value, models.Model) or value in (None, ""):
        return False
    if _out_of_range(queryset, to_field_name, value):
        return True
    try:
        _key_field(queryset, to_field_name).to_python(value)
    except ValidationError:
        return True
    return False


class ModelChoiceField(forms.ModelChoiceField):
    """A choice of one record that refuses an id out of the database's range as an invalid
    choice, instead of failing on the query. A drop-down unless told otherwise: `GovUKSelect`,
    quick to draw however many records there are."""

    widget = GovUKSelect

    def to_python(self, value):
        if _out_of_range(self.queryset, self.to_field_name, value):
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return super().to_python(value)

    def bound_data(self, data, initial):
        # The form is shown again with what was sent; a widget that looks the value up (the
        # admin's autocomplete) must not be given one the database cannot be asked about, nor
        # one that is not a key at all.
        data = super().bound_data(data, initial)
        return None if _cannot_be_looked_up(self.queryset, self.to_field_name, data) else data


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A choice of several records that refuses ids out of the database's range as invalid
    choices, instead of failing on the query."""

    def _check_values(self, value):
        for pk in value:  # clean() has made sure it is a list or tuple
            if _out_of_range(self.queryset, self.to_field_name, pk):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)

    def bound_data(self, data, initial):
        data = super().bound_data(data, initial)
        if isinstance(data, list | tuple):
            return [
                value
                for value in data
                if not _cannot_be_looked_up(self.queryset, self.to_field_name, value)
            ]
        return data


class SignInForm(GovUKFormMixin, AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"
        # Django sets the username's max_length after the field is built, so it reaches only the
        # HTML: a longer username went on to authenticate() and django-axes, whose record of the
        # failure cannot hold it (a 500 on PostgreSQL). No account has such a name.
        username = self.fields["username"]
        username.validators.append(
            MaxLengthValidator(
                username.max_length,
                f"Usernames are {username.max_length} characters or fewer",
            )
        )
