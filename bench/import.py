"""Time the import of a large tracker file into an empty database.

    .venv/bin/python bench/import.py [--format csv|xlsx] [--runs 3]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> .venv/bin/python bench/import.py

Writes a file of 5,000 recommendations in 50 reviews, three progress updates each (15,000 rows),
then imports it `--runs` times, each into an empty throwaway database made the way the test
runner makes one (a temporary SQLite file, or `test_<name>` on PostgreSQL) and dropped at the end,
so the configured database itself is never touched. Prints each run, the median, and the rows and
history rows written. Target: at most 10 seconds on SQLite.
"""

import argparse
import csv
import datetime
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scrutiny.settings")
# A throwaway database and no server: the settings only need some key with debug off.
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-insecure-key-never-served")

REVIEWS = 50
PER_REVIEW = 100
UPDATES_EACH = 3
ORGANISATIONS = [f"Organisation {n}" for n in range(1, 41)]
STATUSES = ["On track", "Slipped", "Achieved", "Not started", "in progress", "delayed"]
RESPONSES = ["Accepted", "Agreed in part", "Not accepted", "Noted", ""]


def tracker_rows():
    header = [
        "review", "committee", "number", "recommendation", "lead", "partners", "response",
        "response_text", "target_date", "revised_target_date", "revision_reason",
        "update_date", "update_status", "update_text",
    ]  # fmt: skip
    yield header
    start = datetime.date(2020, 1, 1)
    for r in range(REVIEWS):
        review = f"Scrutiny review number {r + 1} of the bench"
        committee = f"Overview and Scrutiny Committee {r % 5 + 1}"
        for n in range(1, PER_REVIEW + 1):
            i = r * PER_REVIEW + n
            partners = "; ".join(ORGANISATIONS[(i + k) % 40] for k in range(i % 4))
            revised = start + datetime.timedelta(days=400 + i % 300) if i % 7 == 0 else None
            common = [
                review,
                committee,
                f"R{n}",
                f"That the council acts on finding {i} of the review, with its partners, "
                "and reports its progress to the committee every six months.",
                ORGANISATIONS[i % 40],
                partners,
                RESPONSES[i % len(RESPONSES)],
                f"The executive's reasons for response {i}.",
                (start + datetime.timedelta(days=365 + i % 200)).isoformat(),
                revised.isoformat() if revised else "",
                "Delayed by the pandemic." if revised else "",
            ]
            for u in range(UPDATES_EACH):
                as_at = start + datetime.timedelta(days=90 * (u + 1) + i % 30)
                yield [
                    *common,
                    as_at.strftime("%d/%m/%Y") if u % 2 else as_at.isoformat(),
                    STATUSES[(i + u) % len(STATUSES)],
                    f"Progress on recommendation {i}, update {u + 1}: meetings held, a plan "
                    "agreed with partners and the first actions under way.",
                ]


def tracker_file(kind: str) -> bytes:
    if kind == "csv":
        buffer = io.StringIO(newline="")
        csv.writer(buffer).writerows(tracker_rows())
        return buffer.getvalue().encode("utf-8")
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for row in tracker_rows():
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    import django

    django.setup()
    from django.apps import apps
    from django.core.management import call_command
    from django.db import connection

    from recommendations.trackers.applying import import_tracker
    from reviews.models import User

    data = tracker_file(args.format)
    rows = data.count(b"\n") - 1 if args.format == "csv" else REVIEWS * PER_REVIEW * UPDATES_EACH
    vendor = connection.vendor
    folder = tempfile.TemporaryDirectory(prefix="bench-import-")
    if vendor == "sqlite":
        # A real file (the test runner would use memory), so the timing is the deployed one.
        connection.settings_dict.setdefault("TEST", {})["NAME"] = str(
            Path(folder.name) / "bench.sqlite3"
        )
    old_name = connection.settings_dict["NAME"]
    test_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    print(
        f"Importing {len(data) / 1e6:.1f} MB {args.format.upper()}: {REVIEWS * PER_REVIEW:,} "
        f"recommendations, {rows:,} rows, into an empty {vendor} database ({test_name})"
    )

    def counts() -> tuple[int, int]:
        tables = [
            model
            for model in apps.get_models(include_auto_created=True)
            if model._meta.app_label in {"reviews", "recommendations"}
        ]
        history = sum(m.objects.count() for m in tables if m.__name__.startswith("Historical"))
        other = sum(m.objects.count() for m in tables if not m.__name__.startswith("Historical"))
        return other, history

    timings = []
    try:
        for run in range(1, args.runs + 1):
            call_command("flush", interactive=False, verbosity=0)
            user = User.objects.create(username="bench")
            before = counts()
            began = time.perf_counter()
            plan = import_tracker(data, f"bench.{args.format}", user=user)
            seconds = time.perf_counter() - began
            after = counts()
            timings.append(seconds)
            print(
                f"run {run}: {seconds:.2f} s — {plan.summary()}; "
                f"{after[0] - before[0]:,} rows and {after[1] - before[1]:,} history rows written"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        folder.cleanup()
    print(
        f"median of {len(timings)}: {statistics.median(timings):.2f} s (target: at most 10 s on SQLite)"
    )


if __name__ == "__main__":
    main()
