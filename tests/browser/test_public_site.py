"""The public site, signed out, in a real browser: axe-core finds nothing on any of its pages,
and the scrutiny officer's "Make public" button puts a review there."""

import datetime

from playwright.sync_api import expect

from recommendations.appendix import publish_appendix
from recommendations.models import Recommendation
from reviews.models import Meeting, Review, User
from tests.browser.conftest import assert_accessible, sign_in


def demo_review() -> Review:
    return Review.objects.get(title__contains="Cybercrime")


def check(page, path: str, heading: str) -> None:
    page.goto(f"{page.base_url}{path}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
    assert_accessible(page)


def test_the_public_pages_are_accessible_signed_out(page, demo):
    review = demo_review()
    review.is_public = True
    review.save()
    meeting = Meeting.objects.filter(committee=review.committee).order_by("-date").first()
    publish_appendix(
        review,
        meeting=meeting,
        as_at=min(meeting.date, datetime.date.today()),
        user=User.objects.get(username="clerk"),
    )
    recommendation = Recommendation.objects.filter(review=review).order_by("sort_key").first()

    check(page, "/public/", "Scrutiny reviews")
    expect(page.get_by_text("the council's public record")).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    page.get_by_role("link", name=review.title).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(review.title)
    assert_accessible(page)
    check(page, f"/public/recommendations/{recommendation.pk}/", "Recommendation")
    check(page, "/public/search/?q=parents", "Search")
    check(page, "/api/v1/", "Open data")
    check(page, "/public/reviews/999999/", "Page not found")


def test_the_scrutiny_officer_makes_a_review_public(page, demo):
    review = demo_review()
    sign_in(page, "clerk")
    page.goto(f"{page.base_url}/reviews/{review.pk}/")

    page.get_by_role("button", name="Make public").click()

    expect(page.get_by_text("The review is now public")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="public site").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(review.title)
