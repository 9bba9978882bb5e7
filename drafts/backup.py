"""The backup file ``speechdraft-backup/1``: one speech with everything around it.

The speech's text is the foundation's ``speechdraft/1`` document (``speech_json``),
which holds no ids, no people and no review state. The backup wraps it with what a
restore needs to give the same speech back::

    {
      "format": "speechdraft-backup/1",
      "unit": "市统计局",                      # the agency (机构), by name
      "owner": "drafter", "updated_by": "drafter",   # usernames (updated_by may be null)
      "status": "approved", "pace": 180, "target_minutes": 25,
      "created_at": "2026-12-01T08:00:00+00:00", "updated_at": "...",
      "speech": { "format": "speechdraft/1", ... },
      "item_ids": {"achievements": [uuid, ...], "lessons": [...],
                   "shortcomings": [...], "measures": [...]},   # in the items' order
      "comments": [{"anchor": "item:<uuid>", "author": "leader", "text": "...",
                    "created_at": "...", "resolved_at": null, "resolved_by": null,
                    "replies": [ same keys, "replies": [] ]}],
      "timeline": [{"action": "submit", "from_status": "draft", "to_status": "submitted",
                    "actor": "drafter", "note": "...", "created_at": "...",
                    "snapshot": {"speech": {speechdraft/1}, "item_ids": {...}}
                                or [text units] (files and versions from before
                                versions were documents) or null}],
      "revisions": [{"anchor": "opening", "label": "开场白", "fields": {...},
                     "author": "drafter", "created_at": "..."}],
      "suggestions": [{"anchor": "item:<uuid>", "field": "body", "label": "...",
                       "author": "leader" or null, "author_name": "" (a name from a
                       Word file when no user had it), "base": "...", "proposed": "...",
                       "reason": "", "source": "browser" or "word",
                       "status": "open" | "accepted" | "rejected" | "withdrawn",
                       "created_at": "...", "decided_by": null, "decided_at": null,
                       "replies": [{"author": "drafter", "text": "...", "created_at": "..."}]}]
    }

"suggestions" (issue 14) may be missing: files from before suggestions restore as they did.
A revision written by accepting a suggestion has one more key, "suggestion": the position
of that suggestion in "suggestions" (0 for the first), an accepted one on the revision's
unit, so a restored 修订稿 still credits its author; a revision without one was typed by
its author, as every revision of older files.
A comment on a passage of a field (issue 14) has one more key, "passage": {"field": "body",
"start": 12 or null, "quote": "...", "lost": false}; a comment without one is on the
whole unit, as every comment of older files.

The item ids keep comments and revisions anchored to ``item:<uuid>`` on their item after
a restore. Times are ISO 8601 with their offset. Plain data only: no database here; the
``backup_speeches`` and ``restore_speeches`` commands do the reading and writing.
"""

from __future__ import annotations

import datetime
import functools
import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from . import budgets as budgeting
from . import speech_json, structure, workflow
from .budgets import Budgets
from .speech_json import shown

FORMAT = "speechdraft-backup/1"

# The item lists of the speech, in the order the format names them.
ITEM_KINDS = ("achievements", "lessons", "shortcomings", "measures")

BACKUP_KEYS = (
    "format", "unit", "owner", "updated_by", "status", "pace", "target_minutes",
    "created_at", "updated_at", "speech", "item_ids", "comments", "timeline", "revisions",
)  # fmt: skip
COMMENT_KEYS = (
    "anchor", "author", "text", "created_at", "resolved_at", "resolved_by", "replies",
)  # fmt: skip
TRANSITION_KEYS = (
    "action", "from_status", "to_status", "actor", "note", "created_at", "snapshot",
)  # fmt: skip
REVISION_KEYS = ("anchor", "label", "fields", "author", "created_at")
PASSAGE_KEYS = ("field", "start", "quote", "lost")
# What models.Comment's columns hold: a column name, an offset (an integer column).
FIELD_NAME_CHARS = 40
LARGEST_START = 2**31 - 1
SUGGESTION_KEYS = (
    "anchor", "field", "label", "author", "author_name", "base", "proposed", "reason",
    "source", "status", "created_at", "decided_by", "decided_at", "replies",
)  # fmt: skip
REPLY_KEYS = ("author", "text", "created_at")
SUGGESTION_STATES = ("open", "accepted", "rejected", "withdrawn")
SUGGESTION_SOURCES = ("browser", "word")


class BackupFormatError(ValueError):
    """The file is not a valid ``speechdraft-backup/1`` backup; the message is for users."""


@dataclass
class CommentRecord:
    """A comment (批注) with its replies; people by username."""

    anchor: str
    author: str
    text: str
    created_at: datetime.datetime
    resolved_at: datetime.datetime | None = None
    resolved_by: str | None = None
    replies: list[CommentRecord] = field(default_factory=list)
    # Its passage (models.Comment): the column, where the words start (None when they
    # are gone: ``passage_lost``) and the words; no field: the whole unit.
    field: str = ""
    start: int | None = None
    quote: str = ""
    passage_lost: bool = False


@dataclass
class TransitionRecord:
    """One step of the review cycle, with the snapshot taken at it (submit, approve)."""

    action: str
    from_status: str
    to_status: str
    actor: str
    note: str
    created_at: datetime.datetime
    # {"speech": a speechdraft/1 dict, "item_ids": {...}}, or an old version's text units
    snapshot: dict | list[dict] | None = None


@dataclass
class RevisionRecord:
    """One save of one unit: the texts it saved; for a suggestion accepted, its position
    in ``SpeechBackup.suggestions``."""

    anchor: str
    label: str
    fields: dict
    author: str
    created_at: datetime.datetime
    suggestion: int | None = None


@dataclass
class ReplyRecord:
    """An answer to a suggestion."""

    author: str
    text: str
    created_at: datetime.datetime


@dataclass
class SuggestionRecord:
    """A suggestion (修改建议) on one field, open or decided; people by username."""

    anchor: str
    field: str
    label: str
    author: str | None
    base: str
    proposed: str
    created_at: datetime.datetime
    status: str = "open"
    author_name: str = ""
    reason: str = ""
    source: str = "browser"
    decided_by: str | None = None
    decided_at: datetime.datetime | None = None
    replies: list[ReplyRecord] = field(default_factory=list)


@dataclass
class SpeechBackup:
    """Everything a backup holds about one speech; ``speech`` items carry their ids."""

    speech: structure.Speech
    agency: str  # its name; the file's key is "unit"
    owner: str
    status: str
    created_at: datetime.datetime
    updated_at: datetime.datetime
    updated_by: str | None = None
    pace: int = 180
    target_minutes: int | None = None
    comments: list[CommentRecord] = field(default_factory=list)
    timeline: list[TransitionRecord] = field(default_factory=list)
    revisions: list[RevisionRecord] = field(default_factory=list)
    suggestions: list[SuggestionRecord] = field(default_factory=list)


def item_lists(speech: structure.Speech) -> dict[str, list]:
    """The speech's four item lists by name, in ``ITEM_KINDS`` order.

    >>> list(item_lists(structure.blank_speech()))
    ['achievements', 'lessons', 'shortcomings', 'measures']
    """
    one, two = speech.part_one, speech.part_two
    return {
        "achievements": one.achievements,
        "lessons": one.lessons,
        "shortcomings": two.shortcomings,
        "measures": two.measures,
    }


def usernames(backup: SpeechBackup) -> set[str]:
    """Every username the backup names: owner, editors, commenters, actors, authors.

    >>> now = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    >>> sorted(usernames(SpeechBackup(structure.Speech(), "局", "a", "draft", now, now)))
    ['a']
    """
    names = {backup.owner, backup.updated_by}
    for comment in backup.comments:
        for record in (comment, *comment.replies):
            names |= {record.author, record.resolved_by}
    names |= {step.actor for step in backup.timeline}
    names |= {revision.author for revision in backup.revisions}
    for suggestion in backup.suggestions:
        names |= {suggestion.author, suggestion.decided_by}
        names |= {reply.author for reply in suggestion.replies}
    return {name for name in names if name}


def to_document(backup: SpeechBackup) -> dict[str, Any]:
    """The backup as a JSON-ready dict, keys in the documented order.

    >>> now = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    >>> to_document(SpeechBackup(structure.Speech(), "局", "a", "draft", now, now))["format"]
    'speechdraft-backup/1'
    """
    return {
        "format": FORMAT,
        "unit": backup.agency,
        "owner": backup.owner,
        "updated_by": backup.updated_by,
        "status": backup.status,
        "pace": backup.pace,
        "target_minutes": backup.target_minutes,
        "created_at": backup.created_at.isoformat(),
        "updated_at": backup.updated_at.isoformat(),
        "speech": speech_json.to_document(backup.speech),
        "item_ids": {
            kind: [item.id for item in items] for kind, items in item_lists(backup.speech).items()
        },
        "comments": [_comment_document(comment) for comment in backup.comments],
        "timeline": [
            {
                "action": step.action,
                "from_status": step.from_status,
                "to_status": step.to_status,
                "actor": step.actor,
                "note": step.note,
                "created_at": step.created_at.isoformat(),
                "snapshot": step.snapshot,
            }
            for step in backup.timeline
        ],
        "revisions": [_revision_document(revision) for revision in backup.revisions],
        "suggestions": [_suggestion_document(suggestion) for suggestion in backup.suggestions],
    }


def _revision_document(revision: RevisionRecord) -> dict[str, Any]:
    document = {
        "anchor": revision.anchor,
        "label": revision.label,
        "fields": revision.fields,
        "author": revision.author,
        "created_at": revision.created_at.isoformat(),
    }
    if revision.suggestion is not None:
        document["suggestion"] = revision.suggestion
    return document


def _suggestion_document(suggestion: SuggestionRecord) -> dict[str, Any]:
    return {
        "anchor": suggestion.anchor,
        "field": suggestion.field,
        "label": suggestion.label,
        "author": suggestion.author,
        "author_name": suggestion.author_name,
        "base": suggestion.base,
        "proposed": suggestion.proposed,
        "reason": suggestion.reason,
        "source": suggestion.source,
        "status": suggestion.status,
        "created_at": suggestion.created_at.isoformat(),
        "decided_by": suggestion.decided_by,
        "decided_at": suggestion.decided_at.isoformat() if suggestion.decided_at else None,
        "replies": [
            {"author": reply.author, "text": reply.text, "created_at": reply.created_at.isoformat()}
            for reply in suggestion.replies
        ],
    }


def _comment_document(comment: CommentRecord) -> dict[str, Any]:
    document = {
        "anchor": comment.anchor,
        "author": comment.author,
        "text": comment.text,
        "created_at": comment.created_at.isoformat(),
        "resolved_at": comment.resolved_at.isoformat() if comment.resolved_at else None,
        "resolved_by": comment.resolved_by,
        "replies": [_comment_document(reply) for reply in comment.replies],
    }
    if comment.field:
        document["passage"] = {
            "field": comment.field,
            "start": comment.start,
            "quote": comment.quote,
            "lost": comment.passage_lost,
        }
    return document


def dumps(backup: SpeechBackup) -> str:
    """The backup as JSON text (UTF-8-ready, Chinese readable, one trailing newline)."""
    return json.dumps(to_document(backup), ensure_ascii=False, indent=2) + "\n"


def loads(text: str, budgets: Budgets | None = None) -> SpeechBackup:
    """Parse backup JSON text within the JSON budgets; raise :class:`BackupFormatError`.

    >>> loads("[")
    Traceback (most recent call last):
    ...
    drafts.backup.BackupFormatError: 不是有效的 JSON（第 1 行第 2 列）。
    """
    budgets = budgets or budgeting.configured()
    return from_document(speech_json.parse_json(text, BackupFormatError, budgets))


def from_document(document: Any) -> SpeechBackup:
    """Read a ``speechdraft-backup/1`` dict; the speech's items get their stored ids.

    >>> from_document({"format": "speechdraft/1"})
    Traceback (most recent call last):
    ...
    drafts.backup.BackupFormatError: “format” 应为 “speechdraft-backup/1”，实际为 “speechdraft/1”。
    """
    if isinstance(document, dict) and document.get("format") != FORMAT:
        found = shown(document.get("format"))
        raise BackupFormatError(f"“format” 应为 “{FORMAT}”，实际为 “{found}”。")
    # Files from before suggestions have no "suggestions": they restore as they did.
    newer = isinstance(document, dict) and "suggestions" in document
    keys = (*BACKUP_KEYS, "suggestions") if newer else BACKUP_KEYS
    _check_object(document, keys, "")
    try:
        speech = speech_json.from_document(document["speech"])
    except speech_json.SpeechFormatError as error:
        raise BackupFormatError(f"“speech” 有误：{error}") from None
    _attach_item_ids(speech, document["item_ids"])
    status = _text(document, "status", "")
    if status not in workflow.STATE_LABELS:
        raise BackupFormatError(f"不认识的状态 “{shown(status)}”。")
    suggestions = (
        [
            _suggestion(entry, f"suggestions[{index}].")
            for index, entry in enumerate(_list(document, "suggestions", ""))
        ]
        if newer
        else []
    )
    return SpeechBackup(
        speech=speech,
        agency=_text(document, "unit", ""),
        owner=_username(document, "owner", ""),
        updated_by=_optional_text(document, "updated_by", ""),
        status=status,
        pace=_integer(document, "pace", "", optional=False),
        target_minutes=_integer(document, "target_minutes", "", optional=True),
        created_at=_time(document, "created_at", ""),
        updated_at=_time(document, "updated_at", ""),
        comments=[
            _comment(entry, f"comments[{index}].", replies_allowed=True)
            for index, entry in enumerate(_list(document, "comments", ""))
        ],
        timeline=[
            _transition(entry, f"timeline[{index}].")
            for index, entry in enumerate(_list(document, "timeline", ""))
        ],
        revisions=[
            _revision(entry, f"revisions[{index}].", suggestions)
            for index, entry in enumerate(_list(document, "revisions", ""))
        ],
        suggestions=suggestions,
    )


def _attach_item_ids(speech: structure.Speech, item_ids: Any) -> None:
    _check_object(item_ids, ITEM_KINDS, "item_ids.")
    seen: set[str] = set()
    for kind, items in item_lists(speech).items():
        ids = _list(item_ids, kind, "item_ids.")
        if len(ids) != len(items):
            raise BackupFormatError(
                f"“item_ids.{kind}” 有 {len(ids)} 个编号，讲话稿中却有 {len(items)} 条。"
            )
        for index, (item, value) in enumerate(zip(items, ids, strict=True)):
            try:
                item.id = str(uuid.UUID(value))
            except (TypeError, ValueError, AttributeError):
                raise BackupFormatError(f"“item_ids.{kind}[{index}]” 不是有效的编号。") from None
            if item.id in seen:
                raise BackupFormatError(f"条目编号 {item.id} 出现了不止一次。")
            seen.add(item.id)


def _comment(entry: Any, where: str, *, replies_allowed: bool) -> CommentRecord:
    # Comments from before passages, and those on a whole unit, have no "passage".
    on_passage = isinstance(entry, dict) and "passage" in entry
    _check_object(entry, (*COMMENT_KEYS, "passage") if on_passage else COMMENT_KEYS, where)
    replies = _list(entry, "replies", where)
    if replies and not replies_allowed:
        raise BackupFormatError(f"“{where}replies” 回复下不能再有回复。")
    passage = _passage(entry["passage"], f"{where}passage.") if on_passage else {}
    return CommentRecord(
        anchor=_text(entry, "anchor", where),
        author=_username(entry, "author", where),
        text=_text(entry, "text", where),
        created_at=_time(entry, "created_at", where),
        resolved_at=_time(entry, "resolved_at", where) if entry["resolved_at"] else None,
        resolved_by=_optional_text(entry, "resolved_by", where),
        replies=[
            _comment(reply, f"{where}replies[{index}].", replies_allowed=False)
            for index, reply in enumerate(replies)
        ],
        **passage,
    )


def _passage(entry: Any, where: str) -> dict[str, Any]:
    """A comment's passage as ``CommentRecord`` fields."""
    _check_object(entry, PASSAGE_KEYS, where)
    start = _integer(entry, "start", where, optional=True)
    if start is not None and not 0 <= start <= LARGEST_START:
        raise BackupFormatError(f"字段 “{where}start” 应为 0 到 {LARGEST_START} 之间的整数。")
    if not isinstance(entry["lost"], bool):
        raise BackupFormatError(f"字段 “{where}lost” 应为 true 或 false。")
    field_name = _text(entry, "field", where)
    if not 0 < len(field_name) <= FIELD_NAME_CHARS:
        raise BackupFormatError(f"字段 “{where}field” 应为 1 到 {FIELD_NAME_CHARS} 个字符。")
    return {
        "field": field_name,
        "start": start,
        "quote": _text(entry, "quote", where),
        "passage_lost": entry["lost"],
    }


def _transition(entry: Any, where: str) -> TransitionRecord:
    _check_object(entry, TRANSITION_KEYS, where)
    action = _text(entry, "action", where)
    if action not in workflow.ACTIONS:
        raise BackupFormatError(f"“{where}action” 不认识的操作 “{shown(action)}”。")
    states = {}
    for key in ("from_status", "to_status"):
        states[key] = _text(entry, key, where)
        if states[key] not in workflow.STATE_LABELS:
            raise BackupFormatError(f"“{where}{key}” 不认识的状态 “{shown(states[key])}”。")
    snapshot = entry["snapshot"]
    if isinstance(snapshot, dict):
        _check_snapshot_document(snapshot, f"{where}snapshot.")
    elif snapshot is not None and not (
        isinstance(snapshot, list) and all(isinstance(unit, dict) for unit in snapshot)
    ):
        raise BackupFormatError(f"字段 “{where}snapshot” 应为对象的列表、对象或 null。")
    return TransitionRecord(
        action=action,
        actor=_username(entry, "actor", where),
        note=_text(entry, "note", where),
        created_at=_time(entry, "created_at", where),
        snapshot=snapshot,
        **states,
    )


def _check_snapshot_document(snapshot: dict, where: str) -> None:
    """A version stored as a document: a valid speech and one id per item."""
    _check_object(snapshot, ("speech", "item_ids"), where)
    try:
        speech = speech_json.from_document(snapshot["speech"])
    except speech_json.SpeechFormatError as error:
        raise BackupFormatError(f"“{where}speech” 有误：{error}") from None
    _attach_item_ids(speech, snapshot["item_ids"])


def _revision(entry: Any, where: str, suggestions: list[SuggestionRecord]) -> RevisionRecord:
    # Revisions typed by their author, and those of older files, have no "suggestion".
    accepted = isinstance(entry, dict) and "suggestion" in entry
    _check_object(entry, (*REVISION_KEYS, "suggestion") if accepted else REVISION_KEYS, where)
    if not isinstance(entry["fields"], dict):
        raise BackupFormatError(f"字段 “{where}fields” 应为 JSON 对象。")
    anchor = _text(entry, "anchor", where)
    position = _integer(entry, "suggestion", where, optional=True) if accepted else None
    if position is not None:
        _check_accepted(suggestions, position, anchor, f"{where}suggestion")
    return RevisionRecord(
        anchor=anchor,
        label=_text(entry, "label", where),
        fields=entry["fields"],
        author=_username(entry, "author", where),
        created_at=_time(entry, "created_at", where),
        suggestion=position,
    )


def _check_accepted(
    suggestions: list[SuggestionRecord], position: int, anchor: str, where: str
) -> None:
    """The suggestion a revision names: one of the file's, accepted, on the same unit
    (``Suggestion.accept`` saves its own unit), so the restore has one to link."""
    if not 0 <= position < len(suggestions):
        raise BackupFormatError(
            f"字段 “{where}” 指向第 {shown(position)} 条修改建议，"
            f"但 “suggestions” 中只有 {len(suggestions)} 条（从 0 数起）。"
        )
    named = suggestions[position]
    if named.status != "accepted":
        state = named.status
        raise BackupFormatError(
            f"字段 “{where}” 指向的 “suggestions[{position}]” 未被接受（状态为 “{state}”）。"
        )
    if named.anchor != anchor:
        raise BackupFormatError(
            f"字段 “{where}” 指向的 “suggestions[{position}]” 在 “{shown(named.anchor)}”，"
            f"不在这条修改记录的位置 “{shown(anchor)}”。"
        )


def _suggestion(entry: Any, where: str) -> SuggestionRecord:
    _check_object(entry, SUGGESTION_KEYS, where)
    status, source = _text(entry, "status", where), _text(entry, "source", where)
    if status not in SUGGESTION_STATES:
        raise BackupFormatError(f"“{where}status” 不认识的建议状态 “{shown(status)}”。")
    if source not in SUGGESTION_SOURCES:
        raise BackupFormatError(f"“{where}source” 不认识的建议来源 “{shown(source)}”。")
    replies = []
    for index, reply in enumerate(_list(entry, "replies", where)):
        at = f"{where}replies[{index}]."
        _check_object(reply, REPLY_KEYS, at)
        replies.append(
            ReplyRecord(
                author=_username(reply, "author", at),
                text=_text(reply, "text", at),
                created_at=_time(reply, "created_at", at),
            )
        )
    return SuggestionRecord(
        anchor=_text(entry, "anchor", where),
        field=_text(entry, "field", where),
        label=_text(entry, "label", where),
        author=_optional_text(entry, "author", where),
        author_name=_text(entry, "author_name", where),
        base=_text(entry, "base", where),
        proposed=_text(entry, "proposed", where),
        reason=_text(entry, "reason", where),
        source=source,
        status=status,
        created_at=_time(entry, "created_at", where),
        decided_by=_optional_text(entry, "decided_by", where),
        decided_at=_time(entry, "decided_at", where) if entry["decided_at"] else None,
        replies=replies,
    )


# The checks of the speechdraft/1 reader, raising this format's error.
_check_object = functools.partial(speech_json.check_object, error=BackupFormatError)
_text = functools.partial(speech_json.text_field, error=BackupFormatError)


def _optional_text(container: dict, key: str, where: str) -> str | None:
    return None if container[key] is None else _text(container, key, where)


def _username(container: dict, key: str, where: str) -> str:
    """A person the record cannot be without (an owner, an author): a non-empty name."""
    name = _text(container, key, where)
    if not name.strip():
        raise BackupFormatError(f"字段 “{where}{key}” 应为用户名，不能为空。")
    return name


def _integer(container: dict, key: str, where: str, *, optional: bool) -> int | None:
    value = container[key]
    if value is None and optional:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise BackupFormatError(f"字段 “{where}{key}” 应为整数。")
    return value


def _list(container: dict, key: str, where: str) -> list:
    value = container[key]
    if not isinstance(value, list):
        raise BackupFormatError(f"字段 “{where}{key}” 应为列表。")
    return value


def _time(container: dict, key: str, where: str) -> datetime.datetime:
    value = container[key]
    try:
        moment = datetime.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        moment = None
    if moment is None or moment.tzinfo is None:
        raise BackupFormatError(f"字段 “{where}{key}” 应为带时区的 ISO 8601 时间。")
    return moment
