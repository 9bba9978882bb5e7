"""Proofreading findings as the pages show them (issue 15): what the editing page's
script gets for a field being typed, what the preview marks, and the counts.

Plain data in and out; ``proofreading`` finds, this module only places and shows.
The findings a drafter ignored (忽略) are named by their ``key`` and stay out of every
mark and count; the editor still lists them, to take the 忽略 back.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .assembly import Paragraph
from .proofreading import CODE_NAMES, ERROR, PLACEHOLDER, Finding, with_field_text
from .proofreading_places import place_findings
from .structure import Speech, text_fields


@dataclass(frozen=True)
class Counts:
    """Findings left to look at (ignored ones not counted)."""

    errors: int = 0
    suggestions: int = 0

    @property
    def total(self) -> int:
        return self.errors + self.suggestions


def counts(findings: Iterable[Finding], ignored: set[str] = frozenset()) -> Counts:
    """How many errors and suggestions are left.

    >>> from .proofreading import check_text
    >>> found = check_text("完成任务,做为重点。", [("做为", "作为", "always", (), "", "建议")])
    >>> counts(found), counts(found, {found[0].key})
    (Counts(errors=1, suggestions=1), Counts(errors=0, suggestions=1))
    """
    errors = suggestions = 0
    for finding in findings:
        if finding.key in ignored:
            continue
        if finding.severity == ERROR:
            errors += 1
        else:
            suggestions += 1
    return Counts(errors, suggestions)


def shown(findings: Iterable[Finding], ignored: set[str]) -> list[Finding]:
    """The findings not ignored, in their order."""
    return [finding for finding in findings if finding.key not in ignored]


# --- The editing page


def addresses(speech: Speech) -> set[str]:
    """Every field address of the speech (``opening/opening``, ``item:<id>/lead``)."""
    return {f"{field.anchor}/{field.name}" for field in text_fields(speech)}


def with_typed(speech: Speech, address: str, text: str) -> Speech | None:
    """A copy of ``speech`` whose field at ``address`` holds ``text`` (as typed, not yet
    saved), for checking it with the rest of the speech; None when the speech has no
    such field.

    >>> from .structure import InlineItem, PartOne
    >>> speech = Speech(opening="旧", part_one=PartOne(lessons=[InlineItem("甲", id="a")]))
    >>> with_typed(speech, "item:a/text", "乙").part_one.lessons[0].text, speech.opening
    ('乙', '旧')
    >>> with_typed(speech, "item:b/text", "乙") is None
    True
    """
    if address not in addresses(speech):
        return None
    return with_field_text(speech, address, text)


def key_address(key: str) -> str | None:
    """The field address a finding's ``key`` names (``code|address|text|n``, see
    ``proofreading._keyed``), or None when ``key`` is not one.

    >>> from .proofreading import check_text
    >>> from .structure import TextField
    >>> from .proofreading import check_field
    >>> key = check_field(TextField("opening", "opening", "开场白", "甲|乙,丙"))[0].key
    >>> key_address(key), key_address("no-such-code|opening/opening|,|1")
    ('opening/opening', None)
    """
    code, _, rest = key.partition("|")
    address, _, rest = rest.partition("|")
    _, _, occurrence = rest.rpartition("|")
    if code not in CODE_NAMES or not address or not occurrence.isdecimal():
        return None
    if not 0 < int(occurrence) < 100_000:
        return None
    return address


def utf16(text: str, offset: int) -> int:
    """``offset`` (in code points, as Python counts) in UTF-16 units, as a browser's
    text box counts: a character past U+FFFF (𠀀) is two there.

    >>> utf16("𠀀甲", 1), utf16("甲乙", 1)
    (2, 1)
    """
    return offset + len(_ASTRAL.findall(text, 0, offset))


# Characters past U+FFFF, which a browser counts as two (a surrogate pair).
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def for_script(findings: Sequence[Finding], text: str, ignored: set[str]) -> list[dict]:
    """The findings of one field as the editing page's script shows them: ``start`` and
    ``end`` in UTF-16 units of ``text`` (the field as the page holds it), the fix in
    words (``fix``: 改为“，”, 删去, 补上“。”), whether it was ignored.

    >>> from .proofreading import check_text
    >>> [(f["start"], f["end"], f["fix"]) for f in for_script(check_text("甲,乙"), "甲,乙", set())]
    [(1, 2, '改为“，”')]
    """
    rows = []
    # Most texts have no character past U+FFFF: their offsets are the same in UTF-16.
    astral = _ASTRAL.search(text) is not None
    for finding in findings:
        start = utf16(text, finding.offset) if astral else finding.offset
        end = utf16(text, finding.end) if astral else finding.end
        rows.append(
            {
                **finding.as_dict(),
                "kind": CODE_NAMES.get(finding.code, ""),
                "error": finding.severity == ERROR,
                "start": start,
                "end": end,
                "fix": fix_words(finding),
                "ignored": finding.key in ignored,
            }
        )
    return rows


def fix_words(finding: Finding) -> str:
    """What 一键修改 does, in words; "" when there is no certain fix.

    >>> from .proofreading import check_text
    >>> [fix_words(f) for f in check_text("加强 学习,做好")]
    ['删去', '改为“，”']
    """
    if finding.suggestion is None:
        return ""
    if finding.suggestion == "":
        return "删去"
    if finding.length == 0:
        return f"补上“{finding.suggestion}”"
    return f"改为“{finding.suggestion}”"


def by_address(findings: Iterable[Finding]) -> dict[str, list[Finding]]:
    """The findings of each field, in their order."""
    grouped: dict[str, list[Finding]] = {}
    for finding in findings:
        grouped.setdefault(finding.address, []).append(finding)
    return grouped


# --- The preview


@dataclass(frozen=True)
class Segment:
    """A stretch of a run: plain text, or text that findings mark (``findings`` not
    empty). A zero-length segment marks an insertion point (补上“。”)."""

    text: str
    findings: tuple[Finding, ...] = ()
    # The open comments whose passage covers it (批注所选文字): the page marks them too.
    comments: tuple = ()

    @property
    def tone(self) -> str:
        """``error`` when any finding here is an error, else ``suggestion``."""
        return "error" if any(f.severity == ERROR for f in self.findings) else "suggestion"

    @property
    def title(self) -> str:
        """The messages, for the mark's tooltip."""
        return "\n".join(f"〔{f.severity}〕{f.message}" for f in self.findings)


@dataclass(frozen=True)
class MarkedRun:
    role: str
    segments: tuple[Segment, ...]


def mark_paragraphs(
    paragraphs: Sequence[Paragraph],
    findings: Sequence[Finding],
    speech: Speech,
    passages: dict[int, list[tuple[int, int, object]]] | None = None,
) -> list[list[MarkedRun]]:
    """Each assembled paragraph's runs cut into segments at the findings placed in it
    (``proofreading_places.place_findings``), and at the passages of comments
    (``passages``: (start, end, comment) by paragraph index, as ``pages.passage_marks``
    gives them), so one segment says both what is wrong with it and who commented.
    Marked are the findings of a span, and the insertion points of a certain fix
    (补上“。”); the rest (an empty part, a missing lead) and findings in no paragraph
    (会议名称, 单位) are left to the list beside the text. Placeholders are marked by the
    pages already (``mark_placeholders``).

    >>> from .assembly import assemble
    >>> from .proofreading import check_speech
    >>> speech = Speech(title="标题", salutation="", opening="今天开会,回顾工作")
    >>> paragraphs = assemble(speech)
    >>> runs = mark_paragraphs(paragraphs, check_speech(speech), speech)
    >>> [(s.text, [f.code for f in s.findings]) for s in runs[1][0].segments][1:]
    [(',', ['halfwidth-punctuation']), ('回顾工作', []), ('', ['paragraph-end-mark'])]
    """
    texts = [paragraph.text for paragraph in paragraphs]
    marked = [
        f for f in findings if f.code != PLACEHOLDER and (f.length or f.suggestion is not None)
    ]
    spans: list[list[tuple[int, int, Finding]]] = [[] for _ in paragraphs]
    for placed in place_findings(marked, speech, texts):
        if placed.paragraph is None or placed.offset is None:
            continue
        start = placed.offset
        spans[placed.paragraph - 1].append((start, start + placed.finding.length, placed.finding))
    passages = passages or {}
    return [
        _cut_runs(paragraph, spans[index], passages.get(index, []))
        for index, paragraph in enumerate(paragraphs)
    ]


def _cut_runs(paragraph: Paragraph, spans, comments=()) -> list[MarkedRun]:
    runs = []
    position = 0
    for run in paragraph.runs:
        start, end = position, position + len(run.text)
        segments = _segments(run.text, start, spans, end, comments)
        runs.append(MarkedRun(run.role, tuple(segments)))
        position = end
    return runs


def _segments(text: str, start: int, spans, end: int, comments=()) -> list[Segment]:
    """``text`` (paragraph[start:end]) cut where a span or a comment's passage in it
    starts or ends; an insertion point is its own empty segment (once, in the run it
    ends)."""
    cuts = {start, end}
    cuts.update(cut for s, e, _ in comments for cut in (s, e) if start < cut < end)
    points = []
    for span_start, span_end, finding in spans:
        if span_start == span_end:
            if start < span_start <= end or span_start == start == 0:
                points.append((span_start, finding))
            continue
        cuts.update(cut for cut in (span_start, span_end) if start < cut < end)
    edges = sorted(cuts)
    segments = []
    for left, right in zip(edges, edges[1:], strict=False):
        for at, finding in points:
            if at == left and left != end:
                segments.append(Segment("", (finding,)))
        covering = tuple(f for s, e, f in spans if s <= left and right <= e and s != e)
        commented = tuple(c for s, e, c in comments if s <= left and right <= e and s != e)
        segments.append(Segment(text[left - start : right - start], covering, commented))
    for at, finding in points:
        if at == end:
            segments.append(Segment("", (finding,)))
    return _joined(segments)


def _joined(segments: list[Segment]) -> list[Segment]:
    """Neighbouring segments with the same findings as one."""
    joined: list[Segment] = []
    for segment in segments:
        previous = joined[-1] if joined else None
        if (
            previous is not None
            and segment.text
            and previous.text
            and previous.findings == segment.findings
            and previous.comments == segment.comments
        ):
            joined[-1] = Segment(previous.text + segment.text, segment.findings, segment.comments)
        else:
            joined.append(segment)
    return joined
