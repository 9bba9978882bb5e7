"""How the app runs: gunicorn's configuration, SQLite under several workers, /healthz.

The database settings are checked on a fresh connection built from the app's own
settings (the test database is in memory, where WAL does not exist).
"""

import os
import runpy
import sqlite3
import subprocess
import threading
import time
import urllib.request

import pytest
from django.conf import settings
from django.db.backends.sqlite3.base import DatabaseWrapper
from django.urls import reverse
from gunicorn.config import Config

from tests.live import ROOT, ensure_collected_static, gunicorn, manage

CONFIG = ROOT / "speechdraft" / "gunicorn.conf.py"
on_sqlite = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="the app runs on PostgreSQL here (DATABASE_URL); WAL is SQLite's",
)


def load_config(monkeypatch, **env) -> dict:
    for name in ("PORT", "WEB_CONCURRENCY"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    values = runpy.run_path(str(CONFIG))
    # gunicorn's own validation of every setting the file defines.
    config = Config()
    for name, value in values.items():
        if name in config.settings:
            config.set(name, value)
    return values


def test_gunicorn_takes_its_workers_from_the_cpu_count(monkeypatch):
    monkeypatch.setattr("multiprocessing.cpu_count", lambda: 2)
    values = load_config(monkeypatch)
    assert values["workers"] == 5
    assert values["bind"] == "127.0.0.1:8000"
    assert load_config(monkeypatch, WEB_CONCURRENCY="3", PORT="8123")["workers"] == 3
    assert load_config(monkeypatch, PORT="8123")["bind"] == "127.0.0.1:8123"


def test_gunicorn_has_timeouts_and_logs_each_request_with_its_time(monkeypatch):
    values = load_config(monkeypatch)
    assert 0 < values["graceful_timeout"] <= values["timeout"] <= 120
    assert values["accesslog"] == "-"
    assert "%(M)s" in values["access_log_format"]


def app_connection(path) -> DatabaseWrapper:
    """A connection with the app's SQLite settings (journal, timeout) to a file."""
    return DatabaseWrapper({**settings.DATABASES["default"], "NAME": str(path)}, alias="probe")


@on_sqlite
def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path, django_db_blocker):
    probe = app_connection(tmp_path / "app.sqlite3")
    try:
        with django_db_blocker.unblock(), probe.cursor() as cursor:
            assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert cursor.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    finally:
        with django_db_blocker.unblock():
            probe.close()


@on_sqlite
def test_a_writer_waits_for_another_writer_instead_of_failing(tmp_path, django_db_blocker):
    path = tmp_path / "app.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    # The file is in WAL mode from its first use by the app (migrate) on.
    holder.execute("PRAGMA journal_mode=WAL")
    holder.execute("CREATE TABLE t (n INTEGER)")
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("INSERT INTO t VALUES (1)")
    # The other worker's write lock goes away after a second, well inside the timeout.
    releaser = threading.Timer(1.0, holder.execute, args=["COMMIT"])
    releaser.start()
    probe = app_connection(path)
    try:
        started = time.monotonic()
        with django_db_blocker.unblock():
            with probe.cursor() as cursor:
                cursor.execute("INSERT INTO t VALUES (2)")
            probe.commit()
        assert time.monotonic() - started >= 0.5
        assert holder.execute("SELECT count(*) FROM t").fetchone()[0] == 2
    finally:
        releaser.join()
        with django_db_blocker.unblock():
            probe.close()
        holder.close()


def test_healthz_answers_ok_without_login_or_database(client):
    # No django_db mark: any query here would fail the test.
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.content == b"ok"
    assert client.post(reverse("healthz")).status_code == 405


@on_sqlite
def test_gunicorn_serves_the_app_on_a_wal_database_and_logs_request_times(tmp_path):
    database_url = f"sqlite:///{tmp_path / 'app.sqlite3'}"
    manage("migrate", "--noinput", database_url=database_url)
    ensure_collected_static()
    log = tmp_path / "gunicorn.log"
    with gunicorn(database_url, log, workers=2) as server:
        status = urllib.request.urlopen(server.url + reverse("login"), timeout=30).status
    assert status == 200
    # WAL is a property of the file: the workers' connections switched it on.
    stored = sqlite3.connect(tmp_path / "app.sqlite3")
    try:
        assert stored.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        stored.close()
    lines = [line for line in log.read_text().splitlines() if "GET /accounts/login/" in line]
    assert lines and lines[-1].endswith("ms")
    assert "Booting worker" in log.read_text()


# --- The secret key (issue 13): one per deployment, never one per machine

POSTGRES = "postgres://speechdraft@db-host.invalid:5432/speechdraft"


def start(**env) -> subprocess.CompletedProcess:
    """``manage.py check`` in an environment of its own, as a server would start."""
    base = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))
    }
    return subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "manage.py", "check"],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "env",
    [{"DATABASE_URL": POSTGRES}, {"REDIS_URL": "redis://127.0.0.1:6379/0"}],
    ids=["postgres", "redis"],
)
def test_a_server_that_may_have_a_twin_refuses_to_start_without_a_secret_key(env):
    result = start(**env)
    assert result.returncode != 0
    last = result.stderr.strip().splitlines()[-1]
    assert "ImproperlyConfigured" in last and "DJANGO_SECRET_KEY" in last, result.stderr
    assert "every app server" in last


@pytest.mark.parametrize(
    "env",
    [
        {"DATABASE_URL": POSTGRES, "DJANGO_SECRET_KEY": "k" * 50},
        {"REDIS_URL": "redis://127.0.0.1:6379/0", "DJANGO_SECRET_KEY": "k" * 50},
        # One machine, one file: the key generated into var/ serves every process.
        {},
        # A developer's machine, never production.
        {"DATABASE_URL": POSTGRES, "DJANGO_DEBUG": "1"},
    ],
    ids=["postgres-with-key", "redis-with-key", "sqlite", "debug"],
)
def test_a_server_starts_with_a_key_or_where_no_twin_is_possible(env):
    result = start(**env)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
