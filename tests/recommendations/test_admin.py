"""Every kind of write through the admin leaves a history row naming the signed-in user."""

import datetime

import pytest

from recommendations.choices import Response, Status
from recommendations.models import ProgressUpdate, Recommendation
from reviews.models import Review
from tests.factories import make_committee, make_organisation, make_recommendation, make_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_as(client, administrator):
    client.force_login(administrator)
    return client


def recommendation_form(recommendation, **changes):
    data = {
        "review": recommendation.review_id,
        "number": recommendation.number,
        "text": recommendation.text,
        "response": recommendation.response,
        "response_text": "",
        "target_date": "",
        "revised_target_date": "",
        "revision_reason": "",
        "closure": "",
        "updates-TOTAL_FORMS": "0",
        "updates-INITIAL_FORMS": "0",
        "_save": "Save",
    }
    data.update(changes)
    return data


def test_adding_a_review_with_recommendations_inline_records_both_against_the_user(
    admin_client_as, administrator
):
    committee = make_committee()
    response = admin_client_as.post(
        "/admin/reviews/review/add/",
        {
            "committee": committee.pk,
            "title": "Review of potholes",
            "chaired_by": "Cllr A",
            "municipal_year": "2024/25",
            "report_to_executive_date": "2025-01-15",
            "status": "monitoring",
            "recommendations-TOTAL_FORMS": "1",
            "recommendations-INITIAL_FORMS": "0",
            "recommendations-0-number": "1",
            "recommendations-0-text": "Fill the potholes.",
            "recommendations-0-response": "accepted",
            "recommendations-0-target_date": "",
            "_save": "Save",
        },
    )
    assert response.status_code == 302, (response.status_code, response.get("Location"))
    review = Review.objects.get(title="Review of potholes")
    assert review.history.get().history_user == administrator
    recommendation = review.recommendations.get()
    assert recommendation.history.get().history_user == administrator


def test_changing_a_recommendation_and_its_partners_records_the_user_and_the_partners(
    admin_client_as, administrator
):
    recommendation = make_recommendation(text="Old words")
    partner = make_organisation("University of Sunderland")
    response = admin_client_as.post(
        f"/admin/recommendations/recommendation/{recommendation.pk}/change/",
        recommendation_form(
            recommendation, text="New words", partners=[partner.pk], response=Response.ACCEPTED
        ),
    )
    assert response.status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.text == "New words"
    newest = recommendation.history.first()
    assert newest.history_user == administrator
    assert [p.organisation for p in newest.partners.all()] == [partner]
    first = recommendation.history.last()
    assert first.text == "Old words"
    assert list(first.partners.all()) == []


def test_the_recommendation_history_page_lists_the_change(admin_client_as):
    recommendation = make_recommendation(text="Old words")
    admin_client_as.post(
        f"/admin/recommendations/recommendation/{recommendation.pk}/change/",
        recommendation_form(recommendation, text="New words"),
    )
    page = admin_client_as.get(
        f"/admin/recommendations/recommendation/{recommendation.pk}/history/"
    )
    assert page.status_code == 200
    assert "administrator" in page.content.decode()


def test_an_update_added_in_the_admin_is_authored_by_the_signed_in_user(
    admin_client_as, administrator
):
    recommendation = make_recommendation()
    response = admin_client_as.post(
        "/admin/recommendations/progressupdate/add/",
        {
            "recommendation": recommendation.pk,
            "as_at": "2019-01-07",
            "status": Status.ON_TRACK,
            "narrative": "Going well.",
            "_save": "Save",
        },
    )
    assert response.status_code == 302
    assert recommendation.updates.get().author == administrator


def test_an_update_cannot_be_changed_or_deleted_in_the_admin(admin_client_as):
    update = make_update(make_recommendation(), as_at=datetime.date(2019, 1, 1))
    change_url = f"/admin/recommendations/progressupdate/{update.pk}/change/"
    page = admin_client_as.get(change_url)
    assert page.status_code == 200
    assert 'name="narrative"' not in page.content.decode()  # shown read-only
    change = admin_client_as.post(change_url, {"narrative": "Rewritten", "status": "achieved"})
    assert change.status_code == 403
    delete = admin_client_as.post(
        f"/admin/recommendations/progressupdate/{update.pk}/delete/", {"post": "yes"}
    )
    assert delete.status_code == 403
    bulk = admin_client_as.post(
        "/admin/recommendations/progressupdate/",
        {"action": "delete_selected", "_selected_action": [update.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302)
    assert ProgressUpdate.objects.get(pk=update.pk).narrative == "Work continues."


def test_the_review_admin_lists_recommendations_in_natural_order(admin_client_as):
    recommendation = make_recommendation("10")
    make_recommendation("2", review=recommendation.review)
    page = admin_client_as.get(f"/admin/reviews/review/{recommendation.review_id}/change/")
    content = page.content.decode()
    assert content.index('value="2"') < content.index('value="10"')


def test_the_recommendation_admin_searches_text(admin_client_as):
    make_recommendation(text="Cyber awareness in schools")
    make_recommendation(text="Potholes")
    page = admin_client_as.get("/admin/recommendations/recommendation/?q=cyber")
    assert page.context["cl"].result_count == 1
    assert Recommendation.objects.count() == 2
