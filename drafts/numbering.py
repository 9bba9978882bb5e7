"""Chinese numbering generated from position: 一、, （一）, 一是.

Numbers are never stored or typed by the user. A part's label comes from its position;
an item's from :func:`list_numbers`, the one rule every page and export follows: the
items of a list that have text are numbered 1, 2, … in order, and an empty item takes
no number. So what the editor shows is what is read out and printed: fill only the third
of three blank achievements and it is （一） everywhere.

The other direction lives here too: :func:`opening_label` reads a label typed at the
start of a text (by the importer, and by :func:`strip_typed_number` on every save).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

import cn2an

# The labels an item shows, by the kind of item (``models.Item.Kind``).
ACHIEVEMENT = "achievement"
# What an empty item shows instead of a number, everywhere it is named.
UNNUMBERED = "（未填写，不编号）"


@functools.cache  # cn2an takes ~0.1 ms a call; a speech numbers the same few again and again
def chinese_numeral(number: int) -> str:
    """Return the Chinese numeral for a positive integer.

    >>> chinese_numeral(11), chinese_numeral(20)
    ('十一', '二十')
    """
    if number < 1:
        raise ValueError(f"numbering starts at 1, got {number}")
    # cn2an writes 10-19 as 十…, the form used in speeches (not 一十一).
    return cn2an.an2cn(number)


def heading_label(number: int) -> str:
    """Level-1 heading label: ``heading_label(2) == "二、"``."""
    return f"{chinese_numeral(number)}、"


def achievement_label(number: int) -> str:
    """Achievement item label: ``achievement_label(11) == "（十一）"``."""
    return f"（{chinese_numeral(number)}）"


def ordinal_label(number: int) -> str:
    """Lesson, shortcoming and measure label: ``ordinal_label(12) == "十二是"``."""
    return f"{chinese_numeral(number)}是"


# --- The numbering rule for items


def list_numbers(filled: Iterable[bool]) -> list[int | None]:
    """The number of each item of one list, given which items have text.

    Items with text are numbered from 1 in their order; an empty item gets None: it is
    left out of the preview and the exports, so it must not use up a number on screen.

    >>> list_numbers([False, False, True])
    [None, None, 1]
    >>> list_numbers([True, False, True])
    [1, None, 2]
    """
    numbers: list[int | None] = []
    count = 0
    for has_text in filled:
        if has_text:
            count += 1
            numbers.append(count)
        else:
            numbers.append(None)
    return numbers


def item_label(kind: str, number: int | None) -> str:
    """The label of an item of ``kind`` numbered ``number`` (None: an empty item).

    >>> item_label("achievement", 2), item_label("measure", 2), item_label("lesson", None)
    ('（二）', '二是', '（未填写，不编号）')
    """
    if number is None:
        return UNNUMBERED
    return achievement_label(number) if kind == ACHIEVEMENT else ordinal_label(number)


def list_labels(kind: str, filled: Iterable[bool]) -> list[str]:
    """The labels of one list of items of ``kind``, given which items have text.

    >>> list_labels("achievement", [False, False, True])
    ['（未填写，不编号）', '（未填写，不编号）', '（一）']
    """
    return [item_label(kind, number) for number in list_numbers(filled)]


# --- Labels typed at the start of a text

NUMERAL = "一二三四五六七八九十百零〇两"
HEADING = "heading"  # 一、 (also 一．)
BRACKETED = "bracketed"  # （一）, (一)
ORDINAL = "ordinal"  # 一是
_LABELS = (
    (HEADING, re.compile(rf"^(?P<label>(?P<number>[{NUMERAL}]+)[、．])\s*(?P<rest>.*)$", re.S)),
    (
        BRACKETED,
        re.compile(rf"^(?P<label>[（(]\s*(?P<number>[{NUMERAL}]+)\s*[）)])\s*(?P<rest>.*)$", re.S),
    ),
    (ORDINAL, re.compile(rf"^(?P<label>(?P<number>[{NUMERAL}]+)是)(?P<rest>.*)$", re.S)),
)
# Openings that only look like labels: 一、二季度 (a list of numerals, the next one
# right after the 、) and the saying 一是一，二是二.
_NUMERAL_RUN = re.compile(rf"[{NUMERAL}]+")
_SAYING = re.compile(rf"^(?P<a>[{NUMERAL}]+)是(?P=a)[，,、；;\s]*(?P<b>[{NUMERAL}]+)是(?P=b)")


@dataclass(frozen=True)
class TypedLabel:
    """A number label found at the start of a text: its style, value, the label as
    typed (``"（一）"``) and the text after it."""

    style: str
    number: int
    label: str
    rest: str


# The longest numeral read as a number: 16 digits, the most cn2an writes back
# (九九九九九九九九 is a label; a longer run is words). cn2an takes time quadratic in the
# length of what it reads, so a line of 100,000 九 must not reach it.
LONGEST_NUMERAL = 16


@functools.lru_cache(maxsize=256)
def chinese_number(numeral: str) -> int | None:
    """The value of a Chinese numeral, or None: ``chinese_number("十一") == 11``.

    >>> chinese_number("九" * 16) == 10**16 - 1, chinese_number("九" * 17)
    (True, None)
    """
    if len(numeral) > LONGEST_NUMERAL:
        return None
    try:
        value = cn2an.cn2an(numeral.replace("两", "二"), "smart")
    except (ValueError, KeyError, TypeError, IndexError):
        return None
    return int(value) if value == int(value) else None


def opening_label(text: str) -> TypedLabel | None:
    """The number label ``text`` opens with, or None when it opens with words.

    A label's numeral must be a number from 1 (十十是, 零、 are words), and openings
    that only look like labels are words too: 一、二季度, 一是一，二是二.

    >>> opening_label("（三） 要加强。")
    TypedLabel(style='bracketed', number=3, label='（三）', rest='要加强。')
    >>> opening_label("一、二季度任务完成") is None, opening_label("十分重要") is None
    (True, True)
    """
    for style, pattern in _LABELS:
        match = pattern.match(text)
        if match is None:
            continue
        number = chinese_number(match["number"]) or 0
        if number < 1 or _looks_like_words(style, number, text, match["rest"]):
            return None
        return TypedLabel(style, number, match["label"], match["rest"])
    return None


def _looks_like_words(style: str, number: int, text: str, rest: str) -> bool:
    if style == ORDINAL:
        return _SAYING.match(text) is not None
    if style == HEADING:
        following = _NUMERAL_RUN.match(rest)
        return following is not None and chinese_number(following.group()) == number + 1
    return False


# Where a drafter types, and the label styles that would double the generated number
# there. A heading is never numbered 一是, so a heading opening with 一是 is words.
HEADING_TEXT = "heading"  # a part's heading, labelled 一、
LEAD_TEXT = "lead"  # an achievement's or a measure's lead, labelled （一） / 一是
ITEM_TEXT = "item"  # a lesson or a shortcoming, labelled 一是
TYPED_STYLES = {
    HEADING_TEXT: (HEADING, BRACKETED),
    LEAD_TEXT: (BRACKETED, ORDINAL, HEADING),
    ITEM_TEXT: (ORDINAL, BRACKETED, HEADING),
}
TYPED_NUMBER_NOTE = "已去掉手工输入的编号“{label}”，编号由系统生成"


def strip_typed_number(text: str, where: str) -> tuple[str, str | None]:
    """``text`` without the number label typed at its start, and that label (or None).

    ``where`` is ``HEADING_TEXT``, ``LEAD_TEXT`` or ``ITEM_TEXT``. The app numbers
    every heading and item itself, so a typed 一、 or （一） would be printed twice
    (一、一、). Only one label is removed, and only at the very start; numbers inside
    the text, and words that look like numbers, stay.

    >>> strip_typed_number("（一）在学习上发力。", LEAD_TEXT)
    ('在学习上发力。', '（一）')
    >>> strip_typed_number("一是一，二是二，不含糊", ITEM_TEXT)
    ('一是一，二是二，不含糊', None)
    """
    found = opening_label(text)
    if found is None or found.style not in TYPED_STYLES[where]:
        return text, None
    return found.rest, found.label.strip()


def typed_number_note(label: str) -> str:
    """The note a save shows when it removed a typed number.

    >>> typed_number_note("（一）")
    '已去掉手工输入的编号“（一）”，编号由系统生成'
    """
    return TYPED_NUMBER_NOTE.format(label=label)
