"""The living part of the demo: a review whose dates follow the day it is loaded, with a meeting
coming up and a request for updates already sent."""

import datetime

import pytest
import time_machine
from django.core.management import call_command

from recommendations.demo import load_demo
from recommendations.demo.living import REVIEW, municipal_year
from recommendations.models import Email, UpdateRequest
from reviews.models import Review, User

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 1)


@pytest.fixture
def loaded():
    with time_machine.travel(datetime.datetime(2026, 12, 1, 12, tzinfo=datetime.UTC), tick=False):
        load_demo()


def test_it_adds_a_review_of_the_same_committee_in_the_current_municipal_year(loaded):
    seed = Review.objects.get(title="Scrutiny Review of Cybercrime")
    living = Review.objects.get(title=REVIEW)
    assert living.committee == seed.committee
    assert living.municipal_year == "2026/27"
    targets = sorted(r.target_date for r in living.recommendations.all())
    assert targets[0] < TODAY < targets[-1]


def test_it_has_a_meeting_coming_up_with_a_progress_report_and_a_request_sent(loaded):
    update_request = UpdateRequest.objects.get()
    assert update_request.meeting.date == TODAY + datetime.timedelta(days=21)
    assert update_request.meeting.work_programme_items.get().review.title == REVIEW
    assert update_request.deadline == TODAY + datetime.timedelta(days=7)
    counts = UpdateRequest.objects.with_answer_counts().get()
    assert (counts.answered_count, counts.requested_count) == (1, 4)
    email = Email.objects.get()
    assert email.state == "sent"
    assert email.address == "officer@example.org"


def test_the_demo_users_have_example_org_addresses(loaded):
    assert set(User.objects.values_list("email", flat=True)) == {
        f"{name}@example.org" for name in ("councillor", "officer", "clerk", "admin")
    }


def test_loading_again_on_a_later_day_leaves_the_living_world_alone(loaded, settings):
    settings.DEBUG = True
    with time_machine.travel(datetime.datetime(2026, 12, 3, 12, tzinfo=datetime.UTC)):
        loader = load_demo()
    assert (loader.created, loader.changed) == (0, 0)
    assert UpdateRequest.objects.count() == 1


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (datetime.date(2026, 4, 30), ("2025/26", datetime.date(2025, 5, 1))),
        (datetime.date(2026, 5, 1), ("2026/27", datetime.date(2026, 5, 1))),
        (datetime.date(2099, 12, 31), ("2099/00", datetime.date(2099, 5, 1))),
    ],
)
def test_the_municipal_year_runs_from_may(today, expected):
    assert municipal_year(today) == expected


def test_the_dashboard_shows_the_request_live(loaded, client):
    client.force_login(User.objects.get(username="clerk"))
    with time_machine.travel(datetime.datetime(2026, 12, 1, 12, tzinfo=datetime.UTC)):
        content = client.get("/").content.decode()
    assert "1 of 4 answered" in content


def test_load_demo_prints_the_sign_ins(settings, capsys):
    settings.DEBUG = True
    call_command("load_demo")
    assert "clerk" in capsys.readouterr().out
