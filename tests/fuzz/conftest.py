"""Hypothesis settings for the fuzz suite, and the small world every door is tried against."""

import datetime
import os

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, settings

from recommendations.requests.asking import plan_request, send_request
from tests.factories import (
    make_committee,
    make_meeting,
    make_organisation,
    make_progress_report_item,
    make_recommendation,
    make_review,
    make_update,
    make_user,
)

# At least 200 hostile submissions to every door. In CI the examples are derived from the test's
# name (derandomize), so a run is repeatable and a failure shows the same example again; locally
# each run explores new ones. A failing example is printed, ready to paste into @example.
_common = dict(
    max_examples=200,
    deadline=None,
    # Each example runs in a savepoint that is rolled back, so the function-scoped world is the
    # same for every example.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    print_blob=True,
)
settings.register_profile("ci", derandomize=True, database=None, **_common)
settings.register_profile("dev", **_common)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture
def world(db, tmp_path, settings):
    """One of everything a form can point at: committee, meeting, review, recommendation, users."""
    settings.STORAGES = {
        **settings.STORAGES,
        "tracker_uploads": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "uploads"), "base_url": None},
        },
    }
    lead = make_organisation("Transformation and Partnerships", kind="council_service")
    committee = make_committee("Safer and Stronger Communities")
    review = make_review(
        "Review of cybercrime",
        committee=committee,
        municipal_year="2017/18",
        report_to_executive_date=datetime.date(2018, 6, 13),
        status="monitoring",
    )
    meeting = make_meeting(committee=committee, date=datetime.date(2025, 1, 20))
    item = make_progress_report_item(review=review, meeting=meeting)
    officer = make_user("officer", role="Officer", organisation=lead)
    recommendation = make_recommendation(
        "1",
        review=review,
        text="That the council works with the university.",
        lead_organisation=lead,
        target_date=datetime.date(2030, 3, 31),
    )
    make_update(recommendation, as_at=datetime.date(2024, 11, 1), author=officer)
    # Waiting for the scrutiny officer's decision.
    submitted = make_update(
        recommendation, as_at=datetime.date(2024, 12, 1), author=officer, accepted=False
    )
    officer.email = "officer@example.org"
    officer.save()
    coming = make_meeting(committee=committee, date=timezone.localdate() + datetime.timedelta(30))
    make_progress_report_item(review=review, meeting=coming)
    update_request = send_request(
        plan_request(coming, [review], coming.date - datetime.timedelta(14)),
        requested_by=make_user("asker", role="Scrutiny officer"),
    )
    return {
        "committee": committee,
        "review": review,
        "meeting": meeting,
        "item": item,
        "coming meeting": coming,
        "submitted update": submitted,
        "update request": update_request,
        "recommendation": recommendation,
        "organisation": lead,
        "officer": officer,
        "councillor": make_user("councillor", role="Councillor"),
        "clerk": make_user("clerk", role="Scrutiny officer"),
        "administrator": make_user("administrator", is_staff=True, is_superuser=True),
    }
