"""The reminder rules at their boundaries, with an explicit clock.

The request of the `sent_request` fixture was made on 2 March 2026 with a deadline of 16 March for
a meeting on 30 March: reminders are due from 11 March (five days before) and from 17 March (the
day after the deadline).
"""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from recommendations.models import Email
from tests.factories import make_update

from .conftest import at

pytestmark = pytest.mark.django_db

REMINDER_DAY = datetime.date(2026, 3, 11)
DEADLINE = datetime.date(2026, 3, 16)
DAY = datetime.timedelta(days=1)


def run_on(clock, day: datetime.date, hour: int = 10) -> str:
    clock.move_to(at(day, hour))
    out = StringIO()
    call_command("send_reminders", stdout=out)
    return out.getvalue()


def reminders() -> list[tuple[str, list[str], datetime.date]]:
    return sorted(
        (
            email.recipient.username,
            sorted(email.recommendations.values_list("number", flat=True)),
            email.queued_at.date(),
        )
        for email in Email.objects.filter(kind="reminder")
    )


def test_nothing_is_sent_the_day_before_the_reminder_date(clock, sent_request, smtp):
    assert run_on(clock, REMINDER_DAY - DAY).startswith("0 reminder(s) queued")
    assert reminders() == []


def test_on_the_reminder_date_everyone_with_unanswered_recommendations_is_reminded(
    clock, sent_request, smtp
):
    assert run_on(clock, REMINDER_DAY).startswith("2 reminder(s) queued")
    assert reminders() == [
        ("officer", ["1", "2"], REMINDER_DAY),
        ("outsider", ["3"], REMINDER_DAY),
    ]
    subjects = sorted(message["Subject"] for _, message in smtp.messages)
    assert subjects[-1].startswith("Reminder: progress updates due by 16 March 2026")


def test_a_reminder_lists_only_what_is_still_unanswered(clock, sent_request, smtp, officer, world):
    clock.move_to(at(REMINDER_DAY - 2 * DAY))
    make_update(world["recommendations"]["1"], as_at=REMINDER_DAY - 2 * DAY, author=officer)
    run_on(clock, REMINDER_DAY)
    assert reminders() == [
        ("officer", ["2"], REMINDER_DAY),
        ("outsider", ["3"], REMINDER_DAY),
    ]
    text = next(
        m for to, m in smtp.messages if to == ["olu@example.org"] and "Reminder" in m["Subject"]
    )
    body = text.get_body(("plain",)).get_content()
    assert "recommendation 2" in body
    assert "recommendation 1" not in body


def test_someone_who_has_answered_everything_gets_nothing(
    clock, sent_request, smtp, officer, world
):
    for number in ("1", "2"):
        make_update(
            world["recommendations"][number], as_at=datetime.date(2026, 3, 2), author=officer
        )
    run_on(clock, REMINDER_DAY)
    run_on(clock, DEADLINE + DAY)
    assert [name for name, _, _ in reminders()] == ["outsider", "outsider"]


def test_an_update_recorded_before_the_request_does_not_answer_it(
    clock, world, clerk, officer, smtp
):
    from recommendations.requests.asking import plan_request, send_request

    make_update(world["recommendations"]["1"], as_at=datetime.date(2026, 3, 2), author=officer)
    clock.move_to(at(datetime.date(2026, 3, 2), 11))
    send_request(plan_request(world["meeting"], [world["review"]], DEADLINE), requested_by=clerk)
    run_on(clock, REMINDER_DAY)
    assert ("officer", ["1", "2"], REMINDER_DAY) in reminders()


def test_the_day_after_the_reminder_date_sends_nothing_new(clock, sent_request, smtp):
    run_on(clock, REMINDER_DAY)
    run_on(clock, REMINDER_DAY + DAY)
    assert len(reminders()) == 2


def test_a_missed_reminder_date_is_caught_up_the_next_day(clock, sent_request, smtp):
    run_on(clock, REMINDER_DAY + DAY)
    assert [day for _, _, day in reminders()] == [REMINDER_DAY + DAY] * 2


def test_on_the_deadline_nothing_new_is_sent(clock, sent_request, smtp):
    run_on(clock, REMINDER_DAY)
    run_on(clock, DEADLINE)
    assert len(reminders()) == 2


def test_the_day_after_the_deadline_the_late_are_reminded_once_more(clock, sent_request, smtp):
    run_on(clock, REMINDER_DAY)
    run_on(clock, DEADLINE + DAY)
    run_on(clock, DEADLINE + 2 * DAY)
    assert [day for _, _, day in reminders()] == [
        REMINDER_DAY,
        DEADLINE + DAY,
        REMINDER_DAY,
        DEADLINE + DAY,
    ]
    overdue = [m["Subject"] for _, m in smtp.messages if m["Subject"].startswith("Overdue")]
    assert len(overdue) == 2
    assert overdue[0].startswith("Overdue: progress updates were due on 16 March 2026")


def test_after_the_meeting_nobody_is_chased(clock, sent_request, smtp):
    run_on(clock, datetime.date(2026, 3, 31))
    assert reminders() == []


def test_someone_emailed_earlier_the_same_day_is_not_reminded_until_the_next_run_after_it(
    clock, sent_request, smtp, world, clerk
):
    from recommendations.requests.asking import plan_request, send_request

    clock.move_to(at(REMINDER_DAY, 8))
    other = send_request(
        plan_request(world["meeting"], [world["review"]], DEADLINE), requested_by=clerk
    )
    run_on(clock, REMINDER_DAY, hour=9)
    assert reminders() == []
    run_on(clock, REMINDER_DAY + DAY)
    # The first request's stage began on the 11th and nobody was reminded for it yet; the other
    # request emailed them on the 11th itself, so it waits for its own after-deadline stage.
    assert {
        (email.request_id, email.queued_at.date())
        for email in Email.objects.filter(kind="reminder")
    } == {(sent_request.pk, REMINDER_DAY + DAY)}
    assert other.emails.filter(kind="reminder").count() == 0


def test_at_most_one_email_a_day_whatever_the_number_of_requests(
    clock, sent_request, smtp, world, clerk
):
    from recommendations.requests.asking import plan_request, send_request

    send_request(plan_request(world["meeting"], [world["review"]], DEADLINE), requested_by=clerk)
    run_on(clock, REMINDER_DAY)
    per_person_per_day = {(name, day) for name, _, day in reminders()}
    assert len(per_person_per_day) == len(reminders()) == 2


def test_running_twice_sends_nothing_new(clock, sent_request, smtp):
    run_on(clock, REMINDER_DAY, hour=9)
    before = (Email.objects.count(), len(smtp.messages))
    assert run_on(clock, REMINDER_DAY, hour=10).startswith("0 reminder(s) queued")
    assert (Email.objects.count(), len(smtp.messages)) == before


def test_a_closed_recommendation_is_never_chased(clock, sent_request, smtp, world, clerk):
    from tests.factories import make_meeting

    past = make_meeting(committee=world["meeting"].committee, date=datetime.date(2026, 3, 1))
    world["recommendations"]["3"].close(meeting=past, how="implemented", user=clerk)
    run_on(clock, REMINDER_DAY)
    assert reminders() == [("officer", ["1", "2"], REMINDER_DAY)]


def test_a_deadline_on_the_day_of_the_meeting_has_no_reminder_after_it(clock, world, clerk, smtp):
    from recommendations.requests.asking import plan_request, send_request

    meeting_day = world["meeting"].date
    send_request(plan_request(world["meeting"], [world["review"]], meeting_day), requested_by=clerk)
    run_on(clock, meeting_day - 5 * DAY)
    run_on(clock, meeting_day + DAY)
    assert [day for _, _, day in reminders()] == [meeting_day - 5 * DAY] * 2
