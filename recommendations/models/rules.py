"""The domain's words as query conditions, each written once (see docs/domain.md).

Overdue, stale and response overdue are defined here and nowhere else: the named querysets
(`overdue(today)`, `stale(today)`, `response_overdue(today)`), the flags every page shows
(`with_flags(today)`), the dashboard's counts (`flag_counts`) and the appendix (over the audit
history) all use these conditions, so a count, a filter and a marker cannot disagree.

A condition refers to `current_status` (a stored field, or an annotation of that name) and to the
alias `effective_target` (`EFFECTIVE_TARGET`); `STALE` also to `stale_reference` and
`stale_since`, which `RecommendationQuerySet` aliases.
"""

import datetime

from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Coalesce

from reviews.models import latest_report_date_with_response_overdue

from ..choices import FINISHED_STATUSES, Response

# With no progress report on a review yet, an update older than this is stale.
STALE_AFTER_DAYS = 90

# The revised target date where there is one, else the original.
EFFECTIVE_TARGET = Coalesce("revised_target_date", "target_date")

OPEN = Q(closure="")
UNFINISHED = OPEN & ~Q(current_status__in=FINISHED_STATUSES)
# An update older than the reference or, with none, a review reported (or a recommendation
# created) before it.
STALE = UNFINISHED & Q(stale_since__lt=F("stale_reference"))


def overdue_condition(today: datetime.date) -> Q:
    """Open, unfinished, and past the effective target date."""
    return UNFINISHED & Q(effective_target__lt=today)


def needs_update_condition(today: datetime.date) -> Q:
    """Overdue or stale: what an officer is asked to update."""
    return overdue_condition(today) | STALE


def response_overdue_condition(today: datetime.date) -> Q:
    """Open and still awaiting the executive's response after the two months the law allows."""
    return OPEN & Q(
        response=Response.AWAITING,
        review__report_to_executive_date__lte=latest_report_date_with_response_overdue(today),
    )


def flag(condition: Q) -> Case:
    """A condition as a True/False column, never NULL (a comparison with a missing date is
    unknown in SQL): `queryset.annotate(is_overdue=flag(overdue_condition(today)))`."""
    return Case(When(condition, then=Value(True)), default=Value(False))
