"""Load on the real server: drafters typing with autosave, reviewers reading.

Starts gunicorn on 127.0.0.1 (a free port) with the project's configuration
(speechdraft/gunicorn.conf.py, workers from the CPU count) on a fresh database of its
own: an SQLite file in a temporary directory, or with ``--database-url`` a PostgreSQL
database that it creates and drops (``--both`` runs SQLite, then PostgreSQL). It loads
the demo data, then for ``--seconds`` (60) N drafters (20) each type into a different
item of the demo speech and autosave it every ``--pause`` (2) seconds, as the editing
page does (the JSON save protocol, with each field's base), while M reviewers (4)
alternately open the preview and download the .docx. Afterwards every acknowledged save
(answered 200) must be in the database: its text among the item's revisions, the item
holding the last one, its version raised once per save. The save's p50/p95/p99 are
printed.

Then, still on the same server, every client fetches, for ``--compare-seconds`` (10)
each: the floor, a trivial login-required view served with the same middleware as every
page (session, user, CSRF token: ``GET /session/``); the preview page; and (drafters)
the editing page. Their requests per second over the floor's are the ratios printed
(aims: preview ≥ 0.8, editing page ≥ 0.5). ``DJANGO_PAGE_CACHE=0`` in the environment
turns the preview's page cache off, to see what it still buys.

Targets: zero errors and zero lost saves at 24 clients on two cores.
Run: .venv/bin/python benchmarks/load.py [--seconds 60] [--both]

Logins cost about two seconds each (PBKDF2), so each client logs in once, before the
clock starts, and keeps its session. Only 127.0.0.1 is ever contacted.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "speechdraft.settings")

import django  # noqa: E402
import psycopg  # noqa: E402
from dj_database_url import parse as parse_database_url  # noqa: E402

django.setup()

from django.urls import reverse  # noqa: E402

from tests.live import Browser, ensure_collected_static, gunicorn, manage  # noqa: E402

PASSWORD = "load-test-password-2026"
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/speechdraft_load"
# No client loop runs past this many requests, whatever the time limit.
MAX_REQUESTS_PER_CLIENT = 50_000

# Run inside `manage.py shell`: people with one password hash (hashing twenty times would
# take a minute), and enough items on the demo speech for every drafter to have one.
SETUP = """
import json
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from drafts.access import DRAFTER_GROUP, REVIEWER_GROUP
from drafts.models import Agency, Item, Membership, Speech
drafters, reviewers, password = {drafters}, {reviewers}, {password!r}
agency = Agency.objects.get(name="市统计局")
speech = Speech.objects.get(agency=agency)
owner = speech.owner
hashed = make_password(password)
names = {{"drafter": [f"load_drafter_{{n}}" for n in range(drafters)],
          "reviewer": [f"load_reviewer_{{n}}" for n in range(reviewers)]}}
for role, group in (("drafter", DRAFTER_GROUP), ("reviewer", REVIEWER_GROUP)):
    for name in names[role]:
        user = get_user_model().objects.create(username=name, password=hashed)
        user.groups.add(Group.objects.get(name=group))
        Membership.objects.create(user=user, agency=agency)
part = speech.parts.get(kind="achievements")
while Item.objects.filter(part__speech=speech).count() < drafters:
    Item.insert(part, "lesson", None, owner)
items = [{{"id": str(i.pk), "version": i.version,
          "fields": {{name: getattr(i, name) for name in i.text_fields()}}}}
         for i in Item.objects.filter(part__speech=speech).order_by("kind", "position")]
print(json.dumps({{"speech": speech.pk, "items": items, **names}}))
"""


@dataclass
class Tally:
    """Every request's latency and outcome, shared by the client threads."""

    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, seconds: float, ok: bool, what: str) -> None:
        with self.lock:
            self.latencies.append(seconds)
            if not ok:
                self.errors += 1
                if len(self.error_samples) < 5:
                    self.error_samples.append(what)

    def line(self, label: str, elapsed: float) -> tuple[str, float]:
        count = len(self.latencies)
        rate = count / elapsed if elapsed else 0.0
        if count >= 2:
            cuts = statistics.quantiles(self.latencies, n=100, method="inclusive")
            p50, p95, p99 = (cuts[i] * 1000 for i in (49, 94, 98))
        else:
            p50 = p95 = p99 = float("nan")
        text = (
            f"  {label:<22} {count:>7} req  {rate:>7.1f} req/s  "
            f"p50 {p50:>6.0f} ms  p95 {p95:>6.0f} ms  p99 {p99:>6.0f} ms  errors {self.errors}"
        )
        return text, rate


def timed(browser: Browser, tally: Tally, path: str, data=None, headers=None):
    """One request, its time and outcome into ``tally``; (status, body) or (0, b"")."""
    started = time.perf_counter()
    try:
        status, body = browser.fetch(path, data, headers)
    except OSError as error:
        tally.add(time.perf_counter() - started, False, f"{path}: {error}")
        return 0, b""
    # A redirect (to the login page, say) ends in a 200 too: it is an error here.
    redirected = browser.last_url != browser.base + path
    ok = status == 200 and not redirected
    tally.add(time.perf_counter() - started, ok, f"{path}: HTTP {status} {browser.last_url}")
    return (status if ok else 0), body


def log_in(browsers: list[Browser], names: list[str]) -> None:
    """Log every client in, as many at a time as there are CPUs: a login hashes the
    password for about two seconds, and more at once would only queue."""
    batch = os.cpu_count() or 2
    for start in range(0, len(browsers), batch):
        pairs = list(zip(browsers, names, strict=True))[start : start + batch]
        threads = [threading.Thread(target=b.login, args=(n, PASSWORD)) for b, n in pairs]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    missing = [n for b, n in zip(browsers, names, strict=True) if not has_session(b)]
    if missing:
        raise SystemExit(f"login failed for {', '.join(missing)}")


def has_session(browser: Browser) -> bool:
    return any(cookie.name == "sessionid" for cookie in browser.cookies)


def run_clients(workers: list[Callable[[float], None]], seconds: float) -> float:
    """Run each worker in its own thread until ``seconds`` from now; the elapsed time."""
    deadline = time.monotonic() + seconds
    threads = [threading.Thread(target=work, args=(deadline,)) for work in workers]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        # A request in flight at the deadline finishes within the client's timeout.
        thread.join(timeout=seconds + 60)
    return time.monotonic() - started


def drafter(
    browser: Browser, item: dict, index: int, pause: float, tally: Tally, acked: dict, phase=""
):
    """A drafter typing into their own item and autosaving every ``pause`` seconds, as
    the editing page does: each save sends the text typed on the last acknowledged one
    (its base); acknowledged texts go into ``acked``. The item's ``fields`` and
    ``version`` follow the saves, so a drafter of a later ``phase`` (a word in the text,
    which keeps the phases' texts apart) goes on from there."""
    path = reverse("drafts:item-edit", args=[item["id"]])
    stored = dict(item["fields"])
    version = item["version"]
    json_headers = {"Accept": "application/json"}

    def work(deadline: float) -> None:
        nonlocal version
        for count in range(MAX_REQUESTS_PER_CLIENT):
            if time.monotonic() >= deadline:
                return
            typed = {**stored, "body": f"第{index}位起草人{phase}第{count}次自动保存的正文。"}
            data = {
                **typed,
                **{f"base_{n}": text for n, text in stored.items()},
                "version": version,
            }
            status, body = timed(browser, tally, path, data, json_headers)
            if status == 200:
                answer = json.loads(body)
                stored.update(answer["fields"])
                version = answer["version"]
                item["fields"], item["version"] = dict(stored), version
                acked.setdefault(item["id"], []).append(typed["body"])
            time.sleep(max(0.0, min(pause, deadline - time.monotonic())))

    return work


def reviewer(browser: Browser, speech: int, tally: Tally):
    """A reviewer opening the preview and downloading the Word file in turn."""
    paths = [
        reverse("drafts:speech-preview", args=[speech]),
        reverse("drafts:speech-export-docx", args=[speech]),
    ]

    def work(deadline: float) -> None:
        for count in range(MAX_REQUESTS_PER_CLIENT):
            if time.monotonic() >= deadline:
                return
            timed(browser, tally, paths[count % 2])

    return work


def fetcher(browser: Browser, path: str, tally: Tally):
    """A client fetching one page as fast as it is answered."""

    def work(deadline: float) -> None:
        for _ in range(MAX_REQUESTS_PER_CLIENT):
            if time.monotonic() >= deadline:
                return
            timed(browser, tally, path)

    return work


def compare(browsers: list[Browser], path: str, label: str, seconds: float) -> tuple[Tally, float]:
    """Every client fetching ``path`` for ``seconds``: prints the line, returns the
    tally and the requests per second."""
    tally = Tally()
    elapsed = run_clients([fetcher(b, path, tally) for b in browsers], seconds)
    line, rate = tally.line(label, elapsed)
    print(line)
    return tally, rate


def stored_saves(database_url: str) -> tuple[dict[str, tuple[str, int]], dict[str, list[str]]]:
    """Items (id → body, version) and the texts of each item's revisions, read directly."""
    config = parse_database_url(database_url)
    if config["ENGINE"].endswith("sqlite3"):
        db = sqlite3.connect(config["NAME"])
    else:
        db = psycopg.connect(
            host=config["HOST"],
            port=config["PORT"] or 5432,
            user=config["USER"],
            password=config["PASSWORD"] or None,
            dbname=config["NAME"],
        )
    try:
        items = {
            str(uuid.UUID(str(row[0]))): (row[1], row[2])
            for row in db.execute("SELECT id, body, version FROM drafts_item").fetchall()
        }
        revisions: dict[str, list[str]] = {}
        for anchor, fields in db.execute("SELECT anchor, fields FROM drafts_revision"):
            fields = json.loads(fields) if isinstance(fields, str) else fields
            revisions.setdefault(anchor.removeprefix("item:"), []).append(fields.get("body", ""))
        return items, revisions
    finally:
        db.close()


def lost_saves(acked: dict[str, list[str]], database_url: str) -> int:
    """Acknowledged saves not found in the database (or not counted in the version)."""
    items, revisions = stored_saves(database_url)
    lost = 0
    for item_id, texts in acked.items():
        saved = set(revisions.get(item_id, []))
        lost += sum(1 for text in texts if text not in saved)
        body, version = items[item_id]
        if body != texts[-1] or version != len(texts) + 1:
            lost += 1
    return lost


def run_on(database_url: str, args: argparse.Namespace, workdir: Path) -> None:
    label = "SQLite" if database_url.startswith("sqlite") else "PostgreSQL"
    print(f"\n== {label}: {args.drafters} drafters + {args.reviewers} reviewers", flush=True)
    manage("migrate", "--noinput", database_url=database_url)
    manage("load_demo", database_url=database_url)
    setup = SETUP.format(drafters=args.drafters, reviewers=args.reviewers, password=PASSWORD)
    output = manage("shell", "-c", setup, database_url=database_url).stdout
    plan = json.loads(output.strip().splitlines()[-1])
    log = workdir / f"gunicorn-{label.lower()}.log"
    with gunicorn(database_url, log, workers=args.workers) as server:
        names = plan["drafter"] + plan["reviewer"]
        browsers = [Browser(server.url, timeout=30) for _ in names]
        started = time.monotonic()
        log_in(browsers, names)
        print(f"  {len(names)} logins took {time.monotonic() - started:.1f} s (not measured)")

        edits, reviews, acked = Tally(), Tally(), {}
        drafting = browsers[: len(plan["drafter"])]
        workers = [
            drafter(browser, item, index, args.pause, edits, acked)
            for index, (browser, item) in enumerate(zip(drafting, plan["items"], strict=False))
        ]
        workers += [
            reviewer(browser, plan["speech"], reviews)
            for browser in browsers[len(plan["drafter"]) :]
        ]
        elapsed = run_clients(workers, args.seconds)
        everything = Tally(edits.latencies + reviews.latencies, edits.errors + reviews.errors)
        for tally, name in ((edits, "saves"), (reviews, "preview + .docx"), (everything, "all")):
            print(tally.line(name, elapsed)[0])
        lost = lost_saves(acked, database_url)
        print(f"  acknowledged saves: {sum(map(len, acked.values()))}, lost saves: {lost}")

        speech = plan["speech"]
        floor = reverse("drafts:session-status")
        _, floor_rate = compare(browsers, floor, "floor: GET /session/", args.compare)
        for label, path, clients, aim in (
            ("preview page", reverse("drafts:speech-preview", args=[speech]), browsers, 0.8),
            ("editing page", reverse("drafts:speech-edit", args=[speech]), drafting, 0.5),
        ):
            tally, rate = compare(clients, path, label, args.compare)
            ratio = rate / floor_rate if floor_rate else float("nan")
            print(f"  {label} / floor: {ratio:.2f} (aim ≥ {aim})")
            edits.error_samples += tally.error_samples
        for sample in edits.error_samples + reviews.error_samples:
            print(f"  error: {sample}")


def postgres_database(url: str):
    """Create the database named in ``url`` (dropping a leftover), return a dropper."""
    config = parse_database_url(url)
    if config["HOST"] not in ("127.0.0.1", "localhost"):
        raise SystemExit("The load test only talks to 127.0.0.1.")
    connect = {
        "host": "127.0.0.1",
        "port": config["PORT"] or 5432,
        "user": config["USER"],
        "password": config["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    name = config["NAME"]
    with psycopg.connect(**connect) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(**connect) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return drop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60, help="length of the mixed load")
    parser.add_argument("--compare-seconds", dest="compare", type=float, default=10)
    parser.add_argument("--drafters", type=int, default=20)
    parser.add_argument("--pause", type=float, default=2, help="seconds of typing between saves")
    parser.add_argument("--reviewers", type=int, default=4)
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: from the CPUs)")
    parser.add_argument(
        "--database-url", help=f"a PostgreSQL database to create, e.g. {DEFAULT_POSTGRES}"
    )
    parser.add_argument("--both", action="store_true", help="SQLite, then PostgreSQL")
    args = parser.parse_args()
    args.seconds = max(1.0, min(args.seconds, 3600))
    args.compare = max(1.0, min(args.compare, 600))
    print(f"{os.cpu_count()} CPUs; gunicorn from speechdraft/gunicorn.conf.py on 127.0.0.1")
    run_everywhere(run_on, args, "load")


def run_everywhere(run, args, name: str, postgres: str = DEFAULT_POSTGRES) -> None:
    """``run(database_url, args, workdir)`` on a fresh SQLite file, on a PostgreSQL
    database created and dropped around it, or both, as ``--database-url`` and ``--both``
    say."""
    ensure_collected_static()
    with tempfile.TemporaryDirectory(prefix=f"speechdraft-{name}-") as directory:
        workdir = Path(directory)
        if args.both or not args.database_url:
            run(f"sqlite:///{workdir / name}.sqlite3", args, workdir)
        if args.both or args.database_url:
            url = args.database_url or postgres
            drop = postgres_database(url)
            try:
                run(url, args, workdir)
            finally:
                drop()


if __name__ == "__main__":
    main()
