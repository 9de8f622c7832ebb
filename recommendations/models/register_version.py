"""A number that grows after every committed change that can move a figure of the register.

The dashboard's committee figures and headline counts, and the register's count of the rows a
filter or search matches, read every recommendation (hundreds of milliseconds at 200,000), yet
change only when something is written: `remembered()` caches them under this number, so a cached
figure is never served after a change (see docs/architecture.md, "At any size").

Why after the commit, in a transaction of its own: a reader takes the number first, then computes
the figures, so what it caches under a number includes at least every change committed before
that number was read; a change committed later moves the number on, and the next reader computes
afresh. Bumping inside the writing transaction would hold the row's lock until that commit,
queueing every other writer behind it (and deadlocking with one that locked a recommendation
first). Changes made outside the app (SQL typed by hand) are not seen: the cache's timeout
(`REGISTER_CACHE_SECONDS`) bounds how long they can go unseen.
"""

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connections, models, transaction
from django.db.models import F
from django.dispatch import Signal

logger = logging.getLogger(__name__)

ROW = 1

# Sent once the number has moved on (after the commit), so that what is cached under it can be
# prepared ahead of the next reader (the dashboard's figures: dashboard/tasks.py).
version_moved = Signal()


class RegisterVersion(models.Model):
    """One row (id 1), created by the migration that made the table."""

    number = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"register version {self.number}"


def current_register_version() -> int:
    """The number now; 0 when the row is missing (a database emptied by hand)."""
    found = RegisterVersion.objects.filter(pk=ROW).values_list("number", flat=True).first()
    return found or 0


def remembered[T](key: str, compute: Callable[[], T]) -> T:
    """`compute()`, kept in the cache under `key` and the register's version for
    `REGISTER_CACHE_SECONDS` (not kept when that is 0). `key` must name everything else the
    answer depends on (today's date, say)."""
    seconds = settings.REGISTER_CACHE_SECONDS
    if not seconds:
        return compute()
    versioned = f"{key}:{current_register_version()}"
    try:
        found = cache.get(versioned)
    except Exception:  # the cache is unreachable (Redis down): answer as with the cache off
        logger.warning("the cache could not be read; computing %s", key, exc_info=True)
        return compute()
    if found is None:
        found = compute()
        try:
            cache.set(versioned, found, seconds)
        except Exception:
            logger.warning("the cache could not be written; %s not kept", key, exc_info=True)
    return found


def register_changed(using: str | None = None) -> None:
    """Move the number on once the current transaction commits (at once outside one)."""
    transaction.on_commit(_bump, using=using, robust=True)


def _bump() -> None:
    if not RegisterVersion.objects.filter(pk=ROW).update(number=F("number") + 1):
        RegisterVersion.objects.get_or_create(pk=ROW, defaults={"number": 1})
    logger.debug("register version moved on")
    version_moved.send(sender=RegisterVersion)


def _changed(sender, using=None, **kwargs) -> None:
    register_changed(using=using)


def _migrated(sender, using="default", **kwargs) -> None:
    # A migration may have changed data (a backfill): whatever was cached may be wrong. Sent once
    # for each app; once is enough.
    if sender.label != RegisterVersion._meta.app_label:
        return
    if RegisterVersion._meta.db_table in connections[using].introspection.table_names():
        register_changed(using=using)


def watch_for_changes(*senders) -> None:
    """Move the number on after every save or delete of these models, and after migrations
    (called once, at start)."""
    models.signals.post_migrate.connect(_migrated, dispatch_uid="register-migrated")
    for sender in senders:
        models.signals.post_save.connect(_changed, sender=sender, dispatch_uid=f"register-{sender}")
        models.signals.post_delete.connect(
            _changed, sender=sender, dispatch_uid=f"register-del-{sender}"
        )
