"""A mail server that refuses or is down: the email is recorded as failed, no page fails, and it is
sent later; nothing is lost."""

import pytest
from django.core.management import call_command

from recommendations.models import Email, UpdateRequest

from .conftest import Collect, mail_server
from .test_asking import ASK, form_data

pytestmark = pytest.mark.django_db


def test_a_refusing_server_leaves_the_emails_failed_with_its_error_and_the_page_works(
    client, clerk, world, refusing_smtp
):
    client.force_login(clerk)
    response = client.post(ASK, form_data(world))

    assert response.status_code == 302
    update_request = UpdateRequest.objects.get()
    emails = Email.objects.all()
    assert len(emails) == 2
    for email in emails:
        assert email.state == "failed"
        assert "550" in email.error
        assert email.attempts == 1
    page = client.get(response["Location"]).content.decode()
    assert page.count("Failed") == 2
    assert "Mailbox unavailable" in page
    assert update_request.requested.count() == 4


def test_a_server_that_is_down_leaves_the_emails_failed_and_send_reminders_sends_them_later(
    client, clerk, world, smtp_down, settings
):
    client.force_login(clerk)
    assert client.post(ASK, form_data(world)).status_code == 302
    assert all(email.state == "failed" for email in Email.objects.all())

    with mail_server(settings, Collect()) as server:
        call_command("send_reminders", stdout=None)

    assert sorted(to for to, _ in server.messages) == [["olu@example.org"], ["oz@example.org"]]
    for email in Email.objects.all():
        assert email.state == "sent"
        assert email.error == ""
        assert email.attempts == 2
    assert Email.objects.count() == 2  # the same emails, not new ones


def test_send_reminders_now_tries_the_failed_emails_again_and_sends_nobody_a_second_email_today(
    client, clerk, world, smtp_down, settings
):
    client.force_login(clerk)
    request_url = client.post(ASK, form_data(world))["Location"]

    with mail_server(settings, Collect()) as server:
        response = client.post(f"{request_url}reminders/")

    assert response.status_code == 302
    assert sorted(to for to, _ in server.messages) == [["olu@example.org"], ["oz@example.org"]]
    assert {(email.kind, email.state) for email in Email.objects.all()} == {("request", "sent")}
    page = client.get(request_url).content.decode()
    assert "0 reminders queued; 2 failed emails tried again" in page
    assert page.count(">Sent<") == 2


def test_an_email_tried_too_often_is_left_alone(clerk, world, smtp_down, settings, sent_request):
    settings.EMAIL_MAX_ATTEMPTS = 2
    call_command("send_reminders", stdout=None)
    call_command("send_reminders", stdout=None)
    assert {email.attempts for email in Email.objects.all()} == {2}


def test_two_workers_never_send_the_same_email_twice(world, smtp_down, settings, sent_request):
    from recommendations.requests.emails import deliver

    first = Email.objects.get(recipient__username="officer")
    second = Email.objects.get(pk=first.pk)
    with mail_server(settings, Collect()) as server:
        assert deliver(first) is True
        assert deliver(second) is False
    assert len(server.messages) == 1
    assert Email.objects.get(pk=first.pk).attempts == 2
