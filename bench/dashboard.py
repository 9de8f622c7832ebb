"""Time the dashboard and the register at any size, against the admin's list page.

    .venv/bin/python bench/dashboard.py                    # SQLite (a temporary file), 5,000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/dashboard.py \
        --recommendations 200000 --updates 1000000 --keep     # then --reuse to time it again

Give it a database name the test suite does not use: both work in `test_<name>`, and a test run
drops it, data kept by --keep included.

It never touches the configured database's data: it builds a throwaway test database beside it
(a temporary SQLite file, or PostgreSQL's `test_<name>`), fills it with N recommendations and M
progress updates (default 5,000 and 15,000), one review per 25 recommendations, a committee per
1,000 reviews (at least 6) and an organisation per 1,000 recommendations (at least 40), seeded so
that every run has the same data. Recommendations get their history rows as the app writes them
(simple-history's "+" rows). On PostgreSQL the large tables are written with COPY, on SQLite with
bulk_create; then the stored current status and search document are set by the app's own
`refresh_current_status()`. Each page is requested with Django's test client: 3 warm-up requests,
then 30 timed. It prints the median and 95th percentile in milliseconds, the queries each request
made and the page's size, and drops the database at the end. The dashboard reads its figures from
the cache once a request has made them (nothing changes between requests here); "dashboard,
figures computed" turns the cache off, as for the first request after each change.
"""

import argparse
import datetime
import os
import random
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
    override_settings,
    setup_test_environment,
    teardown_test_environment,
)
from django.utils import timezone  # noqa: E402

from bench.timing import measure  # noqa: E402

RECOMMENDATIONS = 5_000
UPDATES_PER_RECOMMENDATION = 3
AGENDA_ITEMS = 6  # progress reports on each committee's next meeting, at most

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
    return " ".join(rng.choices(WORDS, k=words)).capitalize() + "."


def sizes(recommendations: int) -> dict[str, int]:
    """The rest of the data set, scaled with the number of recommendations."""
    reviews = max(1, recommendations // 25)
    return {
        "reviews": reviews,
        "committees": max(6, reviews // 1000),
        "organisations": max(40, recommendations // 1000),
    }


def write_rows(model, objects: list, *, history_user=None) -> None:
    """Insert `objects` (with their ids set) and, for a model with history, a "+" history row
    each, as simple-history's `bulk_create_with_history` would: COPY on PostgreSQL, else
    bulk_create."""
    from simple_history.utils import bulk_create_with_history

    tracked = hasattr(model, "history")
    if connection.vendor != "postgresql":
        if tracked:
            bulk_create_with_history(objects, model, batch_size=500, default_user=history_user)
        else:
            model.objects.bulk_create(objects, batch_size=1000)
        return
    fields = model._meta.concrete_fields
    _copy(
        model,
        [f.column for f in fields],
        ([getattr(o, f.attname) for f in fields] for o in objects),
    )
    if tracked:
        historical = model.history.model
        now = timezone.now()
        user = history_user.pk if history_user else None
        special = {
            "history_id": None,
            "history_date": now,
            "history_change_reason": None,
            "history_type": "+",
            "history_user_id": user,
        }
        columns = [f for f in historical._meta.concrete_fields if f.attname != "history_id"]
        _copy(
            historical,
            [f.column for f in columns],
            (
                [
                    special[f.attname] if f.attname in special else getattr(o, f.attname)
                    for f in columns
                ]
                for o in objects
            ),
        )
    with connection.cursor() as cursor:
        for table in {
            model._meta.db_table,
            *([model.history.model._meta.db_table] if tracked else []),
        }:
            pk = "history_id" if table != model._meta.db_table else model._meta.pk.column
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', '{pk}'), "
                f"(SELECT COALESCE(MAX({pk}), 1) FROM {table}))"
            )


def _copy(model, columns: list[str], rows) -> None:
    names = ", ".join(f'"{c}"' for c in columns)
    statement = f'COPY "{model._meta.db_table}" ({names}) FROM STDIN'
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def fill(seed: int, recommendation_count: int, update_count: int) -> dict:
    """The data set: the small tables through the models (with history), the large ones by
    `write_rows`."""
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

    size = sizes(recommendation_count)
    rng = random.Random(seed)
    today = timezone.localdate()
    councillor = User.objects.create_user("bench-councillor", password="bench")
    councillor.groups.add(Group.objects.get(name="Councillor"))
    superuser = User.objects.create_superuser("bench-admin", password="bench")
    officer = User.objects.create_user("bench-officer", password="bench")
    officer.groups.add(Group.objects.get(name="Officer"))

    organisations = bulk_create_with_history(
        [
            Organisation(name=f"Organisation {n} {rng.choice(WORDS)}")
            for n in range(size["organisations"])
        ],
        Organisation,
    )
    # The officer of one organisation: its share of the recommendations is theirs to update.
    officer.organisation = organisations[0]
    officer.save()
    committees = bulk_create_with_history(
        [Committee(name=f"Committee {n}: {sentence(rng, 3)}") for n in range(size["committees"])],
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
    statuses = list(Review.Status.values)
    reviews = bulk_create_with_history(
        [
            Review(
                committee=rng.choice(committees),
                title=f"Review {n}: {sentence(rng, 4)}",
                municipal_year="2024/25",
                report_to_executive_date=today - datetime.timedelta(days=rng.randint(10, 900)),
                status=rng.choice(statuses),
            )
            for n in range(size["reviews"])
        ],
        Review,
        batch_size=1000,
    )
    items = []
    # A meeting's agenda has a handful of items, however many reviews there are.
    coming_reports = dict.fromkeys(meetings, 0)
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
        if rng.random() < 0.3 and coming_reports[review.committee_id] < AGENDA_ITEMS:
            coming_reports[review.committee_id] += 1
            items.append(
                WorkProgrammeItem(
                    committee_id=review.committee_id,
                    meeting=coming,
                    review=review,
                    title=f"Further progress report on {review.title}",
                )
            )
    bulk_create_with_history(items, WorkProgrammeItem, batch_size=1000)

    responses = list(Response.values)
    created = timezone.now()
    recommendations = []
    for n in range(recommendation_count):
        review = reviews[n % len(reviews)]
        number = str(n // len(reviews) + 1)
        closed = rng.random() < 0.1
        recommendations.append(
            Recommendation(
                id=n + 1,
                review=review,
                number=number,
                sort_key=natural_sort_key(number),
                text=f"That the council {sentence(rng, 25).lower()}",
                lead_organisation=rng.choice(organisations),
                response=rng.choice(responses),
                target_date=today + datetime.timedelta(days=rng.randint(-500, 500)),
                is_priority=rng.random() < 0.2,
                closure=Closure.IMPLEMENTED.value if closed else "",
                closed_at_meeting=meetings[review.committee_id][0] if closed else None,
                created_at=created,
            )
        )
    write_rows(Recommendation, recommendations, history_user=superuser)
    update_statuses = list(Status.values)
    now = timezone.now()
    updates = [
        ProgressUpdate(
            id=n + 1,
            recommendation_id=rng.randint(1, recommendation_count),
            as_at=today - datetime.timedelta(days=rng.randint(0, 600)),
            status=rng.choice(update_statuses),
            narrative=sentence(rng, 40),
            author_id=officer.pk,
            recorded_at=now - datetime.timedelta(days=rng.randint(0, 600)),
        )
        for n in range(update_count)
    ]
    write_rows(ProgressUpdate, updates)
    # Accepted, each by its author when recorded: only accepted updates count.
    write_rows(
        UpdateDecision,
        [
            UpdateDecision(
                id=update.id,
                update_id=update.id,
                outcome="accepted",
                comment="",
                decided_by_id=officer.pk,
                decided_at=update.recorded_at,
            )
            for update in updates
        ],
    )
    # Statistics first: without them (autovacuum may not have got to the new rows yet) PostgreSQL
    # can plan the refresh's lookups as scans of a million rows each, and take hours.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    # Neither way runs ProgressUpdate.save() or a decision's, which keep the stored current status.
    Recommendation.objects.refresh_current_status()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return {
        "councillor": councillor,
        "officer": officer,
        "superuser": superuser,
        "committee": committees[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=2019)
    parser.add_argument(
        "--recommendations", type=int, default=RECOMMENDATIONS, help="how many (default 5,000)"
    )
    parser.add_argument(
        "--updates", type=int, help="how many progress updates (default 3 per recommendation)"
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the filled database (PostgreSQL) for --reuse"
    )
    parser.add_argument(
        "--reuse", action="store_true", help="time a database kept by --keep without filling it"
    )
    args = parser.parse_args()
    updates = (
        args.updates
        if args.updates is not None
        else args.recommendations * UPDATES_PER_RECOMMENDATION
    )

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
    keep = args.keep or args.reuse
    if connection.vendor == "sqlite":
        if keep:
            parser.error("--keep and --reuse are for PostgreSQL")
        # A file, like the real thing, rather than the in-memory test database.
        temporary = tempfile.TemporaryDirectory(prefix="bench-dashboard-")
        connection.settings_dict["TEST"]["NAME"] = str(Path(temporary.name) / "bench.sqlite3")
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=args.reuse)
    try:
        from recommendations.models import ProgressUpdate, Recommendation
        from reviews.models import Committee, Review, User

        started = time.perf_counter()
        if args.reuse:
            people = {
                "councillor": User.objects.get(username="bench-councillor"),
                "officer": User.objects.get(username="bench-officer"),
                "superuser": User.objects.get(username="bench-admin"),
                "committee": Committee.objects.order_by("pk").first(),
            }
        else:
            people = fill(args.seed, args.recommendations, updates)
        print(
            f"{connection.vendor}: {Review.objects.count()} reviews, "
            f"{Recommendation.objects.count()} recommendations, "
            f"{ProgressUpdate.objects.count()} updates "
            f"(filled in {time.perf_counter() - started:.1f} s, seed {args.seed})"
        )
        load = os.getloadavg()
        print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
        councillor, officer, admin = Client(), Client(), Client()
        councillor.force_login(people["councillor"])
        officer.force_login(people["officer"])
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
            ("register, sorted by target date", councillor, "/register/?sort=-target"),
            ("register, overdue", councillor, "/register/?show=overdue"),
            ("admin recommendation list", admin, "/admin/recommendations/recommendation/"),
            ("dashboard, an officer", officer, "/"),
            ("dashboard, the administrator", admin, "/"),
        ]
        # The dashboard's figures again, computed at every request as after each change (the
        # pages above read them from the cache once the first request has made them).
        pages.append(
            ("dashboard, figures computed", councillor, "/", {"REGISTER_CACHE_SECONDS": 0})
        )
        print(f"{'page':34} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'KiB':>6}")
        for name, client, url, *overrides in pages:
            with override_settings(**(overrides[0] if overrides else {})):
                timed = measure(client, url)
            print(
                f"{name:34} {timed.median:10.1f} {timed.p95:8.1f} {timed.queries:8d} "
                f"{timed.size / 1024:6.0f}"
            )
    finally:
        if not keep:
            connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
        if temporary:
            temporary.cleanup()


if __name__ == "__main__":
    main()
