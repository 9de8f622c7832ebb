"""The restore drill, step by step as README.md and docs/operations.md describe it: fill a
database, back it up with the documented tools, restore it into a new database and new folders,
and find every table's rows and every stored file identical and `check_integrity` clean.

On PostgreSQL (DATABASE_URL) the database goes through pg_dump, createdb and pg_restore; on SQLite
through SQLite's online backup into a new file. The storage folders go through tar."""

import datetime
import hashlib
import importlib
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import uuid
from contextlib import closing, contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
import time_machine
from django.apps import apps as django_apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection

from recommendations.appendix.publish import publish_appendix
from recommendations.models import PublishedAppendix, Recommendation
from reviews.models import Meeting, Review, User
from tests.factories import tracker_csv, tracker_row

# pg_dump sees only committed data, so the test commits (and flushes afterwards).
pytestmark = pytest.mark.django_db(transaction=True)

PROJECT = Path(__file__).resolve().parent.parent
STORAGE_ALIASES = ["default", "tracker_uploads"]


# --- Filling the database and the storage --------------------------------------------------


@pytest.fixture
def storage_folders(settings, tmp_path) -> dict[str, Path]:
    """Every file-system storage in a folder of this test's own."""
    folders = {alias: tmp_path / "live" / alias for alias in STORAGE_ALIASES}
    settings.STORAGES = {
        **settings.STORAGES,
        **{
            alias: {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": str(folder), "base_url": None},
            }
            for alias, folder in folders.items()
        },
    }
    for folder in folders.values():
        folder.mkdir(parents=True)
    return folders


@pytest.fixture
def populated(client, storage_folders):
    # A transactional test starts from a flushed database: put back the roles the migrations made.
    importlib.import_module("recommendations.migrations.0003_create_roles").assign_role_permissions(
        django_apps
    )
    call_command("load_demo", "--with-demo-users", stdout=open(os.devnull, "w"))  # noqa: SIM115
    review = Review.objects.get(title="Scrutiny Review of Cybercrime")
    meeting = Meeting.objects.get(committee=review.committee, date=datetime.date(2019, 1, 21))
    clerk = User.objects.get(username="clerk")
    with time_machine.travel(
        datetime.datetime(2019, 1, 15, 9, 30, tzinfo=datetime.UTC), tick=False
    ):
        publish_appendix(review, meeting=meeting, as_at=datetime.date(2019, 1, 14), user=clerk)
    # A tracker file waiting between preview and confirm, in the upload storage.
    client.force_login(clerk)
    upload = SimpleUploadedFile(
        "tracker.csv", tracker_csv(tracker_row(lead="Highways", recommendation="Fill potholes."))
    )
    assert client.post("/trackers/import/", {"file": upload}).status_code == 302
    assert PublishedAppendix.objects.count() == 1
    assert Recommendation.objects.exists()
    assert any(storage_folders["tracker_uploads"].iterdir())
    return storage_folders


# --- Comparing ----------------------------------------------------------------------------


def every_table() -> list[str]:
    return sorted(connection.introspection.table_names())


def rows_of(cursor, table: str) -> list[tuple]:
    cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} LIMIT 0")
    width = len(cursor.description)
    order = ", ".join(str(n) for n in range(1, width + 1))
    cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} ORDER BY {order}")
    return [tuple(bytes(v) if isinstance(v, memoryview) else v for v in row) for row in cursor]


def assert_same_rows(live_cursor, restored_cursor) -> None:
    tables = every_table()
    assert "recommendations_publishedappendix" in tables
    for table in tables:
        live, restored = rows_of(live_cursor, table), rows_of(restored_cursor, table)
        assert len(restored) == len(live), f"{table}: {len(restored)} rows, not {len(live)}"
        assert restored == live, f"{table}: the restored rows differ"


def files_in(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def check_integrity_against(database_url: str) -> subprocess.CompletedProcess:
    """`manage.py check_integrity` in a process of its own, on the restored database only."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(DATABASE_URL=database_url, DJANGO_SECRET_KEY="restore-drill-" + "x" * 40)
    return subprocess.run(
        [sys.executable, "manage.py", "check_integrity"],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


# --- The storage: tar, as documented -------------------------------------------------------


def back_up_and_restore_storage(folders: dict[str, Path], work: Path) -> dict[str, Path]:
    restored = {}
    for alias, folder in folders.items():
        archive = work / f"{alias}.tar.gz"
        with tarfile.open(archive, "w:gz") as tar:
            tar.add(folder, arcname=".")
        restored[alias] = work / "restored" / alias
        restored[alias].mkdir(parents=True, mode=0o700)
        with tarfile.open(archive) as tar:
            tar.extractall(restored[alias], filter="data")
    return restored


def test_a_backup_restores_every_row_and_file_and_checks_clean(populated, tmp_path):
    restored_folders = back_up_and_restore_storage(populated, tmp_path)
    for alias, folder in populated.items():
        assert files_in(restored_folders[alias]) == files_in(folder), alias

    restore = restored_postgresql if connection.vendor == "postgresql" else restored_sqlite
    with restore(tmp_path) as (restored_url, restored_cursor), connection.cursor() as live:
        assert_same_rows(live, restored_cursor)
        result = check_integrity_against(restored_url)

    assert result.returncode == 0, result.stderr
    assert "Checked 1 published appendix" in result.stdout
    assert "everything agrees" in result.stdout


# --- SQLite: the online backup ------------------------------------------------------------


@contextmanager
def restored_sqlite(work: Path):
    """Back up with SQLite's online backup, restore into a new file; yields its URL and a cursor."""
    backup, restored = work / "backup.sqlite3", work / "restored.sqlite3"
    connection.ensure_connection()
    # What `sqlite3 db.sqlite3 ".backup backup.sqlite3"` does, through Python's sqlite3 module.
    with closing(sqlite3.connect(backup)) as target:
        connection.connection.backup(target)
    shutil.copyfile(backup, restored)
    # Read with the converters Django's own connection uses, so values compare like for like.
    detect = sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES
    with closing(sqlite3.connect(restored, detect_types=detect)) as copy:
        yield f"sqlite:///{restored}", copy.cursor()


# --- PostgreSQL: pg_dump, createdb, pg_restore ---------------------------------------------


def postgresql_tools_env() -> dict[str, str]:
    """The tools' PG* variables from the test database's settings."""
    env = dict(os.environ)
    for variable, key in [
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
    ]:
        if connection.settings_dict.get(key):
            env[variable] = str(connection.settings_dict[key])
    return env


def run_tool(*command: str, env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"{' '.join(command)}: {result.stderr}"


def postgresql_url(name: str) -> str:
    settings_dict = connection.settings_dict
    credentials = quote(settings_dict.get("USER") or "", safe="")
    if settings_dict.get("PASSWORD"):
        credentials += ":" + quote(settings_dict["PASSWORD"], safe="")
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    at = "@" if credentials else ""
    return f"postgres://{credentials}{at}{settings_dict.get('HOST') or ''}{port}/{name}"


@contextmanager
def restored_postgresql(work: Path):
    """pg_dump the test database, restore it into a new one with createdb and pg_restore; yields
    its URL and a cursor on it, and drops it afterwards."""
    if not shutil.which("pg_dump"):
        pytest.skip("pg_dump is not installed: the PostgreSQL backup and restore were not drilled")
    missing = [tool for tool in ("pg_restore", "createdb", "dropdb") if not shutil.which(tool)]
    assert not missing, f"install {', '.join(missing)} to drill the restore on PostgreSQL"
    import psycopg

    env = postgresql_tools_env()
    live_name = connection.settings_dict["NAME"]
    restored_name = f"{live_name}_restored_{uuid.uuid4().hex[:8]}"
    dump = work / "scrutiny.dump"
    run_tool("pg_dump", "--format=custom", "--no-owner", f"--file={dump}", live_name, env=env)
    run_tool("createdb", restored_name, env=env)
    try:
        run_tool(
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            f"--dbname={restored_name}",
            str(dump),
            env=env,
        )
        with psycopg.connect(postgresql_url(restored_name)) as copy:
            yield postgresql_url(restored_name), copy.cursor()
    finally:
        run_tool("dropdb", "--if-exists", "--force", restored_name, env=env)
