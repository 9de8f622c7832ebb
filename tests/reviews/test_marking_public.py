import pytest

from reviews.models import Review
from tests.factories import make_review

pytestmark = pytest.mark.django_db


def test_the_clerk_makes_a_review_public_and_the_history_says_who(client, clerk):
    review = make_review("Review of cybercrime")
    client.force_login(clerk)

    response = client.post(f"/reviews/{review.pk}/public/", {"public": "yes"}, follow=True)

    review.refresh_from_db()
    assert review.is_public
    assert review.version == 2
    assert review.history.first().history_user == clerk
    assert review.history.first().is_public is True
    assert response.redirect_chain == [(f"/reviews/{review.pk}/", 302)]
    assert "The review is now public" in response.content.decode()
    assert "Make private" in response.content.decode()


def test_the_clerk_makes_a_public_review_private_again(client, clerk):
    review = make_review(is_public=True)
    client.force_login(clerk)

    client.post(f"/reviews/{review.pk}/public/", {"public": "no"})

    review.refresh_from_db()
    assert not review.is_public
    assert review.history.first().history_user == clerk


def test_a_choice_that_is_neither_yes_nor_no_changes_nothing(client, clerk):
    review = make_review()
    client.force_login(clerk)

    response = client.post(f"/reviews/{review.pk}/public/", {"public": "maybe"}, follow=True)

    review.refresh_from_db()
    assert not review.is_public
    assert review.history.count() == 1
    assert "Choose whether the review is public or private" in response.content.decode()


@pytest.mark.parametrize("role", ["councillor", "officer"])
def test_only_the_scrutiny_officer_may_make_a_review_public(client, role, request):
    review = make_review()
    client.force_login(request.getfixturevalue(role))

    response = client.post(f"/reviews/{review.pk}/public/", {"public": "yes"})

    assert response.status_code == 403
    assert not Review.objects.get().is_public


def test_the_button_shows_only_for_the_scrutiny_officer(client, clerk, councillor):
    review = make_review()
    client.force_login(councillor)
    assert "Make public" not in client.get(f"/reviews/{review.pk}/").content.decode()
    client.force_login(clerk)
    assert "Make public" in client.get(f"/reviews/{review.pk}/").content.decode()


def test_a_review_form_opened_before_making_it_public_cannot_undo_it(client, clerk):
    review = make_review("Review of cybercrime")
    client.force_login(clerk)
    client.post(f"/reviews/{review.pk}/public/", {"public": "yes"})

    response = client.post(
        f"/reviews/{review.pk}/edit/",
        {
            "version": "1",
            "committee": str(review.committee.pk),
            "title": "Renamed",
            "status": "closed",
        },
    )

    assert response.status_code == 409
    review.refresh_from_db()
    assert review.is_public and review.title == "Review of cybercrime"
