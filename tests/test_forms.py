"""The project's GOV.UK form rendering and its date field."""

import datetime

import pytest
from django import forms

from scrutiny.forms import Form, GovUKDateField, GovUKRadios


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
