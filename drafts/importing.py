"""Store a parsed speech as a new speech and report what was imported.

The parser and the file reader decide what the speech is (``parsing.py``,
``reading.py``); this module only writes it and counts, so the command and the page
report the same figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import budgets as budgeting
from . import structure
from .budgets import Budgets
from .models import Item, Part, Speech, text_limit
from .parsing import Finding, ImportRefused, ParseResult
from .speech_json import list_errors
from .structure import text_fields


@dataclass(frozen=True)
class Counts:
    """How many items of each kind a speech has."""

    achievements: int
    lessons: int
    shortcomings: int
    measures: int

    def summary(self) -> str:
        """``Counts(5, 4, 3, 4).summary() == "成绩 5 条，启示 4 条，不足 3 条，措施 4 条"``"""
        return (
            f"成绩 {self.achievements} 条，启示 {self.lessons} 条，"
            f"不足 {self.shortcomings} 条，措施 {self.measures} 条"
        )


@dataclass(frozen=True)
class ImportResult:
    """The stored speech, its item counts and the parser's findings."""

    speech: Speech
    counts: Counts
    findings: list[Finding] = field(default_factory=list)


def count_items(data: structure.Speech) -> Counts:
    """Count the items of plain speech data.

    >>> count_items(structure.Speech()).summary()
    '成绩 0 条，启示 0 条，不足 0 条，措施 0 条'
    """
    one, two = data.part_one, data.part_two
    return Counts(len(one.achievements), len(one.lessons), len(two.shortcomings), len(two.measures))


def column_of(field: structure.TextField) -> tuple[type, str]:
    """The model and column a text field of plain speech data is stored in.

    >>> column_of(structure.TextField("part_one.heading", "heading", "第一部分标题", ""))
    (<class 'drafts.models.Part'>, 'heading')
    """
    if field.anchor in ("header", "opening", "closing"):
        return Speech, field.name
    if field.name in Part.TEXT_FIELDS:
        return Part, field.name
    return Item, "lead" if field.name == "lead" else "body"


def speech_errors(data: structure.Speech, budgets: Budgets | None = None) -> list[str]:
    """Messages for what the budgets do not allow a speech to hold: a field too long
    for its column or for ``field_chars``, a list past ``items_per_list``, a whole past
    ``speech_chars``. The preview and the creation ask the same, so whatever previews
    creates; a file can hold anything, and this keeps it from failing the insert.

    >>> speech_errors(structure.Speech(speaker="某" * 101))
    ['讲话人超过上限：最多 100 字，现有 101 字。']
    """
    budgets = budgets or budgeting.configured()
    # The lists first, and alone: naming the fields of 10,000 items numbers each one.
    errors = list_errors(data, budgets)
    if errors:
        return errors
    fields = text_fields(data)
    for entry in fields:
        limit = text_limit(*column_of(entry), budgets)
        if len(entry.text) > limit:
            errors.append(budgeting.over(entry.label, limit, len(entry.text)))
    total = sum(len(entry.text) for entry in fields)
    if total > budgets.speech_chars:
        errors.append(budgeting.over("讲话稿全文", budgets.speech_chars, total))
    return errors


def import_speech(parsed: ParseResult, owner, budgets: Budgets | None = None) -> ImportResult:
    """Write a parse result as a new speech owned by ``owner``.

    ``import_speech(parse_text(text), user).counts.achievements`` is the number of
    （一）… items read from ``text``. A speech the budgets do not allow raises
    :class:`ImportRefused` before anything is written.
    """
    errors = speech_errors(parsed.speech, budgets)
    if errors:
        raise ImportRefused("".join(errors))
    speech = Speech.create_from_structure(parsed.speech, owner)
    return ImportResult(speech, count_items(parsed.speech), list(parsed.findings))
