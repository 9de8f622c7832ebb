"""Fill in every recommendation's stored current status and last update date from its updates."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce


def backfill(apps, schema_editor):
    # The same UPDATE as RecommendationQuerySet.refresh_current_status(), written out because a
    # migration's models have no custom queryset methods.
    Recommendation = apps.get_model("recommendations", "Recommendation")
    ProgressUpdate = apps.get_model("recommendations", "ProgressUpdate")
    newest = ProgressUpdate.objects.filter(recommendation=OuterRef("pk")).order_by(
        "-as_at", "-recorded_at", "-pk"
    )
    Recommendation.objects.using(schema_editor.connection.alias).update(
        current_status=Coalesce(
            Subquery(newest.values("status")[:1]),
            Value("not_started"),
            output_field=models.CharField(),
        ),
        last_update_date=Subquery(newest.values("as_at")[:1]),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("recommendations", "0006_recommendation_current_status"),
    ]

    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
    ]
