import datetime
import threading
import time

import pytest
from django.db import connection

from recommendations.choices import Response
from scrutiny.editing import VersionedModelForm
from tests.factories import make_organisation, make_recommendation, make_user

D = datetime.date


def url(recommendation) -> str:
    return f"/recommendations/{recommendation.pk}/edit/"


def form_data(recommendation, **changes) -> dict:
    target = recommendation.target_date
    data = {
        "version": str(recommendation.version),
        "number": recommendation.number,
        "text": recommendation.text,
        "lead_organisation": str(recommendation.lead_organisation_id or ""),
        "lead_officer": str(recommendation.lead_officer_id or ""),
        "partners": [str(p.pk) for p in recommendation.partners.all()],
        "response": recommendation.response,
        "response_text": recommendation.response_text,
        "target_date_day": str(target.day) if target else "",
        "target_date_month": str(target.month) if target else "",
        "target_date_year": str(target.year) if target else "",
    }
    if recommendation.is_priority:
        data["is_priority"] = "on"
    data.update(changes)
    return data


@pytest.fixture
def other_clerk(db):
    """A second scrutiny officer, editing at the same time as `clerk`."""
    return make_user("clerk2", role="Scrutiny officer", first_name="Kit", last_name="Clerk")


@pytest.mark.django_db
def test_the_form_opens_at_the_current_version_and_values(client, clerk, recommendation):
    recommendation.version = 4
    recommendation.save()
    client.force_login(clerk)
    content = client.get(url(recommendation)).content.decode()
    assert '<input type="hidden" name="version" value="4"' in content
    assert "That the council works with the university.</textarea>" in content
    assert 'name="target_date_day" type="text" inputmode="numeric" value="31"' in content


@pytest.mark.django_db
def test_it_saves_every_field_in_one_history_row_against_the_clerk(
    client, clerk, officer, recommendation, other_organisation
):
    partner = make_organisation("University of Bath")
    client.force_login(clerk)

    response = client.post(
        url(recommendation),
        form_data(
            recommendation,
            number="R3",
            text="That the council works with two universities.",
            lead_organisation=str(other_organisation.pk),
            lead_officer=str(officer.pk),
            partners=[str(partner.pk)],
            response=Response.ACCEPTED,
            response_text="Agreed.",
            target_date_day="30",
            target_date_month="6",
            target_date_year="2031",
            is_priority="on",
        ),
    )

    assert response.status_code == 302
    assert response["Location"] == f"/recommendations/{recommendation.pk}/"
    recommendation.refresh_from_db()
    assert recommendation.number == "R3"
    assert recommendation.text == "That the council works with two universities."
    assert recommendation.lead_organisation == other_organisation
    assert recommendation.lead_officer == officer
    assert list(recommendation.partners.all()) == [partner]
    assert (recommendation.response, recommendation.response_text) == (Response.ACCEPTED, "Agreed.")
    assert recommendation.target_date == D(2031, 6, 30)
    assert recommendation.is_priority
    assert recommendation.version == 2
    assert recommendation.history.count() == 2  # created, then this one edit
    edit = recommendation.history.first()
    assert edit.history_user == clerk
    changed = set(edit.diff_against(recommendation.history.last()).changed_fields)
    assert {"number", "text", "lead_organisation", "partners", "response", "is_priority"} <= changed


@pytest.mark.django_db
def test_saving_with_no_changes_writes_nothing(client, clerk, recommendation):
    client.force_login(clerk)
    response = client.post(url(recommendation), form_data(recommendation), follow=True)
    assert "No changes were made" in response.content.decode()
    recommendation.refresh_from_db()
    assert recommendation.version == 1
    assert recommendation.history.count() == 1


@pytest.mark.django_db
def test_a_second_edit_opened_at_the_same_version_is_refused_and_nothing_is_lost(
    client, clerk, other_clerk, recommendation
):
    opened = form_data(recommendation)  # both open the form at version 1
    client.force_login(clerk)
    first = client.post(url(recommendation), {**opened, "text": "Their wording."})
    assert first.status_code == 302

    client.force_login(other_clerk)
    second = client.post(url(recommendation), {**opened, "text": "My <em>own</em> wording."})

    assert second.status_code == 409
    content = second.content.decode()
    assert "Someone else changed this while you were editing it" in content
    assert "Cleo Clerk saved a newer version" in content
    # Their version beside yours, and what was typed still in the form (escaped).
    assert '<td class="govuk-table__cell app-pre-wrap">Their wording.</td>' in content
    assert (
        '<td class="govuk-table__cell app-pre-wrap">My &lt;em&gt;own&lt;/em&gt; wording.</td>'
        in content
    )
    assert "My &lt;em&gt;own&lt;/em&gt; wording.</textarea>" in content
    assert '<input type="hidden" name="version" value="2"' in content
    assert "Save my version" in content
    recommendation.refresh_from_db()
    assert recommendation.text == "Their wording."
    assert recommendation.version == 2
    assert recommendation.history.count() == 2
    history = client.get(f"/recommendations/{recommendation.pk}/history/").content.decode()
    assert history.count("Changed by") == 1
    assert "Changed by Cleo Clerk" in history

    # Saving again from the conflict page is a deliberate choice, and goes through.
    again = client.post(url(recommendation), {**opened, "version": "2", "text": "My wording."})
    assert again.status_code == 302
    recommendation.refresh_from_db()
    assert (recommendation.text, recommendation.version) == ("My wording.", 3)
    assert recommendation.history.first().history_user == other_clerk


@pytest.mark.django_db
@pytest.mark.parametrize("version", ["", "abc", "0", "-1", "1.5"])
def test_a_tampered_version_is_explained_and_changes_nothing(
    client, clerk, recommendation, version
):
    client.force_login(clerk)
    response = client.post(
        url(recommendation), form_data(recommendation, version=version, text="New.")
    )
    assert response.status_code == 200
    assert "This form is out of date or was changed before it was sent" in response.content.decode()
    recommendation.refresh_from_db()
    assert (recommendation.text, recommendation.version) == (
        "That the council works with the university.",
        1,
    )


@pytest.mark.django_db
def test_a_version_from_the_future_is_refused_as_a_conflict(client, clerk, recommendation):
    client.force_login(clerk)
    response = client.post(
        url(recommendation), form_data(recommendation, version="99", text="New.")
    )
    assert response.status_code == 409
    recommendation.refresh_from_db()
    assert recommendation.version == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field_id", "message"),
    [
        ({"number": " "}, "id_number", "Enter the number of the recommendation"),
        ({"number": "1" * 21}, "id_number", "Number must be 20 characters or fewer"),
        ({"number": "4"}, "id_number", "This review already has a recommendation 4"),
        ({"text": ""}, "id_text", "Enter the text of the recommendation"),
        ({"text": "x" * 10_001}, "id_text", "Recommendation must be 10,000 characters or fewer"),
        (
            {"lead_organisation": "999999"},
            "id_lead_organisation",
            "Select a lead organisation from the list",
        ),
        ({"lead_officer": "999999"}, "id_lead_officer", "Select a lead officer from the list"),
        ({"partners": ["999999"]}, "id_partners_0", "Select partners from the list"),
        ({"response": "maybe"}, "id_response_0", "Select one of the responses listed"),
        ({"response": ""}, "id_response_0", "Select the executive response"),
        (
            {"target_date_day": "30", "target_date_month": "2"},
            "id_target_date_day",
            "Target date must be a real date",
        ),
        ({"target_date_year": "20301"}, "id_target_date_day", "Year must include 4 numbers"),
    ],
)
def test_bad_input_is_explained_and_changes_nothing(
    client, clerk, recommendation, changes, field_id, message
):
    make_recommendation("4", review=recommendation.review)
    client.force_login(clerk)

    response = client.post(url(recommendation), form_data(recommendation, **changes))

    assert response.status_code == 200
    content = response.content.decode()
    assert "There is a problem" in content
    assert f'<a href="#{field_id}">{message}</a>' in content
    recommendation.refresh_from_db()
    assert recommendation.version == 1
    assert recommendation.history.count() == 1


@pytest.mark.django_db
def test_a_councillor_cannot_be_made_lead_officer(client, clerk, councillor, recommendation):
    client.force_login(clerk)
    response = client.post(
        url(recommendation), form_data(recommendation, lead_officer=str(councillor.pk))
    )
    assert "Select a lead officer from the list" in response.content.decode()


@pytest.mark.django_db
def test_the_lead_cannot_also_be_a_partner(client, clerk, recommendation, lead_organisation):
    client.force_login(clerk)
    response = client.post(
        url(recommendation), form_data(recommendation, partners=[str(lead_organisation.pk)])
    )
    assert '<a href="#id_partners_0">The lead organisation cannot also be a partner</a>' in (
        response.content.decode()
    )
    assert not recommendation.partners.exists()


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_saves_cannot_both_pass_the_version_check(monkeypatch, roles_after_flush):
    """Both requests validate at version 1; the row lock makes the second see the first's save."""
    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite's in-memory test database cannot hold two writing connections; "
            "file databases serialise writers with IMMEDIATE transactions instead"
        )
    from django.test import Client

    recommendation = make_recommendation("1", lead_organisation=make_organisation())
    clerks = [make_user(f"clerk{i}", role="Scrutiny officer") for i in range(2)]
    original = VersionedModelForm.is_out_of_date

    def slow_check(form):
        time.sleep(0.3)  # long enough for the other request to reach its own check
        return original(form)

    monkeypatch.setattr(VersionedModelForm, "is_out_of_date", slow_check)
    statuses = []
    start = threading.Barrier(2)

    def edit(user, text):
        try:
            browser = Client()
            browser.force_login(user)
            start.wait()
            response = browser.post(url(recommendation), form_data(recommendation, text=text))
            statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=edit, args=(clerks[0], "First.")),
        threading.Thread(target=edit, args=(clerks[1], "Second.")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses) == [302, 409]
    recommendation.refresh_from_db()
    assert recommendation.version == 2
    assert recommendation.history.count() == 2


@pytest.fixture
def roles_after_flush(transactional_db):
    """A transactional test's flush removes the role groups the migrations made; restore them."""
    import importlib

    from django.apps import apps

    importlib.import_module("recommendations.migrations.0003_create_roles").assign_role_permissions(
        apps
    )
