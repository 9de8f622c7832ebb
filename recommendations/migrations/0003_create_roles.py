"""The three roles of docs/domain.md as groups, with the permissions the roles table gives them.

Administrators are superusers and need no group.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

READ = [
    "reviews.view_organisation",
    "reviews.view_committee",
    "reviews.view_meeting",
    "reviews.view_review",
    "reviews.view_workprogrammeitem",
    "recommendations.view_recommendation",
    "recommendations.view_progressupdate",
]

ROLES = {
    "Councillor": READ,
    "Officer": [*READ, "recommendations.add_progressupdate"],
    "Scrutiny officer": [
        *READ,
        "recommendations.add_progressupdate",
        "reviews.add_review",
        "reviews.change_review",
        "reviews.add_meeting",
        "reviews.change_meeting",
        "reviews.add_workprogrammeitem",
        "reviews.change_workprogrammeitem",
        "reviews.add_committee",
        "reviews.add_organisation",
        "recommendations.add_recommendation",
        "recommendations.change_recommendation",
        "recommendations.import_tracker",
        "recommendations.publish_appendix",
    ],
}


def create_roles(apps, schema_editor):
    # Permissions are normally made after all migrations; make them now so the groups can hold them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    assign_role_permissions(apps)


def assign_role_permissions(apps):
    """Create the groups and give each its permissions; tests call this after a flush."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = []
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            permissions.append(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(permissions)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("reviews", "0001_initial"),
        ("recommendations", "0002_initial"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
