"""The register's search document on PostgreSQL: a recommendation's text and its narratives."""

from django.contrib.postgres.search import SearchVector
from django.db.models import OuterRef, StringAgg, Subquery, Value

# The text search configuration of the register's search (PostgreSQL only).
SEARCH_CONFIG = "english"


def search_document_expression(progress_update_model):
    """What the register searches on PostgreSQL: the recommendation's text (weight A, so that
    it ranks above the updates) then its updates' narratives, oldest first (weight B), with
    English stemming. Takes the update model so that a migration can use it with its own."""
    updates = progress_update_model.objects.filter(recommendation=OuterRef("pk"))
    if any(field.name == "decision" for field in progress_update_model._meta.get_fields()):
        # Only accepted updates are searchable (a migration before decisions searches them all).
        updates = updates.filter(decision__outcome="accepted")
    narratives = (
        updates.order_by()
        .values("recommendation")
        .annotate(all=StringAgg("narrative", delimiter=Value(" "), order_by="pk"))
        .values("all")
    )
    return SearchVector("text", weight="A", config=SEARCH_CONFIG) + SearchVector(
        Subquery(narratives), weight="B", config=SEARCH_CONFIG
    )
