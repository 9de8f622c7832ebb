"""On PostgreSQL: fill in every recommendation's search document and index it (GIN).

On other databases the column stays empty (the register's search there is a plain match), so
this does nothing. The index is created here rather than in the model's Meta because SQLite
cannot create a GIN index.
"""

from django.contrib.postgres.search import SearchVector
from django.db import migrations
from django.db.models import OuterRef, StringAgg, Subquery, Value

INDEX = "recommendation_search_document"


def backfill_and_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # The same document as recommendations.models.search_document_expression(), written out
    # because a migration's models have no custom queryset methods.
    Recommendation = apps.get_model("recommendations", "Recommendation")
    ProgressUpdate = apps.get_model("recommendations", "ProgressUpdate")
    narratives = (
        ProgressUpdate.objects.filter(recommendation=OuterRef("pk"))
        .order_by()
        .values("recommendation")
        .annotate(all=StringAgg("narrative", delimiter=Value(" "), order_by="pk"))
        .values("all")
    )
    Recommendation.objects.using(schema_editor.connection.alias).update(
        search_document=SearchVector("text", weight="A", config="english")
        + SearchVector(Subquery(narratives), weight="B", config="english")
    )
    schema_editor.execute(
        f"CREATE INDEX {INDEX} ON recommendations_recommendation USING gin (search_document)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("recommendations", "0008_recommendation_search_document"),
    ]

    operations = [
        migrations.RunPython(backfill_and_index, drop_index),
    ]
