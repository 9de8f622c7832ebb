"""A decision beside each progress update (accepted, or returned with a comment); every update
recorded before decisions existed becomes accepted, by its author, when it was recorded, so the
stored current statuses and every published appendix stay as they were."""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def accept_existing_updates(apps, schema_editor):
    alias = schema_editor.connection.alias
    ProgressUpdate = apps.get_model("recommendations", "ProgressUpdate")
    UpdateDecision = apps.get_model("recommendations", "UpdateDecision")
    batch = []
    for pk, author_id, recorded_at in (
        ProgressUpdate.objects.using(alias)
        .order_by("pk")
        .values_list("pk", "author_id", "recorded_at")
        .iterator(chunk_size=2000)
    ):
        batch.append(
            UpdateDecision(
                update_id=pk, outcome="accepted", decided_by_id=author_id, decided_at=recorded_at
            )
        )
        if len(batch) == 2000:
            UpdateDecision.objects.using(alias).bulk_create(batch)
            batch = []
    UpdateDecision.objects.using(alias).bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("recommendations", "0011_update_requests"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="UpdateDecision",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "outcome",
                    models.CharField(
                        choices=[("accepted", "Accepted"), ("returned", "Returned")], max_length=10
                    ),
                ),
                ("decided_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "comment",
                    models.TextField(
                        blank=True,
                        max_length=10000,
                        validators=[
                            django.core.validators.MaxLengthValidator(
                                10000, message="The text must be 10,000 characters or fewer"
                            )
                        ],
                        verbose_name="what is missing",
                    ),
                ),
                (
                    "decided_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="update_decisions",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "update",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="decision",
                        to="recommendations.progressupdate",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(fields=["outcome", "decided_at"], name="decision_outcome_time")
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("comment", ""), ("outcome", "returned"), _negated=True),
                        name="returned_update_has_comment",
                        violation_error_message="Say what is missing from the update to return it.",
                    )
                ],
            },
        ),
        migrations.AddField(
            model_name="email",
            name="decision",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="email",
                to="recommendations.updatedecision",
            ),
        ),
        migrations.AlterField(
            model_name="email",
            name="kind",
            field=models.CharField(
                choices=[
                    ("request", "Request"),
                    ("reminder", "Reminder"),
                    ("returned", "Update returned"),
                ],
                max_length=10,
            ),
        ),
        migrations.AlterField(
            model_name="email",
            name="request",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="emails",
                to="recommendations.updaterequest",
            ),
        ),
        migrations.AddField(
            model_name="progressupdate",
            name="revised_target_date",
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="progressupdate",
            name="revision_reason",
            field=models.TextField(
                blank=True,
                editable=False,
                max_length=10000,
                validators=[
                    django.core.validators.MaxLengthValidator(
                        10000, message="The text must be 10,000 characters or fewer"
                    )
                ],
            ),
        ),
        migrations.RunPython(accept_existing_updates, migrations.RunPython.noop),
    ]
