"""Time an officer's "My recommendations" page, and say where its time goes.

    # once: the load test's register (2,500 recommendations, 10 organisations, 10 officers)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> .venv/bin/python bench/load.py --prepare
    DATABASE_URL=… .venv/bin/python bench/my_recommendations.py            # timings
    DATABASE_URL=… .venv/bin/python bench/my_recommendations.py --profile  # and cProfile's top

It reads the database of DATABASE_URL as `bench/load.py --prepare` left it (an officer there may
update about 250 recommendations) and signs in its first officer with the test client, which
writes a session row and nothing else. Each page is requested 3 times to warm up, then 30 times
timed; it prints the median and 95th percentile in milliseconds, the median CPU time of this
process (Python's share, which other work on the machine barely moves), the queries one request
made and the time the database took for them (as Django's debug cursor measures it, round trips
included), and the page's size.
With --profile, one more batch of requests runs under cProfile and the functions with the most
cumulative time are printed.
"""

import argparse
import cProfile
import os
import pstats
import sys
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scrutiny.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-insecure-key-never-served")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from bench.timing import measure  # noqa: E402

OFFICER = "load-officer-1"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", action="store_true", help="also print cProfile's top")
    parser.add_argument("--officer", default=OFFICER, help=f"whose page (default {OFFICER})")
    args = parser.parse_args()

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.SECURE_SSL_REDIRECT = False
    # The test client's host; not setup_test_environment(), whose instrumented template
    # rendering would add to the very time measured here.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    warnings.filterwarnings("ignore", "No directory at")

    from recommendations import access
    from reviews.models import User

    officer = User.objects.get(username=args.officer)
    count = access.updatable_by(officer).count()
    load = os.getloadavg()
    print(f"{connection.vendor}: {args.officer} may update {count} recommendations")
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    client = Client()
    client.force_login(officer)
    pages = [("my recommendations", "/recommendations/mine/")]
    if count > 50:
        pages.append(("my recommendations, page 2", "/recommendations/mine/?page=2"))
    print(
        f"{'page':30} {'median ms':>10} {'p95 ms':>8} {'CPU ms':>7} {'queries':>8} {'SQL ms':>7} "
        f"{'KiB':>6}"
    )
    for name, url in pages:
        timed = measure(client, url)
        print(
            f"{name:30} {timed.median:10.1f} {timed.p95:8.1f} {timed.cpu_median:7.1f} "
            f"{timed.queries:8d} {timed.sql_ms:7.1f} {timed.size / 1024:6.0f}"
        )
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(10):
            client.get(pages[0][1])
        profiler.disable()
        print("\ncProfile, 10 requests of the first page, by cumulative time:")
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(40)
        print("\nand by time spent in the function itself:")
        stats.sort_stats("tottime").print_stats(20)


if __name__ == "__main__":
    main()
