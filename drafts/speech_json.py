"""The JSON document ``speechdraft/1``: the lossless backup and exchange format.

``to_document`` and ``from_document`` are inverse: a speech read from a document and
written again gives the same document. Numbering is never in the text. A document with
an unknown or missing key, a wrong type or a wrong ``format`` is refused whole with a
message that names the key, so nothing half-read is ever written.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

from .structure import InlineItem, LeadItem, PartOne, PartTwo, Speech

FORMAT = "speechdraft/1"

SPEECH_KEYS = (
    "format", "title", "occasion", "organization", "speaker", "date",
    "salutation", "opening", "part_one", "part_two", "closing",
)  # fmt: skip
PART_ONE_KEYS = ("heading", "intro", "achievements", "lessons_intro", "lessons")
PART_TWO_KEYS = ("heading", "shortcomings_intro", "shortcomings", "transition", "measures")
LEAD_ITEM_KEYS = ("lead", "body")


class SpeechFormatError(ValueError):
    """The document is not a valid ``speechdraft/1`` speech; the message is for users."""


def to_document(speech: Speech) -> dict[str, Any]:
    """The speech as a JSON-ready dict (keys in the documented order)."""
    one, two = speech.part_one, speech.part_two
    return {
        "format": FORMAT,
        "title": speech.title,
        "occasion": speech.occasion,
        "organization": speech.organization,
        "speaker": speech.speaker,
        "date": speech.date.isoformat() if speech.date else None,
        "salutation": speech.salutation,
        "opening": speech.opening,
        "part_one": {
            "heading": one.heading,
            "intro": one.intro,
            "achievements": [{"lead": i.lead, "body": i.body} for i in one.achievements],
            "lessons_intro": one.lessons_intro,
            "lessons": [i.text for i in one.lessons],
        },
        "part_two": {
            "heading": two.heading,
            "shortcomings_intro": two.shortcomings_intro,
            "shortcomings": [i.text for i in two.shortcomings],
            "transition": two.transition,
            "measures": [{"lead": i.lead, "body": i.body} for i in two.measures],
        },
        "closing": speech.closing,
    }


def dumps(speech: Speech) -> str:
    """The document as UTF-8-ready JSON text, Chinese kept readable."""
    return json.dumps(to_document(speech), ensure_ascii=False, indent=2) + "\n"


def parse_json(text: str, error: type[ValueError] = SpeechFormatError) -> Any:
    """``json.loads``, with ``error`` saying in Chinese where the text stops being JSON.

    >>> parse_json("{")
    Traceback (most recent call last):
    ...
    drafts.speech_json.SpeechFormatError: 不是有效的 JSON（第 1 行第 2 列）。
    """
    try:
        return json.loads(text)
    except json.JSONDecodeError as fault:
        raise error(f"不是有效的 JSON（第 {fault.lineno} 行第 {fault.colno} 列）。") from None


def loads(text: str) -> Speech:
    """Parse JSON text into a speech; raise :class:`SpeechFormatError` on any fault."""
    return from_document(parse_json(text))


def from_document(document: Any) -> Speech:
    """Read a ``speechdraft/1`` dict into a :class:`Speech`.

    >>> from_document({"format": "x"})
    Traceback (most recent call last):
    ...
    drafts.speech_json.SpeechFormatError: “format” 应为 “speechdraft/1”，实际为 “x”。
    """
    # The format is checked first: a file of another kind should say so, not name a key.
    if isinstance(document, dict) and document.get("format", FORMAT) != FORMAT:
        raise SpeechFormatError(f"“format” 应为 “{FORMAT}”，实际为 “{document['format']}”。")
    check_object(document, SPEECH_KEYS, "")
    one = document["part_one"]
    two = document["part_two"]
    check_object(one, PART_ONE_KEYS, "part_one.")
    check_object(two, PART_TWO_KEYS, "part_two.")
    return Speech(
        title=text_field(document, "title", ""),
        occasion=text_field(document, "occasion", ""),
        organization=text_field(document, "organization", ""),
        speaker=text_field(document, "speaker", ""),
        date=_date(document.get("date")),
        salutation=text_field(document, "salutation", ""),
        opening=text_field(document, "opening", ""),
        part_one=PartOne(
            heading=text_field(one, "heading", "part_one."),
            intro=text_field(one, "intro", "part_one."),
            achievements=_lead_items(one, "achievements", "part_one."),
            lessons_intro=text_field(one, "lessons_intro", "part_one."),
            lessons=_inline_items(one, "lessons", "part_one."),
        ),
        part_two=PartTwo(
            heading=text_field(two, "heading", "part_two."),
            shortcomings_intro=text_field(two, "shortcomings_intro", "part_two."),
            shortcomings=_inline_items(two, "shortcomings", "part_two."),
            transition=text_field(two, "transition", "part_two."),
            measures=_lead_items(two, "measures", "part_two."),
        ),
        closing=text_field(document, "closing", ""),
    )


def check_object(
    value: Any, keys: tuple[str, ...], prefix: str, error: type[ValueError] = SpeechFormatError
) -> None:
    """Raise ``error`` unless ``value`` is an object with exactly ``keys``.

    Shared with the backup format (``backup.py``), which wraps this one.

    >>> check_object({"a": 1}, ("a", "b"), "part_one.")
    Traceback (most recent call last):
    ...
    drafts.speech_json.SpeechFormatError: 缺少字段 “part_one.b”。
    """
    if not isinstance(value, dict):
        where = f"“{prefix.rstrip('.')}”" if prefix else "文件内容"
        raise error(f"{where} 应为 JSON 对象。")
    unknown = [key for key in value if key not in keys]
    if unknown:
        raise error(f"不认识的字段 “{prefix}{unknown[0]}”。")
    missing = [key for key in keys if key not in value]
    if missing:
        raise error(f"缺少字段 “{prefix}{missing[0]}”。")


def text_field(
    container: dict, key: str, prefix: str, error: type[ValueError] = SpeechFormatError
) -> str:
    """``container[key]`` if it is a string, else ``error`` naming the key."""
    value = container[key]
    if not isinstance(value, str):
        raise error(f"字段 “{prefix}{key}” 应为文字（字符串）。")
    return value


def _date(value: Any) -> datetime.date | None:
    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise SpeechFormatError("字段 “date” 应为 YYYY-MM-DD 格式的日期或 null。") from None


def _list(container: dict, key: str, prefix: str) -> list:
    value = container[key]
    if not isinstance(value, list):
        raise SpeechFormatError(f"字段 “{prefix}{key}” 应为列表。")
    return value


def _lead_items(container: dict, key: str, prefix: str) -> list[LeadItem]:
    items = []
    for index, entry in enumerate(_list(container, key, prefix)):
        where = f"{prefix}{key}[{index}]."
        check_object(entry, LEAD_ITEM_KEYS, where)
        items.append(
            LeadItem(lead=text_field(entry, "lead", where), body=text_field(entry, "body", where))
        )
    return items


def _inline_items(container: dict, key: str, prefix: str) -> list[InlineItem]:
    items = []
    for index, entry in enumerate(_list(container, key, prefix)):
        if not isinstance(entry, str):
            raise SpeechFormatError(f"字段 “{prefix}{key}[{index}]” 应为文字（字符串）。")
        items.append(InlineItem(text=entry))
    return items
