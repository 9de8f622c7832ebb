"""Submitted -> accepted or returned: only accepted updates count (docs/domain.md, "Acceptance")."""

import datetime
import importlib
import re
import threading

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test import Client

from recommendations.appendix.build import build_appendix
from recommendations.choices import Status
from recommendations.models import (
    AlreadyDecided,
    AppendOnlyError,
    Email,
    Outcome,
    ProgressUpdate,
    Recommendation,
    UpdateDecision,
)
from tests.factories import make_organisation, make_recommendation, make_update, make_user

D = datetime.date
ADD = "/recommendations/{}/progress-updates/add/"
TO_CHECK = "/updates/to-check/"
DECIDE = "/updates/{}/decide/"


def submit(client, recommendation, *, status=Status.ON_TRACK, narrative="The task group met."):
    return client.post(
        ADD.format(recommendation.pk),
        {
            "as_at_day": "7",
            "as_at_month": "1",
            "as_at_year": "2019",
            "status": status,
            "narrative": narrative,
        },
    )


def stored(recommendation) -> tuple:
    return Recommendation.objects.values_list("current_status", "last_update_date").get(
        pk=recommendation.pk
    )


@pytest.mark.django_db
def test_an_officers_update_is_submitted_and_counts_only_once_accepted(
    client, officer, clerk, recommendation
):
    client.force_login(officer)
    assert submit(client, recommendation, status=Status.ACHIEVED).status_code == 302
    update = recommendation.updates.get()
    assert update.state == "submitted"
    assert stored(recommendation) == (Status.NOT_STARTED, None)
    assert (
        Recommendation.objects.status_counts_by_review()[recommendation.review_id].get(
            Status.ACHIEVED, 0
        )
        == 0
    )

    client.force_login(clerk)
    response = client.post(DECIDE.format(update.pk), {"outcome": "accepted"})
    assert response.status_code == 302
    assert stored(recommendation) == (Status.ACHIEVED, D(2019, 1, 7))
    assert (
        Recommendation.objects.status_counts_by_review()[recommendation.review_id][Status.ACHIEVED]
        == 1
    )
    decision = UpdateDecision.objects.get(update=update)
    assert (decision.outcome, decision.decided_by) == (Outcome.ACCEPTED, clerk)


@pytest.mark.django_db
def test_the_dashboard_shows_the_scrutiny_officer_how_many_wait(
    client, officer, clerk, recommendation
):
    client.force_login(officer)
    submit(client, recommendation)
    assert 'id="to-check-count"' not in client.get("/").content.decode()
    client.force_login(clerk)
    page = client.get("/").content.decode()
    assert '<span id="to-check-count">1</span> update is waiting to be checked' in page
    client.post(DECIDE.format(recommendation.updates.get().pk), {"outcome": "accepted"})
    assert '<span id="to-check-count">0</span>' in client.get("/").content.decode()


@pytest.mark.django_db
def test_updates_by_the_scrutiny_officer_or_administrator_are_accepted_at_once(
    client, clerk, administrator, recommendation
):
    for n, user in enumerate([clerk, administrator]):
        client.force_login(user)
        submit(client, recommendation, narrative=f"Checked {n}.")
    assert sorted(u.state for u in recommendation.updates.all()) == ["accepted", "accepted"]
    assert stored(recommendation) == (Status.ON_TRACK, D(2019, 1, 7))
    assert ProgressUpdate.objects.submitted().count() == 0


@pytest.mark.django_db
def test_with_acceptance_off_every_update_counts_at_once_and_the_check_pages_are_404(
    client, settings, officer, clerk, recommendation
):
    settings.UPDATES_NEED_ACCEPTANCE = False
    client.force_login(officer)
    submit(client, recommendation)
    assert recommendation.updates.get().state == "accepted"
    assert stored(recommendation) == (Status.ON_TRACK, D(2019, 1, 7))
    client.force_login(clerk)
    assert client.get(TO_CHECK).status_code == 404
    assert client.post(DECIDE.format(1), {"outcome": "accepted"}).status_code == 404
    assert "Updates to check" not in client.get("/").content.decode()


@pytest.mark.django_db
def test_the_list_shows_every_submitted_update_oldest_first_beside_the_previous_accepted(
    client, clerk, officer, review, lead_organisation
):
    first = make_recommendation("1", review=review, lead_organisation=lead_organisation)
    second = make_recommendation("2", review=review, lead_organisation=lead_organisation)
    make_update(first, as_at=D(2019, 1, 2), narrative="Accepted before.", author=officer)
    make_update(
        second,
        as_at=D(2019, 1, 3),
        narrative="Newer submitted.",
        accepted=False,
        recorded_at=datetime.datetime(2019, 1, 4, tzinfo=datetime.UTC),
    )
    make_update(
        first,
        as_at=D(2019, 1, 3),
        narrative="Older submitted.",
        accepted=False,
        recorded_at=datetime.datetime(2019, 1, 3, tzinfo=datetime.UTC),
    )
    client.force_login(clerk)
    page = client.get(TO_CHECK).content.decode()
    assert (
        page.index("Older submitted.")
        < page.index("Accepted before.")
        < page.index("Newer submitted.")
    )
    assert page.count("None yet.") == 1  # the second recommendation has no accepted update


@pytest.mark.django_db
def test_returning_without_a_comment_is_refused_and_records_nothing(
    client, clerk, officer, recommendation
):
    update = make_update(recommendation, as_at=D(2019, 1, 7), author=officer, accepted=False)
    client.force_login(clerk)
    response = client.post(DECIDE.format(update.pk), {"outcome": "returned", "comment": "  \n"})
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        f'<a href="#comment-{update.pk}">Say what is missing from the update to return it.</a>'
        in page
    )
    assert "govuk-textarea--error" in page
    assert not UpdateDecision.objects.exists()
    assert not Email.objects.exists()


@pytest.mark.django_db
def test_returning_keeps_the_update_marks_it_and_emails_its_author(
    client, clerk, officer, councillor, recommendation
):
    officer.email = "olu@example.org"
    officer.save()
    update = make_update(
        recommendation, as_at=D(2019, 1, 7), author=officer, accepted=False, narrative="Going fine."
    )
    client.force_login(clerk)
    response = client.post(
        DECIDE.format(update.pk), {"outcome": "returned", "comment": "Which schools? Say how many."}
    )
    assert response.status_code == 302
    assert stored(recommendation) == (Status.NOT_STARTED, None)
    email = Email.objects.get()
    assert (email.kind, email.recipient, email.decision.update) == ("returned", officer, update)
    assert email.sent_at is not None  # the worker (immediate in tests) sent it
    [message] = mail.outbox
    assert message.to == ["olu@example.org"]
    assert "was returned" in message.subject
    assert "Which schools? Say how many." in message.body

    client.force_login(officer)
    page = client.get(recommendation.get_absolute_url()).content.decode()
    assert "Going fine." in page and "Returned" in page
    assert "Which schools? Say how many." in page
    mine = client.get("/recommendations/mine/").content.decode()
    assert "Returned" in mine and "Which schools? Say how many." in mine

    client.force_login(councillor)
    page = client.get(recommendation.get_absolute_url()).content.decode()
    assert "Going fine." not in page and "Which schools?" not in page


@pytest.mark.django_db
def test_an_officer_sees_their_own_submitted_update_awaiting_check(
    client, officer, councillor, recommendation
):
    client.force_login(officer)
    submit(client, recommendation, narrative="Twelve schools booked.")
    page = client.get(recommendation.get_absolute_url()).content.decode()
    assert "Twelve schools booked." in page and "Submitted, awaiting check" in page
    assert "Submitted, awaiting check" in client.get("/recommendations/mine/").content.decode()
    client.force_login(councillor)
    assert (
        "Twelve schools booked."
        not in client.get(recommendation.get_absolute_url()).content.decode()
    )


@pytest.mark.django_db
def test_a_second_decision_shows_the_first_and_records_nothing_more(
    client, clerk, officer, recommendation
):
    update = make_update(recommendation, as_at=D(2019, 1, 7), author=officer, accepted=False)
    other = make_user("clerk2", role="Scrutiny officer", first_name="Kit", last_name="Clerk")
    update.accept(by=other)
    client.force_login(clerk)
    response = client.post(
        DECIDE.format(update.pk), {"outcome": "returned", "comment": "Too late?"}, follow=True
    )
    page = response.content.decode()
    assert "was already accepted by Kit Clerk" in page
    assert "Nothing more was recorded" in page
    assert UpdateDecision.objects.count() == 1
    assert not Email.objects.exists()


@pytest.mark.django_db
def test_a_decision_is_append_only(officer, clerk, recommendation):
    update = make_update(recommendation, as_at=D(2019, 1, 7), author=officer, accepted=False)
    decision = update.accept(by=clerk)
    with pytest.raises(AppendOnlyError):
        decision.save()
    with pytest.raises(AppendOnlyError):
        UpdateDecision.objects.all().delete()
    with pytest.raises(AlreadyDecided):
        ProgressUpdate.objects.get(pk=update.pk).accept(by=clerk)


@pytest.mark.django_db
def test_an_update_accepted_after_k_is_not_known_at_k_and_is_known_after(officer, clerk, review):
    with time_machine.travel(datetime.datetime(2019, 1, 1, tzinfo=datetime.UTC), tick=False):
        recommendation = make_recommendation("1", review=review, target_date=D(2030, 1, 1))
    update = make_update(
        recommendation,
        as_at=D(2019, 1, 7),
        status=Status.SLIPPED,
        narrative="Submitted before K.",
        author=officer,
        recorded_at=datetime.datetime(2019, 1, 8, 9, tzinfo=datetime.UTC),
        accepted=False,
    )
    update.accept(by=clerk, at=datetime.datetime(2019, 1, 12, 9, tzinfo=datetime.UTC))
    known_at_k = build_appendix(
        review, D(2019, 1, 10), known_at=datetime.datetime(2019, 1, 10, 9, tzinfo=datetime.UTC)
    )
    [row] = known_at_k.rows
    assert row.status == Status.NOT_STARTED
    assert "Submitted before K." not in str(row.narrative)
    known_later = build_appendix(
        review, D(2019, 1, 10), known_at=datetime.datetime(2019, 1, 12, 10, tzinfo=datetime.UTC)
    )
    [row] = known_later.rows
    assert row.status == Status.SLIPPED
    assert "Submitted before K." in str(row.narrative)


@pytest.mark.django_db
def test_the_tracker_export_has_accepted_updates_only(client, clerk, officer, recommendation):
    make_update(recommendation, as_at=D(2019, 1, 7), author=officer, narrative="Counted.")
    make_update(
        recommendation, as_at=D(2019, 1, 8), author=officer, narrative="Waiting.", accepted=False
    )
    from recommendations.trackers.writing import tracker_rows

    text = str(list(tracker_rows(Recommendation.objects.all())))
    assert "Counted." in text and "Waiting." not in text


@pytest.mark.django_db
def test_the_data_migration_accepts_every_update_by_its_author_when_recorded(
    officer, recommendation
):
    from django.apps import apps

    recorded = datetime.datetime(2019, 1, 8, 9, tzinfo=datetime.UTC)
    update = make_update(
        recommendation, as_at=D(2019, 1, 7), author=officer, accepted=False, recorded_at=recorded
    )
    migration = importlib.import_module("recommendations.migrations.0012_update_decisions")
    migration.accept_existing_updates(apps, type("Editor", (), {"connection": connection})())
    decision = UpdateDecision.objects.get(update=update)
    assert (decision.outcome, decision.decided_by, decision.decided_at) == (
        Outcome.ACCEPTED,
        officer,
        recorded,
    )


@pytest.fixture
def roles_after_flush(transactional_db):
    from django.apps import apps

    importlib.import_module("recommendations.migrations.0003_create_roles").assign_role_permissions(
        apps
    )


@pytest.mark.django_db(transaction=True)
def test_two_clerks_deciding_at_once_record_one_decision(monkeypatch, roles_after_flush):
    """Both requests find the update submitted; the unique constraint on the decision's update
    makes the second wait for the first and then see it, recording nothing."""
    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite's in-memory test database cannot hold two writing connections; "
            "file databases serialise writers with IMMEDIATE transactions instead"
        )
    recommendation = make_recommendation("1", lead_organisation=make_organisation())
    update = make_update(recommendation, as_at=D(2019, 1, 7), accepted=False)
    clerks = [make_user(f"clerk{i}", role="Scrutiny officer") for i in range(2)]
    start = threading.Barrier(2)
    original = UpdateDecision.save

    def slow_save(self, *args, **kwargs):
        start.wait(timeout=10)  # both have read the update as submitted and are about to insert
        return original(self, *args, **kwargs)

    monkeypatch.setattr(UpdateDecision, "save", slow_save)
    results = []

    def decide(user, data):
        try:
            browser = Client()
            browser.force_login(user)
            response = browser.post(DECIDE.format(update.pk), data, follow=True)
            results.append(response.content.decode())
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide, args=(clerks[0], {"outcome": "accepted"})),
        threading.Thread(
            target=decide, args=(clerks[1], {"outcome": "returned", "comment": "Say more."})
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert UpdateDecision.objects.count() == 1
    assert sum("Nothing more was recorded" in page for page in results) == 1
    decision = UpdateDecision.objects.get()
    assert Email.objects.filter(kind="returned").count() == (
        1 if decision.outcome == Outcome.RETURNED else 0
    )


def updated_headline(page: str) -> str:
    return re.search(
        r'id="headline-updated">\s*<span class="app-headlines__count">(\d+)</span>', page
    ).group(1)


@pytest.mark.django_db
def test_the_dashboards_counts_change_only_on_acceptance(client, officer, clerk, recommendation):
    client.force_login(officer)
    submit(client, recommendation)
    client.force_login(clerk)
    assert updated_headline(client.get("/").content.decode()) == "0"
    client.post(DECIDE.format(recommendation.updates.get().pk), {"outcome": "accepted"})
    assert updated_headline(client.get("/").content.decode()) == "1"


@pytest.mark.django_db
def test_the_request_page_leads_to_the_updates_to_check(
    client, clerk, officer, review, meeting, recommendation
):
    from recommendations.requests.asking import plan_request, send_request

    update_request = send_request(plan_request(meeting, [review], meeting.date), requested_by=clerk)
    make_update(recommendation, as_at=D(2019, 1, 7), author=officer, accepted=False)
    client.force_login(clerk)
    page = client.get(f"/update-requests/{update_request.pk}/").content.decode()
    assert 'href="/updates/to-check/"' in page
    assert '<span id="to-check-count">1</span> update is waiting to be checked' in page


@pytest.mark.django_db
def test_a_returned_update_does_not_answer_a_request_but_a_submitted_one_does(
    clerk, officer, review, meeting, recommendation
):
    from recommendations.models import RequestedRecommendation, answered_condition
    from recommendations.requests.asking import plan_request, send_request

    send_request(plan_request(meeting, [review], meeting.date), requested_by=clerk)
    answered = RequestedRecommendation.objects.filter(answered_condition())
    update = make_update(recommendation, as_at=D(2019, 1, 7), author=officer, accepted=False)
    assert answered.count() == 1
    update.return_to_author(by=clerk, comment="Say more.")
    assert answered.count() == 0


@pytest.mark.django_db
def test_returning_a_decided_update_without_a_comment_says_it_was_decided(
    client, clerk, officer, recommendation
):
    update = make_update(recommendation, as_at=D(2019, 1, 7), author=officer, accepted=False)
    update.accept(by=officer)
    client.force_login(clerk)
    response = client.post(DECIDE.format(update.pk), {"outcome": "returned"}, follow=True)
    assert "was already accepted by Olu Officer" in response.content.decode()
    assert UpdateDecision.objects.count() == 1


@pytest.mark.django_db
def test_the_dashboard_counts_the_updates_waiting_whatever_was_decided_before(
    client, clerk, officer, recommendation
):
    client.force_login(officer)
    for n in range(4):
        submit(client, recommendation, narrative=f"Update {n}.")
    first, second, third, _ = recommendation.updates.order_by("pk")
    first.accept(by=clerk)
    second.decide(outcome="returned", by=clerk, comment="Say what the task group found.")
    client.force_login(clerk)

    content = client.get("/").content.decode()

    assert '<span id="to-check-count">2</span> updates are waiting' in content
    assert ProgressUpdate.objects.submitted_count() == ProgressUpdate.objects.submitted().count()
    # A filtered set, counted the plain way: one accepted, one waiting.
    assert ProgressUpdate.objects.filter(pk__in=[first.pk, third.pk]).submitted_count() == 1
