"""What the dashboard shows everyone alike, computed and drawn once per change of the register.

The headline counts and the committees' reviews read every recommendation (hundreds of
milliseconds at 200,000) and their drawing takes tens more, yet they change only when something
is written or a day begins. They are kept in the cache for `REGISTER_CACHE_SECONDS` under today's
date and the register's version (`models/register_version.py`), which moves on after every
committed change, so a cached figure is never one a change has made wrong. 0 turns the cache off.
What differs by person (their own list, the updates they check, links only some may follow) is
never cached: coming up is cached as data and drawn for each person.
"""

import datetime
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from reviews.models import Meeting

from ..models import remembered
from . import queries
from .queries import STATUSES, CommitteeSummary, Headline


@dataclass
class Figures:
    headlines: list[Headline]
    committees: list[CommitteeSummary]
    meetings: list[Meeting]  # coming up: each committee's next meeting, its work programme
    headlines_html: SafeString  # the "Recommendations at a glance" section, drawn
    committees_html: SafeString  # the "Reviews by committee" section, drawn


def figures(today: datetime.date) -> Figures:
    return remembered(f"dashboard-figures:{today.isoformat()}", lambda: _computed(today))


def _computed(today: datetime.date) -> Figures:
    headlines = list(queries.headline_counts(today).values())
    committees = queries.committee_summaries(today)
    return Figures(
        headlines=headlines,
        committees=committees,
        meetings=queries.coming_up(today),
        headlines_html=render_to_string("dashboard/_headlines.html", {"headlines": headlines}),
        committees_html=render_to_string(
            "dashboard/_committees.html", {"committees": committees, "statuses": STATUSES}
        ),
    )
