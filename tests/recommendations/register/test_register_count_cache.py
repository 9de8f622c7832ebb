"""The register's count of matching rows comes from the cache until a change is committed.

Transactional tests: the register's version moves on when a change commits, which a test rolled
back at its end never does.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from recommendations.choices import Response
from tests.factories import make_recommendation, make_review

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("roles")]


@pytest.fixture
def cached(settings):
    settings.REGISTER_CACHE_SECONDS = 3600


def shown_count(client, address: str) -> tuple[int, bool]:
    """The register's count of rows, and whether the request counted them in the database."""
    with CaptureQueriesContext(connection) as queries:
        content = client.get(address).content.decode()
    count = re.search(r'id="results-heading">(\d+) recommendation', content)
    assert count, "no count on the page"
    counted = any(query["sql"].startswith("SELECT COUNT(*)") for query in queries)
    return int(count.group(1)), counted


def test_a_count_is_made_once_then_read_until_a_recommendation_is_added(client, councillor, cached):
    review = make_review("Counted")
    make_recommendation(review=review, response=Response.ACCEPTED)
    client.force_login(councillor)

    assert shown_count(client, "/register/") == (1, True)
    assert shown_count(client, "/register/") == (1, False)

    make_recommendation(review=review, response=Response.ACCEPTED)

    assert shown_count(client, "/register/") == (2, True)


def test_each_filter_has_a_count_of_its_own(client, councillor, cached):
    review = make_review("Counted")
    make_recommendation(review=review, response=Response.ACCEPTED, is_priority=True)
    make_recommendation(review=review, response=Response.ACCEPTED)
    client.force_login(councillor)

    assert shown_count(client, "/register/")[0] == 2
    assert shown_count(client, "/register/?show=priority")[0] == 1
    assert shown_count(client, "/register/?show=priority&page=1") == (1, False)
