"""Assemble a speech into the ordered paragraphs it is read and printed as.

This is the single source for every rendering: the preview page, the plain-text and
Word exports all walk the list returned by :func:`assemble`. Numbering labels and the
joiners of the format (lessons inside one paragraph each ending in 。, shortcomings
joined by ；, the last ending in 。, followed by the transition) are added here and
nowhere else.

A stored text holds its paragraphs separated by "\n" (what ``models.plain`` makes of any
line break typed or imported); each becomes a paragraph of its own, blank ones dropped.
The title is the exception: its "\n" is the drafter's line break (回行) inside the title,
and a title line that starts with a dash ("——在…上的讲话") is the subtitle paragraph.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from .numbering import achievement_label, heading_label, ordinal_label
from .structure import InlineItem, LeadItem, Speech, item_anchor, numbered

# Paragraph roles: each maps to one paragraph style in the Word export.
TITLE = "title"
SUBTITLE = "subtitle"
SPEAKER = "speaker"
DATE = "date"
SALUTATION = "salutation"
HEADING = "heading"
ITEM = "item"  # an achievement's first paragraph, the one that opens with （一）… its lead
BODY = "body"

# Run roles inside a paragraph.
TEXT = "text"
LEAD = "lead"

# Sections, for lengths per part.
HEADER = "header"
OPENING = "opening"
PART_ONE = "part_one"
PART_TWO = "part_two"
CLOSING = "closing"

SENTENCE_END = "。！？!?…"
# A lead sentence may already end in one of these; otherwise 。 is added.
LEAD_END = SENTENCE_END + "：:；;"
CLOSING_MARKS = "”’」』）)》〉"
# Trailing punctuation that the joiners replace.
JOINER_PUNCTUATION = "。；;，,、 \t\u3000"
# A title line that starts with one of these is the subtitle (——在…上的讲话).
SUBTITLE_DASHES = ("—", "--", "－－")
PARAGRAPH_BREAK = "\n"


@dataclass(frozen=True)
class Run:
    text: str
    role: str = TEXT


@dataclass(frozen=True)
class Paragraph:
    """One paragraph: its role, its runs, and where in the speech it comes from.

    ``anchor`` names the field (``"opening"``, ``"part_one.achievements.2"``);
    ``item_id`` is the stable id of the item for item paragraphs, when known.
    ``sources`` are the stable addresses of the editable units the paragraph is made
    of (see ``structure.TextField.anchor``): the lessons paragraph has its lead-in and
    every lesson. ``index`` counts the paragraphs one text makes (0 for the first):
    the ones after the first share its anchor, item id and sources.

    ``parts``: when the paragraph holds several fields (the lessons' and the
    shortcomings' paragraphs), the pieces its text is laid out from, in order, as
    (name, length): a source's address for its text, the address with ``#label`` or
    ``#joiner`` for the numbering and punctuation the layout puts round an item. A
    comparison pairs the pieces by name, so that a change stays inside its field.
    Empty otherwise.
    """

    role: str
    runs: tuple[Run, ...]
    section: str
    anchor: str
    item_id: str | None = None
    sources: tuple[str, ...] = ()
    index: int = 0
    parts: tuple[tuple[str, int], ...] = ()

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


def format_date(date) -> str:
    """``format_date(date(2026, 11, 27)) == "（2026年11月27日）"``"""
    return f"（{date.year}年{date.month}月{date.day}日）"


def finish_lead(lead: str) -> str:
    """A lead sentence ends with 。 unless it already ends with a sentence mark.

    >>> finish_lead("在学习上发力"), finish_lead("在学习上发力。")
    ('在学习上发力。', '在学习上发力。')
    """
    lead = lead.strip()
    # A sentence mark inside closing quotes or brackets (…落实。”) already ends it.
    core = lead.rstrip(CLOSING_MARKS)
    if core and core[-1] not in LEAD_END:
        lead += "。"
    return lead


def join_inline(items: Iterable[InlineItem], separator: str, final: str) -> str:
    """Number inline items 一是/二是… and join them with the format's punctuation.

    ``items`` are the ones read out (``structure.numbered``): empty ones are left out.

    Each item's own trailing 。/；/， is replaced, so typing it or not gives the same text;
    a closing ？ or ！ is kept.

    >>> join_inline([InlineItem("甲；"), InlineItem("乙")], "；", "。")
    '一是甲；二是乙。'
    """
    return "".join("".join(piece) for piece in inline_pieces(items, separator, final))


def inline_pieces(
    items: Iterable[InlineItem], separator: str, final: str
) -> list[tuple[str, str, str]]:
    """What :func:`join_inline` joins: (number, text, joiner) of each item."""
    texts = [item.text.strip().rstrip(JOINER_PUNCTUATION) for item in items]
    pieces = []
    for number, text in enumerate(texts, start=1):
        joiner = final if number == len(texts) else separator
        if text and text[-1] in "？！?!":
            joiner = ""
        pieces.append((ordinal_label(number), text, joiner))
    return pieces


def _lead_paragraph(
    label: str, item: LeadItem, section: str, anchor: str, role: str = BODY
) -> Paragraph:
    runs = [Run(label + finish_lead(item.lead), LEAD)]
    if item.body.strip():
        runs.append(Run(item.body.strip()))
    sources = (item_anchor(item, anchor),)
    return Paragraph(role, tuple(runs), section, anchor, item.id, sources)


def _plain(
    role: str, text: str, section: str, anchor: str, sources: tuple[str, ...] = ()
) -> list[Paragraph]:
    text = text.strip()
    if not text:
        return []
    return [Paragraph(role, (Run(text),), section, anchor, sources=sources or (anchor,))]


def _inline_list(
    intro: tuple[str, str],
    items: list[tuple[str, InlineItem]],
    separator: str,
    transition: tuple[str, str] | None,
    section: str,
    anchor: str,
) -> list[Paragraph]:
    """The paragraph of a lead-in, numbered inline items and, for the shortcomings, the
    transition: ``intro`` and ``transition`` (address, text), ``items`` (address, item)."""
    parts = [(intro[0], intro[1].strip())]
    pieces = inline_pieces([item for _, item in items], separator, "。")
    for (address, _), (label, text, joiner) in zip(items, pieces, strict=True):
        parts += [(f"{address}#label", label), (address, text), (f"{address}#joiner", joiner)]
    if transition is not None:
        parts.append((transition[0], transition[1].strip()))
    sources = tuple(name for name, _ in parts if "#" not in name)
    text = "".join(piece for _, piece in parts)
    lengths = tuple((name, len(piece)) for name, piece in parts)
    return [replace(p, parts=lengths) for p in _plain(BODY, text, section, anchor, sources)]


def assemble(speech: Speech) -> list[Paragraph]:
    """Return the speech's paragraphs in reading order.

    Empty text fields give no paragraph, and an item with no text at all is left out
    and takes no number (``structure.numbered``, the rule the editor shows too): a blank
    skeleton reads as nothing, not as bare 一是。二是。

    >>> [p.text for p in assemble(Speech(title="标题", opening="开场。"))]
    ['标题', '同志们：', '开场。']
    """
    header = ("header",)
    title, subtitle = _title_lines(speech.title)
    paragraphs = _plain(TITLE, "\n".join(title), HEADER, "title", header)
    # The subtitle is the title field's second paragraph.
    paragraphs += [
        replace(p, index=1) for p in _plain(SUBTITLE, "\n".join(subtitle), HEADER, "title", header)
    ]
    paragraphs += _plain(SPEAKER, speech.speaker, HEADER, "speaker", header)
    if speech.date:
        paragraphs += _plain(DATE, format_date(speech.date), HEADER, "date", header)
    paragraphs += _plain(SALUTATION, speech.salutation, OPENING, "salutation", header)
    paragraphs += _plain(BODY, speech.opening, OPENING, "opening")

    one, two = speech.part_one, speech.part_two
    paragraphs += _plain(HEADING, _heading(1, one.heading), PART_ONE, "part_one.heading")
    paragraphs += _plain(BODY, one.intro, PART_ONE, "part_one.intro")
    for number, index, item in numbered(one.achievements):
        anchor = f"part_one.achievements.{index}"
        label = achievement_label(number)
        paragraphs.append(_lead_paragraph(label, item, PART_ONE, anchor, ITEM))
    lessons = [(item_anchor(i, f"part_one.lessons.{n}"), i) for _, n, i in numbered(one.lessons)]
    intro = ("part_one.lessons_intro", one.lessons_intro)
    paragraphs += _inline_list(intro, lessons, "。", None, PART_ONE, "part_one.lessons")

    paragraphs += _plain(HEADING, _heading(2, two.heading), PART_TWO, "part_two.heading")
    shortcomings = [
        (item_anchor(item, f"part_two.shortcomings.{index}"), item)
        for _, index, item in numbered(two.shortcomings)
    ]
    intro = ("part_two.shortcomings_intro", two.shortcomings_intro)
    transition = ("part_two.transition", two.transition)
    paragraphs += _inline_list(
        intro, shortcomings, "；", transition, PART_TWO, "part_two.shortcomings"
    )
    for number, index, item in numbered(two.measures):
        anchor = f"part_two.measures.{index}"
        paragraphs.append(_lead_paragraph(ordinal_label(number), item, PART_TWO, anchor))

    paragraphs += _plain(BODY, speech.closing, CLOSING, "closing")
    return [piece for paragraph in paragraphs for piece in _split(paragraph)]


def _title_lines(title: str) -> tuple[list[str], list[str]]:
    """The title's lines and, from the first line after the first that starts with a
    dash, the subtitle's.

    >>> _title_lines(" 主题 \\n——在会上的讲话")
    (['主题'], ['——在会上的讲话'])
    """
    lines = [line.strip() for line in title.splitlines() if line.strip()]
    for number, line in enumerate(lines[1:], start=1):
        if line.startswith(SUBTITLE_DASHES):
            return lines[:number], lines[number:]
    return lines, []


def _split(paragraph: Paragraph) -> list[Paragraph]:
    """The paragraphs a text with "\\n" in it makes (the title keeps its line breaks).

    Each piece is trimmed and a blank one dropped; the runs keep their roles. A CR LF
    or a lone CR (a text box's line break) counts as "\\n".
    """
    if paragraph.role in (TITLE, SUBTITLE) or not any(c in paragraph.text for c in "\r\n"):
        return [paragraph]
    pieces: list[list[Run]] = [[]]
    for run in paragraph.runs:
        text = run.text.replace("\r\n", PARAGRAPH_BREAK).replace("\r", PARAGRAPH_BREAK)
        for number, piece in enumerate(text.split(PARAGRAPH_BREAK)):
            if number:
                pieces.append([])
            pieces[-1].append(Run(piece, run.role))
    split = []
    for runs in pieces:
        while runs and not runs[0].text.strip():
            runs.pop(0)
        while runs and not runs[-1].text.strip():
            runs.pop()
        if runs:
            runs[0] = Run(runs[0].text.lstrip(), runs[0].role)
            runs[-1] = Run(runs[-1].text.rstrip(), runs[-1].role)
            # Only an item's first paragraph opens with its number and lead.
            role = paragraph.role if not split or paragraph.role != ITEM else BODY
            split.append(
                replace(paragraph, role=role, runs=tuple(runs), index=len(split), parts=())
            )
    return split


def _heading(number: int, heading: str) -> str:
    heading = heading.strip()
    return f"{heading_label(number)}{heading}" if heading else ""


def plain_text(paragraphs: Iterable[Paragraph]) -> str:
    """The plain-text rendering: one paragraph a line, the title's break kept as a line.

    >>> plain_text(assemble(Speech(title="上行\\n下行", salutation="")))
    '上行\\n下行\\n'
    """
    return "".join(paragraph.text + "\n" for paragraph in paragraphs)
