"""The project's GOV.UK form rendering and its date field."""

import datetime

import pytest
from django import forms

from reviews.models import Organisation
from scrutiny.forms import (
    Form,
    GovUKCheckboxes,
    GovUKDateField,
    GovUKFormRenderer,
    GovUKRadios,
    GovUKSelect,
    ModelChoiceField,
)
from tests.factories import make_organisation


class ExampleForm(Form):
    number = forms.IntegerField(
        label="Appendix number", widget=forms.TextInput(attrs={"class": "govuk-input--width-2"})
    )
    when = GovUKDateField(label="Date", not_after=lambda: datetime.date(2019, 1, 21))
    status = forms.ChoiceField(
        label="Status",
        choices=[("a", "Alpha"), ("b", "Beta")],
        widget=GovUKRadios(hints={"a": "The first"}),
    )


def valid_data(**changes):
    data = {"number": "2", "when_day": "21", "when_month": "1", "when_year": "2019", "status": "a"}
    data.update(changes)
    return data


def test_a_text_input_keeps_its_width_class_beside_the_design_system_class():
    html = str(ExampleForm()["number"])
    assert 'class="govuk-input govuk-input--width-2"' in html


def test_an_invalid_input_is_marked_and_described_by_its_error():
    form = ExampleForm(valid_data(number="two"))
    assert not form.is_valid()
    html = form["number"].as_field_group()
    assert "govuk-form-group--error" in html
    assert "govuk-input--error" in html
    assert 'aria-describedby="id_number_error"' in html
    assert 'id="id_number_error"' in html


def test_radios_carry_their_hints_and_the_error_summary_links_to_the_first():
    form = ExampleForm(valid_data(status=""))
    assert not form.is_valid()
    assert form.errors["status"] == ["Select status"]
    assert form["status"].id_for_label == "id_status_0"
    assert "The first" in str(form["status"])


def test_a_date_is_read_from_its_three_boxes():
    form = ExampleForm(valid_data())
    assert form.is_valid(), form.errors
    assert form.cleaned_data["when"] == datetime.date(2019, 1, 21)


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("", "", "", "Enter date"),
        ("21", "", "2019", "Date must include a month"),
        ("", "", "2019", "Date must include a day and month"),
        ("31", "2", "2019", "Date must be a real date"),
        ("x", "2", "2019", "Date must be a real date"),
        ("1", "2", "19", "Year must include 4 numbers"),
        ("22", "1", "2019", "Date must be today or in the past"),
    ],
)
def test_a_bad_date_gets_the_design_systems_message(day, month, year, message):
    form = ExampleForm(valid_data(when_day=day, when_month=month, when_year=year))
    assert not form.is_valid()
    assert form.errors["when"] == [message]


CHOICES = [
    ("", "All organisations"),
    ("1", "Tom & Jerry <Ltd>"),
    ("2", "Police"),
    ("Partners & <others>", [("3", "Fire"), ("4", "Health & care")]),
]


def draw(widget_class, value, attrs=None, choices=CHOICES) -> str:
    widget = widget_class(choices=choices)
    return widget.render("lead", value, attrs, renderer=GovUKFormRenderer())


@pytest.mark.parametrize(
    ("value", "attrs"),
    [
        ("2", {"id": "id_lead", "class": "govuk-select"}),
        ("", {"id": "id_lead"}),
        (None, None),
        ("4", {"id": "id_lead", "class": "govuk-select govuk-select--error"}),
        ("9", {"id": "id_lead", "aria-invalid": "true", "aria-describedby": "id_lead_error"}),
        ("1", {"required": True, "disabled": False, "data-count": 0}),
    ],
)
def test_a_drop_down_draws_the_html_of_djangos_own_select(value, attrs):
    assert draw(GovUKSelect, value, attrs) == draw(forms.Select, value, attrs)


BOXES = [("on_track", "On track"), ("a&b", "Tom & <Jerry>"), (3, "Three")]


@pytest.mark.parametrize(
    ("value", "attrs"),
    [
        (["on_track"], {"id": "id_status"}),
        ([], {"id": "id_status"}),
        (["a&b", "3"], {"id": "id_status"}),
        (None, None),
    ],
)
def test_checkboxes_draw_the_html_of_their_templates(value, attrs):
    widget = GovUKCheckboxes(choices=BOXES)
    drawn = widget.render("status", value, attrs, renderer=GovUKFormRenderer())
    through_templates = forms.CheckboxSelectMultiple.render(
        widget, "status", value, attrs, renderer=GovUKFormRenderer()
    )
    assert drawn == through_templates
    assert "Tom &amp; &lt;Jerry&gt;" in drawn


def test_a_drop_down_escapes_the_names_of_its_choices():
    html = draw(GovUKSelect, "")
    assert '<option value="1">Tom &amp; Jerry &lt;Ltd&gt;</option>' in html
    assert '<optgroup label="Partners &amp; &lt;others&gt;">' in html
    assert "<Ltd>" not in html
    assert "<others>" not in html


def test_a_drop_down_selects_the_chosen_option_and_no_other():
    html = draw(GovUKSelect, "4")
    assert '<option value="4" selected>Health &amp; care</option>' in html
    assert html.count("selected") == 1


def test_a_drop_down_starts_with_its_empty_choice_chosen_when_nothing_is():
    html = draw(GovUKSelect, None)
    assert html.startswith(
        '<select name="lead">\n  <option value="" selected>All organisations</option>'
    )
    assert html.count("selected") == 1


class LeadForm(Form):
    lead = ModelChoiceField(
        Organisation.objects.order_by("name"),
        label="Lead organisation",
        required=False,
        empty_label="All organisations",
    )


@pytest.mark.django_db
def test_a_choice_of_a_record_is_a_design_system_drop_down_that_keeps_the_choice():
    police = make_organisation("Police & <Crime> Commissioner")
    make_organisation("Fire")
    form = LeadForm({"lead": str(police.pk)})
    assert form.is_valid(), form.errors
    html = form["lead"].as_field_group()
    assert (
        '<label class="govuk-label govuk-label--s" for="id_lead">Lead organisation</label>' in html
    )
    assert '<select name="lead" class="govuk-select" id="id_lead">' in html
    assert '<option value="">All organisations</option>' in html
    assert (
        f'<option value="{police.pk}" selected>Police &amp; &lt;Crime&gt; Commissioner</option>'
        in html
    )


@pytest.mark.django_db
def test_a_drop_down_with_an_error_is_marked_and_described_by_it():
    form = LeadForm({"lead": "999999"})
    assert not form.is_valid()
    html = form["lead"].as_field_group()
    assert "govuk-form-group--error" in html
    assert 'class="govuk-select govuk-select--error"' in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_lead_error"' in html
