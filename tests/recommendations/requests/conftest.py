"""A world with a meeting coming up, and a real SMTP server on 127.0.0.1 for the emails."""

import contextlib
import datetime
import email
import email.policy
import socket

import pytest
import time_machine
from aiosmtpd.controller import Controller

from tests.factories import (
    make_committee,
    make_meeting,
    make_progress_report_item,
    make_recommendation,
    make_review,
)

TODAY = datetime.date(2026, 3, 2)
MEETING_DAY = datetime.date(2026, 3, 30)
DEFAULT_DEADLINE = datetime.date(2026, 3, 16)


@pytest.fixture
def clock():
    """The clock at 10:00 on TODAY, London time; `clock.move_to(at(day))` moves it."""
    with time_machine.travel(at(TODAY), tick=False) as traveller:
        yield traveller


def _london():
    import zoneinfo

    return zoneinfo.ZoneInfo("Europe/London")


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=_london())


@pytest.fixture
def world(clock, officer, outsider_officer, lead_organisation, other_organisation):
    """A review on the coming meeting's work programme with four open recommendations: 1 led by
    `officer` in person, 2 by their organisation, 3 by the outsider's organisation, 4 by nobody;
    and a closed one that is never asked about."""
    committee = make_committee("Safer and Stronger Communities")
    review = make_review("Review of cybercrime", committee=committee)
    meeting = make_meeting(committee=committee, date=MEETING_DAY)
    make_progress_report_item(review=review, meeting=meeting)
    past = make_meeting(committee=committee, date=datetime.date(2025, 1, 20))
    recommendations = {
        "1": make_recommendation("1", review=review, lead_officer=officer),
        "2": make_recommendation("2", review=review, lead_organisation=lead_organisation),
        "3": make_recommendation("3", review=review, lead_organisation=other_organisation),
        "4": make_recommendation("4", review=review),
    }
    closed = make_recommendation(
        "5",
        review=review,
        lead_organisation=lead_organisation,
        closure="implemented",
        closed_at_meeting=past,
    )
    officer.email = "olu@example.org"
    officer.save()
    outsider_officer.email = "oz@example.org"
    outsider_officer.save()
    return {
        "review": review,
        "meeting": meeting,
        "recommendations": recommendations,
        "closed": closed,
    }


class Collect:
    """Keeps every message the server accepts."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        self.messages.append((envelope.rcpt_tos, message))
        return "250 Message accepted"


class Refuse:
    async def handle_DATA(self, server, session, envelope):
        return "550 Mailbox unavailable"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _point_mail_at(settings, port: int) -> None:
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "use_tls": False, "timeout": 5},
        }
    }
    settings.DEFAULT_FROM_EMAIL = "scrutiny@example.gov.uk"
    settings.SITE_URL = "https://scrutiny.example.gov.uk"


@contextlib.contextmanager
def mail_server(settings, handler):
    """A real SMTP server on 127.0.0.1 with `handler`, the settings pointed at it."""
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    _point_mail_at(settings, controller.port)
    try:
        yield handler
    finally:
        controller.stop()


@pytest.fixture
def smtp(settings):
    """A real SMTP server on 127.0.0.1 that accepts everything; `.messages` holds what arrived."""
    with mail_server(settings, Collect()) as handler:
        yield handler


@pytest.fixture
def refusing_smtp(settings):
    """A real SMTP server that refuses every message (550)."""
    with mail_server(settings, Refuse()) as handler:
        yield handler


@pytest.fixture
def smtp_down(settings):
    """The settings point at a port where no mail server listens."""
    port = free_port()
    _point_mail_at(settings, port)
    return port


@pytest.fixture
def sent_request(world, clerk):
    """The clerk's request for the world's review, made at 10:00 on TODAY (deadline 16 March)."""
    from recommendations.requests.asking import plan_request, send_request

    plan = plan_request(world["meeting"], [world["review"]], DEFAULT_DEADLINE)
    return send_request(plan, requested_by=clerk)
