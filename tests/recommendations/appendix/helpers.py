"""Helpers shared by the appendix tests."""

import datetime
import io
import os

from django.core.management import call_command
from django.utils import timezone
from pypdf import PdfReader

from reviews.models import Meeting, Review

DEMO_REVIEW = "Scrutiny Review of Cybercrime"
DEMO_MEETING = datetime.date(2019, 1, 21)


def load_demo() -> tuple[Review, Meeting]:
    call_command("load_demo", "--with-demo-users", stdout=open(os.devnull, "w"))  # noqa: SIM115
    review = Review.objects.get(title=DEMO_REVIEW)
    return review, Meeting.objects.get(committee=review.committee, date=DEMO_MEETING)


def at(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)
