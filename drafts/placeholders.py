"""Placeholders left in a draft: X for a number still to be counted, XX for a word.

A draft is not final while any remain. Tokens are whole: the x in "Excel" or "box" is
not a placeholder, the X in "第X巡回" and the xx in "强xx" are.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .structure import Speech, text_fields

# Latin X/x runs not touching other Latin letters; full-width Ｘ/ｘ runs; ×× and longer
# (a single × is a multiplication sign); 某某, ○○ (and 〇〇, ◯◯) and longer.
PLACEHOLDER = re.compile(
    r"(?<![A-Za-z])[Xx]+(?![A-Za-z])"
    r"|[Ｘｘ]+"
    r"|×{2,}"
    r"|某{2,}"
    r"|[○〇◯]{2,}"
)

CONTEXT_CHARS = 12


@dataclass(frozen=True)
class Placeholder:
    token: str
    start: int
    end: int
    context: str  # the text around it, the token marked with 【】


def find_placeholders(text: str) -> list[Placeholder]:
    """Every placeholder in ``text`` with its position and some context.

    >>> [(p.token, p.start) for p in find_placeholders("召开X次会议，用Excel统计XX项")]
    [('X', 2), ('XX', 15)]
    """
    found = []
    for match in PLACEHOLDER.finditer(text):
        before = text[max(0, match.start() - CONTEXT_CHARS) : match.start()]
        after = text[match.end() : match.end() + CONTEXT_CHARS]
        context = f"{before}【{match.group()}】{after}"
        found.append(Placeholder(match.group(), match.start(), match.end(), context))
    return found


def split_placeholders(text: str) -> Iterator[tuple[str, bool]]:
    """Cut ``text`` into (segment, is_placeholder) pieces, for highlighting.

    >>> list(split_placeholders("共X个"))
    [('共', False), ('X', True), ('个', False)]
    """
    position = 0
    for match in PLACEHOLDER.finditer(text):
        if match.start() > position:
            yield text[position : match.start()], False
        yield match.group(), True
        position = match.end()
    if position < len(text):
        yield text[position:], False


@dataclass(frozen=True)
class PlaceholderLocation:
    """A placeholder found in one field of a speech."""

    anchor: str
    label: str
    item_id: str | None
    placeholder: Placeholder


def find_in_speech(speech: Speech) -> list[PlaceholderLocation]:
    """Every placeholder of the speech, field by field in reading order.

    >>> [f.label for f in find_in_speech(Speech(opening="共X次"))]
    ['开场白']
    """
    return [
        PlaceholderLocation(field.anchor, field.label, field.item_id, placeholder)
        for field in text_fields(speech)
        for placeholder in find_placeholders(field.text)
    ]
