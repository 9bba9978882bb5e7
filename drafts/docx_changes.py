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
import difflib
import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from diff_match_patch import diff_match_patch
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.packuri import PackURI
from docx.opc.part import Part
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
from .structure import Speech

EQUAL, INSERT, DELETE = 0, 1, -1
# Inserted by one version and deleted by a later one.
UNDONE = 2
W_R, W_RPR, W_RSTYLE, W_HIGHLIGHT = qn("w:r"), qn("w:rPr"), qn("w:rStyle"), qn("w:highlight")
W_T, W_DEL_TEXT, W_BR, W_TAB = qn("w:t"), qn("w:delText"), qn("w:br"), qn("w:tab")
W_ID, W_AUTHOR, W_DATE, W_VAL = qn("w:id"), qn("w:author"), qn("w:date"), qn("w:val")
XML_SPACE = qn("xml:space")
# Replies to comments ([MS-DOCX] §2.6: Word 2013's commentsExtended part).
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
W14_PARA_ID, MC_IGNORABLE = f"{{{W14}}}paraId", f"{{{MC}}}Ignorable"
W15_COMMENTS_EX, W15_COMMENT_EX = f"{{{W15}}}commentsEx", f"{{{W15}}}commentEx"
W15_PARA_ID, W15_PARA_ID_PARENT = f"{{{W15}}}paraId", f"{{{W15}}}paraIdParent"
W15_DONE = f"{{{W15}}}done"
COMMENTS_EX_URI = "/word/commentsExtended.xml"
COMMENTS_EX_TYPE = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.commentsExtended+xml"
)
COMMENTS_EX_RELATIONSHIP = "http://schemas.microsoft.com/office/2011/relationships/commentsExtended"
# Where a clause ends: the first pass of a diff pairs clauses, the second their characters.
# Differing clauses up to this many characters both sides are diffed by their common ends.
SMALL_DIFF = 24
CLAUSE = re.compile("[^，。；：、！？,.;:!?\n]*[，。；：、！？,.;:!?\n]?")
# Paragraph-mark states: kept, inserted, deleted, inserted and deleted again.
KEPT, INSERTED, DELETED, BOTH = "kept", "inserted", "deleted", "both"
# A mark's state by whether it stays when rejecting all, and when accepting all.
MARK_STATES = {(True, True): KEPT, (True, False): DELETED, (False, True): INSERTED}
MARK_STATES[(False, False)] = BOTH
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
class CommentReply:
    """An answer in a comment's thread: a Word reply to it (``commentsExtended.xml``)."""

    text: str
    author: str
    date: datetime.datetime
    initials: str = ""


@dataclass(frozen=True)
class PassageComment:
    """A Word comment on ``text[start:end]`` of the new version's paragraph number
    ``paragraph`` (an index into ``assemble`` of the new version); an empty passage
    stands for the whole paragraph. ``replies`` are its thread, oldest first."""

    paragraph: int
    start: int
    end: int
    text: str
    author: str
    date: datetime.datetime
    initials: str = ""
    replies: tuple[CommentReply, ...] = ()


@dataclass(frozen=True)
class Version:
    """A version after the new one, made from the version before it by ``author`` at
    ``date``: an open suggestion accepted. ``note`` (the suggestion's reason) is
    written as a Word comment by ``author`` on the version's own changes, ``replies``
    (the answers to the suggestion) as its thread.

    ``speech`` is a ``structure.Speech`` (its items' ids help pair paragraphs) or a
    ``speechdraft/1`` document."""

    speech: Speech | Mapping
    author: str
    date: datetime.datetime
    note: str = ""
    replies: tuple[CommentReply, ...] = ()


@dataclass(frozen=True)
class Row:
    """One paragraph of the file: the old version's paragraph index, the new one's, or
    both when the two are one paragraph edited."""

    old: int | None
    new: int | None


@dataclass(frozen=True)
class _Piece:
    """Characters of one paragraph of the file, as one kind of run.

    ``op``: kept (EQUAL), inserted, deleted, or inserted and deleted again (UNDONE: a
    suggestion deleting what the new version added), by ``author`` at ``date``, the
    second deletion by ``undone_by``. ``in_new``: the characters are the new version's
    (comments count those); ``steps``: the versions whose changes they are;
    ``restyled``: who changed the role of kept characters.
    """

    op: int
    text: str
    role: str
    old_role: str
    author: str = ""
    date: datetime.datetime | None = None
    undone_by: tuple[str, datetime.datetime] | None = None
    in_new: bool = True
    steps: tuple[int, ...] = ()
    restyled: tuple[str, datetime.datetime] | None = None


@dataclass
class _Segment:
    """Characters of a paragraph through the versions: the one they appear in
    (``born``, 0 for the old version) and the one that no longer has them (``died``),
    who did each, their role in the old version and in the latest."""

    text: str
    role: str
    old_role: str
    born: int
    inserted: tuple[str, datetime.datetime] | None = None
    died: int | None = None
    deleted: tuple[str, datetime.datetime] | None = None
    restyled: tuple[str, datetime.datetime] | None = None

    def cut(self, length: int) -> _Segment:
        """The first ``length`` characters; this segment keeps the rest."""
        head = _Segment(**{**self.__dict__, "text": self.text[:length]})
        self.text = self.text[length:]
        return head

    def piece(self, new: int) -> _Piece:
        """The segment as a piece of the file; ``new`` is the new version's number."""
        in_new = self.born <= new and (self.died is None or self.died > new)
        steps = tuple(step for step in (self.born, self.died) if step)
        if self.born == 0 and self.died is None:
            return _Piece(
                EQUAL, self.text, self.role, self.old_role, restyled=self.restyled, steps=steps
            )
        if self.born == 0:
            author, date = self.deleted
            return _Piece(DELETE, self.text, self.old_role, self.old_role, author, date,
                          in_new=in_new, steps=steps)  # fmt: skip
        author, date = self.inserted
        if self.died is None:
            return _Piece(INSERT, self.text, self.role, self.role, author, date,
                          in_new=in_new, steps=steps)  # fmt: skip
        return _Piece(UNDONE, self.text, self.role, self.role, author, date, self.deleted,
                      in_new=in_new, steps=steps)  # fmt: skip


def redline_docx(
    old: Mapping | Speech,
    new: Mapping | Speech,
    *,
    author: str,
    date: datetime.datetime,
    changes: Mapping[int, Sequence[Change]] | None = None,
    between: Sequence[Version] = (),
    then: Sequence[Version] = (),
    comments: Sequence[PassageComment] = (),
    options: ExportOptions | None = None,
    budgets: Budgets | None = None,
) -> bytes:
    """The .docx of ``new`` (a ``speechdraft/1`` document or a ``structure.Speech``)
    with its differences from ``old`` as tracked changes by ``author`` at ``date``.

    ``changes`` gives, for a paragraph of the old version (its index in ``assemble``),
    its changes person by person; they are used when they turn the old paragraph into
    its new text, and the paragraph is diffed as ``author``'s otherwise.

    ``between`` are versions from ``old`` to ``new``, each by its own person (their
    saves in between), the last step to ``new`` being ``author``'s; ``then`` are later
    versions, each by its own person (open suggestions, accepted in turn): their
    changes are tracked on top of the new version's, so that accepting every change
    gives the last of them and rejecting every one gives ``old``. What a
    later version deletes of the new version's insertions is an insertion deleted again
    (``w:del`` inside ``w:ins``), as Word writes one person's deletion of another's
    insertion.

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
        # The file names its own changes (every step to the new version), so an import
        # tells them from a reviewer's; the later versions' (open suggestions) are not
        # its own: they come back as their authors' proposals.
        steps = [(v.author, word_date(v.date)) for v in between]
        origin = with_changes(options.origin, author, word_date(date), steps)
        options = replace(options, origin=origin)
    versions = [Version(old, "", date), *between, Version(new, author, date), *then]
    paragraphs = [assemble(_speech(version.speech)) for version in versions]
    page = start_document(paragraphs[len(between) + 1], options)
    writer = _Writer(page, paragraphs, versions, len(between) + 1, budgets)
    writer.write(chain(paragraphs), changes or {}, comments)
    return page.save()


def _speech(value: Mapping | Speech) -> Speech:
    return value if isinstance(value, Speech) else speech_json.from_document(value)


def chain(versions: Sequence[Sequence[Paragraph]]) -> list[tuple[int | None, ...]]:
    """The paragraphs of every version in the file's order: for each paragraph of the
    file, its index in each version (None where that version lacks it). Each version
    is aligned with the one before it (:func:`align`); a paragraph that a version drops
    stays where it was, as deleted, and one that a version adds comes where it is.

    >>> from drafts.structure import Speech
    >>> texts = ["甲。\\n乙。", "甲。\\n丙。\\n乙。", "丙。\\n乙。"]
    >>> chain([assemble(Speech(salutation="", opening=text)) for text in texts])
    [(0, 0, None), (None, 1, 0), (1, 2, 1)]
    """
    lines: list[tuple[int | None, ...]] = [
        (row.old, row.new) for row in align(versions[0], versions[1])
    ]
    for k in range(1, len(versions) - 1):
        merged, position = [], 0
        for row in align(versions[k], versions[k + 1]):
            if row.old is None:
                merged.append((None,) * (k + 1) + (row.new,))
                continue
            while lines[position][k] != row.old:
                merged.append((*lines[position], None))
                position += 1
            merged.append((*lines[position], row.new))
            position += 1
        merged += [(*line, None) for line in lines[position:]]
        lines = merged
    return lines


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


def _marks(lines: Sequence[tuple[int | None, ...]]) -> list[str]:
    """The state of each paragraph mark of the file (its lines as :func:`chain` gives
    them), so that accepting all and rejecting all split the text into exactly the
    paragraphs of the last version and of the first.

    In each of the two, a mark stays when its paragraph is there and another one of
    that version comes after it; the body's last mark always stays, and ends the last
    paragraph of both. So a paragraph deleted in the middle has its mark deleted, and
    when the last paragraphs go, the mark before them goes: ``P¶ D¶`` becomes
    ``P¶(deleted) D¶``.

    >>> _marks([(0, 0), (1, None), (None, 1)])
    ['kept', 'both', 'kept']
    >>> _marks([(0, 0), (1, None)])
    ['deleted', 'kept']
    >>> _marks([(0, None), (None, 0)])
    ['both', 'kept']
    """
    states = [KEPT] * len(lines)
    later_old = later_new = False
    for k in range(len(lines) - 1, -1, -1):
        old, new = lines[k][0] is not None, lines[k][-1] is not None
        if k < len(lines) - 1:
            states[k] = MARK_STATES[(old and later_old, new and later_new)]
        later_old, later_new = later_old or old, later_new or new
    return states


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

    def code(clause: str) -> str:
        # Private-use and astral planes: never a surrogate, whatever the count.
        made = tokens[clause] = chr(0xF0000 + len(clauses))
        clauses.append(clause)
        return made

    def encode(text: str) -> str:
        found = tokens.get
        return "".join([found(c) or code(c) for c in CLAUSE.findall(text) if c])

    coarse = engine.diff_main(encode(old), encode(new), False, deadline)
    diffs: list = []
    deleted = inserted = ""
    for op, codes in [*coarse, (EQUAL, "")]:
        text = "".join([clauses[ord(c) - 0xF0000] for c in codes])
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
    def __init__(self, page: Page, paragraphs, versions, new: int, budgets: Budgets):
        self.page = page
        self.paragraphs = paragraphs  # each version's, as ``assemble`` gives them
        self.new = new  # the new version's number: comments count its characters
        self.stamps = [(version.author, version.date) for version in versions]
        self.notes = [version.note for version in versions]
        self.replies = [version.replies for version in versions]
        self.allowance = _Allowance(budgets)
        self.next_id = 0
        self.highlight = page.options.highlight_placeholders
        self.comment_styles = False
        self.word_dates: dict[tuple, str] = {}
        self.comment_ids: dict = {}  # a comment's key → its Word id and its replies'
        self.threads: list[list] = []  # python-docx comments: [parent, reply, …]

    def write(self, lines, changes: Mapping[int, Sequence[Change]], comments) -> None:
        by_paragraph: dict[int, list[PassageComment]] = {}
        for comment in comments:
            if 0 <= comment.paragraph < len(self.paragraphs[self.new]):
                by_paragraph.setdefault(comment.paragraph, []).append(comment)
        rows = []
        for line in lines:
            pieces = self._pieces(line, changes)
            at = line[self.new]
            on_line = by_paragraph.get(at, []) if at is not None else []
            rows.append((line, *_passage_markers(pieces, on_line)))
        notes = self._note_places(rows)
        # Comment ids are 0, 1 …; revision ids follow (one id space, ECMA-376 §17.13.4).
        self.next_id = sum(1 + len(c.replies) for c in comments)
        self.next_id += sum(1 + len(self.replies[key[1]]) for key in notes)
        roles = [[p.role for p in paragraphs] + [None] for paragraphs in self.paragraphs]
        marks = _marks(lines)
        mark_stamps = self._mark_stamps(lines)
        for number, (line, pieces, before, after) in enumerate(rows):
            for key, (start, end) in notes.items():
                if start[0] == number:
                    before.setdefault(start[1], []).append(key)
                if end[0] == number:
                    after.setdefault(end[1], []).append(key)
            present = [k for k, at in enumerate(line) if at is not None]
            final = present[-1]
            element = self.page.document.add_paragraph()._p
            role, following = roles[final][line[final]], roles[final][line[final] + 1]
            self.page.format_paragraph(element, role, following)
            if len(present) > 1:
                self._style_change(element, line, present, roles)
            self._write_pieces(element, pieces, before, after)
            self._mark(element, marks[number], *mark_stamps[number])
        self._write_threads()

    # What a paragraph of the file is made of.

    def _pieces(self, line, changes) -> list[_Piece]:
        """The paragraph's characters through the versions it is in, as pieces."""
        present = [k for k, at in enumerate(line) if at is not None]
        first, final = present[0], present[-1]
        paragraphs = [self.paragraphs[k][line[k]] for k in present]
        # Most paragraphs are the same in every version: laid out once.
        runs, laid_out = [], {}
        for paragraph in paragraphs:
            key = (paragraph.role, paragraph.runs)
            if key not in laid_out:
                laid_out[key] = self._runs(paragraph)
            runs.append(laid_out[key])
        last = len(self.paragraphs) - 1
        if first == 0 and final == last and len(laid_out) == 1:
            return [_Piece(EQUAL, text, role, role) for text, role in runs[0]]
        changed = [k for k in present[:-1] if runs[k - first] != runs[k + 1 - first]]
        if first == 0 and final == last and len(changed) == 1:
            return self._changed_once(line, changed[0], runs[changed[0]], runs[changed[0] + 1],
                                      changes)  # fmt: skip
        inserted = self.stamps[first] if first else None
        segments = [_Segment(text, role, role, first, inserted) for text, role in runs[0]]
        for k in present[:-1]:
            old_runs, new_runs = runs[k - first], runs[k + 1 - first]
            if old_runs == new_runs:
                continue
            given = changes.get(line[0]) if k == 0 else None
            ops = self._authored(k, line, old_runs, new_runs, given)
            pieces = _split_by_roles(ops, old_runs, new_runs)
            segments = _apply(segments, pieces, k + 1, self.stamps[k + 1])
        if final < last:
            for segment in segments:
                if segment.died is None:
                    segment.died, segment.deleted = final + 1, self.stamps[final + 1]
        return [segment.piece(self.new) for segment in segments if segment.text]

    def _changed_once(self, line, k: int, old_runs, new_runs, changes) -> list[_Piece]:
        """The pieces of a paragraph that every version has and only version ``k + 1``
        changed (the common case, and the only one of a plain redline): that change's
        pieces as they are, without following characters through the versions."""
        given = changes.get(line[0]) if k == 0 else None
        ops = self._authored(k, line, old_runs, new_runs, given)
        step, stamp = k + 1, self.stamps[k + 1]
        # The new version's characters: all but its own deletions, if it made them;
        # all but a later version's insertions otherwise.
        not_new = DELETE if step <= self.new else INSERT
        pieces = []
        for op, text, role, old_role, author, date in _role_pieces(ops, old_runs, new_runs):
            if op == EQUAL:
                restyled = stamp if role != old_role else None
                pieces.append(_Piece(EQUAL, text, role, old_role, restyled=restyled))
            else:
                pieces.append(
                    _Piece(op, text, role, old_role, author, date, None, op != not_new, (step,))
                )
        return pieces

    def _runs(self, paragraph: Paragraph) -> list[tuple[str, str]]:
        page = self.page
        runs = [(page.display_text(paragraph.role, run.text), run.role) for run in paragraph.runs]
        return [(text, role) for text, role in runs if text]

    def _authored(self, k: int, line, old_runs, new_runs, changes):
        """(op, text, author, date) of one version's change to a paragraph (the one at
        ``line[k]`` in version ``k``): the given changes when they make its new text
        (offsets into the displayed text equal those into the assembled one only where
        nothing is laid out: not in a title), else the diff, by the version's author."""
        index = line[k]
        old_text = "".join(text for text, _ in old_runs)
        new_text = "".join(text for text, _ in new_runs)
        author, date = self.stamps[k + 1]
        if (
            changes
            and self.paragraphs[k][index].text == old_text
            and apply_changes(old_text, changes) == new_text
        ):
            ops, position = [], 0
            for change in changes:
                ops.append((EQUAL, old_text[position : change.start], "", date))
                ops.append(
                    (DELETE, old_text[change.start : change.end], change.author, change.date)
                )
                ops.append((INSERT, change.text, change.author, change.date))
                position = change.end
            ops.append((EQUAL, old_text[position:], "", date))
            return [op for op in ops if op[1]]
        # Piece by piece where a paragraph is laid out from several fields: a change
        # stays inside its field, as the review's mapping reads it back.
        old_parts = _parts(self.paragraphs[k][index], old_text)
        new_parts = _parts(self.paragraphs[k + 1][line[k + 1]], new_text)
        names = difflib.SequenceMatcher(
            None, [n for n, _ in old_parts], [n for n, _ in new_parts], autojunk=False
        )
        diffs = []
        for tag, i1, i2, j1, j2 in names.get_opcodes():
            if tag == "equal":
                pairs = zip(old_parts[i1:i2], new_parts[j1:j2], strict=True)
            else:
                pairs = [(("", _joined(old_parts[i1:i2])), ("", _joined(new_parts[j1:j2])))]
            for (_, old_piece), (_, new_piece) in pairs:
                if old_piece == new_piece:
                    diffs.append((EQUAL, old_piece))
                elif not old_piece or not new_piece:
                    diffs += [(DELETE, old_piece), (INSERT, new_piece)]
                else:
                    diffs += self.allowance.diff(old_piece, new_piece)
        return [(op, text, author, date) for op, text in diffs if text]

    def _mark_stamps(self, lines) -> list[tuple[tuple, tuple]]:
        """Who inserted and who deleted each paragraph mark (see :func:`_marks`): the
        versions that added and dropped its paragraph, or, for a mark that moved, the
        next paragraph's that made it move."""
        last = len(self.paragraphs) - 1
        default = self.stamps[self.new]
        stamps: list[tuple[tuple, tuple]] = [(default, default)] * len(lines)
        added_after = dropped_after = default
        for number in range(len(lines) - 1, -1, -1):
            present = [k for k, at in enumerate(lines[number]) if at is not None]
            added = self.stamps[present[0]] if present[0] else None
            dropped = self.stamps[present[-1] + 1] if present[-1] < last else None
            stamps[number] = (added or added_after, dropped or dropped_after)
            if present[-1] == last:
                added_after = added or added_after
            if present[0] == 0:
                dropped_after = dropped or dropped_after
        return stamps

    def _note_places(self, rows) -> dict[tuple, tuple[tuple[int, int], tuple[int, int]]]:
        """Where each version's note goes: from before its first change to after its
        last ((line, piece) each), or around the first paragraph it adds or drops."""
        places = {}
        for step, note in enumerate(self.notes):
            if step <= self.new or not note:
                continue
            touched = [
                (number, index)
                for number, (_, pieces, _, _) in enumerate(rows)
                for index, piece in enumerate(pieces)
                if step in piece.steps
            ]
            if not touched:
                for number, (line, pieces, _, _) in enumerate(rows):
                    present = [k for k, at in enumerate(line) if at is not None]
                    if step in (present[0], present[-1] + 1):
                        touched = [(number, 0), (number, max(len(pieces) - 1, 0))]
                        break
            if touched:
                places[("note", step)] = (touched[0], touched[-1])
        return places

    # XML.

    def _new_id(self) -> str:
        self.next_id += 1
        return str(self.next_id - 1)

    def _revision(self, tag: str, author: str, date: datetime.datetime, parent=None):
        """A w:ins, w:del, w:rPrChange … with its id, author and date (under ``parent``)."""
        key = (author, date)
        stamp = self.word_dates.get(key)
        if stamp is None:
            stamp = self.word_dates[key] = word_date(date)
        attributes = {W_ID: self._new_id(), W_AUTHOR: author, W_DATE: stamp}
        if parent is None:
            return OxmlElement(tag, attributes)
        return etree.SubElement(parent, qn(tag), attributes)

    def _write_pieces(self, element: CT_P, pieces: list[_Piece], before, after) -> None:
        """The runs, in their w:ins / w:del, and the comments' ranges: ``before[k]``
        start before piece ``k``, ``after[k]`` end after it."""
        container = None  # the open w:ins / w:del and its signature
        for index, piece in enumerate(pieces):
            for key in before.get(index, ()):
                self._start_comment(element, key)
                container = None
            if piece.op == EQUAL:
                parent, container = element, None
            else:
                signature = (piece.op, piece.author, piece.date, piece.undone_by)
                if container is None or container[1] != signature:
                    tag = "w:del" if piece.op == DELETE else "w:ins"
                    wrapper = self._revision(tag, piece.author, piece.date, element)
                    if piece.op == UNDONE:
                        wrapper = self._revision("w:del", *piece.undone_by, wrapper)
                    container = (wrapper, signature)
                parent = container[0]
            self._add_runs(parent, piece)
            for key in after.get(index, ()):
                self._end_comment(element, key)
                container = None
        for key in before.get(len(pieces), ()):
            self._start_comment(element, key)
        for key in after.get(len(pieces), ()):
            self._end_comment(element, key)

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
                    author, date = piece.restyled or self.stamps[self.new]
                    change = self._revision("w:rPrChange", author, date, properties)
                    original = etree.SubElement(change, W_RPR)
                    old_style = self.page.run_style(piece.old_role)
                    if old_style:
                        etree.SubElement(original, W_RSTYLE, {W_VAL: old_style})
            _add_text(run, segment, deleted=piece.op in (DELETE, UNDONE))

    def _comment(self, text: str, author: str, date, initials: str):
        if not self.comment_styles:
            _add_comment_styles(self.page)
            self.comment_styles = True
        made = self.page.document.comments.add_comment(text="", author=author, initials=initials)
        made._comment_elm.date = _utc(date)
        paragraphs = text.split("\n") or [""]
        made.paragraphs[0].add_run(paragraphs[0])
        for more in paragraphs[1:]:
            made.add_paragraph(more)
        return made

    def _start_comment(self, element: CT_P, key) -> None:
        if key in self.comment_ids:
            return
        if isinstance(key, PassageComment):
            thread = [self._comment(key.text, key.author, key.date, key.initials)]
            thread += [self._comment(r.text, r.author, r.date, r.initials) for r in key.replies]
        else:
            author, date = self.stamps[key[1]]
            thread = [self._comment(self.notes[key[1]], author, date, author[:1])]
            replies = self.replies[key[1]]
            thread += [self._comment(r.text, r.author, r.date, r.initials) for r in replies]
        self.threads.append(thread)
        ids = self.comment_ids[key] = [made.comment_id for made in thread]
        for comment_id in ids:
            element.append(OxmlElement("w:commentRangeStart", {qn("w:id"): str(comment_id)}))

    def _end_comment(self, element: CT_P, key) -> None:
        self._start_comment(element, key)
        ids = self.comment_ids[key]
        for comment_id in ids:
            element.append(OxmlElement("w:commentRangeEnd", {qn("w:id"): str(comment_id)}))
        for comment_id in ids:
            reference = OxmlElement("w:r")
            reference.get_or_add_rPr().style = "CommentReference"
            reference.append(OxmlElement("w:commentReference", {qn("w:id"): str(comment_id)}))
            element.append(reference)

    def _write_threads(self) -> None:
        """Replies as Word writes them: each its own comment on the same passage, tied
        to the comment it answers in ``word/commentsExtended.xml`` by the ids of their
        last paragraphs ([MS-DOCX] §2.6.1 commentsEx)."""
        if not any(len(thread) > 1 for thread in self.threads):
            return
        entries, number = [], 0
        for thread in self.threads:
            parent_id = None
            for made in thread:
                number += 1
                paragraph_id = f"{number:08X}"
                made.paragraphs[-1]._p.set(W14_PARA_ID, paragraph_id)
                entries.append((paragraph_id, parent_id))
                parent_id = parent_id or paragraph_id
        part = self.page.document.part
        comments_root = part._comments_part.element
        comments_root.set(MC_IGNORABLE, "w14")
        root = etree.Element(W15_COMMENTS_EX, nsmap={"w15": W15, "mc": MC, "w14": W14})
        root.set(MC_IGNORABLE, "w14 w15")
        for paragraph_id, parent_id in entries:
            entry = etree.SubElement(root, W15_COMMENT_EX, {W15_PARA_ID: paragraph_id})
            if parent_id:
                entry.set(W15_PARA_ID_PARENT, parent_id)
            entry.set(W15_DONE, "0")
        blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        extended = Part(PackURI(COMMENTS_EX_URI), COMMENTS_EX_TYPE, blob, part.package)
        part.relate_to(extended, COMMENTS_EX_RELATIONSHIP)

    def _mark(self, element: CT_P, state: str, inserted: tuple, deleted: tuple) -> None:
        if state == KEPT:
            return
        properties = element.get_or_add_pPr()
        mark = OxmlElement("w:rPr")
        if state in (INSERTED, BOTH):
            mark.append(self._revision("w:ins", *inserted))
        if state in (DELETED, BOTH):
            mark.append(self._revision("w:del", *deleted))
        change = properties.find(qn("w:pPrChange"))
        if change is None:
            properties.append(mark)
        else:
            change.addprevious(mark)

    def _style_change(self, element: CT_P, line, present, roles) -> None:
        """``w:pPrChange`` with the paragraph properties of the first version that has
        the paragraph, when they differ, by the first version that changed them."""
        first = present[0]

        def layout(k: int) -> tuple:
            return roles[k][line[k]], roles[k][line[k] + 1]

        changed = next((k for k in present[1:] if layout(k) != layout(first)), None)
        if changed is None or layout(present[-1]) == layout(first):
            return
        scratch, same = OxmlElement("w:p"), OxmlElement("w:p")
        self.page.format_paragraph(scratch, *layout(first))
        self.page.format_paragraph(same, *layout(present[-1]))
        if etree.tostring(scratch) == etree.tostring(same):
            return
        old_properties = scratch.find(qn("w:pPr"))
        if old_properties is None:
            old_properties = OxmlElement("w:pPr")
        change = self._revision("w:pPrChange", *self.stamps[changed])
        change.append(old_properties)
        element.get_or_add_pPr().append(change)


def _apply(segments: list[_Segment], pieces, step: int, stamp: tuple) -> list[_Segment]:
    """The segments after version ``step``'s change (``pieces`` over the text the
    version before it has): kept characters take their new role, deleted ones die,
    inserted ones are born; characters already gone stay where they were."""
    result: list[_Segment] = []
    queue = iter(segments)
    pending: _Segment | None = None
    for piece in pieces:
        if piece.op == INSERT:
            author = (piece.author, piece.date)
            result.append(_Segment(piece.text, piece.role, piece.role, step, author))
            continue
        need = len(piece.text)
        while need:
            segment = pending if pending is not None else next(queue)
            pending = None
            if segment.died is not None:
                result.append(segment)
                continue
            if len(segment.text) > need:
                pending, segment = segment, segment.cut(need)
            need -= len(segment.text)
            if piece.op == DELETE:
                segment.died, segment.deleted = step, (piece.author, piece.date)
            elif segment.role != piece.role:
                segment.role = piece.role
                segment.restyled = stamp if segment.born == 0 else segment.restyled
            result.append(segment)
    if pending is not None:
        result.append(pending)
    result.extend(queue)
    return result


def _passage_markers(pieces: list[_Piece], comments: Sequence[PassageComment]):
    """The pieces cut where the comments' passages (offsets of the new version's text)
    start and end, and where each comment starts (before which piece) and ends (after
    which): (pieces, before, after)."""
    if not comments:
        return pieces, {}, {}
    length = sum(len(p.text) for p in pieces if p.in_new)
    spans = []
    for comment in comments:
        start = max(0, min(comment.start, length))
        end = max(start, min(comment.end, length))
        spans.append((comment, *((0, length) if start == end else (start, end))))
    pieces = list(_cut(pieces, sorted({at for _, s, e in spans for at in (s, e)})))
    before: dict[int, list] = {}
    after: dict[int, list] = {}
    starts: dict[int, int] = {}  # new-text offset → the first piece of the new text there
    ends: dict[int, int] = {}  # new-text offset → the last piece of the new text ending there
    position = 0
    for index, piece in enumerate(pieces):
        if piece.in_new and piece.text:
            starts.setdefault(position, index)
            position += len(piece.text)
            ends[position] = index
    for comment, start, end in spans:
        before.setdefault(starts.get(start, len(pieces)), []).append(comment)
        after.setdefault(ends.get(end, len(pieces)), []).append(comment)
    return pieces, before, after


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


def _parts(paragraph: Paragraph, text: str) -> list[tuple[str, str]]:
    """The paragraph's text as its named pieces (``Paragraph.parts``), or as one piece
    when they are not known or the text shown is not the assembled one."""
    if not paragraph.parts or paragraph.text != text:
        return [("", text)]
    pieces, at = [], 0
    for name, length in paragraph.parts:
        pieces.append((name, text[at : at + length]))
        at += length
    return pieces


def _joined(parts: list[tuple[str, str]]) -> str:
    return "".join(text for _, text in parts)


def _split_by_roles(ops, old_runs, new_runs):
    """Ops cut where either version's run role changes, each with its roles, as pieces."""
    for op, text, role, old_role, author, date in _role_pieces(ops, old_runs, new_runs):
        yield _Piece(op, text, role, old_role, author, date)


def _role_pieces(ops, old_runs, new_runs):
    """Ops cut where either version's run role changes: (op, text, role, old role,
    author, date)."""
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
            yield op, text[start : start + step], role, old_role, author, date
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
        if not piece.in_new:
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
    return replace(piece, text=text)


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
