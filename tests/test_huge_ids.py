"""An id beyond the database's integers, in any form or admin field that names a record, is an
invalid choice with a clear error; never an OverflowError (SQLite) and a 500."""

import datetime

import pytest
from django.contrib.auth.models import Group

from recommendations.choices import Response
from recommendations.models import Recommendation
from reviews.models import Committee, Meeting, Organisation, Review
from scrutiny.forms import Form, ModelChoiceField, ModelMultipleChoiceField
from tests.factories import make_committee, make_meeting, make_recommendation, make_review

pytestmark = pytest.mark.django_db

HUGE = str(2**70)
HUGE_IDS = [HUGE, str(-(2**70)), str(2**63)]


@pytest.fixture
def recommendation(lead_organisation):
    return make_recommendation(
        "1",
        review=make_review("Review of potholes", committee=make_committee("Economy")),
        lead_organisation=lead_organisation,
    )


@pytest.fixture
def clerk_client(client, clerk):
    client.force_login(clerk)
    return client


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


class PartnersForm(Form):
    partners = ModelMultipleChoiceField(
        Organisation.objects.all(),
        error_messages={"invalid_choice": "Select partners from the list"},
    )
    lead = ModelChoiceField(
        Organisation.objects.all(),
        required=False,
        error_messages={"invalid_choice": "Select a lead from the list"},
    )


@pytest.mark.parametrize("huge", HUGE_IDS)
def test_a_multiple_choice_refuses_an_id_out_of_range(huge, lead_organisation):
    form = PartnersForm({"partners": [str(lead_organisation.pk), huge]})
    assert form.errors == {"partners": ["Select partners from the list"]}


@pytest.mark.parametrize("huge", HUGE_IDS)
def test_a_single_choice_refuses_an_id_out_of_range(huge, lead_organisation):
    form = PartnersForm({"partners": [str(lead_organisation.pk)], "lead": huge})
    assert form.errors == {"lead": ["Select a lead from the list"]}


def test_the_largest_id_a_database_stores_is_simply_not_found(lead_organisation):
    form = PartnersForm({"partners": [str(2**63 - 1)]})
    assert form.errors == {"partners": ["Select partners from the list"]}


def test_a_form_with_an_id_in_range_still_works(lead_organisation):
    form = PartnersForm({"partners": [str(lead_organisation.pk)], "lead": lead_organisation.pk})
    assert form.is_valid(), form.errors
    assert list(form.cleaned_data["partners"]) == [lead_organisation]


def edit(client, recommendation, **changes):
    data = {
        "version": str(recommendation.version),
        "number": recommendation.number,
        "text": recommendation.text,
        "lead_organisation": str(recommendation.lead_organisation_id),
        "response": Response.ACCEPTED,
        **changes,
    }
    return client.post(f"/recommendations/{recommendation.pk}/edit/", data)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"partners": [HUGE]}, "Select partners from the list"),
        ({"lead_organisation": HUGE}, "Select a lead organisation from the list"),
        ({"lead_officer": HUGE}, "Select a lead officer from the list"),
    ],
)
def test_the_recommendation_form_refuses_a_huge_id(clerk_client, recommendation, changes, message):
    response = edit(clerk_client, recommendation, **changes)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Recommendation.objects.get().version == recommendation.version


def test_the_review_form_refuses_a_huge_committee(clerk_client):
    response = clerk_client.post(
        "/reviews/add/",
        {"committee": HUGE, "title": "Review of potholes", "status": "in_progress"},
    )
    assert response.status_code == 200
    assert "Select a committee from the list" in response.content.decode()
    assert not Review.objects.exists()


def test_the_closure_form_refuses_a_huge_meeting(clerk_client, recommendation):
    response = clerk_client.post(
        f"/recommendations/{recommendation.pk}/close/",
        {"version": "1", "closed_at_meeting": HUGE, "closure": "implemented"},
    )
    assert response.status_code == 200
    assert "Select one of the meetings listed" in response.content.decode()
    assert Recommendation.objects.get().closure == ""


@pytest.mark.parametrize("name", ["committee", "review", "lead"])
def test_the_register_filters_refuse_a_huge_id(client, councillor, name):
    client.force_login(councillor)
    response = client.get("/register/", {name: HUGE})
    assert response.status_code == 200
    assert "from the list" in response.content.decode()


def test_the_appendix_form_refuses_a_huge_meeting(client, councillor, recommendation):
    client.force_login(councillor)
    response = client.get(
        f"/reviews/{recommendation.review_id}/progress-report/", {"meeting": HUGE}
    )
    assert response.status_code == 200
    assert "Select a meeting of this review&#x27;s committee" in response.content.decode()


# The admin: every foreign key and many-to-many field, Django's own Group admin included.


def admin_recommendation(recommendation, **changes):
    return {
        "review": recommendation.review_id,
        "number": recommendation.number,
        "text": recommendation.text,
        "response": Response.ACCEPTED,
        "closure": "",
        "updates-TOTAL_FORMS": "0",
        "updates-INITIAL_FORMS": "0",
        "_save": "Save",
        **changes,
    }


@pytest.mark.parametrize(
    "field", ["partners", "review", "lead_organisation", "lead_officer", "closed_at_meeting"]
)
def test_the_recommendation_admin_refuses_a_huge_id(admin_client, recommendation, field):
    value = [HUGE] if field == "partners" else HUGE
    response = admin_client.post(
        f"/admin/recommendations/recommendation/{recommendation.pk}/change/",
        admin_recommendation(recommendation, **{field: value}),
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert Recommendation.objects.get().version == recommendation.version


@pytest.mark.parametrize("value", [" ", "x", "1.5", "\U000ffee9"])
@pytest.mark.parametrize("field", ["review", "lead_organisation", "lead_officer", "partners"])
def test_the_recommendation_admin_refuses_a_choice_that_is_not_an_id(
    admin_client, recommendation, field, value
):
    # Found by the fuzz suite: the autocomplete widget looked " " up when it showed the form again.
    response = admin_client.post(
        f"/admin/recommendations/recommendation/{recommendation.pk}/change/",
        admin_recommendation(recommendation, **{field: [value] if field == "partners" else value}),
    )
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert Recommendation.objects.get().version == recommendation.version


def test_the_group_admin_refuses_a_huge_permission(admin_client):
    response = admin_client.post(
        "/admin/auth/group/add/", {"name": "Editors", "permissions": [HUGE]}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Group.objects.filter(name="Editors").exists()


@pytest.mark.parametrize("field", ["groups", "user_permissions", "organisation"])
def test_the_user_admin_refuses_a_huge_id(admin_client, officer, field):
    value = HUGE if field == "organisation" else [HUGE]
    response = admin_client.post(
        f"/admin/reviews/user/{officer.pk}/change/",
        {
            "username": officer.username,
            "date_joined_0": "2025-01-01",
            "date_joined_1": "09:00:00",
            "is_active": "on",
            field: value,
            "_save": "Save",
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_the_meeting_admin_refuses_a_huge_committee_and_work_programme_review(admin_client):
    response = admin_client.post(
        "/admin/reviews/meeting/add/",
        {
            "committee": HUGE,
            "date": "2025-01-20",
            "work_programme_items-TOTAL_FORMS": "1",
            "work_programme_items-INITIAL_FORMS": "0",
            "work_programme_items-0-kind": "progress_report",
            "work_programme_items-0-title": "Progress report",
            "work_programme_items-0-review": HUGE,
            "_save": "Save",
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Meeting.objects.exists()


def test_the_progress_update_admin_refuses_a_huge_recommendation(admin_client):
    response = admin_client.post(
        "/admin/recommendations/progressupdate/add/",
        {
            "recommendation": HUGE,
            "as_at": "2025-01-07",
            "status": "on_track",
            "narrative": "Going well.",
            "_save": "Save",
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_the_work_programme_admin_refuses_a_huge_meeting(admin_client):
    committee = make_committee()
    make_meeting(committee=committee, date=datetime.date(2025, 1, 20))
    response = admin_client.post(
        "/admin/reviews/workprogrammeitem/add/",
        {
            "committee": committee.pk,
            "meeting": HUGE,
            "kind": "progress_report",
            "title": "Progress report",
            "_save": "Save",
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert Committee.objects.count() == 1
