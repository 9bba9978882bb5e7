"""Helpers for talking to a running app: a cookie-keeping HTTP client and gunicorn.

Used by the live-server concurrency tests, the two-server test and benchmarks/load.py.
Everything listens on 127.0.0.1 only; a server started here is always stopped (its
whole process group) when the ``with`` block ends, however it ends, and a database
created here is dropped.
"""

from __future__ import annotations

import http.cookiejar
import os
import secrets
import signal
import socket
import sqlite3
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

import dj_database_url
import psycopg

ROOT = Path(__file__).resolve().parents[1]
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
# The settings refuse to start on PostgreSQL without DJANGO_SECRET_KEY (a second
# server is possible there): every server and command started here signs with one key,
# the environment's own if it has one.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50)


def environment(database_url: str, **extra: str) -> dict:
    """The environment of a process started here: ours, its database, one secret key."""
    return {**os.environ, "DJANGO_SECRET_KEY": SECRET_KEY, "DATABASE_URL": database_url, **extra}


class Browser:
    """A minimal HTTP client with cookies and Django's CSRF token, for a live server.

    ``get`` raises on an error status (a test wants to know); ``fetch`` never does and
    returns the status, so a benchmark can count errors.
    """

    def __init__(self, base: str, timeout: float = 30):
        self.base = base
        self.timeout = timeout
        self.cookies = http.cookiejar.CookieJar()
        # Where the last ``fetch`` ended up: a redirect (say, to the login page) shows here.
        self.last_url = ""
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def csrf(self) -> str:
        return next(c.value for c in self.cookies if c.name == "csrftoken")

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=self.timeout) as response:
            return response.read().decode()

    def fetch(self, path: str, data: dict | None = None, headers: dict | None = None):
        """GET (``data`` None) or POST with the CSRF token; returns (status, body bytes)."""
        body = None
        if data is not None:
            body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": self.csrf()}).encode()
        request = urllib.request.Request(
            self.base + path, data=body, headers={"Referer": self.base + path, **(headers or {})}
        )
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                self.last_url = response.geturl()
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            self.last_url = error.geturl()
            return error.code, error.read()

    def post(self, path: str, data: dict, headers: dict | None = None) -> tuple[int, str]:
        status, body = self.fetch(path, data, headers)
        return status, body.decode()

    def login(self, username: str, password: str, path: str | None = None) -> None:
        """Log in through the login form; ``path`` defaults to the reversed login URL."""
        if path is None:
            from django.urls import reverse

            path = reverse("login")
        self.get(path)
        status, _ = self.post(path, {"username": username, "password": password})
        assert status == 200, f"login of {username} answered {status}"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def manage(*args: str, database_url: str, check: bool = True) -> subprocess.CompletedProcess:
    """Run ``manage.py`` with ``DATABASE_URL`` set, as a deployment would."""
    env = environment(database_url)
    return subprocess.run(
        [str(PYTHON), "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=check,
        capture_output=True,
        text=True,
        timeout=300,
    )


def ensure_collected_static() -> None:
    """Run collectstatic when a file in static/ is newer than the manifest.

    gunicorn serves the app with the manifest storage, which refuses to render a page
    naming a static file the manifest lacks.
    """
    manifest = ROOT / "staticfiles" / "staticfiles.json"
    sources = [p for p in (ROOT / "static").rglob("*") if p.is_file()]
    if manifest.exists() and all(p.stat().st_mtime <= manifest.stat().st_mtime for p in sources):
        return
    subprocess.run(
        [str(PYTHON), "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        check=True,
        timeout=300,
    )


def postgres_server() -> dict | None:
    """The PostgreSQL server of DATABASE_URL when it is one on 127.0.0.1:5432 that answers."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return None
    config = dj_database_url.parse(url)
    if config["HOST"] not in ("127.0.0.1", "localhost") or int(config["PORT"] or 5432) != 5432:
        return None
    try:
        socket.create_connection(("127.0.0.1", 5432), timeout=2).close()
    except OSError:
        return None
    return config


def _connect(config: dict, **options):
    return psycopg.connect(
        host="127.0.0.1",
        port=5432,
        user=config["USER"] or "postgres",
        password=config["PASSWORD"] or None,
        **options,
    )


@contextmanager
def postgres_database(server: dict) -> Iterator[str]:
    """A new, migrated database on ``server`` (see :func:`postgres_server`), for servers
    started here: they cannot see pytest-django's test database inside its transaction.
    Yields its URL; dropped on leaving."""
    name = f"speechdraft_live_{uuid.uuid4().hex[:8]}"
    with _connect(server, dbname="postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    password = f":{server['PASSWORD']}" if server["PASSWORD"] else ""
    url = f"postgres://{server['USER'] or 'postgres'}{password}@127.0.0.1:5432/{name}"
    try:
        manage("migrate", "--noinput", database_url=url)
        yield url
    finally:
        with _connect(server, dbname="postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def live_database(directory: Path) -> Iterator[str]:
    """A migrated database of its own on the database DATABASE_URL names: a new
    PostgreSQL database when it names a PostgreSQL server, else an SQLite file in
    ``directory``. Yields its URL."""
    server = postgres_server()
    if server is not None:
        with postgres_database(server) as url:
            yield url
        return
    url = f"sqlite:///{directory / 'live.sqlite3'}"
    manage("migrate", "--noinput", database_url=url)
    yield url


def read_rows(database_url: str, sql: str) -> list[tuple]:
    """The rows of one query without parameters, read straight from the database (as a
    check after a live run must, past the app). The values are the driver's: a UUID is
    32 hex digits in SQLite and a ``uuid.UUID`` in PostgreSQL, JSON is text in SQLite."""
    config = dj_database_url.parse(database_url)
    if config["ENGINE"].endswith("sqlite3"):
        with closing(sqlite3.connect(config["NAME"])) as db:
            return db.execute(sql).fetchall()
    with _connect(config, dbname=config["NAME"]) as db:
        return db.execute(sql).fetchall()


def at_once(*calls: Callable[[], object], timeout: float = 60) -> list:
    """Run each call in its own thread, released together (two people pressing 保存 in
    the same instant); their results, in order."""
    results: list = [None] * len(calls)
    start = threading.Barrier(len(calls))

    def run(index: int) -> None:
        start.wait(timeout=30)
        results[index] = calls[index]()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return results


@dataclass
class Server:
    """A running gunicorn: its base URL and the file its output goes to."""

    url: str
    log: Path


@contextmanager
def gunicorn(
    database_url: str, log: Path, *, workers: int | None = None, env: dict | None = None
) -> Iterator[Server]:
    """Run gunicorn with the project's configuration on a free loopback port.

    ``speechdraft/gunicorn.conf.py`` binds to 127.0.0.1:$PORT; ``workers`` sets
    ``WEB_CONCURRENCY`` (default: the configuration's, from the CPU count). Waits up to
    60 s for ``/healthz`` to answer, and stops the whole process group on leaving.
    """
    port = free_port()
    variables = environment(database_url, PORT=str(port), **(env or {}))
    if workers:
        variables["WEB_CONCURRENCY"] = str(workers)
    command = [str(GUNICORN), "--config", "speechdraft/gunicorn.conf.py", "speechdraft.wsgi"]
    with open(log, "ab") as output:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=variables,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_until_up(url + "/healthz", process, log)
        yield Server(url, log)
    finally:
        _stop(process)


def _wait_until_up(url: str, process: subprocess.Popen, log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}: {log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer {url} within {seconds} s")


def _stop(process: subprocess.Popen) -> None:
    """SIGTERM to gunicorn's group (graceful), SIGKILL if it lingers."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    except ProcessLookupError:
        process.wait(timeout=10)
