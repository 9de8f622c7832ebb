"""A load test: signed-in councillors and officers on gunicorn and PostgreSQL.

    # once: a register of 2,500 recommendations and 50 users in the database of DATABASE_URL
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> .venv/bin/python bench/load.py --prepare
    # the server, as deployed (collectstatic, gunicorn.conf.py, the cache shared in Redis),
    # plain HTTP on 127.0.0.1 for the test
    DJANGO_SECRET_KEY=x .venv/bin/python manage.py collectstatic --noinput
    export DATABASE_URL=… DJANGO_SECRET_KEY=… DJANGO_ALLOWED_HOSTS=127.0.0.1 \
        DJANGO_SECURE_SSL_REDIRECT=0 REDIS_URL=redis://127.0.0.1:6379/3
    .venv/bin/gunicorn -c gunicorn.conf.py scrutiny.wsgi &
    # and the worker beside it, as deployed (it prepares the dashboard's figures after each update)
    .venv/bin/python manage.py db_worker --queue-name '*' --no-reload &
    # the load
    .venv/bin/python bench/load.py --base-url http://127.0.0.1:8000

50 users arrive evenly over 25 s (40 councillors, 10 officers), sign in, then click until 60 s
after the last one arrived, pausing 1 to 3 s between clicks. Councillors read the dashboard, the
register (its first page, a filtered page and a search), reviews and recommendations; officers
also add progress updates to recommendations their organisation leads. Prints per page the
count, median, 95th percentile and errors, and the updates refused. Standard library only: one
thread per user, each with its own cookies (the session cookie is Secure; the client sends it over
plain HTTP to 127.0.0.1, as a TLS proxy in front of gunicorn would).
"""

import argparse
import http.cookiejar
import os
import random
import re
import statistics
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PASSWORD = "load-test-password-not-secret"
COUNCILLORS = 40
OFFICERS = 10
REVIEWS = 25
PER_REVIEW = 100
ORGANISATIONS = [f"Load organisation {n}" for n in range(1, OFFICERS + 1)]
SEARCHES = ["potholes", "housing", "partners", "finding 12", "budget"]


def prepare() -> None:
    """Import a register of 2,500 recommendations (two updates each) and make the users."""
    import csv
    import io

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scrutiny.settings")
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group

    from recommendations.trackers.applying import import_tracker
    from reviews.models import Organisation, User

    clerk, _ = User.objects.get_or_create(username="load-clerk")
    clerk.groups.add(Group.objects.get(name="Scrutiny officer"))
    topics = ["potholes", "housing", "libraries", "adult care", "budget"]
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(
        [
            "review",
            "committee",
            "number",
            "recommendation",
            "lead",
            "response",
            "target_date",
            "update_date",
            "update_status",
            "update_text",
        ]
    )
    for r in range(REVIEWS):
        for n in range(1, PER_REVIEW + 1):
            i = r * PER_REVIEW + n
            for u, status in enumerate(["Not started", "On track"]):
                writer.writerow(
                    [
                        f"Load review {r + 1} of {topics[r % 5]}",
                        f"Load committee {r % 5 + 1}",
                        f"R{n}",
                        f"That the council acts on finding {i} about {topics[i % 5]} with partners.",
                        ORGANISATIONS[i % OFFICERS],
                        "Accepted",
                        f"{2027 + i % 3}-03-31",
                        f"2026-0{u + 1}-15",
                        status,
                        f"Update {u + 1} on finding {i}: the {topics[i % 5]} plan is agreed.",
                    ]
                )
    plan = import_tracker(buffer.getvalue().encode(), "load.csv", user=clerk)
    print(plan.summary())
    password = make_password(PASSWORD)  # one hash for all: PBKDF2 is slow on purpose
    for role, count in (("Councillor", COUNCILLORS), ("Officer", OFFICERS)):
        for n in range(1, count + 1):
            user, _ = User.objects.update_or_create(
                username=f"load-{role.lower()}-{n}",
                defaults={
                    "password": password,
                    "organisation": (
                        Organisation.objects.get(name=ORGANISATIONS[n - 1])
                        if role == "Officer"
                        else None
                    ),
                },
            )
            user.groups.add(Group.objects.get(name=role))
    print(f"{COUNCILLORS} councillors and {OFFICERS} officers, password {PASSWORD!r}")


class _SecureOverLoopback(http.cookiejar.DefaultCookiePolicy):
    def return_ok_secure(self, cookie, request):
        return True


class User:
    def __init__(self, base_url: str, username: str, results, stop_at: float):
        self.base = base_url.rstrip("/")
        self.username = username
        self.results = results
        self.stop_at = stop_at
        self.cookies = http.cookiejar.CookieJar(policy=_SecureOverLoopback())
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))
        self.officer = "officer" in username

    def request(self, name: str, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body)
        if data is not None:
            request.add_header("Origin", self.base)
            request.add_header("Referer", self.base + path)
        started = time.perf_counter()
        try:
            with self.opener.open(request, timeout=30) as response:
                status, text = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            status, text = error.code, ""
        except OSError:
            status, text = 0, ""
        self.results[name].append((time.perf_counter() - started, status, time.time()))
        return status, text

    def csrf(self) -> str:
        return next(c.value for c in self.cookies if c.name == "csrftoken")

    def sign_in(self) -> None:
        self.request("sign-in page", "/sign-in/")
        self.request(
            "sign in",
            "/sign-in/",
            {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": self.csrf()},
        )

    def run(self) -> None:
        self.sign_in()
        _status, page = self.request("dashboard", "/")
        reviews = sorted(set(re.findall(r'href="/reviews/(\d+)/"', page))) or ["1"]
        recommendations: list[str] = []
        mine: list[str] = []
        while time.time() < self.stop_at:
            time.sleep(random.uniform(1, 3))
            if time.time() >= self.stop_at:
                break
            click = random.random()
            if self.officer and click < 0.3 and mine:
                self.add_update(random.choice(mine))
            elif self.officer and click < 0.4:
                _, page = self.request("my recommendations", "/recommendations/mine/")
                mine = re.findall(r'href="/recommendations/(\d+)/"', page) or mine
            elif click < 0.5:
                self.request("dashboard", "/")
            elif click < 0.6:
                _, page = self.request("register", "/register/")
                recommendations = (
                    re.findall(r'href="/recommendations/(\d+)/"', page) or recommendations
                )
            elif click < 0.7:
                self.request("register filtered", "/register/?status=on_track&show=overdue")
            elif click < 0.8:
                self.request(
                    "register searched",
                    "/register/?" + urllib.parse.urlencode({"q": random.choice(SEARCHES)}),
                )
            elif click < 0.9 or not recommendations:
                _, page = self.request("review", f"/reviews/{random.choice(reviews)}/")
                recommendations = (
                    re.findall(r'href="/recommendations/(\d+)/"', page) or recommendations
                )
            else:
                self.request(
                    "recommendation", f"/recommendations/{random.choice(recommendations)}/"
                )

    def add_update(self, pk: str) -> None:
        path = f"/recommendations/{pk}/progress-updates/add/"
        self.request("add update form", path)
        today = time.localtime()
        status, _ = self.request(
            "add update (post)",
            path,
            {
                "csrfmiddlewaretoken": self.csrf(),
                "as_at_day": today.tm_mday,
                "as_at_month": today.tm_mon,
                "as_at_year": today.tm_year,
                "status": "on_track",
                "narrative": f"Load test update by {self.username}: work continues as planned.",
            },
        )
        # A saved update redirects to the recommendation (urllib follows it: 200 at the end,
        # on the recommendation's page); a refused one shows the form again.
        outcome = "updates refused" if status != 200 else "updates saved"
        self.results[outcome].append((0, status, time.time()))


def run(base_url: str, users: int, ramp: float, hold: float) -> None:
    results: dict[str, list] = defaultdict(list)
    names = [f"load-councillor-{n}" for n in range(1, COUNCILLORS + 1)]
    names += [f"load-officer-{n}" for n in range(1, OFFICERS + 1)]
    random.seed(13)
    random.shuffle(names)
    names = names[:users]
    start = time.time()
    stop_at = start + ramp + hold
    threads = []
    for index, name in enumerate(names):
        delay = start + ramp * index / max(len(names) - 1, 1) - time.time()
        if delay > 0:
            time.sleep(delay)
        thread = threading.Thread(target=User(base_url, name, results, stop_at).run, daemon=True)
        thread.start()
        threads.append(thread)
    for thread in threads:
        thread.join(timeout=stop_at - time.time() + 60)
    print(f"{len(names)} users over {ramp:.0f} s, then {hold:.0f} s; load average at the end "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} cores)")  # fmt: skip
    signed_in = max(t for _, _, t in results["sign in"]) if results["sign in"] else start
    _table("The whole run", results, since=0)
    _table(
        f"After the last sign-in ({stop_at - signed_in:.0f} s; sign-in's password hashing no "
        "longer competing)",
        results,
        since=signed_in,
    )


def _table(title: str, results: dict, *, since: float) -> None:
    print(f"\n{title}")
    print(f"{'page':<22}{'count':>7}{'median ms':>11}{'p95 ms':>9}{'errors':>8}")
    for name in sorted(results):
        timings = [(t, status) for t, status, at in results[name] if at >= since]
        if not timings:
            continue
        if name.startswith("updates "):
            print(f"{name:<22}{len(timings):>7}")
            continue
        times = sorted(t * 1000 for t, _ in timings)
        errors = sum(1 for _, status in timings if status >= 400 or status == 0)
        p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
        print(f"{name:<22}{len(times):>7}{statistics.median(times):>11.0f}{p95:>9.0f}{errors:>8}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--prepare", action="store_true", help="fill the database, then stop")
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--users", type=int, default=COUNCILLORS + OFFICERS)
    parser.add_argument("--ramp", type=float, default=25, help="seconds over which users arrive")
    parser.add_argument("--hold", type=float, default=60, help="seconds after the last arrives")
    args = parser.parse_args()
    if args.prepare:
        prepare()
    else:
        run(args.base_url, args.users, args.ramp, args.hold)


if __name__ == "__main__":
    main()
