"""The demo: the world of the seed minute (seed.py), exactly as the minute describes it, and beside
it a living review whose dates follow the day the demo is loaded (living.py), so that the
dashboard, "Coming up" and a request for updates show something current on a fresh `make run`.
Loading twice changes nothing."""

from django.db import transaction
from django.utils import timezone

from .living import load_living
from .loader import DEMO_PASSWORD, DemoLoader, at
from .seed import (
    COMMITTEE,
    ORGANISATIONS,
    RECOMMENDATIONS,
    REPORTED_TO_CABINET,
    REVIEW,
    USERS,
    load_seed,
)

__all__ = [
    "COMMITTEE",
    "DEMO_PASSWORD",
    "ORGANISATIONS",
    "RECOMMENDATIONS",
    "REVIEW",
    "USERS",
    "DemoLoader",
    "load_demo",
]


@transaction.atomic
def load_demo() -> DemoLoader:
    loader = DemoLoader(users_since=at(REPORTED_TO_CABINET, 9))
    users = load_seed(loader)
    load_living(loader, users, today=timezone.localdate())
    return loader
