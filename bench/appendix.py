"""Time the appendix PDF for demo-like reviews of 7, 50 and 300 recommendations.

    .venv/bin/python bench/appendix.py [--sizes 7 50 300] [--repeat 5]

Each recommendation has demo-length text, a response with reasons, one to five partners and three
progress updates of a paragraph each. The records go into a throwaway test database (an in-memory
SQLite one, or `test_<name>` beside a PostgreSQL DATABASE_URL) that is dropped at the end, so the
configured database and its demo data are never touched.

Each size runs in its own process, so its peak memory is its own. Two cases per size: a first
report (no earlier progress report, so every row prints all three updates) and a later one (the
committee heard progress in the autumn, so each row prints only the update since).

It prints, per size and case: the queries and time to build the appendix, the PDF render time
(HTML to PDF/UA bytes; the median of the repeats, wall clock and CPU, since these machines are
shared), the pages, the CPU time per page and per recommendation (constant when the time grows
linearly with the rows), and the process's peak resident memory (ru_maxrss,
which includes WeasyPrint's C libraries). Target: 300 recommendations in at most 2 s and 300 MB,
growing linearly with the rows.

Then the download as a reader meets it (PDFs are made off the request): the time the "Download
PDF" request takes to answer when no PDF of this content is cached yet (it queues the render and
shows the preparing page), the worker's time to make and keep it (against WeasyPrint alone on the
same HTML, without mending the tags, in the same run), and a repeated download served from the
cache (median of the repeats). Targets: a request answers within 1 s whatever the size; a
repeated download in at most 200 ms; the worker within 1.1x of WeasyPrint alone.

It also renders the same HTML without the step that mends the table tags (pdf_tags.py, run on
the finished PDF), alternating with the full render so both see the same machine load, and prints
that median CPU time and the ratio of the two. Target: the mended render within 1.1x of the
unmended one.
"""

import argparse
import datetime
import io
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scrutiny.settings")
# A throwaway database and no server: the settings only need some key with debug off.
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-insecure-key-never-served")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_databases,
    setup_test_environment,
    teardown_databases,
    teardown_test_environment,
)
from django.utils import timezone  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from recommendations.appendix.build import build_appendix  # noqa: E402
from recommendations.appendix.pdf import html_to_pdf  # noqa: E402
from recommendations.appendix.render import render_report_html  # noqa: E402
from recommendations.choices import Response, Status  # noqa: E402
from recommendations.demo import ORGANISATIONS, RECOMMENDATIONS  # noqa: E402
from recommendations.models import ProgressUpdate, Recommendation  # noqa: E402
from reviews.models import (  # noqa: E402
    Committee,
    Meeting,
    Organisation,
    Review,
    User,
    WorkProgrammeItem,
)

AS_AT = datetime.date(2019, 1, 21)
STATUSES = [Status.ON_TRACK, Status.ON_TRACK, Status.SLIPPED, Status.ACHIEVED, Status.NOT_ACHIEVED]
UPDATE_SENTENCES = [
    "The task group met in the period and agreed an action plan with named owners.",
    "Partners reported progress at the last meeting of the Safe Durham Partnership board.",
    "A session with Police Cadets and their parents took place and was well received.",
    "Officers have written again to the university and are awaiting a reply.",
    "The draft resource has been shared with head teachers for their comments.",
    "Funding for the next phase has been confirmed within existing budgets.",
    "Awareness events were held in four Area Action Partnership areas.",
    "The apprentice presented the work to the task group, which welcomed it.",
]


def paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(rng.choice(UPDATE_SENTENCES) for _ in range(sentences))


def build_review(
    size: int, committee: Committee, author: User, orgs: list[Organisation], label: str
) -> Review:
    """A review like the demo's, `size` recommendations long, recorded before the as-at date."""
    rng = random.Random(size)
    created = timezone.make_aware(datetime.datetime(2018, 6, 13, 9))
    review = Review(title=f"Scrutiny Review of Cybercrime ({size}, {label})", committee=committee)
    review._history_date = created
    review.save()
    for number in range(1, size + 1):
        model = RECOMMENDATIONS[(number - 1) % len(RECOMMENDATIONS)]
        recommendation = Recommendation(
            review=review,
            number=str(number),
            text=model.text,
            lead_organisation=rng.choice(orgs),
            response=Response.ACCEPTED,
            response_text=model.response_text,
            target_date=datetime.date(2019, 3, 31),
            created_at=created,
        )
        recommendation._history_date = created
        recommendation.save()
        recommendation._history_date = created + datetime.timedelta(seconds=1)
        recommendation.partners.set(rng.sample(orgs, rng.randint(1, 5)))
        for month in (9, 11, 1):
            day = datetime.date(2019 if month == 1 else 2018, month, 7)
            update = ProgressUpdate.objects.create(
                recommendation=recommendation,
                as_at=day,
                status=rng.choice(STATUSES),
                narrative=paragraph(rng, rng.randint(3, 5)),
                author=author,
                recorded_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(11))),
            )
            update.accept(by=author, at=update.recorded_at)
    return review


def measure(review: Review, meeting: Meeting, repeat: int) -> dict:
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        appendix = build_appendix(review, AS_AT, meeting=meeting)
        built = time.perf_counter() - started
    html = render_report_html(appendix)
    wall, cpu, unmended_cpu = [], [], []
    for _ in range(repeat):
        started_cpu = time.process_time()
        html_to_pdf(html, mend_tags=False)
        unmended_cpu.append(time.process_time() - started_cpu)
        started, started_cpu = time.perf_counter(), time.process_time()
        pdf = html_to_pdf(html)
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return {
        "unmended_cpu": statistics.median(unmended_cpu),
        "rows": len(appendix.rows),
        "shown": sum(len(row.narrative) for row in appendix.rows),
        "queries": len(queries),
        "build": built,
        "wall": statistics.median(wall),
        "cpu": statistics.median(cpu),
        "pages": len(PdfReader(io.BytesIO(pdf)).pages),
        "bytes": len(pdf),
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def measure_download(review: Review, meeting: Meeting, repeat: int) -> dict:
    """The download through the app: queued at once, made by the worker, then served cached."""
    from django.conf import settings
    from django.contrib.auth.models import Group
    from django.core.signals import setting_changed
    from django.test import Client
    from django.urls import reverse

    from recommendations.appendix.tasks import make_pdf
    from recommendations.models import PdfJob

    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    setting_changed.send(sender=None, setting="TASKS", value=settings.TASKS, enter=True)
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.SECURE_SSL_REDIRECT = False
    reader, _ = User.objects.get_or_create(username="bench-councillor")
    reader.groups.add(Group.objects.get(name="Councillor"))
    client = Client()
    client.force_login(reader)
    url = reverse("recommendations:download_progress_report_pdf", args=[review.pk])
    query = {
        "as_at_day": AS_AT.day,
        "as_at_month": AS_AT.month,
        "as_at_year": AS_AT.year,
        "meeting": meeting.pk,
        "number": 2,
    }
    started = time.perf_counter()
    first = client.get(url, query)
    answered = time.perf_counter() - started
    assert first.status_code == 302, first.status_code
    job = PdfJob.objects.latest("pk")
    html = job.html
    started_cpu = time.process_time()
    make_pdf.call(job.pk)
    worker_cpu = time.process_time() - started_cpu
    started_cpu = time.process_time()
    html_to_pdf(html, mend_tags=False)
    alone_cpu = time.process_time() - started_cpu
    cached = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url, query)
        cached.append(time.perf_counter() - started)
        assert response["Content-Type"] == "application/pdf"
    return {
        "answered": answered,
        "worker_cpu": worker_cpu,
        "alone_cpu": alone_cpu,
        "cached": statistics.median(cached),
    }


def run_size(size: int, repeat: int) -> None:
    setup_test_environment()
    databases = setup_databases(verbosity=0, interactive=False)
    try:
        committee = Committee.objects.create(
            name="Safer and Stronger Communities Overview and Scrutiny Committee"
        )
        meeting = Meeting.objects.create(committee=committee, date=AS_AT)
        autumn = Meeting.objects.create(committee=committee, date=datetime.date(2018, 11, 19))
        author = User.objects.create(username="bench-officer", first_name="Bench")
        orgs = [
            Organisation.objects.create(name=name, kind=kind)
            for name, kind in ORGANISATIONS.items()
        ]
        first = build_review(size, committee, author, orgs, "first report")
        later = build_review(size, committee, author, orgs, "later report")
        item = WorkProgrammeItem(
            committee=committee, meeting=autumn, review=later, title="Progress report"
        )
        item._history_date = timezone.make_aware(datetime.datetime(2018, 10, 1, 9))
        item.save()
        for case, review in (("first", first), ("later", later)):
            result = measure(review, meeting, repeat)
            print(
                f"{result['rows']:>5} {case:>6} {result['shown']:>7} {result['queries']:>7} "
                f"{result['build']:>7.3f} {result['wall']:>7.2f} {result['cpu']:>7.2f} "
                f"{result['pages']:>6} {1000 * result['cpu'] / result['pages']:>9.0f} "
                f"{1000 * result['cpu'] / max(result['rows'], 1):>10.1f} "
                f"{result['bytes'] / 1024:>7.0f} {result['max_rss_mb']:>8.0f} "
                f"{result['unmended_cpu']:>9.2f} {result['cpu'] / result['unmended_cpu']:>6.3f}",
                flush=True,
            )
        download = measure_download(first, meeting, repeat)
        print(
            f"{size:>5} download: answers in {1000 * download['answered']:.0f} ms (queued); "
            f"worker {download['worker_cpu']:.2f} s CPU against WeasyPrint alone "
            f"{download['alone_cpu']:.2f} s (x{download['worker_cpu'] / download['alone_cpu']:.3f}); "
            f"repeated download {1000 * download['cached']:.0f} ms (cached)",
            flush=True,
        )
    finally:
        teardown_databases(databases, verbosity=0)
        teardown_test_environment()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[7, 50, 300])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.one:
        run_size(options.one, options.repeat)
        return

    print(
        f"Database: {connection.vendor} (a throwaway test database); "
        f"WeasyPrint PDF/UA-1, A4 landscape; median of {options.repeat}"
    )
    print(
        f"{'recs':>5} {'report':>6} {'updates':>7} {'queries':>7} {'build s':>7} "
        f"{'wall s':>7} {'CPU s':>7} {'pages':>6} {'CPU ms/pg':>9} {'CPU ms/rec':>10} {'PDF KB':>7} {'RSS MB':>8} "
        f"{'unmend s':>9} {'ratio':>6}",
        flush=True,
    )
    for size in options.sizes:
        subprocess.run(
            [sys.executable, __file__, "--one", str(size), "--repeat", str(options.repeat)],
            check=True,
        )


if __name__ == "__main__":
    main()
