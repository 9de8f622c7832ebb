import importlib

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed

from tests.factories import make_organisation, make_user


@pytest.fixture(scope="session", autouse=True)
def _test_settings(tmp_path_factory):
    """Set once for the session, before the live server (browser tests) builds its middleware."""
    # Tests read static files from the source folders; the manifest is a deployment concern.
    # Evidence files go to a folder of the session's own, never the project's.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            **settings.STORAGES["default"],
            "OPTIONS": {
                **settings.STORAGES["default"]["OPTIONS"],
                "location": str(tmp_path_factory.mktemp("uploaded-files")),
            },
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # PDFs made in one run are never served in another.
    settings.STORAGES["pdf_cache"] = {
        **settings.STORAGES["pdf_cache"],
        "OPTIONS": {
            **settings.STORAGES["pdf_cache"]["OPTIONS"],
            "location": str(tmp_path_factory.mktemp("pdf-cache")),
        },
    }
    setting_changed.send(sender=None, setting="STORAGES", value=settings.STORAGES, enter=True)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The test server speaks plain HTTP; deployment keeps these on (see test_settings.py).
    settings.SECURE_SSL_REDIRECT = False
    settings.SECURE_HSTS_SECONDS = 0
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    # A test's changes are never committed (it runs in a transaction rolled back at its end), so
    # the register's version, moved on at each commit, would never move: the dashboard's cache
    # is off, except in the tests of the cache itself (transactional ones).
    settings.REGISTER_CACHE_SECONDS = 0
    # Tasks run at once, in the test's own transaction, instead of waiting for a worker.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    setting_changed.send(sender=None, setting="TASKS", value=settings.TASKS, enter=True)


@pytest.fixture(autouse=True)
def _unthrottled(settings):
    """The public API's throttle counts live in the cache, which the tests share: each test
    starts with none, at a rate no test reaches unless it sets its own."""
    settings.PUBLIC_API_RATE = "100000/minute"
    cache.clear()


@pytest.fixture
def roles(transactional_db):
    """The role groups, which a transactional test's flush removes along with the migrations' data."""
    migration = importlib.import_module("recommendations.migrations.0003_create_roles")
    migration.assign_role_permissions(django_apps)


@pytest.fixture
def lead_organisation(db):
    return make_organisation("Transformation and Partnerships", kind="council_service")


@pytest.fixture
def other_organisation(db):
    return make_organisation("Durham Constabulary", kind="police")


@pytest.fixture
def councillor(db):
    """Reads everything; changes nothing."""
    return make_user("councillor", role="Councillor", first_name="Carol", last_name="Councillor")


@pytest.fixture
def officer(lead_organisation):
    """Adds progress updates to recommendations their organisation leads or supports."""
    return make_user(
        "officer",
        role="Officer",
        organisation=lead_organisation,
        first_name="Olu",
        last_name="Officer",
    )


@pytest.fixture
def outsider_officer(other_organisation):
    """An officer of another organisation: may update none of the lead organisation's work."""
    return make_user(
        "outsider",
        role="Officer",
        organisation=other_organisation,
        first_name="Oz",
        last_name="Outsider",
    )


@pytest.fixture
def clerk(db):
    """The scrutiny officer: edits reviews and recommendations, imports, publishes, updates any."""
    return make_user("clerk", role="Scrutiny officer", first_name="Cleo", last_name="Clerk")


@pytest.fixture
def administrator(db):
    """A superuser: everything, including the admin's users and reference data."""
    return make_user("administrator", is_staff=True, is_superuser=True)
