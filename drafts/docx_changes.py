"""Two versions of a speech → one .docx whose differences are Word tracked changes.

The file is the normal export (``docx_export.Page``: same styles, page, fonts) of both
versions at once: what changed inside a paragraph is marked character by character
(diff-match-patch with its semantic clean-up, so changes are word- or phrase-sized) as
``w:ins`` / ``w:del`` with ``w:id``, ``w:author`` and ``w:date``; a paragraph that only
one version has is inserted or deleted whole, its paragraph mark too
(``w:pPr/w:rPr/w:ins`` or ``w:del``, ECMA-376 Part 1 §17.13.5), so Word's 全部接受 gives
exactly the new version and 全部拒绝 exactly the old, paragraph by paragraph. A run whose
role changed (text that became the bold lead) carries ``w:rPrChange``, a paragraph whose
style changed ``w:pPrChange``.

Paragraphs are paired by where they come from first (``assembly.Paragraph``: an item's
stable id when known, else its field and its place in the field), then by equal text,
then by likeness within the same list; a pair that would cross another (an item moved)
is written as deleted where it was and inserted where it is.

Each change has one author; :class:`Change` lets a caller give a paragraph's changes
person by person (open suggestions), and :class:`PassageComment` attaches a Word comment
(``word/comments.xml``, python-docx's comments part) to a passage of a paragraph.

The diff has the comparison's budget (``compare_chars``, ``compare_milliseconds``):
past it, a changed paragraph is deleted and inserted whole.
"""

from __future__ import annotations

import datetime
import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from diff_match_patch import diff_match_patch
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.text.paragraph import CT_P
from docx.shared import Pt
from lxml import etree

from . import speech_json
from .assembly import Paragraph, assemble
from .budgets import Budgets, configured
from .comparison import Allowance
from .docx_export import ExportOptions, Page, start_document
from .export_origin import with_changes
from .placeholders import split_placeholders

EQUAL, INSERT, DELETE = 0, 1, -1
W_R, W_RPR, W_RSTYLE, W_HIGHLIGHT = qn("w:r"), qn("w:rPr"), qn("w:rStyle"), qn("w:highlight")
W_T, W_DEL_TEXT, W_BR, W_TAB = qn("w:t"), qn("w:delText"), qn("w:br"), qn("w:tab")
W_ID, W_AUTHOR, W_DATE, W_VAL = qn("w:id"), qn("w:author"), qn("w:date"), qn("w:val")
XML_SPACE = qn("xml:space")
# Where a clause ends: the first pass of a diff pairs clauses, the second their characters.
# Differing clauses up to this many characters both sides are diffed by their common ends.
SMALL_DIFF = 24
CLAUSE = re.compile("[^，。；：、！？,.;:!?\n]*[，。；：、！？,.;:!?\n]?")
# Paragraph-mark states: kept, inserted, deleted, inserted and deleted again.
KEPT, INSERTED, DELETED, BOTH = "kept", "inserted", "deleted", "both"
# Two paragraphs of the same list are taken for one edited item from this likeness on
# (shared character pairs over all of them, see :func:`likeness`).
ALIKE = 0.5
ITEM_LABEL = re.compile("^(（[一二三四五六七八九十百零]+）|[一二三四五六七八九十百零]+是)")
# The lists whose items are paired by place only when nothing better is known.
ITEM_LISTS = ("achievements", "lessons", "shortcomings", "measures")


@dataclass(frozen=True)
class Change:
    """One person's change to one paragraph: ``old[start:end]`` becomes ``text``.

    Offsets count the characters of the old version's paragraph text
    (``assembly.Paragraph.text``). Several changes of one paragraph do not overlap and
    come in order; :func:`redline_docx` takes them per paragraph of the old version.
    """

    start: int
    end: int
    text: str
    author: str
    date: datetime.datetime


@dataclass(frozen=True)
class PassageComment:
    """A Word comment on ``text[start:end]`` of the new version's paragraph number
    ``paragraph`` (an index into ``assemble`` of the new version); an empty passage
    stands for the whole paragraph."""

    paragraph: int
    start: int
    end: int
    text: str
    author: str
    date: datetime.datetime
    initials: str = ""


@dataclass(frozen=True)
class Row:
    """One paragraph of the file: the old version's paragraph index, the new one's, or
    both when the two are one paragraph edited."""

    old: int | None
    new: int | None


@dataclass(frozen=True)
class _Piece:
    op: int
    text: str
    role: str
    old_role: str
    author: str
    date: datetime.datetime


def redline_docx(
    old: Mapping,
    new: Mapping,
    *,
    author: str,
    date: datetime.datetime,
    changes: Mapping[int, Sequence[Change]] | None = None,
    comments: Sequence[PassageComment] = (),
    options: ExportOptions | None = None,
    budgets: Budgets | None = None,
) -> bytes:
    """The .docx of ``new`` (a ``speechdraft/1`` document) with its differences from
    ``old`` as tracked changes by ``author`` at ``date``.

    ``changes`` gives, for a paragraph of the old version (its index in ``assemble``),
    its changes person by person; they are used when they turn the old paragraph into
    its new text, and the paragraph is diffed as ``author``'s otherwise.

    >>> import datetime, io, zipfile
    >>> from drafts.speech_json import to_document
    >>> from drafts.structure import Speech
    >>> old = to_document(Speech(opening="今天召开会议。"))
    >>> new = to_document(Speech(opening="今天召开全体会议。"))
    >>> docx = redline_docx(old, new, author="李处长", date=datetime.datetime(2026, 12, 1))
    >>> xml = zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").decode()
    >>> '<w:ins w:id="0" w:author="李处长" w:date="2026-12-01T00:00:00Z">' in xml
    True
    """
    budgets = budgets or configured()
    if options is not None and options.origin is not None:
        # The file names its own changes, so an import tells them from a reviewer's.
        origin = with_changes(options.origin, author, word_date(date))
        options = replace(options, origin=origin)
    before = assemble(speech_json.from_document(old))
    after = assemble(speech_json.from_document(new))
    page = start_document(after, options)
    writer = _Writer(page, before, after, author, date, budgets)
    writer.write(align(before, after), changes or {}, comments)
    return page.save()


def align(old: Sequence[Paragraph], new: Sequence[Paragraph]) -> list[Row]:
    """The paragraphs of both versions in the file's order, each edited one once.

    Pairs equal texts of one field first, then paragraphs by their place in a field
    (an item's by its id; not by place in an item list, where another item may stand
    now), then equal texts anywhere, then an item list's paragraphs by place and
    likeness. Pairs that would
    cross are undone: the moved paragraph is deleted and inserted.

    >>> from drafts.structure import Speech
    >>> old = assemble(Speech(opening="甲。\\n乙。"))
    >>> new = assemble(Speech(opening="甲。\\n丙。\\n乙。"))
    >>> [(row.old, row.new) for row in align(old, new)]
    [(0, 0), (1, 1), (None, 2), (2, 3)]
    """
    pairs: dict[int, int] = {}  # new index → old index
    taken: set[int] = set()

    def pair(j: int, i: int) -> None:
        pairs[j] = i
        taken.add(i)

    # 1. The same text from the same field (an item's by its id when stored), at the
    # same place in it first.
    at_place = {(_source(p), p.index, p.text): i for i, p in enumerate(old)}
    for j, paragraph in enumerate(new):
        i = at_place.get((_source(paragraph), paragraph.index, paragraph.text))
        if i is not None and i not in taken:
            pair(j, i)
    same: dict[tuple, list[int]] = {}
    for i, paragraph in enumerate(old):
        if i not in taken:
            same.setdefault((_source(paragraph), paragraph.text), []).append(i)
    for j, paragraph in enumerate(new):
        candidates = same.get((_source(paragraph), paragraph.text))
        if candidates and j not in pairs:
            pair(j, candidates.pop(0))
    # 2. The same place in a field that is not an item list's, or in a stored item.
    by_key: dict[tuple, int] = {}
    for i, paragraph in enumerate(old):
        key = _strong_key(paragraph)
        if key is not None and i not in taken:
            by_key.setdefault(key, i)
    for j, paragraph in enumerate(new):
        key = _strong_key(paragraph)
        if j not in pairs and key in by_key and by_key[key] not in taken:
            pair(j, by_key[key])
    # 3. Equal text, numbering aside: an item that moved, or whose number changed.
    by_text: dict[str, list[int]] = {}
    for i, paragraph in enumerate(old):
        if i not in taken:
            by_text.setdefault(_unlabelled(paragraph), []).append(i)
    for j, paragraph in enumerate(new):
        candidates = by_text.get(_unlabelled(paragraph))
        while j not in pairs and candidates:
            i = candidates.pop(0)
            if i not in taken:
                pair(j, i)
    # 4. What stands at the same place in the same list, if alike; the likest left in
    # the list; then what stands at the same place, alike or not.
    by_place = {(p.anchor, p.index): i for i, p in enumerate(old) if i not in taken}
    for j, paragraph in enumerate(new):
        i = by_place.get((paragraph.anchor, paragraph.index))
        fits = j not in pairs and i is not None and i not in taken
        if fits and likeness(old[i].text, paragraph.text) >= ALIKE:
            pair(j, i)
    for j, paragraph in enumerate(new):
        if j in pairs:
            continue
        candidates = [
            (likeness(old[i].text, paragraph.text), i)
            for i, before in enumerate(old)
            if i not in taken and _list_of(before) == _list_of(paragraph) is not None
        ]
        if candidates:
            score, i = max(candidates, key=lambda candidate: (candidate[0], -candidate[1]))
            if score >= ALIKE:
                pair(j, i)
    by_place = {(p.anchor, p.index): i for i, p in enumerate(old) if i not in taken}
    for j, paragraph in enumerate(new):
        i = by_place.get((paragraph.anchor, paragraph.index))
        if j not in pairs and i is not None and i not in taken:
            pair(j, i)
    kept = _increasing(sorted(pairs.items()))
    return _rows(len(old), len(new), kept)


def likeness(a: str, b: str) -> float:
    """Shared character pairs over all of them (Dice on bigrams): 1 for equal texts.

    >>> likeness("加强数据质量", "加强数据质量"), round(likeness("加强数据质量", "改进服务方式"), 2)
    (1.0, 0.0)
    """
    if a == b:
        return 1.0
    pairs_a = {a[k : k + 2] for k in range(len(a) - 1)}
    pairs_b = {b[k : k + 2] for k in range(len(b) - 1)}
    if not pairs_a or not pairs_b:
        return 0.0
    return 2 * len(pairs_a & pairs_b) / (len(pairs_a) + len(pairs_b))


def apply_changes(text: str, changes: Sequence[Change]) -> str | None:
    """``text`` with ``changes`` made, or None when they overlap, go backwards or past
    its end.

    >>> when = datetime.datetime(2026, 12, 1)
    >>> changes = [Change(2, 2, "上午", "甲", when), Change(3, 4, "议", "乙", when)]
    >>> apply_changes("今天开会", changes)
    '今天上午开议'
    """
    pieces, position = [], 0
    for change in changes:
        if not position <= change.start <= change.end <= len(text):
            return None
        pieces += [text[position : change.start], change.text]
        position = change.end
    return "".join(pieces) + text[position:]


def changes_between(
    old: str, new: str, author: str, date: datetime.datetime, budgets: Budgets | None = None
) -> list[Change]:
    """The changes that turn ``old`` into ``new``, word- or phrase-sized, by ``author``:
    what a caller merging several people's proposals for one paragraph starts from.

    >>> when = datetime.datetime(2026, 12, 1)
    >>> changes = changes_between("今天天气很好", "今天天气不好", "甲", when)
    >>> [(change.start, change.end, change.text) for change in changes]
    [(4, 5, '不')]
    """
    allowance = _Allowance(budgets or configured())
    changes, position = [], 0
    pending: list[int | str] | None = None
    for op, text in allowance.diff(old, new):
        if op == EQUAL:
            if pending:
                changes.append(Change(pending[0], pending[1], pending[2], author, date))
                pending = None
            position += len(text)
            continue
        if pending is None:
            pending = [position, position, ""]
        if op == DELETE:
            position += len(text)
            pending[1] = position
        else:
            pending[2] += text
    if pending:
        changes.append(Change(pending[0], pending[1], pending[2], author, date))
    return changes


def _unlabelled(paragraph: Paragraph) -> str:
    """An item's first paragraph without its number (（二）, 三是), which moves with it."""
    if paragraph.index == 0 and _list_of(paragraph) is not None:
        return ITEM_LABEL.sub("", paragraph.text, count=1)
    return paragraph.text


def _source(paragraph: Paragraph) -> str:
    return f"item:{paragraph.item_id}" if paragraph.item_id else paragraph.anchor


def _strong_key(paragraph: Paragraph) -> tuple | None:
    if paragraph.item_id:
        return ("item", paragraph.item_id, paragraph.index)
    if _list_of(paragraph) is not None:
        return None  # a place in a list: another item may stand there now
    return (paragraph.anchor, paragraph.index)


def _list_of(paragraph: Paragraph) -> str | None:
    """The item list a paragraph belongs to (``part_one.achievements``), if any."""
    section, _, rest = paragraph.anchor.partition(".")
    name = rest.partition(".")[0]
    return f"{section}.{name}" if name in ITEM_LISTS and rest != name else None


def _increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest run of (new, old) pairs whose old indexes increase too."""
    tails: list[int] = []  # tails[k]: index into pairs of the best run of length k + 1
    before = [-1] * len(pairs)
    for position, (_, old) in enumerate(pairs):
        low, high = 0, len(tails)
        while low < high:
            middle = (low + high) // 2
            if pairs[tails[middle]][1] < old:
                low = middle + 1
            else:
                high = middle
        before[position] = tails[low - 1] if low else -1
        if low == len(tails):
            tails.append(position)
        else:
            tails[low] = position
    run, position = [], tails[-1] if tails else -1
    while position >= 0:
        run.append(pairs[position])
        position = before[position]
    return run[::-1]


def _rows(old_count: int, new_count: int, pairs: list[tuple[int, int]]) -> list[Row]:
    rows, i, j = [], 0, 0
    for new, old in [*pairs, (new_count, old_count)]:
        rows += [Row(k, None) for k in range(i, old)]
        rows += [Row(None, k) for k in range(j, new)]
        if new < new_count:
            rows.append(Row(old, new))
        i, j = old + 1, new + 1
    return rows


def _marks(rows: Sequence[Row]) -> list[str]:
    """The state of each row's paragraph mark, so that accepting all and rejecting all
    split the text into exactly the paragraphs of each version.

    A deleted paragraph's mark is deleted and an inserted one's inserted; but the
    body's last mark must stay, so after the last edited paragraph each mark moves one
    paragraph up: ``P¶ D¶ I¶`` is written ``P¶(deleted) D ¶(inserted) I ¶``.

    >>> _marks([Row(0, 0), Row(1, None), Row(None, 1)])
    ['deleted', 'inserted', 'kept']
    >>> _marks([Row(0, None), Row(None, 0)])
    ['both', 'kept']
    """
    states = [KEPT if row.old is not None and row.new is not None else _whole(row) for row in rows]
    paired = [k for k, row in enumerate(rows) if row.old is not None and row.new is not None]
    last = paired[-1] if paired else -1
    if last == len(rows) - 1:
        return states
    tail = states[last + 1 :]
    if last >= 0:
        return states[:last] + tail + [KEPT]
    # No paragraph is in both: deleted ones come first, then inserted ones (align's order).
    deleted = [s for s in tail if s == DELETED]
    inserted = [s for s in tail if s == INSERTED]
    if not deleted or not inserted:
        return tail[:-1] + [KEPT]
    return deleted[:-1] + [BOTH] + inserted[:-1] + [KEPT]


def _whole(row: Row) -> str:
    return DELETED if row.new is None else INSERTED


class _Allowance(Allowance):
    """The comparison's budget (``comparison.Allowance``), spent on one export's diffs."""

    def diff(self, old: str, new: str) -> list[tuple[int, str]]:
        """The character diff, or the whole old text deleted and the new inserted."""
        if self.take(len(old) + len(new)):
            engine = diff_match_patch()
            diffs = clause_diff(engine, old, new, self.deadline)
            engine.diff_cleanupSemantic(diffs)
            if time.time() < self.deadline:
                return [(op, text) for op, text in diffs]
        self.exceeded = True
        return [(op, text) for op, text in ((DELETE, old), (INSERT, new)) if text]


def clause_diff(engine: diff_match_patch, old: str, new: str, deadline: float) -> list:
    """diff-match-patch's diff in two passes, as its line mode does with lines: clauses
    (up to a ， 。 or other mark) first, then the characters of the clauses that differ.
    A long paragraph with edits all over it costs a fraction of one character diff.

    >>> clause_diff(diff_match_patch(), "甲乙，丙丁。", "甲乙，丙戊。", 1e12)
    [(0, '甲乙，丙'), (-1, '丁'), (1, '戊'), (0, '。')]
    """
    tokens: dict[str, str] = {}
    clauses: list[str] = []

    def encode(text: str) -> str:
        codes = []
        for clause in CLAUSE.findall(text):
            if clause:
                code = tokens.get(clause)
                if code is None:
                    # Private-use and astral planes: never a surrogate, whatever the count.
                    code = tokens[clause] = chr(0xF0000 + len(clauses))
                    clauses.append(clause)
                codes.append(code)
        return "".join(codes)

    coarse = engine.diff_main(encode(old), encode(new), False, deadline)
    diffs: list = []
    deleted = inserted = ""
    for op, codes in [*coarse, (EQUAL, "")]:
        text = "".join(clauses[ord(code) - 0xF0000] for code in codes)
        if op == DELETE:
            deleted += text
        elif op == INSERT:
            inserted += text
        else:
            if deleted and inserted:
                diffs += _small_diff(engine, deleted, inserted, deadline)
            elif deleted or inserted:
                diffs.append((DELETE, deleted) if deleted else (INSERT, inserted))
            deleted = inserted = ""
            if text:
                diffs.append((EQUAL, text))
    engine.diff_cleanupMerge(diffs)
    return diffs


def _small_diff(engine: diff_match_patch, old: str, new: str, deadline: float) -> list:
    """The differing clauses' diff: for a few clauses, their common ends kept and the
    middle replaced (what the semantic clean-up would leave of them anyway).

    >>> _small_diff(diff_match_patch(), "巡查、", "巡改、", 1e12)
    [(0, '巡'), (-1, '查'), (1, '改'), (0, '、')]
    """
    if len(old) + len(new) > SMALL_DIFF:
        return engine.diff_main(old, new, False, deadline)
    prefix = engine.diff_commonPrefix(old, new)
    suffix = engine.diff_commonSuffix(old[prefix:], new[prefix:])
    middle_old = old[prefix : len(old) - suffix]
    middle_new = new[prefix : len(new) - suffix]
    diffs = [
        (EQUAL, old[:prefix]),
        (DELETE, middle_old),
        (INSERT, middle_new),
        (EQUAL, old[len(old) - suffix :]),
    ]
    return [(op, text) for op, text in diffs if text]


class _Writer:
    def __init__(self, page: Page, old, new, author, date, budgets: Budgets):
        self.page = page
        self.old, self.new = old, new
        self.author, self.date = author, date
        self.allowance = _Allowance(budgets)
        self.next_id = 0
        self.highlight = page.options.highlight_placeholders
        self.comment_styles = False
        self.stamps: dict[tuple, str] = {}

    def write(self, rows, changes: Mapping[int, Sequence[Change]], comments) -> None:
        by_paragraph: dict[int, list[PassageComment]] = {}
        for comment in comments:
            if 0 <= comment.paragraph < len(self.new):
                by_paragraph.setdefault(comment.paragraph, []).append(comment)
        self.next_id = len(comments)  # comment ids are 0, 1 …; revision ids follow
        old_roles = [p.role for p in self.old] + [None]
        new_roles = [p.role for p in self.new] + [None]
        for row, mark in zip(rows, _marks(rows), strict=True):
            element = self.page.document.add_paragraph()._p
            if row.new is not None:
                role, following = new_roles[row.new], new_roles[row.new + 1]
            else:
                role, following = old_roles[row.old], old_roles[row.old + 1]
            self.page.format_paragraph(element, role, following)
            if row.old is not None and row.new is not None:
                before = self.old[row.old]
                old_following = old_roles[row.old + 1]
                self._style_change(element, before.role, old_following, role, following)
            pieces = self._pieces(row, changes.get(row.old) if row.old is not None else None)
            self._write_pieces(element, pieces, by_paragraph.get(row.new, []))
            self._mark(element, mark)

    # What a row is made of.

    def _pieces(self, row: Row, changes: Sequence[Change] | None) -> list[_Piece]:
        old = self._runs(self.old[row.old]) if row.old is not None else []
        new = self._runs(self.new[row.new]) if row.new is not None else []
        old_text = "".join(text for text, _ in old)
        new_text = "".join(text for text, _ in new)
        if old == new:
            return [_Piece(EQUAL, text, role, role, "", self.date) for text, role in new]
        ops = self._authored(row, old_text, new_text, changes)
        return list(_split_by_roles(ops, old, new))

    def _runs(self, paragraph: Paragraph) -> list[tuple[str, str]]:
        page = self.page
        runs = [(page.display_text(paragraph.role, run.text), run.role) for run in paragraph.runs]
        return [(text, role) for text, role in runs if text]

    def _authored(self, row: Row, old_text: str, new_text: str, changes):
        """(op, text, author, date) of a row: its given changes when they make its new
        text (offsets into the displayed text equal those into the assembled one only
        where nothing is laid out: not in a title), else the diff, ``author``'s."""
        paragraph = self.old[row.old] if row.old is not None else None
        if (
            changes
            and paragraph is not None
            and paragraph.text == old_text
            and apply_changes(old_text, changes) == new_text
        ):
            ops, position = [], 0
            for change in changes:
                ops.append((EQUAL, old_text[position : change.start], "", self.date))
                ops.append(
                    (DELETE, old_text[change.start : change.end], change.author, change.date)
                )
                ops.append((INSERT, change.text, change.author, change.date))
                position = change.end
            ops.append((EQUAL, old_text[position:], "", self.date))
            return [op for op in ops if op[1]]
        if not old_text or not new_text:
            diffs = [(DELETE, old_text), (INSERT, new_text)]
        else:
            diffs = self.allowance.diff(old_text, new_text)
        return [(op, text, self.author, self.date) for op, text in diffs if text]

    # XML.

    def _new_id(self) -> str:
        self.next_id += 1
        return str(self.next_id - 1)

    def _revision(self, tag: str, author: str, date: datetime.datetime, parent=None):
        """A w:ins, w:del, w:rPrChange … with its id, author and date (under ``parent``)."""
        key = (author, date)
        stamp = self.stamps.get(key)
        if stamp is None:
            stamp = self.stamps[key] = word_date(date)
        attributes = {W_ID: self._new_id(), W_AUTHOR: author, W_DATE: stamp}
        if parent is None:
            return OxmlElement(tag, attributes)
        return etree.SubElement(parent, qn(tag), attributes)

    def _write_pieces(self, element: CT_P, pieces: list[_Piece], comments) -> None:
        starts: dict[int, list[PassageComment]] = {}
        ends: dict[int, list[PassageComment]] = {}
        length = sum(len(p.text) for p in pieces if p.op != DELETE)
        for comment in comments:
            start = max(0, min(comment.start, length))
            end = max(start, min(comment.end, length))
            if start == end:
                start, end = 0, length
            starts.setdefault(start, []).append(comment)
            ends.setdefault(end, []).append(comment)
        cuts = sorted(set(starts) | set(ends))
        ids: dict[int, int] = {}
        position = 0
        container = None  # the open w:ins / w:del and its (op, author, date)
        for piece in _cut(pieces, cuts):
            if piece.op != DELETE:
                for comment in starts.pop(position, []):
                    ids[id(comment)] = self._comment(comment)
                    element.append(
                        OxmlElement("w:commentRangeStart", {qn("w:id"): str(ids[id(comment)])})
                    )
                    container = None
            if piece.op == EQUAL:
                parent, container = element, None
            else:
                signature = (piece.op, piece.author, piece.date)
                if container is None or container[1] != signature:
                    tag = "w:ins" if piece.op == INSERT else "w:del"
                    wrapper = self._revision(tag, piece.author, piece.date, element)
                    container = (wrapper, signature)
                parent = container[0]
            self._add_runs(parent, piece)
            if piece.op != DELETE:
                position += len(piece.text)
                if position in ends:
                    for comment in ends.pop(position):
                        self._end_comment(element, ids.pop(id(comment), None), comment)
                    container = None
        for comment in [c for group in starts.values() for c in group]:
            ids[id(comment)] = self._comment(comment)
            element.append(OxmlElement("w:commentRangeStart", {qn("w:id"): str(ids[id(comment)])}))
        for comment in [c for group in ends.values() for c in group]:
            self._end_comment(element, ids.pop(id(comment), None), comment)

    def _add_runs(self, parent, piece: _Piece) -> None:
        # Plain lxml: thousands of runs in a long speech, python-docx's setters cost 10×.
        style = self.page.run_style(piece.role)
        changed = piece.old_role != piece.role and piece.op == EQUAL
        segments = split_placeholders(piece.text) if self.highlight else [(piece.text, False)]
        for segment, is_placeholder in segments:
            run = etree.SubElement(parent, W_R)
            if style or is_placeholder or changed:
                properties = etree.SubElement(run, W_RPR)
                if style:
                    etree.SubElement(properties, W_RSTYLE, {W_VAL: style})
                if is_placeholder:
                    etree.SubElement(properties, W_HIGHLIGHT, {W_VAL: "yellow"})
                if changed:
                    change = self._revision("w:rPrChange", self.author, self.date, properties)
                    original = etree.SubElement(change, W_RPR)
                    old_style = self.page.run_style(piece.old_role)
                    if old_style:
                        etree.SubElement(original, W_RSTYLE, {W_VAL: old_style})
            _add_text(run, segment, deleted=piece.op == DELETE)

    def _comment(self, comment: PassageComment) -> int:
        if not self.comment_styles:
            _add_comment_styles(self.page)
            self.comment_styles = True
        made = self.page.document.comments.add_comment(
            text="", author=comment.author, initials=comment.initials
        )
        made._comment_elm.date = _utc(comment.date)
        paragraph = made.paragraphs[0]
        paragraph.add_run(comment.text)
        return made.comment_id

    def _end_comment(self, element: CT_P, comment_id: int | None, comment) -> None:
        if comment_id is None:
            comment_id = self._comment(comment)
            element.append(OxmlElement("w:commentRangeStart", {qn("w:id"): str(comment_id)}))
        element.append(OxmlElement("w:commentRangeEnd", {qn("w:id"): str(comment_id)}))
        reference = OxmlElement("w:r")
        reference.get_or_add_rPr().style = "CommentReference"
        reference.append(OxmlElement("w:commentReference", {qn("w:id"): str(comment_id)}))
        element.append(reference)

    def _mark(self, element: CT_P, state: str) -> None:
        if state == KEPT:
            return
        properties = element.get_or_add_pPr()
        mark = OxmlElement("w:rPr")
        if state in (INSERTED, BOTH):
            mark.append(self._revision("w:ins", self.author, self.date))
        if state in (DELETED, BOTH):
            mark.append(self._revision("w:del", self.author, self.date))
        change = properties.find(qn("w:pPrChange"))
        if change is None:
            properties.append(mark)
        else:
            change.addprevious(mark)

    def _style_change(self, element: CT_P, old_role, old_following, role, following) -> None:
        """``w:pPrChange`` with the old paragraph properties when they differ."""
        if (old_role, old_following) == (role, following):
            return
        scratch, same = OxmlElement("w:p"), OxmlElement("w:p")
        self.page.format_paragraph(scratch, old_role, old_following)
        self.page.format_paragraph(same, role, following)
        if etree.tostring(scratch) == etree.tostring(same):
            return
        old_properties = scratch.find(qn("w:pPr"))
        if old_properties is None:
            old_properties = OxmlElement("w:pPr")
        change = self._revision("w:pPrChange", self.author, self.date)
        change.append(old_properties)
        element.get_or_add_pPr().append(change)


def _add_comment_styles(page: Page) -> None:
    """Word's 批注文字 and 批注引用 styles, which python-docx's comments name but its
    template lacks: the comment's text in the body face at 五号, its mark in the text."""
    styles = page.document.styles
    text = styles.add_style("annotation text", WD_STYLE_TYPE.PARAGRAPH)
    text.element.styleId = "CommentText"
    text.base_style = styles["Normal"]
    text.font.size = Pt(10.5)
    form = text.paragraph_format
    form.alignment = WD_ALIGN_PARAGRAPH.LEFT
    form.line_spacing_rule = WD_LINE_SPACING.SINGLE
    form.first_line_indent = 0
    reference = styles.add_style("annotation reference", WD_STYLE_TYPE.CHARACTER)
    reference.element.styleId = "CommentReference"
    reference.base_style = styles["Default Paragraph Font"]
    reference.font.size = Pt(10.5)


def _split_by_roles(ops, old_runs, new_runs):
    """Ops cut where either version's run role changes, each with its roles."""
    old_roles = _role_at(old_runs)
    new_roles = _role_at(new_runs)
    o = n = 0
    for op, text, author, date in ops:
        start = 0
        while start < len(text):
            if op == EQUAL:
                old_role, old_end = old_roles(o)
                role, new_end = new_roles(n)
                step = min(len(text) - start, old_end - o, new_end - n)
            elif op == DELETE:
                role, old_end = old_roles(o)
                old_role = role
                step = min(len(text) - start, old_end - o)
            else:
                role, new_end = new_roles(n)
                old_role = role
                step = min(len(text) - start, new_end - n)
            yield _Piece(op, text[start : start + step], role, old_role, author, date)
            start += step
            if op != INSERT:
                o += step
            if op != DELETE:
                n += step


def _role_at(runs):
    """A function: offset → (role of the run there, where that run ends)."""
    bounds, position = [], 0
    for text, role in runs:
        position += len(text)
        bounds.append((position, role))

    def role_at(offset: int) -> tuple[str, int]:
        for end, role in bounds:
            if offset < end:
                return role, end
        return (bounds[-1][1] if bounds else "text"), offset + 1

    return role_at


def _cut(pieces: list[_Piece], cuts: list[int]):
    """Pieces cut at the given offsets of the new text (where comments start or end)."""
    if not cuts:
        yield from pieces
        return
    position = 0
    for piece in pieces:
        if piece.op == DELETE:
            yield piece
            continue
        start = 0
        for cut in cuts:
            if position < cut < position + len(piece.text):
                yield _with_text(piece, piece.text[start : cut - position])
                start = cut - position
        yield _with_text(piece, piece.text[start:])
        position += len(piece.text)


def _with_text(piece: _Piece, text: str) -> _Piece:
    return _Piece(piece.op, text, piece.role, piece.old_role, piece.author, piece.date)


def _add_text(run, text: str, *, deleted: bool) -> None:
    """The run's text: w:t (w:delText in a deletion), "\\n" as w:br, "\\t" as w:tab."""
    tag = W_DEL_TEXT if deleted else W_T
    pieces = re.split("([\n\t])", text) if "\n" in text or "\t" in text else (text,)
    for piece in pieces:
        if piece == "\n":
            etree.SubElement(run, W_BR)
        elif piece == "\t":
            etree.SubElement(run, W_TAB)
        elif piece:
            element = etree.SubElement(run, tag)
            element.text = piece
            if piece[0] == " " or piece[-1] == " ":
                element.set(XML_SPACE, "preserve")


def word_date(date: datetime.datetime) -> str:
    """A revision's w:date as Word writes it, in UTC (a naive time is taken as UTC).

    >>> word_date(datetime.datetime(2026, 12, 1, 8, 30, tzinfo=datetime.timezone.utc))
    '2026-12-01T08:30:00Z'
    """
    return _utc(date).strftime("%Y-%m-%dT%H:%M:%SZ")


def _utc(date: datetime.datetime) -> datetime.datetime:
    if date.tzinfo is None:
        return date.replace(tzinfo=datetime.UTC, microsecond=0)
    return date.astimezone(datetime.UTC).replace(microsecond=0)
