"""Hostile load: while 4 clients send the worst inputs they can, 16 drafters keep saving.

Starts gunicorn as ``benchmarks/load.py`` does (the project's configuration on 127.0.0.1,
a fresh database of its own: a temporary SQLite file, or with ``--database-url`` a
PostgreSQL database it creates and drops; ``--both`` runs SQLite, then PostgreSQL),
loads the demo data, and measures in two phases:

1. quiet (``--quiet-seconds``, 30, after 5 s of warm-up that is not measured: cold
   workers, every drafter starting at once): the drafters autosave as in load.py;
2. hostile (``--seconds``, 60): the same drafters go on saving while 4 clients, each
   logged in as a drafter of the same unit, send in turn its share of the inputs: each
   budget of ``settings.BUDGETS`` (read through ``budgets.configured()``, so the inputs
   follow the configuration) just under and just over its limit: the import preview
   with the 九九九九九九九九 gap line, a maximal paste, .txt and .docx (a document.xml
   around the XML budget), JSON nested and numbered around the JSON budgets; a unit
   save of a field around field_chars; adding an item to a full list; the compare page
   between two versions as big as a speech may be; wrong passwords for other accounts
   (the drafters logged in before, so no lockout touches them); unknown session
   cookies on /healthz.

Printed: the drafters' save p50/p95/p99 in each phase and the ratio of the p99s (aim
< 3), lost saves (every save answered 200 must be in the database, as load.py checks),
errors (5xx or no answer, drafters and hostile clients), gunicorn's worker time-outs
("WORKER TIMEOUT" in its log), the session rows written during the hostile phase, and
per hostile input: count, status codes and median time.

Run: .venv/bin/python benchmarks/hostile.py [--seconds 60] [--both] [--port 8640]
Only 127.0.0.1 is ever contacted; every loop is bounded in time and in count.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import secrets
import statistics
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from django.urls import reverse  # noqa: E402

from benchmarks import load  # noqa: E402  (sets up Django)
from benchmarks.load import (  # noqa: E402
    MAX_REQUESTS_PER_CLIENT,
    PASSWORD,
    SETUP,
    Tally,
    log_in,
    lost_saves,
    run_clients,
)
from drafts import budgets  # noqa: E402
from tests import live  # noqa: E402
from tests.live import Browser, gunicorn, manage, read_rows  # noqa: E402

DRAFTERS = 16
HOSTILE = 4
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/speechdraft_hostile"
WARM_UP_SECONDS = 5
# A hostile request may take as long as gunicorn lets a worker live (60 s) and more.
HOSTILE_TIMEOUT = 90
GAP = "同志们：\n开场。\n一、甲\n九九九九九九九九、乙\n"

# Run inside `manage.py shell` after load.py's SETUP: the hostile clients' two speeches.
# "big": as many field-sized achievements as a whole speech may hold, with two snapshots
# that differ every few characters (the worst the compare page can be asked). "full":
# its lessons and measures lists at items_per_list, and an achievement to save into.
HOSTILE_SETUP = """
import json, random
from django.contrib.auth import get_user_model
from drafts import budgets, workflow
from drafts.models import Item, Snapshot, Speech
from tests.factories import sample_structure
limits = budgets.configured()
owner = get_user_model().objects.get(username={owner!r})
count = max(1, limits.speech_chars // limits.field_chars)
big = Speech.create_from_structure(sample_structure(achievements=count), owner)
alphabet = "的一是了我不人在他有这个上们来到时大地为子中你说生国年着就那和要她出也得里后自以会"
chance = random.Random(13)
for item in Item.objects.filter(part__speech=big, kind="achievement"):
    text = "".join(chance.choice(alphabet) for _ in range(limits.field_chars - 50))
    Item.objects.filter(pk=item.pk).update(body=text)
# Two submissions, returned in between: the snapshots a reviewer compares.
big.take_action("submit", owner, {{workflow.DRAFTER}}, "请审核。")
big.take_action("return", owner, {{workflow.REVIEWER}}, "请修改。")
for item in Item.objects.filter(part__speech=big, kind="achievement"):
    changed = "".join("新" if n % 7 == 0 else c for n, c in enumerate(item.body))
    Item.objects.filter(pk=item.pk).update(body=changed)
big = Speech.objects.get(pk=big.pk)
big.take_action("submit", owner, {{workflow.DRAFTER}}, "已修改。")
old, new = Snapshot.objects.filter(speech=big).order_by("pk")
full = Speech.create_from_structure(
    sample_structure(achievements=2, lessons=limits.items_per_list, measures=limits.items_per_list),
    owner,
)
achievement = Item.objects.get(part__speech=full, kind="achievement", position=1)
measure = Item.objects.get(part__speech=full, kind="measure", position=1)
print(json.dumps({{
    "big": big.pk, "old": old.pk, "new": new.pk, "full": full.pk,
    "part_one": full.parts.get(kind="achievements").pk,
    "achievement": {{"id": str(achievement.pk), "version": achievement.version,
                    "fields": {{"lead": achievement.lead, "body": achievement.body}}}},
    "measure": str(measure.pk),
}}))
"""


# --- Requests of any shape -------------------------------------------------------------------


def send(browser: Browser, path: str, fields=None, files=None, headers=None) -> tuple[int, bytes]:
    """GET (no ``fields``) or POST with the CSRF token, urlencoded or (``files``) multipart.
    (status, body); status 0 when the server gave no answer (a worker killed mid-request)."""
    headers = {"Referer": browser.base + path, **(headers or {})}
    body = None
    if fields is not None or files:
        fields = {**(fields or {}), "csrfmiddlewaretoken": browser.csrf()}
        if files:
            boundary = "hostile-" + secrets.token_hex(8)
            body = multipart(fields, files, boundary)
            headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        else:
            body = urllib.parse.urlencode(fields).encode()
    request = urllib.request.Request(browser.base + path, data=body, headers=headers)
    try:
        with browser.opener.open(request, timeout=browser.timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except OSError:
        return 0, b""


def multipart(fields: dict, files: dict[str, tuple[str, bytes]], boundary: str) -> bytes:
    parts = []
    for name, value in fields.items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        parts.append(f"{head}{value}\r\n".encode())
    for name, (filename, data) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
        )
        parts.append(head.encode() + data + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode()


# --- The worst inputs, each budget just under and just over its limit ---------------------


def paste(chars: int, paragraphs: int) -> str:
    """A speech text of ``chars`` characters, line breaks included, in ``paragraphs``
    paragraphs, each a （一） achievement: every one repeats the number (a finding each)."""
    lines = ["同志们："]
    body = max(1, paragraphs - 1)
    left = chars - len(lines[0]) - body  # a line break before each paragraph
    for index in range(body):
        size = left // (body - index)
        left -= size
        lines.append(("（一）" + "工作有进展。" * (size // 6 + 1))[:size])
    return "\n".join(lines)


def document_xml(size: int) -> bytes:
    """A document.xml of ``size`` bytes: paragraphs of text, padded to the byte."""
    head = (
        b'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w='
        b'"http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
    )
    tail = b"</w:body></w:document>"
    paragraph = ("<w:p><w:r><w:t>" + "（一）工作有进展。" * 50 + "</w:t></w:r></w:p>").encode()
    room = size - len(head) - len(tail)
    count, rest = divmod(room, len(paragraph))
    return head + paragraph * count + b" " * rest + tail


def docx(document: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats'
            '.org/package/2006/content-types"><Default Extension="rels" ContentType="application'
            '/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            'ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType='
            '"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            "</Types>",
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http:'
            '//schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="word/document.xml"/></Relationships>',
        )
        archive.writestr("word/document.xml", document)
    return buffer.getvalue()


def speech_json(title_json: str) -> bytes:
    """A speechdraft/1 document whose title is the JSON text ``title_json``."""
    document = {
        "format": "speechdraft/1",
        "title": "@title@",
        "occasion": "",
        "organization": "",
        "speaker": "",
        "date": None,
        "salutation": "同志们：",
        "opening": "开场。",
        "part_one": {
            "heading": "甲",
            "intro": "",
            "achievements": [],
            "lessons_intro": "",
            "lessons": [],
        },
        "part_two": {
            "heading": "乙",
            "shortcomings_intro": "",
            "shortcomings": [],
            "transition": "",
            "measures": [],
        },
        "closing": "",
    }
    return json.dumps(document, ensure_ascii=False).replace('"@title@"', title_json).encode()


def nested(depth: int) -> str:
    return "[" * depth + '"甲"' + "]" * depth


@dataclass
class Kind:
    """One hostile input: its name and how to send it (a function of the client)."""

    name: str
    send: object  # (HostileClient) -> status


@dataclass
class HostileTally:
    """Status codes and times per hostile input."""

    results: dict[str, list[tuple[int, float]]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, status: int, seconds: float) -> None:
        with self.lock:
            self.results.setdefault(kind, []).append((status, seconds))

    def errors(self) -> int:
        return sum(
            1 for rows in self.results.values() for status, _ in rows if not 0 < status < 500
        )


class HostileClient:
    """A client logged in as a drafter, sending its share of the inputs in turn."""

    def __init__(self, browser: Browser, plan: dict, inputs: dict, index: int):
        self.browser = browser
        self.plan = plan
        self.inputs = inputs
        self.index = index
        self.saved = dict(plan["achievement"])  # the item this client saves into
        self.logins = 0

    def work(self, kinds: list[Kind], tally: HostileTally):
        share = kinds[self.index :: HOSTILE]

        def run(deadline: float) -> None:
            for count in range(MAX_REQUESTS_PER_CLIENT):
                if time.monotonic() >= deadline:
                    return
                kind = share[count % len(share)]
                started = time.perf_counter()
                status = kind.send(self)
                tally.add(kind.name, status, time.perf_counter() - started)

        return run


def kinds_for(limits: budgets.Budgets) -> tuple[list[Kind], dict]:
    """The hostile inputs for these budgets, and the bytes they send (made once)."""
    inputs = {
        "paste-under": paste(limits.import_chars - 1, limits.import_paragraphs - 1),
        # Over however the line breaks are counted.
        "paste-over": paste(
            limits.import_chars + limits.import_paragraphs, limits.import_paragraphs - 1
        ),
        "paragraphs-over": paste(limits.import_paragraphs * 8, limits.import_paragraphs + 1),
        "docx-under": docx(document_xml(limits.docx_xml_bytes - 1024)),
        "docx-over": docx(document_xml(limits.docx_xml_bytes + 1)),
        "upload-over": b"x" * (limits.upload_bytes + 1),
    }
    inputs["txt-under"] = inputs["paste-under"].encode()
    import_path = reverse("drafts:speech-import")

    def import_text(key):
        return lambda c: send(c.browser, import_path, {"text": inputs[key]})[0]

    def upload(name, key):
        return lambda c: send(
            c.browser, import_path, {"text": ""}, {"upload": (name, inputs[key])}
        )[0]

    def upload_bytes(name, data):
        return lambda c: send(c.browser, import_path, {"text": ""}, {"upload": (name, data)})[0]

    depth, digits = limits.json_depth, limits.json_number_digits
    # Client n sends kinds[n::HOSTILE] in turn: the slow ones last in each share, so a
    # short run still sends every input at least once.
    kinds = [
        Kind("login: wrong password", wrong_login),
        Kind("/healthz: unknown session", unknown_session),
        Kind("import: json digits", upload_bytes("a.json", speech_json("9" * digits))),
        Kind("import: json digits+1", upload_bytes("a.json", speech_json("9" * (digits + 1)))),
        Kind("import: json depth", upload_bytes("a.json", speech_json(nested(depth - 2)))),
        Kind("import: json depth+1", upload_bytes("a.json", speech_json(nested(depth + 1)))),
        Kind("import: json [×100000", upload_bytes("a.json", b"[" * 100_000)),
        Kind("import: json 5000 digits", upload_bytes("a.json", speech_json("9" * 5000))),
        Kind("save: field chars", lambda c: save_field(c, limits.field_chars)),
        Kind("save: field chars+1", lambda c: save_field(c, limits.field_chars + 1)),
        Kind("items: add to a full list", add_to_full_list),
        Kind("items: move in a full list", lambda c: move_in_full_list(c, limits.items_per_list)),
        Kind("import: .txt bytes+1", upload("去年.txt", "upload-over")),
        Kind("import: paste paragraphs+1", import_text("paragraphs-over")),
        Kind("import: paste chars-1", import_text("paste-under")),
        Kind("import: paste chars+1", import_text("paste-over")),
        Kind("import: .txt chars-1", upload("去年.txt", "txt-under")),
        Kind("import: .docx xml-1KB", upload("去年.docx", "docx-under")),
        Kind("import: .docx xml+1", upload("去年.docx", "docx-over")),
        Kind("compare: two big versions", compare_big),
        Kind(
            "import: gap line (8 nines)", lambda c: send(c.browser, import_path, {"text": GAP})[0]
        ),
    ]
    return kinds, inputs


def save_field(client: HostileClient, size: int) -> int:
    """A save of the client's achievement with a body of ``size`` characters, on the
    version and base of its last acknowledged save (so the one within budget lands)."""
    saved = client.saved
    body = ("第" + str(client.index) + "号" + "工作有进展，" * (size // 6 + 1))[:size]
    data = {"lead": saved["fields"]["lead"], "body": body, "version": saved["version"]}
    data.update({f"base_{name}": text for name, text in saved["fields"].items()})
    path = reverse("drafts:item-edit", args=[saved["id"]])
    status, answer = send(client.browser, path, data, headers={"Accept": "application/json"})
    if status in (200, 409):
        reply = json.loads(answer)
        saved["fields"] = {**saved["fields"], **reply["fields"]}
        saved["version"] = reply["version"]
    return status


def add_to_full_list(client: HostileClient) -> int:
    path = reverse("drafts:item-add", args=[client.plan["part_one"], "lesson"])
    return send(client.browser, path, {"after": ""}, headers={"HX-Request": "true"})[0]


def move_in_full_list(client: HostileClient, last: int) -> int:
    path = reverse("drafts:item-move", args=[client.plan["measure"]])
    position = last if time.monotonic() % 2 < 1 else 1
    return send(client.browser, path, {"position": position}, headers={"HX-Request": "true"})[0]


def compare_big(client: HostileClient) -> int:
    plan = client.plan
    path = reverse("drafts:speech-compare", args=[plan["big"]])
    return send(client.browser, f"{path}?old={plan['old']}&new={plan['new']}")[0]


def wrong_login(client: HostileClient) -> int:
    """A wrong password for an account that is not a drafter's of this run (the demo's
    leader and admin, or a name nobody has), from a client without a session."""
    client.logins += 1
    names = ["leader", "admin", f"nobody{client.index}"]
    stranger = Browser(client.browser.base, timeout=HOSTILE_TIMEOUT)
    path = reverse("login")
    try:
        stranger.get(path)
    except OSError:
        return 0
    fields = {"username": names[client.logins % len(names)], "password": "wrong-password-0"}
    return send(stranger, path, fields)[0]


def unknown_session(client: HostileClient) -> int:
    request = urllib.request.Request(
        client.browser.base + "/healthz",
        headers={"Cookie": f"sessionid={secrets.token_hex(16)}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=HOSTILE_TIMEOUT) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


# --- The run ---------------------------------------------------------------------------------


def percentiles(latencies: list[float]) -> tuple[float, float, float]:
    if len(latencies) < 2:
        return float("nan"), float("nan"), float("nan")
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    return tuple(cuts[i] * 1000 for i in (49, 94, 98))


def session_rows(database_url: str) -> int:
    return read_rows(database_url, "SELECT COUNT(*) FROM django_session")[0][0]


def run_on(database_url: str, args: argparse.Namespace, workdir: Path) -> None:
    label = "SQLite" if database_url.startswith("sqlite") else "PostgreSQL"
    print(f"\n== {label}: {DRAFTERS} drafters + {HOSTILE} hostile clients", flush=True)
    limits = budgets.configured()
    manage("migrate", "--noinput", database_url=database_url)
    manage("load_demo", database_url=database_url)
    setup = SETUP.format(drafters=DRAFTERS + HOSTILE, reviewers=0, password=PASSWORD)
    plan = json.loads(
        manage("shell", "-c", setup, database_url=database_url).stdout.splitlines()[-1]
    )
    hostile_names = plan["drafter"][DRAFTERS:]
    extra = HOSTILE_SETUP.format(owner=hostile_names[0])
    targets = json.loads(
        manage("shell", "-c", extra, database_url=database_url).stdout.splitlines()[-1]
    )
    kinds, inputs = kinds_for(limits)
    log = workdir / f"gunicorn-hostile-{label.lower()}.log"
    with gunicorn(database_url, log, workers=args.workers) as server:
        names = plan["drafter"][:DRAFTERS] + hostile_names
        browsers = [Browser(server.url, timeout=HOSTILE_TIMEOUT) for _ in names]
        started = time.monotonic()
        log_in(browsers, names)  # before any wrong password, so no lockout touches them
        print(f"  {len(names)} logins took {time.monotonic() - started:.1f} s (not measured)")
        drafting = browsers[:DRAFTERS]
        items = plan["items"][:DRAFTERS]
        acked: dict = {}

        def drafters(tally: Tally, phase: str):
            return [
                load.drafter(browser, item, index, args.pause, tally, acked, phase)
                for index, (browser, item) in enumerate(zip(drafting, items, strict=True))
            ]

        # Not measured: the first saves meet cold workers and all start at once.
        run_clients(drafters(Tally(), "热身时"), WARM_UP_SECONDS)
        quiet = Tally()
        elapsed = run_clients(drafters(quiet, "安静时"), args.quiet)
        print(quiet.line("quiet: saves", elapsed)[0])

        loud, hostile = Tally(), HostileTally()
        clients = [
            HostileClient(browser, targets, inputs, index)
            for index, browser in enumerate(browsers[DRAFTERS:])
        ]
        sessions_before = session_rows(database_url)
        workers = drafters(loud, "受扰时") + [client.work(kinds, hostile) for client in clients]
        elapsed = run_clients(workers, args.seconds)
        sessions_after = session_rows(database_url)
        print(loud.line("hostile: saves", elapsed)[0])

    quiet_p99, hostile_p99 = percentiles(quiet.latencies)[2], percentiles(loud.latencies)[2]
    timeouts = log.read_text(errors="replace").count("WORKER TIMEOUT")
    print(f"  quiet p99 {quiet_p99:.0f} ms, hostile p99 {hostile_p99:.0f} ms, ", end="")
    print(f"ratio {hostile_p99 / quiet_p99:.2f} (aim < 3)")
    print(f"  acknowledged saves: {sum(map(len, acked.values()))}, ", end="")
    print(f"lost saves: {lost_saves(acked, database_url)}")
    print(f"  errors (5xx or no answer): drafters {quiet.errors + loud.errors}, ", end="")
    print(f"hostile {hostile.errors()}")
    print(f"  worker time-outs: {timeouts}")
    print(f"  session rows written during the hostile phase: {sessions_after - sessions_before}")
    print(f"  {'hostile input':<32} {'count':>5}  {'median':>8}  status codes")
    for kind in kinds:
        rows = hostile.results.get(kind.name, [])
        median = statistics.median(s for _, s in rows) * 1000 if rows else float("nan")
        codes = ", ".join(
            f"{code or 'none'}×{n}" for code, n in sorted(Counter(c for c, _ in rows).items())
        )
        print(f"  {kind.name:<32} {len(rows):>5}  {median:>6.0f} ms  {codes}")
    for sample in quiet.error_samples + loud.error_samples:
        print(f"  drafter error: {sample}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60, help="length of the hostile phase")
    parser.add_argument("--quiet-seconds", dest="quiet", type=float, default=30)
    parser.add_argument("--pause", type=float, default=2, help="seconds of typing between saves")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: from the CPUs)")
    parser.add_argument("--port", type=int, default=0, help="gunicorn's port (default: any free)")
    parser.add_argument(
        "--database-url", help=f"a PostgreSQL database to create, e.g. {DEFAULT_POSTGRES}"
    )
    parser.add_argument("--both", action="store_true", help="SQLite, then PostgreSQL")
    args = parser.parse_args()
    args.seconds = max(1.0, min(args.seconds, 3600))
    args.quiet = max(1.0, min(args.quiet, 600))
    if args.port:
        live.free_port = lambda: args.port  # gunicorn() binds where free_port() says
    print(f"{os.cpu_count()} CPUs; gunicorn from speechdraft/gunicorn.conf.py on 127.0.0.1")
    load.run_everywhere(run_on, args, "hostile", DEFAULT_POSTGRES)


if __name__ == "__main__":
    main()
