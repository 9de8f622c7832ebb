"""Bidirectional controls and zero-width characters never reach a number, a title or a name,
whichever door they come through; narratives keep what was written."""

import pytest

from recommendations.choices import Response
from recommendations.models import ProgressUpdate, Recommendation
from recommendations.trackers.applying import import_tracker
from reviews.models import Committee, Organisation, Review
from scrutiny.text import strip_invisible
from tests.factories import (
    make_committee,
    make_organisation,
    make_recommendation,
    make_review,
    tracker_csv,
    tracker_row,
)

pytestmark = pytest.mark.django_db

INVISIBLE = [
    "\u200b",  # zero-width space
    "\u200c",  # zero-width non-joiner
    "\u200d",  # zero-width joiner
    "\u2060",  # word joiner
    "\ufeff",  # zero-width no-break space
    "\u202a",  # left-to-right embedding
    "\u202b",  # right-to-left embedding
    "\u202c",  # pop directional formatting
    "\u202d",  # left-to-right override
    "\u202e",  # right-to-left override
    "\u2066",  # left-to-right isolate
    "\u2067",  # right-to-left isolate
    "\u2068",  # first strong isolate
    "\u2069",  # pop directional isolate
]


@pytest.mark.parametrize("character", INVISIBLE)
def test_each_invisible_character_is_stripped(character):
    assert strip_invisible(f"R{character}1{character}2") == "R12"


def test_visible_text_is_left_alone():
    text = "Children\u2019s Services \u2013 \u201cR3\u201d (\u00e9, \u00df, \u65e5\u672c)"
    assert strip_invisible(text) == text


@pytest.fixture
def clerk_client(client, clerk):
    client.force_login(clerk)
    return client


def test_the_recommendation_form_strips_them_from_the_number(clerk_client):
    review = make_review("Review of potholes")
    response = clerk_client.post(
        f"/reviews/{review.pk}/recommendations/add/",
        {
            "version": "1",
            "number": "\u202e21\u202c",
            "text": "That the council fills the potholes.",
            "response": Response.AWAITING,
        },
    )
    assert response.status_code == 302
    assert Recommendation.objects.get().number == "21"


def test_a_number_differing_only_by_invisible_characters_is_the_same_number(clerk_client):
    review = make_review("Review of potholes")
    make_recommendation("3", review=review)
    response = clerk_client.post(
        f"/reviews/{review.pk}/recommendations/add/",
        {
            "version": "1",
            "number": "3\u200b",
            "text": "That the council does it again.",
            "response": Response.AWAITING,
        },
    )
    assert response.status_code == 200
    assert "This review already has a recommendation 3" in response.content.decode()
    assert Recommendation.objects.count() == 1


def test_the_review_form_strips_them_from_the_title_and_chair(clerk_client):
    committee = make_committee()
    response = clerk_client.post(
        "/reviews/add/",
        {
            "version": "1",
            "committee": str(committee.pk),
            "title": "Review of\u2066 potholes\u2069\u200b",
            "chaired_by": "Cllr\u200d A",
            "status": Review.Status.IN_PROGRESS,
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    review = Review.objects.get()
    assert (review.title, review.chaired_by) == ("Review of potholes", "Cllr A")


def test_a_title_differing_only_by_invisible_characters_is_the_same_title(clerk_client):
    existing = make_review("Review of potholes")
    response = clerk_client.post(
        "/reviews/add/",
        {
            "version": "1",
            "committee": str(existing.committee_id),
            "title": "Review\u200b of potholes",
            "status": Review.Status.IN_PROGRESS,
        },
    )
    assert response.status_code == 200
    assert "There is already a review with this title" in response.content.decode()


def test_the_import_strips_them_from_titles_numbers_and_names(clerk):
    make_review("Review of potholes", committee=make_committee("Economy"))
    make_organisation("Highways")
    data = tracker_csv(
        tracker_row(
            review="\ufeffReview of\u200b potholes",
            committee="Economy\u2060",
            number="\u202eR1\u202c",
            lead="High\u200bways",
            partners="Durham\u2066 Constabulary\u2069; Highways\u200d",
            update_date="2025-01-15",
            update_status="on\u200b track",
            update_text="Work \u200dcontinues.",
        )
    )
    import_tracker(data, "tracker.csv", user=clerk)
    recommendation = Recommendation.objects.get()
    assert recommendation.review.title == "Review of potholes"
    assert recommendation.number == "R1"
    assert recommendation.lead_organisation.name == "Highways"
    assert sorted(p.name for p in recommendation.partners.all()) == [
        "Durham Constabulary",
        "Highways",
    ]
    assert Review.objects.count() == 1
    assert Organisation.objects.count() == 2
    # A narrative keeps what was written: a zero-width joiner belongs to some scripts and emoji.
    assert ProgressUpdate.objects.get().narrative == "Work \u200dcontinues."


def test_the_admin_strips_them_from_names(client, administrator):
    client.force_login(administrator)
    response = client.post(
        "/admin/reviews/committee/add/",
        {"name": "\u202eEconomy\u202c", "chair": "Cllr\u200b B", "vice_chair": "", "_save": "Save"},
    )
    assert response.status_code == 302
    committee = Committee.objects.get()
    assert (committee.name, committee.chair) == ("Economy", "Cllr B")


def test_the_admin_strips_them_from_a_recommendation_number(client, administrator):
    review = make_review("Review of potholes")
    client.force_login(administrator)
    response = client.post(
        "/admin/reviews/review/" + str(review.pk) + "/change/",
        {
            "committee": review.committee_id,
            "title": "Review of potholes\u200b",
            "status": Review.Status.IN_PROGRESS,
            "recommendations-TOTAL_FORMS": "1",
            "recommendations-INITIAL_FORMS": "0",
            "recommendations-0-number": "\u20677\u2069",
            "recommendations-0-text": "Fill the potholes.",
            "recommendations-0-response": Response.ACCEPTED,
            "_save": "Save",
        },
    )
    assert response.status_code == 302
    assert Review.objects.get().title == "Review of potholes"
    assert Recommendation.objects.get().number == "7"


def test_any_other_path_that_saves_strips_them_too():
    organisation = Organisation.objects.create(name="Durham\u200b Constabulary")
    assert organisation.name == "Durham Constabulary"
    organisation.refresh_from_db()
    assert organisation.name == "Durham Constabulary"
