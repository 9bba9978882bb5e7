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


def loads(text: str) -> Speech:
    """Parse JSON text into a speech; raise :class:`SpeechFormatError` on any fault."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise SpeechFormatError(
            f"文件不是有效的 JSON（第 {error.lineno} 行第 {error.colno} 列）。"
        ) from None
    return from_document(document)


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
    _check_object(document, SPEECH_KEYS, "")
    one = document["part_one"]
    two = document["part_two"]
    _check_object(one, PART_ONE_KEYS, "part_one.")
    _check_object(two, PART_TWO_KEYS, "part_two.")
    return Speech(
        title=_text(document, "title", ""),
        occasion=_text(document, "occasion", ""),
        organization=_text(document, "organization", ""),
        speaker=_text(document, "speaker", ""),
        date=_date(document.get("date")),
        salutation=_text(document, "salutation", ""),
        opening=_text(document, "opening", ""),
        part_one=PartOne(
            heading=_text(one, "heading", "part_one."),
            intro=_text(one, "intro", "part_one."),
            achievements=_lead_items(one, "achievements", "part_one."),
            lessons_intro=_text(one, "lessons_intro", "part_one."),
            lessons=_inline_items(one, "lessons", "part_one."),
        ),
        part_two=PartTwo(
            heading=_text(two, "heading", "part_two."),
            shortcomings_intro=_text(two, "shortcomings_intro", "part_two."),
            shortcomings=_inline_items(two, "shortcomings", "part_two."),
            transition=_text(two, "transition", "part_two."),
            measures=_lead_items(two, "measures", "part_two."),
        ),
        closing=_text(document, "closing", ""),
    )


def _check_object(value: Any, keys: tuple[str, ...], prefix: str) -> None:
    if not isinstance(value, dict):
        where = f"“{prefix.rstrip('.')}”" if prefix else "文件内容"
        raise SpeechFormatError(f"{where} 应为 JSON 对象。")
    unknown = [key for key in value if key not in keys]
    if unknown:
        raise SpeechFormatError(f"不认识的字段 “{prefix}{unknown[0]}”。")
    missing = [key for key in keys if key not in value]
    if missing:
        raise SpeechFormatError(f"缺少字段 “{prefix}{missing[0]}”。")


def _text(container: dict, key: str, prefix: str) -> str:
    value = container[key]
    if not isinstance(value, str):
        raise SpeechFormatError(f"字段 “{prefix}{key}” 应为文字（字符串）。")
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
        _check_object(entry, LEAD_ITEM_KEYS, where)
        items.append(LeadItem(lead=_text(entry, "lead", where), body=_text(entry, "body", where)))
    return items


def _inline_items(container: dict, key: str, prefix: str) -> list[InlineItem]:
    items = []
    for index, entry in enumerate(_list(container, key, prefix)):
        if not isinstance(entry, str):
            raise SpeechFormatError(f"字段 “{prefix}{key}[{index}]” 应为文字（字符串）。")
        items.append(InlineItem(text=entry))
    return items
