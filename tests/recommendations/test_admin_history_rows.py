"""One edit in the admin is one entry in the audit history, with the relations as saved."""

import pytest

from recommendations.choices import Response
from tests.factories import make_organisation, make_recommendation
from tests.recommendations.test_admin import recommendation_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_as(client, administrator):
    client.force_login(administrator)
    return client


def change(client, recommendation, **changes):
    response = client.post(
        f"/admin/recommendations/recommendation/{recommendation.pk}/change/",
        recommendation_form(recommendation, **changes),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return response


def test_changing_the_partners_in_the_admin_writes_exactly_one_history_row(
    admin_client_as, administrator
):
    recommendation = make_recommendation(text="Old words")
    recommendation.partners.add(make_organisation("Durham Constabulary"))
    rows_before = recommendation.history.count()
    university = make_organisation("University of Sunderland")
    college = make_organisation("New College Durham")

    change(admin_client_as, recommendation, partners=[university.pk, college.pk])

    assert recommendation.history.count() == rows_before + 1
    newest = recommendation.history.first()
    assert newest.history_type == "~"
    assert newest.history_user == administrator
    assert sorted(row.organisation.name for row in newest.partners.all()) == [
        "New College Durham",
        "University of Sunderland",
    ]


def test_changing_fields_and_partners_together_is_still_one_row_with_both(
    admin_client_as, administrator
):
    recommendation = make_recommendation(text="Old words")
    rows_before = recommendation.history.count()
    partner = make_organisation("University of Sunderland")

    change(
        admin_client_as,
        recommendation,
        text="New words",
        partners=[partner.pk],
        response=Response.ACCEPTED,
    )

    assert recommendation.history.count() == rows_before + 1
    newest = recommendation.history.first()
    assert (newest.text, newest.response) == ("New words", Response.ACCEPTED)
    assert [row.organisation for row in newest.partners.all()] == [partner]
    recommendation.refresh_from_db()
    assert recommendation.version == 2


def test_an_admin_save_that_changes_nothing_writes_one_row(admin_client_as):
    recommendation = make_recommendation()
    rows_before = recommendation.history.count()

    change(admin_client_as, recommendation)

    assert recommendation.history.count() == rows_before + 1


def test_editing_a_review_with_its_recommendations_inline_writes_one_row_each(
    admin_client_as, administrator
):
    recommendation = make_recommendation(text="Old words")
    review = recommendation.review
    review_rows, recommendation_rows = review.history.count(), recommendation.history.count()

    response = admin_client_as.post(
        f"/admin/reviews/review/{review.pk}/change/",
        {
            "committee": review.committee_id,
            "title": "A new title",
            "chaired_by": review.chaired_by,
            "municipal_year": review.municipal_year,
            "report_to_executive_date": "",
            "status": review.status,
            "recommendations-TOTAL_FORMS": "1",
            "recommendations-INITIAL_FORMS": "1",
            "recommendations-0-id": recommendation.pk,
            "recommendations-0-review": review.pk,
            "recommendations-0-number": recommendation.number,
            "recommendations-0-text": "New words",
            "recommendations-0-response": recommendation.response,
            "recommendations-0-target_date": "",
            "_save": "Save",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert review.history.count() == review_rows + 1
    assert review.history.first().title == "A new title"
    assert recommendation.history.count() == recommendation_rows + 1
    assert recommendation.history.first().text == "New words"


def test_reverting_to_an_earlier_version_in_the_admin_saves_it_in_one_row(
    admin_client_as, administrator
):
    recommendation = make_recommendation(text="Old words")
    first = recommendation.history.get()
    partner = make_organisation("University of Sunderland")
    change(admin_client_as, recommendation, text="New words", partners=[partner.pk])
    rows_before = recommendation.history.count()

    response = admin_client_as.post(
        f"/admin/recommendations/recommendation/{recommendation.pk}/history/{first.history_id}/",
        recommendation_form(recommendation, text="Old words"),
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    recommendation.refresh_from_db()
    assert recommendation.text == "Old words"
    assert list(recommendation.partners.all()) == []
    assert recommendation.history.count() == rows_before + 1
    newest = recommendation.history.first()
    assert (newest.text, newest.history_user) == ("Old words", administrator)
    assert list(newest.partners.all()) == []
