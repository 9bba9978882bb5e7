"""The speech as plain data: what every domain module takes and returns.

The shape follows ``speech-structure.md``: metadata, opening, part one (achievements and
lessons), part two (shortcomings and rectification measures), closing. Numbering is never
part of the text; it is generated from position (see ``numbering.py``).

``id`` on items is the stable id of the stored item when the data comes from the
database; it is ``None`` for data that comes from a file.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from .numbering import achievement_label, ordinal_label


@dataclass
class LeadItem:
    """A numbered paragraph that opens with a lead sentence: an achievement or a measure."""

    lead: str = ""
    body: str = ""
    id: str | None = None


@dataclass
class InlineItem:
    """A lesson or a shortcoming: one sentence or a few, joined inline with its siblings."""

    text: str = ""
    id: str | None = None


@dataclass
class PartOne:
    """一、 what was achieved: intro, achievement items, lessons."""

    heading: str = ""
    intro: str = ""
    achievements: list[LeadItem] = field(default_factory=list)
    lessons_intro: str = ""
    lessons: list[InlineItem] = field(default_factory=list)


@dataclass
class PartTwo:
    """二、 what falls short and what comes next: shortcomings, transition, measures."""

    heading: str = ""
    shortcomings_intro: str = ""
    shortcomings: list[InlineItem] = field(default_factory=list)
    transition: str = ""
    measures: list[LeadItem] = field(default_factory=list)


@dataclass
class Speech:
    """A whole speech. ``title`` may hold line breaks (回行), kept as ``\\n``."""

    title: str = ""
    occasion: str = ""
    organization: str = ""
    speaker: str = ""
    date: datetime.date | None = None
    salutation: str = "同志们："
    opening: str = ""
    part_one: PartOne = field(default_factory=PartOne)
    part_two: PartTwo = field(default_factory=PartTwo)
    closing: str = ""


def item_anchor(item: LeadItem | InlineItem, fallback: str) -> str:
    """The stable address of an item: ``item:<id>`` when stored, else its position."""
    return f"item:{item.id}" if item.id else fallback


@dataclass(frozen=True)
class TextField:
    """One field a drafter types into.

    ``anchor`` is the stable address of the editable unit the field belongs to
    (``header``, ``opening``, ``part_one.heading``, ``item:<id>``): comments and
    revisions hang on it, and it survives reordering. ``name`` is the field within the
    unit; ``label`` says where it is in the speech's own words, numbers included.
    """

    anchor: str
    name: str
    label: str
    text: str
    item_id: str | None = None

    @property
    def unit_label(self) -> str:
        """The label of the whole unit: an item without 领句/正文, the header as one."""
        if self.anchor == "header":
            return "标题与会议信息"
        return self.label.removesuffix(" 领句").removesuffix(" 正文")


def text_fields(speech: Speech) -> list[TextField]:
    """Every text field of the speech in reading order.

    >>> [f.label for f in text_fields(Speech())][:3]
    ['标题', '会议名称', '单位']
    """
    one, two = speech.part_one, speech.part_two
    fields = [
        TextField("header", "title", "标题", speech.title),
        TextField("header", "occasion", "会议名称", speech.occasion),
        TextField("header", "organization", "单位", speech.organization),
        TextField("header", "speaker", "讲话人", speech.speaker),
        TextField("header", "salutation", "称谓", speech.salutation),
        TextField("opening", "opening", "开场白", speech.opening),
        TextField("part_one.heading", "heading", "第一部分 标题", one.heading),
        TextField("part_one.intro", "intro", "第一部分 引言", one.intro),
    ]
    for number, item in enumerate(one.achievements, start=1):
        label = f"第一部分 成绩{achievement_label(number)}"
        anchor = item_anchor(item, f"part_one.achievements.{number - 1}")
        fields.append(TextField(anchor, "lead", label + " 领句", item.lead, item.id))
        fields.append(TextField(anchor, "body", label + " 正文", item.body, item.id))
    fields.append(
        TextField("part_one.lessons_intro", "lessons_intro", "第一部分 启示引语", one.lessons_intro)
    )
    for number, item in enumerate(one.lessons, start=1):
        anchor = item_anchor(item, f"part_one.lessons.{number - 1}")
        label = f"第一部分 启示{ordinal_label(number)}"
        fields.append(TextField(anchor, "text", label, item.text, item.id))
    fields.append(TextField("part_two.heading", "heading", "第二部分 标题", two.heading))
    fields.append(
        TextField(
            "part_two.shortcomings_intro",
            "shortcomings_intro",
            "第二部分 不足引语",
            two.shortcomings_intro,
        )
    )
    for number, item in enumerate(two.shortcomings, start=1):
        anchor = item_anchor(item, f"part_two.shortcomings.{number - 1}")
        label = f"第二部分 不足{ordinal_label(number)}"
        fields.append(TextField(anchor, "text", label, item.text, item.id))
    fields.append(TextField("part_two.transition", "transition", "第二部分 过渡语", two.transition))
    for number, item in enumerate(two.measures, start=1):
        label = f"第二部分 措施{ordinal_label(number)}"
        anchor = item_anchor(item, f"part_two.measures.{number - 1}")
        fields.append(TextField(anchor, "lead", label + " 领句", item.lead, item.id))
        fields.append(TextField(anchor, "body", label + " 正文", item.body, item.id))
    fields.append(TextField("closing", "closing", "结束语", speech.closing))
    return fields


def blank_speech() -> Speech:
    """The blank skeleton a drafter starts from: both parts, three empty items of each kind.

    >>> len(blank_speech().part_two.measures)
    3
    """
    return Speech(
        part_one=PartOne(
            achievements=[LeadItem() for _ in range(3)], lessons=[InlineItem() for _ in range(3)]
        ),
        part_two=PartTwo(
            shortcomings=[InlineItem() for _ in range(3)], measures=[LeadItem() for _ in range(3)]
        ),
    )
