"""The mail settings come from the environment under Django's own names; with no EMAIL_HOST the
emails are printed to the console."""

import json

from tests.test_settings import run_manage

SHOW = (
    "from django.conf import settings; import json; "
    "print(json.dumps({'mailers': settings.MAILERS, 'site': settings.SITE_URL, "
    "'sender': settings.DEFAULT_FROM_EMAIL, 'tasks': settings.TASKS}))"
)


def settings_with(**env) -> dict:
    clean = dict.fromkeys(
        ["EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD", "EMAIL_USE_TLS"]
    )
    result = run_manage("shell", "-c", SHOW, **{**clean, "SITE_URL": None, **env})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_without_a_mail_host_emails_go_to_the_console():
    values = settings_with()
    assert values["mailers"] == {
        "default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    }
    assert values["site"] == "http://127.0.0.1:8000"
    assert values["tasks"]["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"


def test_the_mail_server_is_read_from_djangos_own_names():
    values = settings_with(
        EMAIL_HOST="smtp.example.gov.uk",
        EMAIL_PORT="587",
        EMAIL_HOST_USER="scrutiny",
        EMAIL_HOST_PASSWORD="s3cret",
        EMAIL_USE_TLS="1",
        DEFAULT_FROM_EMAIL="scrutiny@example.gov.uk",
        SITE_URL="https://scrutiny.example.gov.uk/",
    )
    mailer = values["mailers"]["default"]
    assert mailer["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert mailer["OPTIONS"] == {
        "host": "smtp.example.gov.uk",
        "port": 587,
        "username": "scrutiny",
        "password": "s3cret",
        "use_tls": True,
        "timeout": 30,
    }
    assert values["sender"] == "scrutiny@example.gov.uk"
    assert values["site"] == "https://scrutiny.example.gov.uk"


def test_a_mistyped_tls_flag_stops_the_start():
    result = run_manage("check", EMAIL_HOST="smtp.example.gov.uk", EMAIL_USE_TLS="maybe")
    assert result.returncode != 0
    assert "EMAIL_USE_TLS must be one of" in result.stderr


def test_check_deploy_asks_for_a_mail_server_when_none_is_set():
    from tests.test_settings import PRODUCTION

    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", **{**PRODUCTION, "EMAIL_HOST": None}
    )
    assert result.returncode != 0
    assert "development-only email backend" in result.stderr
