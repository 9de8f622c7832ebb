"""The dashboard's figures prepared by the worker (`manage.py db_worker`) after each change.

A change moves the register's version on, so the next person to open the dashboard would wait
for its figures to be computed (about 0.3 s at 200,000 recommendations, see bench/dashboard.py).
Instead, each change queues `prepare_figures`, and the worker computes them into the cache
straight away. A burst of changes (an import saves thousands of rows) queues one task: the
first change marks one as pending in the cache, and the task clears the mark as it starts, so
a change made while it computes queues the next.
"""

import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.tasks import task
from django.urls import get_script_prefix, set_script_prefix
from django.utils import timezone

from .figures import figures

logger = logging.getLogger(__name__)

PENDING = "dashboard-figures-pending"
# If no worker takes the task (none running), another may be queued after this long.
PENDING_SECONDS = 60


@task()
def prepare_figures() -> None:
    """Compute today's figures for the register as it is now, unless they are in the cache.

    Their links are drawn under the site's address (`SITE_URL`, as in emails), as a request to
    the site would draw them: the worker has no request to take it from."""
    cache.delete(PENDING)
    before = get_script_prefix()
    set_script_prefix(urlsplit(settings.SITE_URL).path or "/")
    try:
        figures(timezone.localdate())
    finally:
        set_script_prefix(before)


def prepare_after_change(sender, **kwargs) -> None:
    """Queue `prepare_figures`, unless one is queued already (receiver of `version_moved`)."""
    if not settings.REGISTER_CACHE_SECONDS:
        return
    try:
        first = cache.add(PENDING, True, PENDING_SECONDS)
    except Exception:  # the cache is unreachable: the next reader computes the figures
        logger.warning("the cache could not be written; figures not prepared", exc_info=True)
        return
    if first:
        prepare_figures.enqueue()
