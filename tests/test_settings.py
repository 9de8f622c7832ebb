import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent

PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "k3y-" + "a9Zq7Lm2Xw8Rt5Yp1Nb4Vc6Hj0Gf3Ds2Ke7Wu9Io5Pl8Mn1Bv4Cx6Za",
    "DJANGO_ALLOWED_HOSTS": "scrutiny.example.gov.uk",
    # Requests for updates are emailed: a deployment names its mail server.
    "EMAIL_HOST": "smtp.example.gov.uk",
}


def run_manage(*args: str, **env: str | None) -> subprocess.CompletedProcess:
    """manage.py in a fresh process with only these DJANGO_ variables (a secret key unless
    given `DJANGO_SECRET_KEY=None`)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env = {"DJANGO_SECRET_KEY": PRODUCTION["DJANGO_SECRET_KEY"], **env}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env={**clean, **{k: v for k, v in env.items() if v is not None}},
        capture_output=True,
        text=True,
        check=False,
    )


def test_check_deploy_is_clean_with_production_variables():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_start_up_refuses_a_missing_secret_key_with_debug_off():
    result = run_manage("check", **{**PRODUCTION, "DJANGO_SECRET_KEY": None})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr
    assert "Traceback" not in result.stderr.split("ImproperlyConfigured")[-1]


def test_with_debug_on_a_missing_key_falls_back_to_one_check_deploy_flags():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", DJANGO_DEBUG="1", DJANGO_SECRET_KEY=None
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_a_misspelt_boolean_is_refused_rather_than_guessed():
    result = run_manage("check", DJANGO_DEBUG="maybe")
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be one of" in result.stderr


def show(expression: str, **env: str) -> str:
    result = run_manage(
        "shell", "-v", "0", "-c", f"from django.conf import settings; print({expression})", **env
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_without_database_url_it_uses_a_sqlite_file_in_wal_mode_with_immediate_transactions():
    options = show("settings.DATABASES['default']['OPTIONS']", DATABASE_URL="")
    assert "'transaction_mode': 'IMMEDIATE'" in options
    assert "journal_mode=WAL" in options
    assert "'timeout': 20" in options


@pytest.mark.parametrize(
    ("url", "engine"),
    [
        ("postgres://postgres@127.0.0.1:5432/scrutiny", "django.db.backends.postgresql"),
        ("sqlite:////tmp/other.sqlite3", "django.db.backends.sqlite3"),
    ],
)
def test_database_url_chooses_the_database(url, engine):
    assert show("settings.DATABASES['default']['ENGINE']", DATABASE_URL=url) == engine


@pytest.mark.parametrize(
    ("url", "backend"),
    [
        ("", "django.core.cache.backends.locmem.LocMemCache"),
        ("redis://127.0.0.1:6379/0", "django.core.cache.backends.redis.RedisCache"),
    ],
)
def test_redis_url_puts_the_cache_and_so_the_api_rate_counts_in_redis(url, backend):
    assert show("settings.CACHES['default']['BACKEND']", REDIS_URL=url) == backend


def test_the_redis_cache_has_its_client_installed():
    import redis  # noqa: F401  Django's RedisCache needs redis-py


@pytest.mark.django_db
def test_every_response_carries_a_content_security_policy_without_inline_script(client):
    policy = client.get("/admin/login/")["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'none'"
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
