import pytest

from recommendations.choices import Response
from recommendations.models import Recommendation
from tests.factories import make_recommendation, make_review

pytestmark = pytest.mark.django_db


def url(review) -> str:
    return f"/reviews/{review.pk}/recommendations/add/"


def form_data(**changes) -> dict:
    return {
        "version": "1",
        "number": "R12",
        "text": "That the council publishes its cyber security guidance.",
        "lead_organisation": "",
        "lead_officer": "",
        "response": Response.AWAITING,
        "response_text": "",
        "target_date_day": "",
        "target_date_month": "",
        "target_date_year": "",
        **changes,
    }


def test_it_adds_a_recommendation_to_the_review_against_the_clerk(
    client, clerk, review, lead_organisation, other_organisation
):
    client.force_login(clerk)

    response = client.post(
        url(review),
        form_data(
            lead_organisation=str(lead_organisation.pk), partners=[str(other_organisation.pk)]
        ),
        follow=True,
    )

    recommendation = Recommendation.objects.get()
    assert recommendation.review == review
    assert (recommendation.number, recommendation.lead_organisation) == ("R12", lead_organisation)
    assert list(recommendation.partners.all()) == [other_organisation]
    assert recommendation.version == 1
    assert response.redirect_chain == [(f"/recommendations/{recommendation.pk}/", 302)]
    assert "Recommendation R12 added" in response.content.decode()
    assert {record.history_user for record in recommendation.history.all()} == {clerk}
    # The partners are in the history as well as the fields.
    assert recommendation.history.first().partners.get().organisation == other_organisation


def test_the_same_number_may_be_used_in_another_review(client, clerk, review):
    make_recommendation("R12", review=make_review())
    client.force_login(clerk)
    assert client.post(url(review), form_data()).status_code == 302


def test_a_number_already_in_the_review_is_refused(client, clerk, review):
    make_recommendation("R12", review=review)
    client.force_login(clerk)
    response = client.post(url(review), form_data(number=" R12 "))
    assert '<a href="#id_number">This review already has a recommendation R12</a>' in (
        response.content.decode()
    )
    assert Recommendation.objects.count() == 1


def test_bad_input_keeps_what_was_typed(client, clerk, review):
    client.force_login(clerk)
    response = client.post(url(review), form_data(number="", text="<i>Kept</i>"))
    content = response.content.decode()
    assert '<a href="#id_number">Enter the number of the recommendation</a>' in content
    assert "&lt;i&gt;Kept&lt;/i&gt;</textarea>" in content
    assert not Recommendation.objects.exists()
