"""The JSON document ``speechdraft/1``: the lossless backup and exchange format.

``to_document`` and ``from_document`` are inverse: a speech read from a document and
written again gives the same document. Numbering is never in the text. A document with
an unknown or missing key, a wrong type or a wrong ``format`` is refused whole with a
message that names the key, so nothing half-read is ever written.
"""

from __future__ import annotations

import datetime
import json
import re
from typing import Any

from . import budgets as budgeting
from .budgets import Budgets
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


# The scan that measures a document before it is parsed, on its UTF-8 bytes where
# Python's byte operations run at C speed: strings are dropped (a bracket inside one is
# text), then everything but brackets and commas, and both kinds of bracket become one
# (a pair that does not match is not JSON, and nests no deeper for it).
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
_STRUCTURE = b"[]{},"
_NOT_STRUCTURE = bytes(byte for byte in range(256) if byte not in _STRUCTURE)
_ONE_BRACKET = bytes.maketrans(b"{}", b"[]")
# What no database column can hold: NUL (PostgreSQL) and lone surrogates (not UTF-8);
# in JSON text they are written as escapes (or, for surrogates, raw in a str).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
_UNSTORABLE_ESCAPE = re.compile(rb"\\u(?:0000|[dD][89a-fA-F][0-9a-fA-F]{2})")


class _TooLong(Exception):
    def __init__(self, digits: int):
        self.digits = digits


def parse_json(
    text: str,
    error: type[ValueError] = SpeechFormatError,
    budgets: Budgets | None = None,
    max_values: int | None = None,
) -> Any:
    """``json.loads`` within the budgets, with ``error`` saying in Chinese what is wrong.

    Nesting past ``json_depth`` and more than ``max_values`` values are refused before
    parsing (Python's parser recurses, and builds every value); a number past
    ``json_number_digits`` is refused unconverted; a NUL or a lone surrogate anywhere
    is refused with its place, since no database stores it.

    >>> parse_json("{")
    Traceback (most recent call last):
    ...
    drafts.speech_json.SpeechFormatError: 不是有效的 JSON（第 1 行第 2 列）。
    >>> parse_json("[" * 100_000)
    Traceback (most recent call last):
    ...
    drafts.speech_json.SpeechFormatError: JSON 的嵌套层数超过上限：最多 32 层，现有 100000 层。
    """
    budgets = budgets or budgeting.configured()
    try:
        data, unpaired = text.encode("utf-8"), False
    except UnicodeEncodeError:
        data, unpaired = text.encode("utf-8", "surrogatepass"), True
    _check_shape(data, error, budgets, max_values)

    def number(literal: str):
        digits = sum(char.isdigit() for char in literal)
        if digits > budgets.json_number_digits:
            raise _TooLong(digits)
        return float(literal) if any(char in literal for char in ".eE") else int(literal)

    def constant(name: str):
        raise error(f"不是有效的 JSON：{name} 不是 JSON 的值。")

    try:
        value = json.loads(text, parse_int=number, parse_float=number, parse_constant=constant)
    except json.JSONDecodeError as fault:
        raise error(f"不是有效的 JSON（第 {fault.lineno} 行第 {fault.colno} 列）。") from None
    except _TooLong as fault:
        limit = budgets.json_number_digits
        raise error(budgeting.over("JSON 中的数字", limit, fault.digits, "位")) from None
    # The walk is exact but slow on a large document; most hold no such escape at all.
    if unpaired or "\x00" in text or (b"\\u" in data and _UNSTORABLE_ESCAPE.search(data)):
        _check_storable(value, "", error)
    return value


def _check_shape(data: bytes, error, budgets: Budgets, max_values: int | None) -> None:
    structure = _STRING.sub(b"", data).translate(None, _NOT_STRUCTURE)
    values = structure.count(b",") + 1
    if max_values is not None and values > max_values:
        raise error(f"JSON 中的值超过上限：一篇讲话稿最多 {max_values} 个，现有 {values} 个。")
    # Each pass drops the innermost pairs, one level of nesting; a run of openers longer
    # than the budget is nested past it whatever follows.
    limit = budgets.json_depth
    brackets = structure.translate(_ONE_BRACKET, b",")
    depth = 0
    while brackets and depth <= limit and b"[" * (limit + 1) not in brackets:
        shorter = brackets.replace(b"[]", b"")
        if len(shorter) == len(brackets):
            break
        brackets, depth = shorter, depth + 1
    if not brackets and depth <= limit:
        return
    if depth + len(brackets) <= limit:
        return  # brackets that do not pair: not JSON, and the parser says where
    figure = depth + brackets.count(b"[")
    raise error(budgeting.over("JSON 的嵌套层数", limit, figure, "层"))


def _check_storable(value: Any, where: str, error) -> None:
    if isinstance(value, str):
        found = _UNSTORABLE.search(value)
        if found:
            char = found.group()
            name = "空字符 NUL" if char == "\x00" else f"不成对的代理码 U+{ord(char):04X}"
            place = f"字段 “{shown(where)}” 中" if where else ""
            raise error(f"{place}有无法保存的字符（{name}），请删去后再导入。")
    elif isinstance(value, dict):
        for key, item in value.items():
            path = f"{where}.{key}" if where else key
            _check_storable(key, path, error)
            _check_storable(item, path, error)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_storable(item, f"{where}[{index}]", error)


def shown(value: Any, width: int = 40) -> str:
    """A value from a file as a message quotes it: short, and always encodable.

    >>> shown("甲" * 50, width=4), shown(["x"]), shown("\\ud800")
    ('甲甲甲甲……', '["x"]', '?')
    """
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)[:1000]
    text = text.encode("utf-8", "replace").decode("utf-8")
    return text if len(text) <= width else text[:width] + "……"


def max_values(budgets: Budgets) -> int:
    """The most values a ``speechdraft/1`` document can hold within ``items_per_list``:
    its fields, and four lists of items of three values each, with room to spare so a
    list past the budget is named by its count, not refused as a mass of values."""
    return 100 * (64 + 4 * 3 * budgets.items_per_list)


# Where each list of items is, as a refusal names it.
LIST_NAMES = (
    ("part_one", "achievements", "第一部分 成绩"),
    ("part_one", "lessons", "第一部分 启示"),
    ("part_two", "shortcomings", "第二部分 不足"),
    ("part_two", "measures", "第二部分 整改措施"),
)


def list_errors(speech: Speech, budgets: Budgets | None = None) -> list[str]:
    """Messages for the lists of items past ``items_per_list``; counting only, so it
    is asked before anything is done item by item.

    >>> list_errors(Speech(part_one=PartOne(lessons=[InlineItem("甲")] * 51)))
    ['第一部分 启示超过上限：最多 50 条，现有 51 条。']
    """
    budgets = budgets or budgeting.configured()
    errors = []
    for part, name, label in LIST_NAMES:
        count = len(getattr(getattr(speech, part), name))
        if count > budgets.items_per_list:
            errors.append(budgeting.over(label, budgets.items_per_list, count, "条"))
    return errors


def loads(text: str, budgets: Budgets | None = None) -> Speech:
    """Parse JSON text into a speech; raise :class:`SpeechFormatError` on any fault."""
    budgets = budgets or budgeting.configured()
    return from_document(parse_json(text, SpeechFormatError, budgets, max_values(budgets)))


def from_document(document: Any) -> Speech:
    """Read a ``speechdraft/1`` dict into a :class:`Speech`.

    >>> from_document({"format": "x"})
    Traceback (most recent call last):
    ...
    drafts.speech_json.SpeechFormatError: “format” 应为 “speechdraft/1”，实际为 “x”。
    """
    # The format is checked first: a file of another kind should say so, not name a key.
    if isinstance(document, dict) and document.get("format", FORMAT) != FORMAT:
        raise SpeechFormatError(f"“format” 应为 “{FORMAT}”，实际为 “{shown(document['format'])}”。")
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
        raise error(f"不认识的字段 “{shown(prefix + str(unknown[0]))}”。")
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
