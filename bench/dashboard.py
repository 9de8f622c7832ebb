"""Time the dashboard and the register at 5,000 recommendations, against the admin's list page.

    .venv/bin/python bench/dashboard.py                    # SQLite (a temporary file)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/dashboard.py

It never touches the configured database's data: it builds a throwaway test database beside it
(a temporary SQLite file, or PostgreSQL's `test_<name>`), fills it through the models with 200
reviews, 5,000 recommendations and 15,000 progress updates (seeded, so every run has the same
data), then requests each page with Django's test client: 3 warm-up requests, then 30 timed.
It prints the median and 95th percentile in milliseconds and the queries each request made,
and drops the database at the end.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scrutiny.settings")
# A throwaway database and no server: the settings only need some key with debug off.
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-insecure-key-never-served")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_test_environment,
    teardown_test_environment,
)
from django.utils import timezone  # noqa: E402

REVIEWS = 200
RECOMMENDATIONS = 5_000
UPDATES = 15_000
COMMITTEES = 6
ORGANISATIONS = 40
WARM_UP = 3
RUNS = 30

WORDS = [
    "police",
    "council",
    "schools",
    "cyber",
    "crime",
    "training",
    "victims",
    "partnership",
    "housing",
    "transport",
    "budget",
    "health",
    "safeguarding",
    "libraries",
    "recycling",
    "roads",
    "employment",
    "youth",
    "carers",
    "digital",
    "awareness",
    "fraud",
    "scams",
    "volunteers",
    "report",
    "review",
    "funding",
    "strategy",
    "older",
    "people",
    "online",
]


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def fill(seed: int) -> dict:
    """The data set, through the models (bulk_create in batches; history kept where tracked)."""
    from django.contrib.auth.models import Group
    from simple_history.utils import bulk_create_with_history

    from recommendations.choices import Closure, Response, Status
    from recommendations.models import (
        ProgressUpdate,
        Recommendation,
        UpdateDecision,
        natural_sort_key,
    )
    from reviews.models import (
        Committee,
        Meeting,
        Organisation,
        Review,
        User,
        WorkProgrammeItem,
    )

    rng = random.Random(seed)
    today = timezone.localdate()
    councillor = User.objects.create_user("bench-councillor", password="bench")
    councillor.groups.add(Group.objects.get(name="Councillor"))
    superuser = User.objects.create_superuser("bench-admin", password="bench")
    officer = User.objects.create_user("bench-officer", password="bench")
    officer.groups.add(Group.objects.get(name="Officer"))

    organisations = bulk_create_with_history(
        [Organisation(name=f"Organisation {n} {rng.choice(WORDS)}") for n in range(ORGANISATIONS)],
        Organisation,
    )
    committees = bulk_create_with_history(
        [Committee(name=f"Committee {n}: {sentence(rng, 3)}") for n in range(COMMITTEES)],
        Committee,
    )
    meetings = {
        committee.pk: bulk_create_with_history(
            [
                Meeting(committee=committee, date=today + datetime.timedelta(days=days))
                for days in (-400, -300, -200, -100, -30, 14, 60)
            ],
            Meeting,
        )
        for committee in committees
    }
    statuses = list(Review.Status)
    reviews = bulk_create_with_history(
        [
            Review(
                committee=rng.choice(committees),
                title=f"Review {n}: {sentence(rng, 4)}",
                municipal_year="2024/25",
                report_to_executive_date=today - datetime.timedelta(days=rng.randint(10, 900)),
                status=rng.choice(statuses),
            )
            for n in range(REVIEWS)
        ],
        Review,
    )
    items = []
    for review in reviews:
        past = rng.choice(meetings[review.committee_id][:5])
        coming = meetings[review.committee_id][5]
        items.append(
            WorkProgrammeItem(
                committee_id=review.committee_id,
                meeting=past,
                review=review,
                title=f"Progress report on {review.title}",
            )
        )
        if rng.random() < 0.3:
            items.append(
                WorkProgrammeItem(
                    committee_id=review.committee_id,
                    meeting=coming,
                    review=review,
                    title=f"Further progress report on {review.title}",
                )
            )
    bulk_create_with_history(items, WorkProgrammeItem)

    recommendations = []
    for n in range(RECOMMENDATIONS):
        review = reviews[n % REVIEWS]
        number = str(n // REVIEWS + 1)
        closed = rng.random() < 0.1
        recommendations.append(
            Recommendation(
                review=review,
                number=number,
                sort_key=natural_sort_key(number),
                text=f"That the council {sentence(rng, 25).lower()}",
                lead_organisation=rng.choice(organisations),
                response=rng.choice(list(Response)),
                target_date=today + datetime.timedelta(days=rng.randint(-500, 500)),
                is_priority=rng.random() < 0.2,
                closure=Closure.IMPLEMENTED if closed else "",
                closed_at_meeting=meetings[review.committee_id][0] if closed else None,
            )
        )
    recommendations = bulk_create_with_history(recommendations, Recommendation, batch_size=500)
    updates = [
        ProgressUpdate(
            recommendation=rng.choice(recommendations),
            as_at=today - datetime.timedelta(days=rng.randint(0, 600)),
            status=rng.choice(list(Status)),
            narrative=sentence(rng, 40),
            author=officer,
            recorded_at=timezone.now() - datetime.timedelta(days=rng.randint(0, 600)),
        )
        for _ in range(UPDATES)
    ]
    ProgressUpdate.objects.bulk_create(updates, batch_size=1000)
    # Accepted, each by its author when recorded: only accepted updates count.
    UpdateDecision.objects.bulk_create(
        (
            UpdateDecision(
                update=update, outcome="accepted", decided_by=officer, decided_at=update.recorded_at
            )
            for update in updates
        ),
        batch_size=1000,
    )
    # bulk_create skips what a decision's save() does: keep the stored current status.
    Recommendation.objects.refresh_current_status()
    connection.cursor().execute("ANALYZE")
    return {"councillor": councillor, "superuser": superuser, "committee": committees[0]}


def measure(client: Client, url: str) -> tuple[list[float], int]:
    for _ in range(WARM_UP):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    query_count = len(queries)
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
    return timings, query_count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=2019)
    args = parser.parse_args()

    # As the tests do: plain static files, a fast hasher, the test client's host allowed.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SECURE_SSL_REDIRECT = False
    # whitenoise warns that collectstatic has not run; irrelevant to these timings.
    warnings.filterwarnings("ignore", "No directory at")
    setup_test_environment()
    temporary = None
    if connection.vendor == "sqlite":
        # A file, like the real thing, rather than the in-memory test database.
        temporary = tempfile.TemporaryDirectory(prefix="bench-dashboard-")
        connection.settings_dict["TEST"]["NAME"] = str(Path(temporary.name) / "bench.sqlite3")
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        started = time.perf_counter()
        people = fill(args.seed)
        from recommendations.models import ProgressUpdate, Recommendation
        from reviews.models import Review

        print(
            f"{connection.vendor}: {Review.objects.count()} reviews, "
            f"{Recommendation.objects.count()} recommendations, "
            f"{ProgressUpdate.objects.count()} updates "
            f"(filled in {time.perf_counter() - started:.1f} s, seed {args.seed})"
        )
        councillor, admin = Client(), Client()
        councillor.force_login(people["councillor"])
        admin.force_login(people["superuser"])
        committee = people["committee"].pk
        pages = [
            ("dashboard", councillor, "/"),
            ("register, first page", councillor, "/register/"),
            (
                "register, filtered and searched",
                councillor,
                f"/register/?q=police+training&committee={committee}&show=open&sort=-updated",
            ),
            ("admin recommendation list", admin, "/admin/recommendations/recommendation/"),
        ]
        print(f"{'page':34} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
        for name, client, url in pages:
            timings, queries = measure(client, url)
            p95 = statistics.quantiles(timings, n=20)[18]
            print(f"{name:34} {statistics.median(timings):10.1f} {p95:8.1f} {queries:8d}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
        if temporary:
            temporary.cleanup()


if __name__ == "__main__":
    main()
