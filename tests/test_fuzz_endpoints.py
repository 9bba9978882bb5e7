"""Hostile values into every POST endpoint of the app: never a 5xx, never an exception
out of the view, and a save that is accepted stores the text as sent (normalised as a
save normalises it: stripped, line breaks as "\\n", a typed number removed).

A form field cannot carry a lone surrogate over HTTP, but its bytes can be anything:
the bodies here are built by hand, urlencoded or multipart, and a value drawn as bytes
goes onto the wire as it is (invalid UTF-8 included), as a hostile client would send it.
Django reads such bytes as U+FFFD, which is what a save must then store.
"""

from __future__ import annotations

import copy
import re
import urllib.parse
import uuid
from html import unescape

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from hypothesis import example, given
from hypothesis import strategies as st

from drafts import speech_json
from drafts.access import DRAFTER_GROUP, REVIEWER_GROUP
from drafts.models import Comment, Item, Part, Revision, Snapshot, Speech, Suggestion
from drafts.numbering import HEADING_TEXT, ITEM_TEXT, LEAD_TEXT, strip_typed_number
from tests.factories import make_speech, make_user
from tests.test_fuzz_imports import (
    FUZZ_DB,
    GIANT,
    Raw,
    W,
    budget,
    document_xml,
    docx,
    hostile_characters,
    hostile_docx,
    hostile_line,
    hostile_speech_json,
    hostile_speech_text,
    hostile_txt,
    just_over,
    speech_document,
    stored_document,
    to_json,
    undone,
    utf8,
    within,
)

# --- What goes on the wire -----------------------------------------------------------------

INVALID_UTF8 = [b"\xff", b"\xed\xa0\x80", b"\xc0\x80", b"\x80", b"\xe4\xb8", b"\xf4\x90\x80\x80"]
HUGE = ["9" * 30, str(2**31), str(2**63), "-" + "9" * 30, "1e999", "0", "-1", "²", "١٢", "１２"]
HUGE += ["9" * 5000, "1.5", " 1", "NaN", "0x10", "", "\x00"]


def texts() -> st.SearchStrategy[str]:
    """Text a browser could send (no lone surrogate: it cannot be encoded)."""
    return st.one_of(
        hostile_line(),
        st.text(hostile_characters(surrogates=False), max_size=60),
        st.sampled_from(just_over(budget().field_chars)).map(lambda n: "甲" * n),
        st.sampled_from(["前\x00后", "\x00", "\u202e倒序\u202c", "<script>alert(1)</script>"]),
    )


def wire_values() -> st.SearchStrategy[str | bytes]:
    """A field's value: text, or raw bytes with invalid UTF-8 in them."""
    raw = st.builds(
        lambda text, junk, at: utf8(text)[:at] + junk + utf8(text)[at:],
        texts(),
        st.sampled_from(INVALID_UTF8),
        st.integers(0, 40),
    )
    return st.one_of(texts(), texts(), raw, st.sampled_from(HUGE))


def numbers() -> st.SearchStrategy[str]:
    """What goes where a number (an id, a version, a position, a pace) is expected."""
    return st.one_of(st.sampled_from(HUGE), st.integers(-(2**70), 2**70).map(str), texts())


def received(value: str | bytes) -> str:
    """What Django reads from a value sent as ``value``."""
    return value.decode("utf-8", errors="replace") if isinstance(value, bytes) else value


def quoted(value: str | bytes) -> str:
    return urllib.parse.quote_from_bytes(value if isinstance(value, bytes) else utf8(value))


def urlencoded(fields: dict) -> bytes:
    return "&".join(f"{quoted(name)}={quoted(value)}" for name, value in fields.items()).encode()


BOUNDARY = "fuzz-boundary-7f3a"


def multipart(fields: dict, files: dict[str, tuple[str, bytes]]) -> bytes:
    """A multipart body; values and file contents go in as raw bytes."""
    body = b""
    for name, value in fields.items():
        body += f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
        body += (value if isinstance(value, bytes) else utf8(value)) + b"\r\n"
    for name, (filename, data) in files.items():
        body += (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
        ).encode()
        body += data + b"\r\n"
    return body + f"--{BOUNDARY}--\r\n".encode()


HEADERS = st.sampled_from(
    [
        {"HTTP_ACCEPT": "application/json"},  # the editor's save protocol
        {"HTTP_HX_REQUEST": "true"},  # htmx
        {},  # a plain form post, no JavaScript
    ]
)


def post(client: Client, url: str, fields: dict, headers: dict, files=None):
    """POST a hand-built body, within the time limit; the response (never an exception)."""
    if files:
        body, kind = multipart(fields, files), f"multipart/form-data; boundary={BOUNDARY}"
    else:
        body, kind = urlencoded(fields), "application/x-www-form-urlencoded"
    with within():
        response = client.generic("POST", url, body, content_type=kind, **headers)
    if response.status_code >= 500:
        # The traceback's last line, for the report (the client keeps the exception).
        error = getattr(response, "exc_info", None)
        fault = f"{error[0].__name__}: {str(error[1])[:200]}" if error else ""
        raise AssertionError(f"{url}: {response.status_code} {fault}")
    return response


# --- The world every example starts from --------------------------------------------------


@pytest.fixture
def world(db):
    drafter = make_user("fuzz_drafter", role=DRAFTER_GROUP)
    leader = make_user("fuzz_leader", role=REVIEWER_GROUP)
    speech = make_speech(owner=drafter)
    gone = make_speech(owner=drafter, title="回收站里的讲话稿")
    gone.move_to_trash(drafter)
    lesson = Item.objects.get(part__speech=speech, kind="lesson", position=3)
    deleted = lesson.pk
    lesson.remove(drafter)
    comment = Comment.objects.create(speech=speech, anchor="opening", author=leader, text="批注")
    Revision.objects.create(
        speech=speech,
        anchor="opening",
        label="开头",
        fields={"opening": "旧的开头"},
        author=drafter,
    )
    opening = Speech.objects.get(pk=speech.pk).opening
    suggestion = Suggestion.propose(
        speech.pk, "opening", "opening", base=opening, proposed=opening + "补一句。", user=leader
    )
    clients = {}
    for name, user in (("drafter", drafter), ("leader", leader)):
        clients[name] = Client(raise_request_exception=False)
        clients[name].force_login(user)
    clients["anonymous"] = Client(raise_request_exception=False)
    return {
        "clients": clients,
        "drafter": drafter,
        "speech": speech,
        "gone": gone,
        "deleted": deleted,
        "comment": comment,
        "revision": Revision.objects.get(speech=speech),
        "suggestion": suggestion,
        "leader": leader,
        "part": Part.objects.get(speech=speech, kind="shortcomings"),
        "achievement": Item.objects.get(part__speech=speech, kind="achievement", position=1),
        "lesson": Item.objects.get(part__speech=speech, kind="lesson", position=1),
    }


SENTINEL = 918_273_645


def path_for(name: str, pk, *rest) -> str:
    """The URL of ``name`` for ``pk``, a number past what the URL patterns reverse
    included (a client may type any digits): built on a plain id, then swapped in."""
    if isinstance(pk, int):
        return reverse(name, args=[SENTINEL, *rest]).replace(str(SENTINEL), str(pk), 1)
    return reverse(name, args=[pk, *rest])


def ids(real) -> st.SearchStrategy:
    """A URL id: the real one, or one no row has (a 30-digit one included)."""
    if isinstance(real, uuid.UUID):
        return st.one_of(st.just(real), st.just(uuid.UUID(int=0)), st.uuids())
    return st.one_of(st.just(real), st.sampled_from([0, 2**31, 2**63, 10**30, 10**100]))


# --- Saves of a unit: accepted means stored as sent ------------------------------------------


def stripped(text: str) -> str:
    # The form strips the text; Speech.save_unit stores line breaks as "\n".
    return text.strip().replace("\r\n", "\n").replace("\r", "\n")


def header_title(text: str) -> str:
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def numbered(where: str):
    return lambda text: strip_typed_number(stripped(text), where)[0]


@st.composite
def unit_saves(draw, world):
    """(url, fields, {column: expected stored text}, reader of the stored columns)."""
    speech, part = world["speech"], world["part"]
    kind = draw(st.sampled_from(["header", "text", "part", "achievement", "lesson"]))
    fresh = draw(st.booleans())  # the right version and bases, so the save can land

    def version(current: int):
        return str(current) if fresh else draw(numbers())

    if kind == "header":
        stored = Speech.objects.get(pk=speech.pk)
        title = draw(wire_values())
        fields = {
            "title": title,
            "occasion": draw(wire_values()),
            "organization": "单位",
            "speaker": draw(wire_values()),
            "date": draw(st.sampled_from(["", "2026-02-30", "99999-01-01", "2026-1-1"]) | texts()),
            "salutation": "同志们：",
            "pace": draw(st.sampled_from(["180"]) | numbers()),
            "target_minutes": draw(st.sampled_from([""]) | numbers()),
            "version": version(stored.version),
        }
        if fresh:
            fields.update({f"base_{name}": str(getattr(stored, name) or "") for name in fields})
        url = path_for("drafts:speech-header-edit", draw(ids(speech.pk)))
        expected = {"title": header_title(received(title))}
        return url, fields, expected, lambda: {"title": Speech.objects.get(pk=speech.pk).title}
    if kind == "text":
        name = draw(st.sampled_from(["opening", "closing", "title", "\x00", "9" * 30]))
        stored = Speech.objects.get(pk=speech.pk)
        text = draw(wire_values())
        fields = {"text": text, "version": version(getattr(stored, f"{name}_version", 1))}
        if fresh and name in ("opening", "closing"):
            fields["base_text"] = getattr(stored, name)
        url = path_for("drafts:speech-text-edit", draw(ids(speech.pk)), name)
        column = name if name in ("opening", "closing") else "opening"
        reader = lambda: {column: getattr(Speech.objects.get(pk=speech.pk), column)}  # noqa: E731
        return url, fields, {column: stripped(received(text))}, reader
    if kind == "part":
        name = draw(st.sampled_from(["heading", "transition", "shortcomings_intro", "nonsense"]))
        stored = Part.objects.get(pk=part.pk)
        text = draw(wire_values())
        fields = {"text": text, "version": version(stored.version)}
        if fresh and name in stored.text_fields():
            fields["base_text"] = getattr(stored, name)
        url = path_for("drafts:part-text-edit", draw(ids(part.pk)), name)
        column = name if name != "nonsense" else "heading"
        normalise = numbered(HEADING_TEXT) if name == "heading" else stripped
        reader = lambda: {column: getattr(Part.objects.get(pk=part.pk), column)}  # noqa: E731
        return url, fields, {column: normalise(received(text))}, reader
    item = Item.objects.get(pk=world[kind].pk)
    fields = {"body": draw(wire_values()), "version": version(item.version)}
    expected = {}
    if item.has_lead:
        fields["lead"] = draw(wire_values())
        expected["lead"] = numbered(LEAD_TEXT)(received(fields["lead"]))
        expected["body"] = stripped(received(fields["body"]))
    else:
        expected["body"] = numbered(ITEM_TEXT)(received(fields["body"]))
    if fresh:
        fields.update({f"base_{name}": getattr(item, name) for name in item.text_fields()})
    url = path_for("drafts:item-edit", draw(ids(item.pk)))
    reader = lambda: {name: getattr(Item.objects.get(pk=item.pk), name) for name in expected}  # noqa: E731
    return url, fields, expected, reader


@pytest.mark.django_db
def test_a_unit_save_of_any_value_is_stored_as_sent_or_refused(world):
    @FUZZ_DB
    @given(save=unit_saves(world), headers=HEADERS)
    @example(
        save=(
            reverse("drafts:speech-text-edit", args=[world["speech"].pk, "opening"]),
            {"text": "甲", "version": "9" * 30},
            {},
            dict,
        ),
        headers={"HTTP_ACCEPT": "application/json"},
    )
    @example(
        save=(
            reverse("drafts:part-text-edit", args=[world["part"].pk, "heading"]),
            {"text": "甲" * 201, "version": "1", "base_text": world["part"].heading},
            {},
            dict,
        ),
        headers={"HTTP_ACCEPT": "application/json"},
    )
    def save(save, headers):
        url, fields, expected, reader = save
        cache.clear()
        with undone():
            response = post(world["clients"]["drafter"], url, fields, headers)
            accepted = response.status_code == 302 or (
                response.status_code == 200 and response.get("Content-Type") == "application/json"
            )
            if accepted and expected:
                assert reader() == expected

    save()


# --- Every other form -----------------------------------------------------------------------


@st.composite
def proof_posts(draw, world, endpoint=None):
    """(url, fields) of the editing page's proofreading endpoints (issue 15): a field's
    address and its text as typed, or a finding's key to ignore."""
    speech = world["speech"]
    endpoint = endpoint or draw(st.sampled_from(["proof-check", "proof-ignore"]))
    addresses = [
        "opening/opening",
        "header/title",
        "part_one.heading/heading",
        f"item:{world['achievement'].pk}/lead",
        f"item:{world['lesson'].pk}/text",
        f"item:{world['deleted']}/text",
        "item:" + "f" * 40 + "/lead",
    ]
    address = draw(st.sampled_from(addresses) | texts())
    if endpoint == "proof-check":
        url = path_for("drafts:speech-proof-check", draw(ids(speech.pk)))
        return url, {"address": address, "text": draw(wire_values())}
    url = path_for("drafts:speech-proof-ignore", draw(ids(speech.pk)))
    code = draw(st.sampled_from(["halfwidth-punctuation", "placeholder", "x"]) | texts())
    number = draw(st.sampled_from(["1", "0", "2"]) | numbers())
    key = f"{code}|{address}|{received(draw(wire_values()))}|{number}"
    fields = {"key": draw(st.just(key) | wire_values())}
    if draw(st.booleans()):
        fields["undo"] = draw(st.sampled_from(["1", "on", ""]) | texts())
    return url, fields


@pytest.mark.django_db
def test_the_proofreading_endpoints_answer_any_value_without_a_5xx(world):
    @FUZZ_DB
    @given(request=proof_posts(world), headers=HEADERS)
    def send(request, headers):
        url, fields = request
        cache.clear()
        with undone():
            response = post(world["clients"]["drafter"], url, fields, headers)
            if response.get("Content-Type") == "application/json":
                answer = response.json()
                assert answer["status"] in ("checked", "ignored", "restored", "invalid", "gone")
                assert answer["status"] not in ("invalid", "gone") or answer["message"]
            if response.status_code == 200 and url.endswith("/check/"):
                text = received(fields["text"]).replace("\r\n", "\n").replace("\r", "\n")
                as_js = text.encode("utf-16-le")
                for finding in response.json()["findings"]:
                    span = as_js[finding["start"] * 2 : finding["end"] * 2].decode("utf-16-le")
                    assert span == finding["text"]

    send()


def item_kinds():
    return st.sampled_from(["achievement", "lesson", "shortcoming", "measure", "x", GIANT])


@st.composite
def other_posts(draw, world, endpoint=None):
    """(persona, url, fields, files) of one of the app's other POST endpoints (of
    ``endpoint`` when given)."""
    speech, part = world["speech"], world["part"]
    item = draw(st.sampled_from([world["achievement"], world["lesson"]]))
    endpoint = endpoint or draw(
        st.sampled_from(
            [
                "create", "delete", "item-add", "item-move", "item-delete", "item-restore",
                "speech-restore", "comment", "reply", "resolve", "action", "revision",
                "presence", "login", "password", "logout", "import", "import-create",
                "suggest", "suggestion-accept", "suggestion-reject", "suggestion-withdraw",
                "suggestion-reply", "suggestion-accept-all",
                "proof-check", "proof-ignore",
            ]
        )
    )  # fmt: skip
    persona = draw(st.sampled_from(["drafter", "drafter", "leader", "anonymous"]))
    files = None
    if endpoint == "create":
        url = reverse("drafts:speech-create")
        fields = {
            "title": draw(wire_values()),
            "start": draw(st.sampled_from(["blank", "copy"]) | texts()),
            "source": draw(st.sampled_from([str(speech.pk), str(world["gone"].pk)]) | numbers()),
        }
    elif endpoint == "delete":
        url = path_for("drafts:speech-delete", draw(ids(speech.pk)))
        fields = {}
    elif endpoint == "item-add":
        url = path_for("drafts:item-add", draw(ids(part.pk)), draw(item_kinds()))
        after = st.sampled_from(["", str(item.pk), str(uuid.uuid4()), "not-a-uuid"]) | texts()
        fields = {"after": draw(after), "lead": draw(wire_values()), "body": draw(wire_values())}
    elif endpoint == "item-move":
        url = path_for("drafts:item-move", draw(ids(item.pk)))
        fields = {
            "direction": draw(st.sampled_from(["", "up", "down"]) | texts()),
            "position": draw(st.sampled_from(["1", "2", "²", "0"]) | numbers()),
        }
    elif endpoint == "item-delete":
        url = path_for("drafts:item-delete", draw(ids(item.pk)))
        fields = {}
    elif endpoint == "item-restore":
        url = path_for("drafts:item-restore", draw(ids(world["deleted"])))
        fields = {}
    elif endpoint == "speech-restore":
        url = path_for("drafts:speech-restore", draw(ids(world["gone"].pk)))
        fields = {}
    elif endpoint in ("comment", "reply"):
        url = path_for("drafts:comment-add", draw(ids(speech.pk)))
        anchors = ["opening", f"item:{item.pk}", "part_one.heading", "item:" + "f" * 40, ""]
        fields = {
            "anchor": draw(st.sampled_from(anchors) | texts()),
            "text": draw(wire_values()),
            "next": draw(st.sampled_from(["", reverse("drafts:speech-edit", args=[speech.pk])])),
        }
        if draw(st.booleans()):
            # A passage (issue 14): a column, the words and where they are, any of them odd.
            columns = ["opening", "body", "lead", "heading", "title", "pace", "date", "version"]
            fields.update(
                field=draw(st.sampled_from(columns) | texts()),
                quote=draw(st.sampled_from([speech.opening[2:6], "回顾", " "]) | wire_values()),
                start=draw(st.sampled_from(["2", "0", "²", "-1"]) | numbers()),
                end=draw(st.sampled_from(["", "6"]) | numbers()),
            )
        if endpoint == "reply":
            fields["parent"] = draw(st.sampled_from([str(world["comment"].pk)]) | numbers())
    elif endpoint == "resolve":
        url = path_for("drafts:comment-resolve", draw(ids(world["comment"].pk)))
        fields = {"next": draw(texts())}
    elif endpoint == "action":
        name = draw(st.sampled_from(["submit", "return", "approve", "reopen", "nonsense"]))
        url = path_for("drafts:speech-action", draw(ids(speech.pk)), name)
        fields = {f"{name}-note": draw(wire_values())}
    elif endpoint == "revision":
        url = path_for("drafts:revision-restore", draw(ids(world["revision"].pk)))
        fields = {"version": draw(st.sampled_from(["1"]) | numbers())}
    elif endpoint == "presence":
        url = path_for("drafts:speech-presence", draw(ids(speech.pk)))
        fields = {"unit": draw(st.sampled_from(["opening", "header"]) | texts())}
        if draw(st.booleans()):
            fields["leave"] = "1"
    elif endpoint == "suggest":
        url = path_for("drafts:suggestion-add", draw(ids(speech.pk)))
        anchors = ["opening", "header", f"item:{item.pk}", "part_two.heading", "item:" + "f" * 40]
        columns = ["opening", "body", "lead", "title", "date", "pace", "heading", "version"]
        fields = {
            "anchor": draw(st.sampled_from(anchors) | texts()),
            "field": draw(st.sampled_from(columns) | texts()),
            "base": draw(
                st.sampled_from([Speech.objects.get(pk=speech.pk).opening]) | wire_values()
            ),
            "proposed": draw(wire_values()),
            "reason": draw(st.sampled_from([""]) | wire_values()),
            "next": draw(st.sampled_from(["", reverse("drafts:speech-edit", args=[speech.pk])])),
        }
    elif endpoint.startswith("suggestion-") and endpoint != "suggestion-accept-all":
        url = path_for(f"drafts:{endpoint}", draw(ids(world["suggestion"].pk)))
        fields = {"text": draw(wire_values()), "next": draw(texts())}
    elif endpoint == "suggestion-accept-all":
        url = path_for("drafts:suggestion-accept-all", draw(ids(speech.pk)))
        author = st.sampled_from([f"user:{world['leader'].pk}", "name:", "user:x", ""])
        fields = {"author": draw(author | wire_values()), "next": draw(texts())}
    elif endpoint in ("proof-check", "proof-ignore"):
        url, fields = draw(proof_posts(world, endpoint))
    elif endpoint == "login":
        persona = "anonymous"
        url = reverse("login")
        fields = {
            "username": draw(st.sampled_from(["fuzz_leader", "nobody"]) | wire_values()),
            "password": draw(wire_values()),
        }
    elif endpoint == "password":
        url = reverse("password_change")
        new = draw(st.sampled_from([" " * 10, "\u3000" * 10, "\x00" * 10]) | wire_values())
        fields = {"old_password": draw(wire_values()), "new_password1": new, "new_password2": new}
    elif endpoint == "logout":
        url, fields = reverse("logout"), {}
    elif endpoint == "import":
        url = reverse("drafts:speech-import")
        if draw(st.booleans()):
            fields = {"text": draw(hostile_speech_text() | wire_values())}
        else:
            fields = {"text": draw(st.sampled_from(["", "粘贴的文字"]))}
            upload = draw(
                st.one_of(
                    hostile_txt().map(lambda u: ("去年.txt", u[0])),
                    hostile_docx().map(lambda u: ("去年.docx", u[0])),
                    hostile_speech_json().map(lambda t: ("备份.json", utf8(t))),
                    st.binary(max_size=100).map(lambda b: ("old.doc", b)),
                )
            )
            files = {"upload": upload}
    else:
        url = reverse("drafts:speech-import-create")
        fields = {"document": draw(hostile_speech_json(surrogates=True) | wire_values())}
    return persona, url, fields, files


@pytest.mark.django_db
def test_no_form_of_the_app_answers_a_5xx_to_any_value(world):
    @FUZZ_DB
    @given(request=other_posts(world), headers=HEADERS)
    def send(request, headers):
        persona, url, fields, files = request
        client = world["clients"][persona]
        cookies = copy.deepcopy(client.cookies)  # a logout would end the persona's session
        cache.clear()
        try:
            with undone():
                post(client, url, fields, headers, files)
        finally:
            client.cookies = cookies

    send()


SUGGESTION_ENDPOINTS = [
    "suggest", "suggestion-accept", "suggestion-reject", "suggestion-withdraw",
    "suggestion-reply", "suggestion-accept-all",
]  # fmt: skip


@st.composite
def suggestion_posts(draw, world):
    """(persona, url, fields, files) of one of the suggestion endpoints (issue 14)."""
    endpoint = draw(st.sampled_from(SUGGESTION_ENDPOINTS))
    # The other endpoints' strategy, told which one to draw.
    return draw(other_posts(world, endpoint))


@pytest.mark.django_db
def test_no_suggestion_post_answers_a_5xx_to_any_value(world):
    @FUZZ_DB
    @given(request=suggestion_posts(world), headers=HEADERS)
    @example(
        request=(
            "leader",
            reverse("drafts:suggestion-add", args=[world["speech"].pk]),
            {"anchor": "header", "field": "date", "base": "", "proposed": "2026-01-01"},
            None,
        ),
        headers={"HTTP_ACCEPT": "application/json"},
    )
    @example(
        request=(
            "leader",
            reverse("drafts:suggestion-add", args=[world["speech"].pk]),
            {"anchor": "opening", "field": "opening", "base": "\x00", "proposed": "甲"},
            None,
        ),
        headers={},
    )
    def send(request, headers):
        persona, url, fields, files = request
        cache.clear()
        with undone():
            post(world["clients"][persona], url, fields, headers, files)

    send()


# --- The issue's cases, each once -----------------------------------------------------------


def issue_cases(world) -> dict:
    speech, part, item = world["speech"], world["part"], world["achievement"]
    gap = "同志们：\n开场。\n一、甲\n九九九九九九九九、乙\n"
    return {
        "import-gap-paste": (reverse("drafts:speech-import"), {"text": gap}, None),
        "import-gap-bracketed": (
            reverse("drafts:speech-import"),
            {"text": "同志们：\n开场。\n一、甲\n（一）甲。\n（九九九九九九九九）乙。\n"},
            None,
        ),
        "import-gap-ordinal": (
            reverse("drafts:speech-import"),
            {"text": "同志们：\n开场。\n一、甲\n一是甲\n九九九九九九九九是乙\n"},
            None,
        ),
        "import-gap-txt": (
            reverse("drafts:speech-import"),
            {"text": ""},
            {"upload": ("去年.txt", utf8(gap))},
        ),
        "import-gap-docx": (
            reverse("drafts:speech-import"),
            {"text": ""},
            {"upload": ("去年.docx", docx(document_xml(gap.splitlines())))},
        ),
        "import-docx-no-body": (
            reverse("drafts:speech-import"),
            {"text": ""},
            {"upload": ("去年.docx", docx(f'<w:document xmlns:w="{W}"/>'.encode()))},
        ),
        "import-deep-json": (
            reverse("drafts:speech-import"),
            {"text": ""},
            {"upload": ("备份.json", b"[" * 100_000)},
        ),
        "import-long-number-json": (
            reverse("drafts:speech-import"),
            {"text": ""},
            {
                "upload": (
                    "备份.json",
                    utf8(to_json({**speech_document(), "title": Raw("1" * 5000)}, True)),
                )
            },
        ),
        "create-surrogate": (
            reverse("drafts:speech-import-create"),
            {"document": to_json({**speech_document(), "title": "\ud800"}, True)},
            None,
        ),
        "create-nul": (
            reverse("drafts:speech-import-create"),
            {"document": to_json({**speech_document(), "opening": "前\x00后"}, True)},
            None,
        ),
        "create-deep": (reverse("drafts:speech-import-create"), {"document": "[" * 100_000}, None),
        "create-5000-digits": (
            reverse("drafts:speech-import-create"),
            {"document": '{"format": "speechdraft/1", "title": ' + "1" * 5000 + "}"},
            None,
        ),
        "create-long-heading": (
            reverse("drafts:speech-import-create"),
            {"document": to_json({**speech_document(), "occasion": "甲" * 201}, True)},
            None,
        ),
        "heading-201": (
            reverse("drafts:part-text-edit", args=[part.pk, "heading"]),
            {"text": "甲" * 201, "version": str(part.version), "base_text": part.heading},
            None,
        ),
        "after-not-a-uuid": (
            reverse("drafts:item-add", args=[item.part_id, "achievement"]),
            {"after": "not-a-uuid"},
            None,
        ),
        "position-superscript": (
            reverse("drafts:item-move", args=[item.pk]),
            {"position": "²"},
            None,
        ),
        "version-30-digits": (
            reverse("drafts:speech-text-edit", args=[speech.pk, "opening"]),
            {"text": "甲", "version": "9" * 30},
            None,
        ),
        "speech-id-30-digits": (
            path_for("drafts:speech-text-edit", 10**30, "opening"),
            {"text": "甲", "version": "1"},
            None,
        ),
        "pace-30-digits": (
            reverse("drafts:speech-header-edit", args=[speech.pk]),
            {"title": "标题", "pace": "9" * 30, "version": "1"},
            None,
        ),
        "revision-version-30-digits": (
            reverse("drafts:revision-restore", args=[world["revision"].pk]),
            {"version": "9" * 30},
            None,
        ),
        "revision-version-5000-digits": (
            reverse("drafts:revision-restore", args=[world["revision"].pk]),
            {"version": "9" * 5000},
            None,
        ),
        "comment-parent-30-digits": (
            reverse("drafts:comment-add", args=[speech.pk]),
            {"anchor": "opening", "text": "回复", "parent": "9" * 30},
            None,
        ),
        "create-source-30-digits": (
            reverse("drafts:speech-create"),
            {"title": "标题", "start": "copy", "source": "9" * 30},
            None,
        ),
        "proof-check-30-digit-id": (
            path_for("drafts:speech-proof-check", 10**30),
            {"address": "opening/opening", "text": "甲"},
            None,
        ),
        "proof-check-nul": (
            reverse("drafts:speech-proof-check", args=[speech.pk]),
            {"address": "opening/opening\x00", "text": "前\x00后"},
            None,
        ),
        "proof-check-invalid-utf8": (
            reverse("drafts:speech-proof-check", args=[speech.pk]),
            {"address": b"\xed\xa0\x80", "text": b"\xff\xfe"},
            None,
        ),
        "proof-check-giant": (
            reverse("drafts:speech-proof-check", args=[speech.pk]),
            {"address": "opening/opening", "text": "甲" * 300_000},
            None,
        ),
        "proof-ignore-giant-key": (
            reverse("drafts:speech-proof-ignore", args=[speech.pk]),
            {"key": "placeholder|opening/opening|" + "X" * 300_000 + "|1"},
            None,
        ),
        "login-long-username": (reverse("login"), {"username": "a" * 256, "password": "x"}, None),
        "login-nul": (reverse("login"), {"username": "前\x00后", "password": "x"}, None),
        "login-invalid-utf8": (
            reverse("login"),
            {"username": b"\xed\xa0\x80", "password": "x"},
            None,
        ),
    }


CASES = [
    "import-gap-paste", "import-gap-bracketed", "import-gap-ordinal", "import-gap-txt",
    "import-gap-docx", "import-docx-no-body", "import-deep-json", "import-long-number-json", "create-surrogate",
    "create-nul", "create-deep", "create-5000-digits", "create-long-heading", "heading-201",
    "after-not-a-uuid", "position-superscript", "version-30-digits", "speech-id-30-digits",
    "pace-30-digits", "revision-version-30-digits", "comment-parent-30-digits",
    "create-source-30-digits", "login-long-username", "login-nul", "login-invalid-utf8",
    "proof-check-30-digit-id", "proof-check-nul", "proof-check-invalid-utf8", "proof-check-giant",
    "proof-ignore-giant-key",
    "revision-version-5000-digits",
]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("headers", [{}, {"HTTP_ACCEPT": "application/json"}], ids=["form", "json"])
def test_the_issues_hostile_inputs_are_answered_without_a_5xx(world, case, headers):
    url, fields, files = issue_cases(world)[case]
    persona = "anonymous" if url == reverse("login") else "drafter"
    post(world["clients"][persona], url, fields, headers, files)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/speeches/" + "9" * 30 + "/", "/speeches/" + "9" * 30 + "/preview/"]
)
def test_a_30_digit_id_in_a_url_is_a_404(world, path):
    with within():
        response = world["clients"]["drafter"].get(path)
    assert response.status_code == 404


# --- An import previewed is an import that can be created, exactly as previewed -------------


def hidden_document(html: str) -> str:
    match = re.search(r'name="document" value="([^"]*)"', html)
    assert match, "a preview without the document to create"
    return unescape(match.group(1))


def imports():
    """What the import page is sent: a paste or an upload."""
    return st.one_of(
        hostile_speech_text().map(lambda text: ({"text": text}, None)),
        hostile_txt().map(lambda u: ({"text": ""}, {"upload": ("去年.txt", u[0])})),
        hostile_docx().map(lambda u: ({"text": ""}, {"upload": ("去年.docx", u[0])})),
        hostile_speech_json().map(lambda t: ({"text": ""}, {"upload": ("备份.json", utf8(t))})),
    )


@pytest.mark.django_db
def test_what_the_import_previews_is_created_exactly(world):
    client = world["clients"]["drafter"]

    @FUZZ_DB
    @given(sent=imports())
    @example(sent=({"text": "同志们：\n开场。\n" + "甲" * (budget().import_chars - 20)}, None))
    @example(
        sent=(
            {"text": ""},
            {
                "upload": (
                    "备份.json",
                    utf8(to_json({**speech_document(), "opening": "a" * 9_000_000}, True)),
                )
            },
        )
    )
    def preview_then_create(sent):
        fields, files = sent
        cache.clear()
        with undone():
            preview = post(client, reverse("drafts:speech-import"), fields, {}, files)
            if preview.status_code != 200:
                return  # refused, with the form again (status 422)
            document = hidden_document(preview.content.decode())
            created = post(
                client, reverse("drafts:speech-import-create"), {"document": document}, {}
            )
            assert created.status_code == 302, created.status_code
            speech = Speech.objects.order_by("-pk").first()
            assert stored_document(speech) == speech_json.to_document(speech_json.loads(document))

    preview_then_create()


@pytest.mark.django_db
def test_the_compare_page_shows_snapshots_taken_without_a_transition(world):
    # The model allows a snapshot without a review step; the page named its actor by
    # calling the ``person`` filter on the template's "" and answered 500.
    speech = world["speech"]
    old, new = Snapshot.take(speech), Snapshot.take(speech)
    url = reverse("drafts:speech-compare", args=[speech.pk]) + f"?old={old.pk}&new={new.pk}"
    with within():
        response = world["clients"]["drafter"].get(url)
    assert response.status_code == 200
