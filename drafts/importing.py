"""Store a parsed speech as a new speech and report what was imported.

The parser and the file reader decide what the speech is (``parsing.py``,
``reading.py``); this module only writes it and counts, so the command and the page
report the same figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import structure
from .models import Part, Speech
from .parsing import Finding, ParseResult
from .reading import ImportRefused


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


def length_errors(data: structure.Speech) -> list[str]:
    """Messages for texts longer than their stored field allows (a heading, a speaker…).

    A file can hold anything; checking here keeps a long line from failing the insert.

    >>> length_errors(structure.Speech(speaker="某" * 101))
    ['讲话人超过 100 字（现有 101 字），请在原文中改短后再导入。']
    """
    texts = [
        (Speech, "occasion", data.occasion),
        (Speech, "organization", data.organization),
        (Speech, "speaker", data.speaker),
        (Speech, "salutation", data.salutation),
        (Part, "heading", data.part_one.heading),
        (Part, "heading", data.part_two.heading),
    ]
    errors = []
    for model, name, text in texts:
        field = model._meta.get_field(name)
        if len(text) > field.max_length:
            label = "一级标题" if model is Part else field.verbose_name
            errors.append(
                f"{label}超过 {field.max_length} 字（现有 {len(text)} 字），"
                "请在原文中改短后再导入。"
            )
    return errors


def import_speech(parsed: ParseResult, owner) -> ImportResult:
    """Write a parse result as a new speech owned by ``owner``.

    ``import_speech(parse_text(text), user).counts.achievements`` is the number of
    （一）… items read from ``text``. A text too long for its field raises
    :class:`ImportRefused` before anything is written.
    """
    errors = length_errors(parsed.speech)
    if errors:
        raise ImportRefused("".join(errors))
    speech = Speech.create_from_structure(parsed.speech, owner)
    return ImportResult(speech, count_items(parsed.speech), list(parsed.findings))
