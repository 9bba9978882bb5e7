"""Drafting aids: how long the speech is and how long it takes to deliver.

Characters are counted without white space, the way offices count 字数. Only what is
read aloud counts towards the speaking time: the title, speaker and date lines do not.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .assembly import CLOSING, HEADER, OPENING, PART_ONE, PART_TWO, Paragraph

SECTION_LABELS = {
    OPENING: "开头",
    PART_ONE: "第一部分",
    PART_TWO: "第二部分",
    CLOSING: "结束语",
}


def count_chars(text: str) -> int:
    """Characters without white space: ``count_chars("一 二\\n三") == 3``."""
    return sum(1 for char in text if not char.isspace())


def format_duration(minutes: float) -> str:
    """``format_duration(12.5) == "12分30秒"``; under a minute only seconds."""
    seconds = round(minutes * 60)
    if seconds < 60:
        return f"{seconds}秒"
    return f"{seconds // 60}分{seconds % 60:02d}秒"


@dataclass(frozen=True)
class ParagraphLength:
    paragraph: Paragraph
    chars: int
    share: float  # of the spoken total, 0..1


@dataclass(frozen=True)
class SectionLength:
    section: str
    label: str
    chars: int
    minutes: float


@dataclass(frozen=True)
class SpeechLengths:
    paragraphs: list[ParagraphLength]
    sections: list[SectionLength]
    total_chars: int
    minutes: float

    @property
    def duration(self) -> str:
        return format_duration(self.minutes)

    @property
    def outline(self) -> list[tuple[SectionLength, list[ParagraphLength]]]:
        """Each section with its paragraphs, in reading order; empty sections included,
        so every part shows in the outline before its heading is written."""
        return [
            (section, [p for p in self.paragraphs if p.paragraph.section == section.section])
            for section in self.sections
        ]


def measure(paragraphs: Sequence[Paragraph], pace: int) -> SpeechLengths:
    """Lengths per paragraph, per section and in total, with speaking minutes at ``pace``.

    >>> from drafts.assembly import assemble
    >>> from drafts.structure import Speech
    >>> measure(assemble(Speech(title="题", opening="一二三")), pace=180).total_chars
    7
    """
    spoken = [p for p in paragraphs if p.section != HEADER]
    counts = [count_chars(p.text) for p in spoken]
    total = sum(counts)
    sections = [
        SectionLength(
            section,
            label,
            chars := sum(c for p, c in zip(spoken, counts, strict=True) if p.section == section),
            chars / pace,
        )
        for section, label in SECTION_LABELS.items()
    ]
    return SpeechLengths(
        paragraphs=[
            ParagraphLength(p, c, c / total if total else 0.0)
            for p, c in zip(spoken, counts, strict=True)
        ],
        sections=sections,
        total_chars=total,
        minutes=total / pace,
    )


@dataclass(frozen=True)
class TargetGap:
    """How the speaking time compares with the meeting slot it must fit."""

    target_minutes: int
    over: bool
    minutes: float  # the difference, always >= 0

    @property
    def on_target(self) -> bool:
        return self.minutes * 60 < 30

    @property
    def label(self) -> str:
        if self.on_target:
            return "与目标时长基本相当"
        return f"{'超出' if self.over else '还差'}{format_duration(self.minutes)}"


def compare_to_target(minutes: float, target_minutes: int | None) -> TargetGap | None:
    """The speaking time against the slot; None when no slot is set.

    Within half a minute reads as on target: nobody times a speech to the second.

    >>> compare_to_target(22.5, 20).label
    '超出2分30秒'
    >>> compare_to_target(15, 20).label
    '还差5分00秒'
    >>> compare_to_target(20.2, 20).label
    '与目标时长基本相当'
    >>> compare_to_target(12, None) is None
    True
    """
    if not target_minutes:
        return None
    difference = minutes - target_minutes
    return TargetGap(target_minutes, difference > 0, abs(difference))
