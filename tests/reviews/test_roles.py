import pytest
from django.contrib.auth.models import Group

pytestmark = pytest.mark.django_db


def permissions_of(role: str) -> set[str]:
    group = Group.objects.get(name=role)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}


def test_a_councillor_may_only_read():
    assert all(".view_" in permission for permission in permissions_of("Councillor"))
    assert "recommendations.view_recommendation" in permissions_of("Councillor")


def test_an_officer_may_read_and_add_progress_updates_only():
    assert permissions_of("Officer") - permissions_of("Councillor") == {
        "recommendations.add_progressupdate"
    }


def test_a_scrutiny_officer_may_edit_the_register_import_and_publish():
    clerk = permissions_of("Scrutiny officer")
    assert {
        "reviews.add_review",
        "reviews.change_review",
        "reviews.add_meeting",
        "reviews.change_meeting",
        "recommendations.add_recommendation",
        "recommendations.change_recommendation",
        "recommendations.add_progressupdate",
        "recommendations.import_tracker",
        "recommendations.publish_appendix",
    } <= clerk


def test_no_role_may_delete_records_change_updates_or_manage_users():
    for role in ["Councillor", "Officer", "Scrutiny officer"]:
        granted = permissions_of(role)
        assert not any(p.split(".")[1].startswith("delete_") for p in granted)
        assert "recommendations.change_progressupdate" not in granted
        assert "reviews.change_user" not in granted
