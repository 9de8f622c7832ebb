"""Fixtures for the tracker tests."""

import pytest
from django.db import transaction

from recommendations.demo import load_demo
from recommendations.models import Recommendation
from recommendations.trackers.writing import write_csv, write_xlsx
from reviews.models import Review
from tests.factories import make_user
from tests.recommendations.trackers.helpers import DEMO_REVIEW


@pytest.fixture
def importer(db):
    """A scrutiny officer, who imports the files."""
    return make_user("importer", role="Scrutiny officer")


class _Rollback(Exception):
    pass


@pytest.fixture
def demo_exports():
    """The demo review exported as CSV and XLSX, from a demo that is then rolled back."""
    try:
        with transaction.atomic():
            load_demo()
            review = Recommendation.objects.filter(review__title=DEMO_REVIEW).order_by("sort_key")
            exports = {"csv": write_csv(review), "xlsx": write_xlsx(review)}
            raise _Rollback
    except _Rollback:
        pass
    assert not Review.objects.exists()
    return exports
