import pytest

pytestmark = pytest.mark.django_db


def test_the_public_home_lists_public_reviews_by_committee_signed_out(client, world):
    response = client.get("/public/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "the council's public record" in page
    assert "Safer and Stronger Communities" in page
    assert "Review of cybercrime" in page
    assert "Secret review" not in page
    assert "Sign out" not in page and "Dashboard" not in page


def test_a_public_review_shows_its_recommendations_responses_and_appendix(client, world):
    response = client.get(f"/public/reviews/{world.public_review.pk}/")

    page = response.content.decode()
    assert "Public recommendation 1 on cybercrime awareness." in page
    assert "Public reason for accepting." in page
    assert "31 March 2019" in page
    assert f"/public/appendices/{world.appendix.pk}/pdf/" in page


def test_a_recommendation_shows_accepted_updates_with_the_organisation_only(client, world):
    recommendation = world.public_recommendations[0]

    page = client.get(f"/public/recommendations/{recommendation.pk}/").content.decode()

    assert "Public narrative: campaign launched." in page
    assert "Durham Constabulary" in page
    assert "Secretsubmitted" not in page
    assert "Secretfirst" not in page


def test_the_published_appendix_is_served_as_pdf(client, world):
    response = client.get(f"/public/appendices/{world.appendix.pk}/pdf/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


@pytest.mark.parametrize(
    "path",
    [
        "/public/reviews/{private_review}/",
        "/public/recommendations/{private_recommendation}/",
        "/public/appendices/{private_appendix}/pdf/",
        "/public/reviews/999999/",
        "/public/recommendations/999999/",
        "/public/appendices/999999/pdf/",
        f"/public/reviews/{2**70}/",
        f"/public/recommendations/{2**63}/",
    ],
)
def test_anything_not_public_is_not_found_exactly_like_a_missing_page(client, world, path):
    url = path.format(
        private_review=world.private_review.pk,
        private_recommendation=world.private_recommendation.pk,
        private_appendix=world.private_appendix.pk,
    )

    response = client.get(url)

    assert response.status_code == 404
    assert response.content == client.get("/public/reviews/999999/").content


def test_making_a_review_private_takes_it_off_the_public_site(client, world):
    world.public_review.is_public = False
    world.public_review.save()

    assert client.get(f"/public/reviews/{world.public_review.pk}/").status_code == 404
    assert b"Review of cybercrime" not in client.get("/public/").content


def test_the_search_finds_public_recommendations_only(client, world):
    page = client.get("/public/search/", {"q": "recommendation"}).content.decode()

    assert "55 recommendations found" in page
    assert "Secretprivate" not in page


def test_a_search_with_a_nul_byte_is_a_search_for_the_words_around_it(client, world):
    # Found by the fuzz suite on PostgreSQL, which refuses NUL in a query.
    response = client.get("/public/search/", {"q": "recommendation\x00"})

    assert response.status_code == 200
    assert "55 recommendations found" in response.content.decode()


def test_the_search_does_not_find_a_submitted_narrative(client, world):
    page = client.get("/public/search/", {"q": "Secretsubmitted"}).content.decode()

    assert "0 recommendations found" in page


def test_the_sitemap_lists_the_public_pages(client, world):
    response = client.get("/public/sitemap.xml")

    body = response.content.decode()
    assert response["Content-Type"] == "application/xml"
    assert f"http://testserver/public/reviews/{world.public_review.pk}/" in body
    assert f"/public/reviews/{world.private_review.pk}/" not in body
    assert body.count("<loc>") == 1 + 1 + 55


def test_the_review_page_links_a_public_review_to_the_public_site(client, clerk, world):
    client.force_login(clerk)

    page = client.get(f"/reviews/{world.public_review.pk}/").content.decode()

    assert f'href="/public/reviews/{world.public_review.pk}/"' in page
