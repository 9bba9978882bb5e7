"""Open suggestions (修改建议) marked on the speech as it reads: the preview shows each
paragraph with the insertions and deletions its fields' suggestions would make.

A suggestion changes one field, and a paragraph reads a field with its number and the
format's joiners added (assembly.py), or several fields in one (the lessons). So the
marks of a suggestion come from assembling the speech twice, as it is and with the
suggestion's text in its field, and diffing what each paragraph anchor reads. Several
suggestions on one paragraph are all marked when they touch different passages; one
that overlaps a passage an earlier one marks is left unmarked, for the page to show
beside the text with its own two texts.

Plain data in, plain data out: no ORM, no request.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, replace

from .assembly import TEXT, Paragraph
from .comparison import DELETE, EQUAL, INSERT, Allowance, diff_texts
from .structure import ITEM_LISTS, InlineItem, Speech

# A paragraph break a suggestion adds or removes, shown where it is.
BREAK_MARK = "↵"


@dataclass(frozen=True)
class Mark:
    """One piece of a marked paragraph: ``op`` 0 / 1 / -1 as ``diff_texts`` gives, the
    ``role`` of the run it is in (a lead is bold), and ``by``, the suggestion that makes
    the change (None for text that stays)."""

    op: int
    text: str
    role: str = TEXT
    by: Hashable | None = None


@dataclass(frozen=True)
class Row:
    """A paragraph of the preview: ``marks`` None when no suggestion marks it; ``new``
    when only a suggestion makes it (it fills a field that is empty now)."""

    paragraph: Paragraph
    marks: tuple[Mark, ...] | None = None
    new: bool = False


@dataclass(frozen=True)
class Marking:
    rows: list[Row]
    marked: list  # the suggestions shown inline, in the order given


@dataclass(frozen=True)
class _Edit:
    start: int
    end: int
    text: str
    by: Hashable

    def overlaps(self, other: _Edit) -> bool:
        # Two insertions at one place overlap too: which comes first is not known.
        if self.start == self.end == other.start == other.end:
            return True
        return self.start < other.end and other.start < self.end


def with_text(data: Speech, anchor: str, name: str, text: str) -> Speech:
    """``data`` with the field ``name`` of the unit ``anchor`` holding ``text`` (``name``
    as stored: an inline item's text is its ``body``). A new speech, sharing with
    ``data`` what it does not change: the preview makes one per suggestion.

    >>> with_text(Speech(opening="旧。"), "opening", "opening", "新。").opening
    '新。'
    """
    if anchor.startswith("item:"):
        item_id = anchor.removeprefix("item:")
        for part_name, list_name, _ in ITEM_LISTS:
            items = getattr(getattr(data, part_name), list_name)
            for index, item in enumerate(items):
                if str(item.id) == item_id:
                    field = "text" if isinstance(item, InlineItem) else name
                    changed = [*items]
                    changed[index] = replace(item, **{field: text})
                    part = replace(getattr(data, part_name), **{list_name: changed})
                    return replace(data, **{part_name: part})
        raise KeyError(anchor)
    section, _, field = anchor.partition(".")
    if not field:
        if not hasattr(data, name):
            raise KeyError(anchor)
        return replace(data, **{name: text})
    part = getattr(data, section, None)
    if part is None or not hasattr(part, field):
        raise KeyError(anchor)
    return replace(data, **{section: replace(part, **{field: text})})


def mark(
    current: Sequence[Paragraph],
    proposals: Sequence[tuple[Hashable, Sequence[Paragraph]]],
    allowance: Allowance | None = None,
) -> Marking:
    """The paragraphs ``current`` with the changes of each proposal marked: a proposal
    is (its key, the speech assembled with it applied), in the order to mark them.

    >>> from drafts.assembly import Run
    >>> now = [Paragraph("body", (Run("一句。"),), "opening", "opening")]
    >>> then = [Paragraph("body", (Run("一句好。"),), "opening", "opening")]
    >>> [(m.op, m.text, m.by) for m in mark(now, [("甲", then)]).rows[0].marks]
    [(0, '一句', None), (1, '好', '甲'), (0, '。', None)]
    """
    allowance = allowance or Allowance()
    blocks = _blocks(current)
    texts = {anchor: _joined(paragraphs) for anchor, paragraphs in blocks.items()}
    accepted: dict[str, list[_Edit]] = {}
    added: dict[str, tuple[str | None, Hashable, list[Paragraph]]] = {}
    marked = []
    for key, proposed in proposals:
        theirs = _blocks(proposed)
        edits: dict[str, list[_Edit]] = {}
        fresh = {}
        before = None
        for anchor, paragraphs in theirs.items():
            if anchor not in blocks:
                fresh[anchor] = (before, key, paragraphs)
            else:
                before = anchor
                text = _joined(paragraphs)
                if text != texts[anchor]:
                    edits[anchor] = _edits(texts[anchor], text, key, allowance)
        for anchor in blocks:
            if anchor not in theirs:  # the suggestion empties the field
                edits[anchor] = [_Edit(0, len(texts[anchor]), "", key)]
        if not edits and not fresh:
            continue  # nothing of it shows in the speech as read (a stripped space)
        clash = any(anchor in added for anchor in fresh) or any(
            edit.overlaps(other)
            for anchor, mine in edits.items()
            for edit in mine
            for other in accepted.get(anchor, [])
        )
        if clash:
            continue
        for anchor, mine in edits.items():
            accepted.setdefault(anchor, []).extend(mine)
        added.update(fresh)
        marked.append(key)
    rows = []
    for anchor, paragraphs in blocks.items():
        if anchor in accepted:
            rows += _marked_rows(paragraphs, accepted[anchor])
        else:
            rows += [Row(paragraph) for paragraph in paragraphs]
    for before, key, paragraphs in added.values():
        new_rows = [
            Row(p, tuple(Mark(INSERT, run.text, run.role, key) for run in p.runs), new=True)
            for p in paragraphs
        ]
        at = _after(rows, before)
        rows[at:at] = new_rows
    return Marking(rows, marked)


def _blocks(paragraphs: Sequence[Paragraph]) -> dict[str, list[Paragraph]]:
    """The paragraphs by the text they read (their anchor), in reading order."""
    blocks: dict[str, list[Paragraph]] = {}
    for paragraph in paragraphs:
        blocks.setdefault(paragraph.anchor, []).append(paragraph)
    return blocks


def _joined(paragraphs: Sequence[Paragraph]) -> str:
    return "\n".join(paragraph.text for paragraph in paragraphs)


def _edits(old: str, new: str, key: Hashable, allowance: Allowance) -> list[_Edit]:
    """The passages of ``old`` that ``new`` replaces, as offsets into ``old``."""
    edits: list[_Edit] = []
    position = 0
    for op, text in diff_texts(old, new, allowance):
        if op == EQUAL:
            position += len(text)
            continue
        end = position + (len(text) if op == DELETE else 0)
        inserted = text if op == INSERT else ""
        last = edits[-1] if edits else None
        if last is not None and last.end == position:
            # A deletion and an insertion side by side are one replacement.
            edits[-1] = _Edit(last.start, end, last.text + inserted, key)
        else:
            edits.append(_Edit(position, end, inserted, key))
        position = end
    return edits


def _marked_rows(paragraphs: list[Paragraph], edits: list[_Edit]) -> list[Row]:
    """The paragraphs of one text with ``edits`` (offsets into their joined text)
    marked, each paragraph its own row, each piece in the role of its run."""
    starts, roles, ends = [], [], []  # every run's start, role; every paragraph's end
    offset = 0
    for paragraph in paragraphs:
        for run in paragraph.runs:
            starts.append(offset)
            roles.append(run.role)
            offset += len(run.text)
        ends.append(offset)
        offset += 1  # the "\n" between two paragraphs
    text = "\n".join(paragraph.text for paragraph in paragraphs)

    def role_at(position: int) -> str:
        return roles[max(bisect_right(starts, position) - 1, 0)] if roles else TEXT

    marks: list[list[Mark]] = [[]]

    def stay_or_go(op: int, start: int, end: int, by) -> None:
        # Text of the paragraphs (kept or deleted): cut where a run or a paragraph ends.
        position = start
        while position < end:
            if position in ends:
                if op == DELETE:
                    marks[-1].append(Mark(DELETE, BREAK_MARK, role_at(position - 1), by))
                marks.append([])
                position += 1
                continue
            stop = min(
                [end] + [s for s in starts if s > position] + [e for e in ends if e > position]
            )
            marks[-1].append(Mark(op, text[position:stop], role_at(position), by))
            position = stop

    position = 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        stay_or_go(EQUAL, position, edit.start, None)
        if edit.start < edit.end:
            stay_or_go(DELETE, edit.start, edit.end, edit.by)
        if edit.text:
            role = role_at(edit.start - 1 if edit.start else 0)
            marks[-1].append(Mark(INSERT, edit.text.replace("\n", BREAK_MARK), role, edit.by))
        position = max(position, edit.end)
    stay_or_go(EQUAL, position, len(text), None)
    return [
        Row(paragraph, tuple(pieces)) for paragraph, pieces in zip(paragraphs, marks, strict=True)
    ]


def _after(rows: list[Row], anchor: str | None) -> int:
    """Where the rows of a text that follows ``anchor`` go (the start when None)."""
    if anchor is None:
        return 0
    at = 0
    for index, row in enumerate(rows):
        if row.paragraph.anchor == anchor:
            at = index + 1
    return at
