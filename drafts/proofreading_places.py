"""Where each proofreading finding stands in a text's paragraphs (``check_speech``).

``proofreading`` places a finding in a field of the speech; a reader of a file or of
the plain-text export wants the paragraph and the character in it. A field's text
stands in its paragraph as typed, with a label before it (（一）, 一是) and a joiner
after it, so a finding is placed by finding its field line, or a stretch of it around
the finding, in the paragraphs, reading on from where the previous finding was.

For a file, the parser drops what the app generates: labels and the joiners of inline
items (一是…；二是…). What it drops is checked in the file's own paragraphs by the text
rules (``proofreading.check_text``): a half-width ; between two shortcomings, a 。。 at
the end of a lesson. Characters that reached a field are left to the field's checks,
which know the field (a 讲话人 line may space a title from a name).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from .assembly import JOINER_PUNCTUATION
from .proofreading import Finding, WordingEntry, check_speech, check_text
from .structure import Speech, text_fields

# Stretches of a field line around a finding, tried from the widest: a wide one places
# the finding in the right one of two paragraphs that share a few words.
WINDOWS = (24, 12, 6, 3, 1, 0)


@dataclass(frozen=True)
class Placed:
    """A finding and where it stands: ``paragraph`` (1-based, among the non-empty
    paragraphs) and ``offset`` in it, ``text`` the characters there; both None for a
    field no paragraph shows (会议名称 and 单位 are not in the plain-text export)."""

    finding: Finding
    paragraph: int | None
    offset: int | None

    @property
    def text(self) -> str:
        return self.finding.text

    def as_dict(self) -> dict:
        f = self.finding
        return {
            "code": f.code,
            "severity": f.severity,
            "paragraph": self.paragraph,
            "offset": self.offset,
            "length": f.length,
            "text": f.text,
            "message": f.message,
            "suggestion": f.suggestion,
            "where": f.label,
            "address": f.address if f.anchor else None,
        }


class _Locator:
    def __init__(self, paragraphs: Sequence[str]):
        self.paragraphs = paragraphs
        self.cursor = 0
        self.last_of_field: dict[str, int] = {}
        # What fields cover of each paragraph: (paragraph index, start, end).
        self.covered: list[tuple[int, int, int]] = []

    def order(self, address: str) -> Iterable[int]:
        known = self.last_of_field.get(address)
        if known is not None:
            yield known
        yield from range(self.cursor, len(self.paragraphs))
        yield from range(0, self.cursor)

    def find(self, window: str, inner: int, flagged: str, address: str) -> tuple[int, int] | None:
        """The paragraph and offset where ``window`` holds ``flagged`` at ``inner``."""
        for index in self.order(address):
            paragraph = self.paragraphs[index]
            position = paragraph.find(window)
            while position != -1:
                offset = position + inner
                if paragraph[offset : offset + len(flagged)] == flagged:
                    self.cursor = index
                    self.last_of_field[address] = index
                    return index, offset
                position = paragraph.find(window, position + 1)
        return None

    def place(self, finding: Finding, field_text: str) -> Placed:
        for window, inner in _windows(field_text, finding.offset, finding.length):
            found = self.find(window, inner, finding.text, finding.address)
            if found is not None:
                return Placed(finding, found[0] + 1, found[1])
        if not field_text.strip() and self.paragraphs:
            # An empty part or field: at the place it would come.
            return Placed(finding, self.cursor + 1, 0)
        return Placed(finding, None, None)

    def cover(self, field_text: str, address: str) -> None:
        """Note where each line of a field stands (for :func:`check_source`)."""
        for line in field_text.split("\n"):
            for core in dict.fromkeys((line.strip(), line.strip().rstrip(JOINER_PUNCTUATION))):
                if core and (found := self.find(core, 0, core, address)) is not None:
                    self.covered.append((found[0], found[1], found[1] + len(core)))
                    break

    def is_covered(self, index: int, start: int, end: int) -> bool:
        return any(p == index and s <= start and end <= e for p, s, e in self.covered)


def _windows(text: str, offset: int, length: int) -> Iterable[tuple[str, int]]:
    """Stretches of ``text`` holding the span at ``offset``, each with the span's offset
    in it: the whole line, the line without its joiner, then narrower stretches."""
    line_start = text.rfind("\n", 0, offset) + 1
    line_end = text.find("\n", offset + length)
    line = text[line_start : line_end if line_end != -1 else len(text)]
    at = offset - line_start
    lead = len(line) - len(line.lstrip())
    for core in (line.strip(), line.strip().rstrip(JOINER_PUNCTUATION)):
        if core and lead <= at and at + length <= lead + len(core):
            yield core, at - lead
    for reach in WINDOWS:
        start, end = max(0, at - reach), min(len(line), at + length + reach)
        if end > start:
            yield line[start:end], at - start


def nonempty(paragraphs: Iterable[str]) -> list[str]:
    """The paragraphs that hold anything but white space, as they stand."""
    return [paragraph for paragraph in paragraphs if paragraph.strip()]


def place_findings(
    findings: Iterable[Finding], speech: Speech, paragraphs: Sequence[str]
) -> list[Placed]:
    """Each finding of ``speech`` (``check_speech``) placed in ``paragraphs``: the
    non-empty paragraphs the speech is read from, or its plain-text export's lines.

    >>> from .assembly import assemble, plain_text
    >>> speech = Speech(opening="今天开会,回顾工作。")
    >>> lines = nonempty(plain_text(assemble(speech)).split("\\n"))
    >>> placed = place_findings(check_speech(speech), speech, lines)
    >>> [(p.paragraph, p.offset, p.text) for p in placed][:1]
    [(2, 4, ',')]
    """
    texts = {f"{field.anchor}/{field.name}": field.text for field in text_fields(speech)}
    locator = _Locator(paragraphs)
    return [locator.place(finding, texts[finding.address]) for finding in findings]


def check_source(
    speech: Speech,
    paragraphs: Sequence[str],
    wording: Iterable[WordingEntry | Sequence] = (),
    labels: Sequence[str] | None = None,
) -> list[Placed]:
    """The findings of a speech read from a file, placed in the file's non-empty
    ``paragraphs``; what the parser dropped from them (labels, joiners) is checked too,
    and named by ``labels`` (where each paragraph went, ``ParseResult.placements``).

    >>> lines = ["同志们：", "一、成绩", "（一）学习。正文。", "启示：一是甲;二是乙。"]
    >>> from .parsing import parse_paragraphs
    >>> speech = parse_paragraphs(lines).speech
    >>> [(p.paragraph, p.offset, p.text) for p in check_source(speech, lines) if p.text]
    [(4, 6, ';')]
    """
    wording = tuple(wording)
    findings = check_speech(speech, wording)
    locator = _Locator(paragraphs)
    for field in text_fields(speech):
        locator.cover(field.text, f"{field.anchor}/{field.name}")
    placed = place_findings(findings, speech, paragraphs)
    taken = {(p.paragraph, p.offset, p.finding.length, p.finding.code) for p in placed}
    for index, paragraph in enumerate(paragraphs):
        for finding in check_text(paragraph, wording):
            if locator.is_covered(index, finding.offset, finding.end):
                continue
            if (index + 1, finding.offset, finding.length, finding.code) in taken:
                continue
            if labels is not None and index < len(labels):
                finding = replace(finding, label=labels[index])
            placed.append(Placed(finding, index + 1, finding.offset))
    return sorted(placed, key=_reading_order)


def _reading_order(placed: Placed) -> tuple:
    if placed.paragraph is None:
        return (0, 0, 0)
    return (1, placed.paragraph, placed.offset)
