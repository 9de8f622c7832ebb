"""Expressions the register's queries share."""

from django.db import models
from django.db.models import Func, Subquery, Value
from django.db.models.functions import Coalesce


def count_of(queryset) -> Coalesce:
    """A COUNT(*) of `queryset` as an expression (correlated if it refers outside), 0 when
    nothing matches."""
    counted = (
        queryset.order_by()
        .annotate(n=Func(function="COUNT", template="COUNT(*)", output_field=models.IntegerField()))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=models.IntegerField()), Value(0))
