"""The speech as plain data: what every domain module takes and returns.

The shape follows ``speech-structure.md``: metadata, opening, part one (achievements and
lessons), part two (shortcomings and rectification measures), closing. Numbering is never
part of the text; it is generated (see ``numbering.py``): an item's number counts the
items with text before it, and :func:`item_names` is what every page calls an item.

``id`` on items is the stable id of the stored item when the data comes from the
database; it is ``None`` for data that comes from a file.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from copy import deepcopy
from dataclasses import dataclass, field

from .numbering import list_labels, list_numbers


@dataclass
class LeadItem:
    """A numbered paragraph that opens with a lead sentence: an achievement or a measure."""

    lead: str = ""
    body: str = ""
    id: str | None = None

    @property
    def has_text(self) -> bool:
        """Is anything written? An item without text is not read out, nor numbered."""
        return bool(self.lead.strip() or self.body.strip())


@dataclass
class InlineItem:
    """A lesson or a shortcoming: one sentence or a few, joined inline with its siblings."""

    text: str = ""
    id: str | None = None

    @property
    def has_text(self) -> bool:
        return bool(self.text.strip())


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


# What an item of each kind is called (the kinds of ``models.Item.Kind``).
KIND_NAMES = {"achievement": "成绩", "lesson": "启示", "shortcoming": "不足", "measure": "措施"}
# Every item list of a speech: (part, list, kind), in reading order.
ITEM_LISTS = (
    ("part_one", "achievements", "achievement"),
    ("part_one", "lessons", "lesson"),
    ("part_two", "shortcomings", "shortcoming"),
    ("part_two", "measures", "measure"),
)

Item = LeadItem | InlineItem


def item_names(kind: str, items: Sequence[Item]) -> list[str]:
    """What each item of one list is called on every page, in Word and in the history:
    its kind and its number, which counts only the items with text (the one rule of
    ``numbering.list_numbers``).

    >>> item_names("achievement", [LeadItem(), LeadItem(), LeadItem("甲")])
    ['成绩（未填写，不编号）', '成绩（未填写，不编号）', '成绩（一）']
    >>> item_names("measure", [InlineItem("甲"), InlineItem("乙")])
    ['措施一是', '措施二是']
    """
    labels = list_labels(kind, [item.has_text for item in items])
    return [KIND_NAMES[kind] + label for label in labels]


def numbered(items: Sequence[Item]) -> list[tuple[int, int, Item]]:
    """The items that are read out, as (number, index in the list, item).

    >>> [(n, i, item.text) for n, i, item in numbered([InlineItem(), InlineItem("乙")])]
    [(1, 1, '乙')]
    """
    numbers = list_numbers(item.has_text for item in items)
    return [
        (number, index, item)
        for index, (number, item) in enumerate(zip(numbers, items, strict=True))
        if number is not None
    ]


def item_names_by_id(speech: Speech) -> dict[str, str]:
    """The name of every stored item of the speech (see :func:`item_names`), by its id.

    >>> speech = Speech(part_one=PartOne(achievements=[LeadItem(id="a"), LeadItem("甲", id="b")]))
    >>> item_names_by_id(speech)
    {'a': '成绩（未填写，不编号）', 'b': '成绩（一）'}
    """
    names = {}
    for part, name, kind in ITEM_LISTS:
        items = getattr(getattr(speech, part), name)
        for item, label in zip(items, item_names(kind, items), strict=True):
            if item.id:
                names[item.id] = label
    return names


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


SECTION_NAMES = {"part_one": "第一部分", "part_two": "第二部分"}


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
        *_item_fields("part_one", "achievements", one.achievements),
        TextField(
            "part_one.lessons_intro", "lessons_intro", "第一部分 启示引语", one.lessons_intro
        ),
        *_item_fields("part_one", "lessons", one.lessons),
        TextField("part_two.heading", "heading", "第二部分 标题", two.heading),
        TextField(
            "part_two.shortcomings_intro",
            "shortcomings_intro",
            "第二部分 不足引语",
            two.shortcomings_intro,
        ),
        *_item_fields("part_two", "shortcomings", two.shortcomings),
        TextField("part_two.transition", "transition", "第二部分 过渡语", two.transition),
        *_item_fields("part_two", "measures", two.measures),
        TextField("closing", "closing", "结束语", speech.closing),
    ]
    return fields


def _item_fields(section: str, name: str, items: Sequence[Item]) -> list[TextField]:
    """The text fields of one list of items, each named as :func:`item_names` says."""
    kind = next(kind for _, list_name, kind in ITEM_LISTS if list_name == name)
    fields = []
    for index, (item, label) in enumerate(zip(items, item_names(kind, items), strict=True)):
        anchor = item_anchor(item, f"{section}.{name}.{index}")
        label = f"{SECTION_NAMES[section]} {label}"
        if isinstance(item, LeadItem):
            fields.append(TextField(anchor, "lead", label + " 领句", item.lead, item.id))
            fields.append(TextField(anchor, "body", label + " 正文", item.body, item.id))
        else:
            fields.append(TextField(anchor, "text", label, item.text, item.id))
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


# Text fields a unit's stable address names directly on the speech or on a part.
SPEECH_TEXTS = ("title", "occasion", "organization", "speaker", "salutation")
PART_TEXTS = {
    "part_one": ("heading", "intro", "lessons_intro"),
    "part_two": ("heading", "shortcomings_intro", "transition"),
}


def _holder(speech: Speech, anchor: str, field: str) -> tuple[object, str] | None:
    """The object holding the field ``field`` of the unit ``anchor`` and its attribute
    name there, or None when the speech has no such field. Fields are named as the
    stored columns are (``Suggestion.field``): an item's ``lead`` and ``body``, an
    inline item's text being its ``body``."""
    if anchor == "header":
        return (speech, field) if field in SPEECH_TEXTS else None
    if anchor in ("opening", "closing"):
        return (speech, anchor) if field == anchor else None
    section, _, name = anchor.partition(".")
    if section in PART_TEXTS:
        fits = name == field and field in PART_TEXTS[section]
        return (getattr(speech, section), field) if fits else None
    if not anchor.startswith("item:"):
        return None
    item_id = anchor.removeprefix("item:")
    for part, name, _ in ITEM_LISTS:
        for item in getattr(getattr(speech, part), name):
            if item.id is not None and str(item.id) == item_id:
                if isinstance(item, LeadItem):
                    return (item, field) if field in ("lead", "body") else None
                return (item, "text") if field == "body" else None
    return None


def field_text(speech: Speech, anchor: str, field: str) -> str | None:
    """The text of one field, named by its unit's address and its column; None when
    the speech has no such field (an item deleted since).

    >>> speech = Speech(opening="开场。", part_one=PartOne(lessons=[InlineItem("甲", id="7")]))
    >>> field_text(speech, "opening", "opening"), field_text(speech, "item:7", "body")
    ('开场。', '甲')
    >>> field_text(speech, "item:8", "body") is None
    True
    """
    holder = _holder(speech, anchor, field)
    return None if holder is None else getattr(*holder)


def with_field_text(speech: Speech, anchor: str, field: str, text: str) -> Speech:
    """A copy of ``speech`` whose field (as :func:`field_text` names it) says ``text``;
    raises ``KeyError`` when the speech has no such field.

    >>> with_field_text(Speech(opening="开场。"), "opening", "opening", "新的开场。").opening
    '新的开场。'
    """
    copy = deepcopy(speech)
    if not set_field_text(copy, anchor, field, text):
        raise KeyError(f"{anchor}/{field}")
    return copy


def set_field_text(speech: Speech, anchor: str, field: str, text: str) -> bool:
    """Make the field (as :func:`field_text` names it) say ``text``, in place; False
    when the speech has no such field.

    >>> speech = Speech()
    >>> set_field_text(speech, "closing", "closing", "结束。"), speech.closing
    (True, '结束。')
    """
    holder = _holder(speech, anchor, field)
    if holder is None:
        return False
    setattr(*holder, text)
    return True
