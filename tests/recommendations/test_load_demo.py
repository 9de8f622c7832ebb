import datetime

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from recommendations.choices import Status
from recommendations.models import Recommendation
from reviews.models import Review, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def debug_on(settings):
    settings.DEBUG = True


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"reviews", "recommendations"}
    }


def test_it_builds_the_cybercrime_review_with_seven_recommendations_in_order(debug_on, capsys):
    call_command("load_demo")
    review = Review.objects.get(title="Scrutiny Review of Cybercrime")
    assert review.chaired_by == "Councillor H Liddle"
    assert review.municipal_year == "2017/18"
    assert review.committee.name == "Safer and Stronger Communities Overview and Scrutiny Committee"
    assert [r.number for r in review.recommendations.all()] == list("1234567")
    statuses = dict(review.recommendations.values_list("number", "current_status"))
    assert statuses["3"] == Status.SLIPPED
    assert statuses["7"] == Status.ACHIEVED
    assert review.work_programme_items.filter(meeting__isnull=True).exists()
    assert review.work_programme_items.filter(meeting__date=datetime.date(2019, 1, 21)).exists()
    output = capsys.readouterr().out
    for username in ["councillor", "officer", "clerk", "admin"]:
        assert username in output


def test_it_says_which_demo_users_set_up_the_second_factor_at_their_first_sign_in(debug_on, capsys):
    call_command("load_demo")
    lines = {line.split()[0]: line for line in capsys.readouterr().out.splitlines()[-4:]}
    for username in ("clerk", "admin"):
        assert "then sets up an authenticator app" in lines[username]
        assert "oathtool --totp -b KEY" in lines[username]
    for username in ("councillor", "officer"):
        assert "authenticator" not in lines[username]


def test_the_demo_officer_leads_at_least_three_recommendations(debug_on):
    call_command("load_demo")
    officer = User.objects.get(username="officer")
    assert officer.groups.filter(name="Officer").exists()
    assert Recommendation.objects.filter(lead_organisation=officer.organisation).count() >= 3
    assert User.objects.get(username="admin").is_superuser
    assert User.objects.get(username="clerk").check_password("scrutiny-demo")


def test_running_it_twice_leaves_the_same_rows_and_history(debug_on, capsys):
    call_command("load_demo")
    first = row_counts()
    call_command("load_demo")
    assert row_counts() == first
    assert "0 records created, 0 changed" in capsys.readouterr().out.splitlines()[-6]


def test_it_records_the_clerk_in_the_history_and_the_officer_as_author(debug_on):
    call_command("load_demo")
    clerk = User.objects.get(username="clerk")
    recommendation = Recommendation.objects.get(number="1")
    assert recommendation.history.earliest().history_user == clerk
    assert {u.author.username for u in recommendation.updates.all()} == {"officer"}


def test_its_history_is_dated_as_the_review_happened(debug_on):
    call_command("load_demo")
    as_before_the_meeting = Recommendation.history.as_of(
        datetime.datetime(2019, 1, 20, tzinfo=datetime.UTC)
    )
    assert as_before_the_meeting.count() == 7


def test_it_refuses_to_create_demo_users_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--with-demo-users"):
        call_command("load_demo")
    assert not User.objects.exists()


def test_it_creates_them_when_asked_to_even_with_debug_off(settings):
    settings.DEBUG = False
    call_command("load_demo", "--with-demo-users")
    assert User.objects.filter(username="councillor").exists()
