"""Store when each recommendation's most recently recorded accepted update was recorded, so that
"an update recorded in the last N days" reads one index (issue 13)."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def backfill(apps, schema_editor):
    # The same value as RecommendationQuerySet.refresh_current_status() sets, written out because
    # a migration's models have no custom queryset methods.
    Recommendation = apps.get_model("recommendations", "Recommendation")
    ProgressUpdate = apps.get_model("recommendations", "ProgressUpdate")
    newest = ProgressUpdate.objects.filter(
        recommendation=OuterRef("pk"), decision__outcome="accepted"
    ).order_by("-recorded_at")
    Recommendation.objects.using(schema_editor.connection.alias).update(
        last_recorded_at=Subquery(newest.values("recorded_at")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("recommendations", "0015_merge_pdf_jobs_and_evidence"),
    ]

    operations = [
        # First, so the backfill (and every refresh after it) finds each recommendation's most
        # recently recorded update from the index, rather than walking every update.
        migrations.AddIndex(
            model_name="progressupdate",
            index=models.Index(
                fields=["recommendation", "-recorded_at"], name="update_recorded_newest"
            ),
        ),
        migrations.AddField(
            model_name="recommendation",
            name="last_recorded_at",
            field=models.DateTimeField(editable=False, null=True),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="recommendation",
            index=models.Index(fields=["last_recorded_at"], name="recommendation_recorded"),
        ),
    ]
