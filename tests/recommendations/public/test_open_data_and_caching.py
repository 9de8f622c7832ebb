import csv
import io

import pytest

from recommendations.trackers.columns import COLUMNS

pytestmark = pytest.mark.django_db


def read_csv(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_open_data_csv_is_the_tracker_format_with_public_reviews_only(client, world):
    response = client.get("/public/recommendations.csv")

    rows = read_csv(response)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert list(rows[0]) == list(COLUMNS)
    assert {row[COLUMNS[0]] for row in rows} == {"Review of cybercrime"}
    assert len(rows) == 55  # one row each: only one update is accepted, on the first


def test_the_open_data_csv_has_accepted_updates_only(client, world):
    body = client.get("/public/recommendations.csv").content.decode("utf-8-sig")

    assert "Public narrative: campaign launched." in body
    assert "Secretsubmitted" not in body
    assert "Secretreturned" not in body


PAGES = [
    "/public/",
    "/public/reviews/{review}/",
    "/public/recommendations/{recommendation}/",
    "/public/recommendations.csv",
    "/public/sitemap.xml",
    "/api/v1/",
    "/api/v1/reviews/",
    "/api/v1/reviews/{review}/",
    "/api/v1/recommendations/",
    "/api/v1/recommendations/{recommendation}/",
]


@pytest.fixture
def urls(world):
    return [
        path.format(
            review=world.public_review.pk, recommendation=world.public_recommendations[0].pk
        )
        for path in PAGES
    ]


def test_public_answers_may_be_cached_for_five_minutes(client, urls):
    for url in urls:
        response = client.get(url)
        assert response["Cache-Control"] == "public, max-age=300", url
        assert response["ETag"], url


def test_a_conditional_request_is_answered_304_while_nothing_has_changed(client, urls):
    for url in urls:
        etag = client.get(url)["ETag"]

        response = client.get(url, headers={"if-none-match": etag})

        assert response.status_code == 304, url
        assert response.content == b""
        assert response["ETag"] == etag


def test_a_conditional_request_gets_the_page_again_once_it_has_changed(client, world):
    url = f"/public/reviews/{world.public_review.pk}/"
    etag = client.get(url)["ETag"]
    world.public_review.title = "Review of cybercrime, renamed"
    world.public_review.save()

    response = client.get(url, headers={"if-none-match": etag})

    assert response.status_code == 200
    assert b"renamed" in response.content


def test_nothing_is_kept_for_someone_signed_in(client, clerk, world):
    client.force_login(clerk)

    response = client.get("/public/")

    assert "no-store" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
