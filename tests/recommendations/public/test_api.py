import pytest

pytestmark = pytest.mark.django_db


def test_the_reviews_list_has_the_public_review_only(client, world):
    response = client.get("/api/v1/reviews/")

    body = response.json()
    assert response.status_code == 200
    assert [review["title"] for review in body["results"]] == ["Review of cybercrime"]
    assert body["results"][0]["report_to_executive_date"] == "2018-06-13"
    assert body["results"][0]["committee"]["name"] == "Safer and Stronger Communities"


def test_a_review_has_its_recommendations_and_appendix_with_its_sha256(client, world):
    body = client.get(f"/api/v1/reviews/{world.public_review.pk}/").json()

    assert len(body["recommendations"]) == 55
    (appendix,) = body["appendices"]
    assert appendix["pdf_sha256"] == world.appendix.pdf_sha256
    assert appendix["pdf_url"] == f"http://testserver/public/appendices/{world.appendix.pk}/pdf/"


def test_a_recommendation_has_its_accepted_updates_with_codes_and_labels(client, world):
    recommendation = world.public_recommendations[0]

    body = client.get(f"/api/v1/recommendations/{recommendation.pk}/").json()

    assert body["updates"] == [
        {
            "as_at": "2018-12-01",
            "status": "on_track",
            "status_label": "On track",
            "narrative": "Public narrative: campaign launched.",
            "organisation": "Durham Constabulary",
        }
    ]
    assert (body["current_status"], body["current_status_label"]) == ("on_track", "On track")
    assert (body["response"], body["response_label"]) == ("accepted", "Accepted")


def test_the_recommendations_come_in_pages(client, world):
    first = client.get("/api/v1/recommendations/").json()
    second = client.get(first["next"]).json()

    assert first["count"] == 55
    assert len(first["results"]) == 50
    assert len(second["results"]) == 5
    assert second["next"] is None


@pytest.mark.parametrize(
    ("query", "count"),
    [
        ({"status": "on_track"}, 1),
        ({"status": "not_started"}, 54),
        ({"updated_since": "2018-12-01"}, 1),
        ({"updated_since": "2018-12-02"}, 0),
        ({"overdue": "true"}, 54),
        ({"overdue": "false"}, 1),
    ],
)
def test_the_recommendations_filter(client, world, query, count):
    assert client.get("/api/v1/recommendations/", query).json()["count"] == count


def test_the_recommendations_filter_by_review_and_committee(client, world):
    review = world.public_review
    by_review = client.get("/api/v1/recommendations/", {"review": review.pk}).json()
    by_private = client.get("/api/v1/recommendations/", {"review": world.private_review.pk}).json()
    by_committee = client.get("/api/v1/recommendations/", {"committee": review.committee_id}).json()

    assert (by_review["count"], by_private["count"], by_committee["count"]) == (55, 0, 55)


@pytest.mark.parametrize(
    "query",
    [
        {"status": "done"},
        {"updated_since": "yesterday"},
        {"overdue": "perhaps"},
        {"review": "x"},
        {"committee": str(2**70)},
    ],
)
def test_a_bad_filter_is_a_400_saying_which(client, world, query):
    response = client.get("/api/v1/recommendations/", query)

    assert response.status_code == 400
    assert list(response.json()) == list(query)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/reviews/{private_review}/",
        "/api/v1/recommendations/{private_recommendation}/",
        "/api/v1/appendices/{private_appendix}/",
        f"/api/v1/reviews/{2**70}/",
        "/api/v1/recommendations/999999/",
    ],
)
def test_anything_not_public_is_not_found_in_the_api(client, world, path):
    url = path.format(
        private_review=world.private_review.pk,
        private_recommendation=world.private_recommendation.pk,
        private_appendix=world.private_appendix.pk,
    )

    assert client.get(url).status_code == 404


def test_the_api_is_open_to_any_origin(client, world):
    response = client.get("/api/v1/reviews/", headers={"origin": "https://example.net"})

    assert response["Access-Control-Allow-Origin"] == "*"


def test_the_api_ignores_a_session(client, clerk, world):
    client.force_login(clerk)

    response = client.get("/api/v1/reviews/")

    assert response.status_code == 200
    assert [review["title"] for review in response.json()["results"]] == ["Review of cybercrime"]


def test_the_api_is_read_only(client, world):
    assert client.post("/api/v1/reviews/", {}).status_code == 405
    assert client.delete(f"/api/v1/reviews/{world.public_review.pk}/").status_code == 405


def test_the_throttle_answers_429_past_its_rate(client, world, settings):
    settings.PUBLIC_API_RATE = "3/minute"

    statuses = [client.get("/api/v1/reviews/").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]


def test_the_throttle_counts_each_address_on_its_own(client, world, settings):
    settings.PUBLIC_API_RATE = "1/minute"

    first = client.get("/api/v1/reviews/", REMOTE_ADDR="192.0.2.1").status_code
    second = client.get("/api/v1/reviews/", REMOTE_ADDR="192.0.2.2").status_code

    assert (first, second) == (200, 200)


def test_the_schema_describes_every_endpoint(client, world):
    response = client.get("/api/v1/schema/", {"format": "json"})

    paths = response.json()["paths"]
    assert sorted(paths) == [
        "/api/v1/appendices/",
        "/api/v1/appendices/{id}/",
        "/api/v1/recommendations/",
        "/api/v1/recommendations/{id}/",
        "/api/v1/reviews/",
        "/api/v1/reviews/{id}/",
    ]
    assert list(paths["/api/v1/reviews/"]) == ["get"]


def test_the_human_page_lists_the_endpoints_and_the_schema(client, world):
    page = client.get("/api/v1/").content.decode()

    assert 'href="/api/v1/schema/"' in page
    for endpoint in ("/api/v1/reviews/", "/api/v1/recommendations/", "/api/v1/appendices/"):
        assert endpoint in page
