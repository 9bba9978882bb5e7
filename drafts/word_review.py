"""A .docx returned with 修订 and 批注 (Word, WPS, LibreOffice) → plain data, and back to
the speech's fields.

:func:`read_review` reads every body paragraph as Word shows it after 全部拒绝 (its old
text) and 全部接受 (its new text), with each tracked change (``w:ins``, ``w:del``,
``w:moveFrom``/``w:moveTo``, ``w:rPrChange``/``w:pPrChange`` as formatting only, and
paragraph marks inserted or deleted, which split or join paragraphs; ECMA-376 Part 1
§17.13) by its author and date, and the comments of ``word/comments.xml`` on their
passages (``w:commentRangeStart``/``End``), replies by ``commentsExtended.xml``'s
``w15:paraIdParent``. No database: bytes in, dataclasses out.

:func:`map_review` takes the ``speechdraft/1`` document that was exported and the
review, and says per field what it was and what the reviewer proposes, by whom. The
paragraphs are matched to the export's (``assembly.assemble``, the order they were
written in), by text where they moved; inside a paragraph each change goes to the field
whose text it touches. A change that touches only the numbering or the joiners, a
paragraph that matches nothing, a new paragraph that reads like a new item: each is
listed as not placed, with its text, never put in a field it may not belong to.

The file is read within the import budgets (``upload_bytes``, ``docx_xml_bytes``).
"""

from __future__ import annotations

import datetime
import difflib
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field

from diff_match_patch import diff_match_patch
from lxml import etree

from . import speech_json
from .assembly import (
    DATE,
    JOINER_PUNCTUATION,
    SUBTITLE,
    TITLE,
    Paragraph,
    assemble,
)
from .budgets import Budgets, configured
from .docx_changes import likeness
from .reading import (
    ImportRefused,
    check_file_size,
    open_package,
    parse_part,
)
from .structure import Speech, numbered, text_fields

EQUAL, INSERT, DELETE = 0, 1, -1
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
W15 = "{http://schemas.microsoft.com/office/word/2012/wordml}"
INSERTS = {W + "ins": "insert", W + "moveTo": "move_to"}
DELETES = {W + "del": "delete", W + "moveFrom": "move_from"}
# Containers whose runs are text of the paragraph.
TRANSPARENT = {W + "hyperlink", W + "smartTag", W + "sdt", W + "sdtContent", W + "customXml"}
TRANSPARENT |= {W + "fldSimple", W + "bdo", W + "dir"}
SKIPPED = {W + "pPr", W + "rPr", W + "sdtPr", W + "sdtEndPr", W + "txbxContent"}
KEPT, INSERTED, DELETED, BOTH = "kept", "inserted", "deleted", "both"
BROKEN = "无法读取这个 .docx 文件：它可能已损坏，或不是 Word 文档。请在 Word 中打开后重新保存再试。"
AT_BOUNDARY = "改动在两个字段的交界处，无法确定属于哪一个"
IN_LABELS = "改动涉及编号或连接语，无法确定属于哪个字段"
MOVED = "段落被移动了位置，请在系统中调整条目顺序"
BETWEEN_FIELDS = "新增的段落在两个字段之间，无法确定属于哪一个"
JOINED = "两段被合并为一段；各字段的文字已分别保留"
INLINE_LABEL = re.compile("[一二三四五六七八九十百]+是")
# The lead's character style, as docx_export names it (its id is its name).
LEAD_STYLE = "领句"
# A new paragraph that opens like a numbered item: （五）… or 五是….
ITEM_LABEL = re.compile("^(（[一二三四五六七八九十百]+）|[一二三四五六七八九十百]+是)")


@dataclass(frozen=True)
class Revision:
    """One tracked change in a paragraph.

    ``kind``: ``insert``, ``delete``, ``move_from``, ``move_to`` (text), ``format``
    (a run's formatting, ``text`` is the run's), ``paragraph_insert`` /
    ``paragraph_delete`` (the paragraph mark: the paragraph was split / joined to the
    next) or ``paragraph_format``. ``start`` counts characters of the paragraph's old
    text for what was there before (delete, move_from) and of its new text otherwise.
    """

    kind: str
    author: str
    date: datetime.datetime | None
    text: str
    start: int


@dataclass(frozen=True)
class ReviewedParagraph:
    """One paragraph of the file: its text after rejecting and after accepting all,
    the state of its mark (``kept``, ``inserted``, ``deleted``, ``both``), its changes,
    and its text as a list of (op, text, author, run style id), op 0 kept, 1 inserted,
    -1 deleted."""

    old: str
    new: str
    mark: str
    revisions: tuple[Revision, ...]
    ops: tuple[tuple[int, str, str], ...]


@dataclass(frozen=True)
class ReviewComment:
    """A comment on ``new`` text of paragraph ``paragraph`` from ``start`` to ``end``
    (``end_paragraph`` where it ends). ``parent`` is the id of the comment it answers."""

    id: str
    author: str
    initials: str
    date: datetime.datetime | None
    text: str
    paragraph: int | None
    start: int
    end_paragraph: int | None
    end: int
    parent: str | None = None


@dataclass
class Review:
    paragraphs: list[ReviewedParagraph]
    comments: list[ReviewComment]

    def accepted(self) -> list[str]:
        """The paragraphs after 全部接受: a deleted mark joins its paragraph to the next."""
        return _view(self.paragraphs, accept=True)

    def rejected(self) -> list[str]:
        """The paragraphs after 全部拒绝: an inserted mark goes, joining the paragraphs."""
        return _view(self.paragraphs, accept=False)


@dataclass(frozen=True)
class FieldProposal:
    """What the review proposes for one field (``key`` as ``comparison.speech_units``:
    ``opening/opening``, ``part_one.achievements.2/lead``, ``item:<id>/body``)."""

    key: str
    label: str
    base: str
    proposed: str
    authors: tuple[str, ...]
    date: datetime.datetime | None = None


@dataclass(frozen=True)
class Unplaced:
    """A change, paragraph or comment that could not be put in a field, and why."""

    reason: str
    old: str
    new: str
    authors: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlacedComment:
    """A comment on a field: ``start``/``end`` count the field's proposed text."""

    key: str
    comment: ReviewComment
    start: int
    end: int


@dataclass
class ReviewMapping:
    fields: list[FieldProposal] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)
    comments: list[PlacedComment] = field(default_factory=list)


# Reading the file.


def read_review(data: bytes, budgets: Budgets | None = None) -> Review:
    """The body paragraphs of a reviewed .docx with their changes, and its comments.

    Raises ``reading.ImportRefused`` (a message for the user) on a file that is too
    large, not a .docx, or broken.

    >>> import datetime
    >>> from drafts.docx_changes import redline_docx
    >>> from drafts.speech_json import to_document
    >>> from drafts.structure import Speech
    >>> docx = redline_docx(
    ...     to_document(Speech(opening="今天开会。")), to_document(Speech(opening="明天开会。")),
    ...     author="王局长", date=datetime.datetime(2026, 12, 1))
    >>> review = read_review(docx)
    >>> review.rejected()[-1], review.accepted()[-1]
    ('今天开会。', '明天开会。')
    >>> [(r.kind, r.author, r.text) for r in review.paragraphs[-1].revisions]
    [('delete', '王局长', '今'), ('insert', '王局长', '明')]
    """
    budgets = budgets or configured()
    parts = _read_parts(data, budgets)
    root = parts["word/document.xml"]
    body = root.find(W + "body") if root.tag == W + "document" else None
    if body is None:
        raise ImportRefused(BROKEN)
    paragraphs: list[ReviewedParagraph] = []
    anchors: dict[str, list] = {}
    for element in body.iter(W + "p"):
        if any(a.tag == W + "txbxContent" for a in element.iterancestors()):
            continue
        paragraphs.append(_paragraph(element, len(paragraphs), anchors))
    return Review(paragraphs, _comments(parts, anchors))


def _read_parts(data: bytes, budgets: Budgets) -> dict[str, etree._Element | None]:
    """The main part and the comments parts, unpacked and parsed as every import is
    (``reading``: the file's size, its entries, the parts' sizes and tags within the
    budgets, checked before the work)."""
    check_file_size(len(data), budgets)

    def read(archive: zipfile.ZipFile, main: str, allowance: list[int]):
        parts = {"word/document.xml": parse_part(archive, main, allowance, budgets)}
        for name in ("word/comments.xml", "word/commentsExtended.xml"):
            present = name in archive.NameToInfo
            parts[name] = parse_part(archive, name, allowance, budgets) if present else None
        return parts

    return open_package(data, budgets, read)


class _Walk:
    """The state of reading one paragraph."""

    def __init__(self, index: int, anchors: dict[str, list]):
        self.index = index
        self.anchors = anchors
        self.ops: list[tuple[int, str, str, str]] = []
        self.revisions: list[Revision] = []
        self.old = self.new = 0

    def text(self, text: str, change: tuple | None, style: str = "") -> None:
        if not text:
            return
        if change is None:
            op, author = EQUAL, ""
        else:
            kind, author, date = change
            op = INSERT if kind in ("insert", "move_to") else DELETE
            start = self.new if op == INSERT else self.old
            self._revision(Revision(kind, author, date, text, start))
        self.ops.append((op, text, author, style))
        if op != INSERT:
            self.old += len(text)
        if op != DELETE:
            self.new += len(text)

    def _revision(self, revision: Revision) -> None:
        last = self.revisions[-1] if self.revisions else None
        if (
            last is not None
            and (last.kind, last.author, last.date)
            == (revision.kind, revision.author, revision.date)
            and last.start + len(last.text) == revision.start
        ):
            self.revisions[-1] = Revision(
                last.kind, last.author, last.date, last.text + revision.text, last.start
            )
        else:
            self.revisions.append(revision)


def _change(element, kind: str) -> tuple:
    return (kind, element.get(W + "author", ""), _date(element.get(W + "date")))


def _date(value: str | None) -> datetime.datetime | None:
    if not value:
        return None
    try:
        return datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _paragraph(element, index: int, anchors: dict[str, list]) -> ReviewedParagraph:
    walk = _Walk(index, anchors)
    _walk(element, walk, None, False)
    mark, mark_revisions = KEPT, []
    properties = element.find(W + "pPr")
    if properties is not None:
        mark_properties = properties.find(W + "rPr")
        inserted = deleted = None
        if mark_properties is not None:
            for child in mark_properties:
                if child.tag in INSERTS:
                    inserted = child
                elif child.tag in DELETES:
                    deleted = child
        if inserted is not None or deleted is not None:
            mark = BOTH if inserted is not None and deleted is not None else None
            mark = mark or (INSERTED if inserted is not None else DELETED)
        for tag, kind in ((inserted, "paragraph_insert"), (deleted, "paragraph_delete")):
            if tag is not None:
                _, author, date = _change(tag, kind)
                mark_revisions.append(Revision(kind, author, date, "", walk.new))
        change = properties.find(W + "pPrChange")
        if change is not None:
            _, author, date = _change(change, "")
            mark_revisions.append(Revision("paragraph_format", author, date, "", 0))
    old = "".join(text for op, text, *_ in walk.ops if op != INSERT)
    new = "".join(text for op, text, *_ in walk.ops if op != DELETE)
    revisions = tuple(walk.revisions + mark_revisions)
    return ReviewedParagraph(old, new, mark, revisions, tuple(walk.ops))


def _walk(element, walk: _Walk, change: tuple | None, dropped: bool) -> None:
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in SKIPPED:
            continue
        if tag in INSERTS or tag in DELETES:
            kind = INSERTS.get(tag) or DELETES[tag]
            # Inserted, then deleted (by another reviewer): in neither version.
            gone = dropped or (
                change is not None and change[0] in ("insert", "move_to") and tag in DELETES
            )
            _walk(child, walk, _change(child, kind), gone)
        elif tag == W + "r":
            _run(child, walk, change, dropped)
        elif tag in (W + "commentRangeStart", W + "commentRangeEnd"):
            side = "start" if tag.endswith("Start") else "end"
            walk.anchors.setdefault(child.get(W + "id", ""), []).append(
                (side, walk.index, walk.new)
            )
        elif tag in TRANSPARENT:
            _walk(child, walk, change, dropped)
        elif tag.endswith("}AlternateContent"):
            continue


def _run(run, walk: _Walk, change: tuple | None, dropped: bool) -> None:
    texts = []
    for child in run:
        tag = child.tag
        if tag in (W + "t", W + "delText"):
            texts.append(child.text or "")
        elif tag == W + "tab":
            texts.append("\t")
        elif tag in (W + "br", W + "cr"):
            if child.get(W + "type") not in ("page", "column"):
                texts.append("\n")
        elif tag == W + "noBreakHyphen":
            texts.append("-")
        elif tag == W + "commentReference":
            walk.anchors.setdefault(child.get(W + "id", ""), []).append(
                ("reference", walk.index, walk.new)
            )
    text = "".join(texts)
    if dropped:
        return
    properties = run.find(W + "rPr")
    formatting = properties.find(W + "rPrChange") if properties is not None else None
    if formatting is not None and text:
        _, author, date = _change(formatting, "format")
        walk.revisions.append(Revision("format", author, date, text, walk.new))
    style = properties.find(W + "rStyle") if properties is not None else None
    walk.text(text, change, style.get(W + "val", "") if style is not None else "")


def _comments(parts, anchors: dict[str, list]) -> list[ReviewComment]:
    root = parts.get("word/comments.xml")
    if root is None:
        return []
    parents: dict[str, str] = {}
    extended = parts.get("word/commentsExtended.xml")
    if extended is not None:
        for entry in extended.iter(W15 + "commentEx"):
            if entry.get(W15 + "paraIdParent"):
                parents[entry.get(W15 + "paraId")] = entry.get(W15 + "paraIdParent")
    by_paragraph_id: dict[str, str] = {}
    comments = []
    for comment in root.iter(W + "comment"):
        comment_id = comment.get(W + "id", "")
        paragraphs = comment.findall(W + "p")
        if paragraphs and paragraphs[-1].get(W14 + "paraId"):
            by_paragraph_id[paragraphs[-1].get(W14 + "paraId")] = comment_id
        text = "\n".join("".join(t.text or "" for t in p.iter(W + "t")) for p in paragraphs).strip()
        places = anchors.get(comment_id, [])
        start = next((p for p in places if p[0] == "start"), None)
        end = next((p for p in places if p[0] == "end"), None)
        reference = next((p for p in places if p[0] == "reference"), None)
        start = start or reference
        end = end or reference or start
        comments.append(
            ReviewComment(
                comment_id,
                comment.get(W + "author", ""),
                comment.get(W + "initials", ""),
                _date(comment.get(W + "date")),
                text,
                start[1] if start else None,
                start[2] if start else 0,
                end[1] if end else None,
                end[2] if end else 0,
            )
        )
    paragraph_ids = {comment_id: pid for pid, comment_id in by_paragraph_id.items()}
    result = []
    for comment in comments:
        parent_paragraph = parents.get(paragraph_ids.get(comment.id, ""))
        parent = by_paragraph_id.get(parent_paragraph) if parent_paragraph else None
        result.append(_replace_parent(comment, parent))
    return result


def _replace_parent(comment: ReviewComment, parent: str | None) -> ReviewComment:
    from dataclasses import replace

    return replace(comment, parent=parent)


def _view(paragraphs: list[ReviewedParagraph], accept: bool) -> list[str]:
    texts, pending = [], ""
    for paragraph in paragraphs:
        pending += paragraph.new if accept else paragraph.old
        gone = paragraph.mark in (BOTH, DELETED if accept else INSERTED)
        if not gone:
            texts.append(pending)
            pending = ""
    if pending:
        texts.append(pending)
    return texts


# Mapping the review to the fields.


@dataclass
class _OldParagraph:
    """A paragraph of the version the reviewer started from (全部拒绝), with its ops;
    an inserted paragraph mark inside it is an inserted "\\n"."""

    ops: list[tuple[int, str, str, str]]
    joined: bool = False  # its mark is deleted: 全部接受 joins it to the next
    moved: bool = False  # every change in it is a move (w:moveFrom / w:moveTo)
    physical: tuple[int, ...] = ()  # the file's paragraphs it is made of

    @property
    def old(self) -> str:
        return "".join(text for op, text, *_ in self.ops if op != INSERT)

    @property
    def new(self) -> str:
        return "".join(text for op, text, *_ in self.ops if op != DELETE)


def _old_paragraphs(review: Review) -> list[_OldParagraph]:
    result, ops, kinds, physical = [], [], set(), []
    for number, paragraph in enumerate(review.paragraphs):
        ops += paragraph.ops
        physical.append(number)
        kinds |= {r.kind for r in paragraph.revisions if r.kind not in ("format",)}
        if paragraph.mark == INSERTED:
            author = next(
                (r.author for r in paragraph.revisions if r.kind == "paragraph_insert"), ""
            )
            ops.append((INSERT, "\n", author, ""))
        elif paragraph.mark in (KEPT, DELETED):
            moved = bool(kinds) and kinds <= {"move_from", "move_to", "paragraph_delete"}
            moved = moved and "move_from" in kinds
            result.append(_OldParagraph(ops, paragraph.mark == DELETED, moved, tuple(physical)))
            ops, kinds, physical = [], set(), []
    if ops:
        result.append(_OldParagraph(ops, physical=tuple(physical)))
    return result


def map_review(base: Mapping, review: Review, budgets: Budgets | None = None) -> ReviewMapping:
    """Each field the review changes, with its base and proposed text and the authors,
    and what could not be placed. ``base`` is the ``speechdraft/1`` document exported.

    >>> import datetime
    >>> from drafts.docx_changes import redline_docx
    >>> from drafts.speech_json import to_document
    >>> from drafts.structure import PartOne, LeadItem, Speech
    >>> old = Speech(part_one=PartOne(achievements=[LeadItem("巡查到位", "全年巡查一千次。")]))
    >>> new = Speech(part_one=PartOne(achievements=[LeadItem("巡查到位", "全年巡查一千二百次。")]))
    >>> docx = redline_docx(to_document(old), to_document(new), author="王局长",
    ...                     date=datetime.datetime(2026, 12, 1))
    >>> mapping = map_review(to_document(old), read_review(docx))
    >>> [(f.key, f.base, f.proposed, f.authors) for f in mapping.fields]
    [('part_one.achievements.0/body', '全年巡查一千次。', '全年巡查一千二百次。', ('王局长',))]
    """
    speech = speech_json.from_document(base)
    paragraphs = assemble(speech)
    labels = {f"{f.anchor}/{f.name}": f.label for f in text_fields(speech)}
    bases = {f"{f.anchor}/{f.name}": f.text for f in text_fields(speech)}
    mapping = ReviewMapping()
    olds = _old_paragraphs(review)
    pairs = _pair(paragraphs, olds, mapping)
    pieces: dict[str, dict[int, str]] = {}
    authors: dict[str, list[str]] = {}
    base_pieces: dict[str, dict[int, str]] = {}
    moved_texts = {
        r.text.strip() for p in review.paragraphs for r in p.revisions if r.kind == "move_to"
    }
    _note_joins(paragraphs, pairs, mapping)
    for index, old in pairs:
        paragraph = paragraphs[index]
        if old.moved and not old.new.strip():
            mapping.unplaced.append(Unplaced(MOVED, old.old, "", _authors(old.ops)))
            continue
        components = _components(speech, paragraph)
        ops = _normal_ops(paragraph, old)
        changed = any(op != EQUAL for op, *_ in ops)
        if components is None:
            if changed:
                mapping.unplaced.append(
                    Unplaced("这一段无法拆分到字段", old.old, old.new, _authors(ops))
                )
            continue
        spans = _spans(_base_text(paragraph), components)
        if spans is None:
            if changed:
                mapping.unplaced.append(
                    Unplaced("这一段与导出时的结构不一致", old.old, old.new, _authors(ops))
                )
            continue
        leading, ops, trailing = _whole_new_paragraphs(ops)
        # A new paragraph between two of one field is that field's; one at a field's
        # edge may as well belong to the field next to it.
        following = paragraphs[index + 1] if index + 1 < len(paragraphs) else None
        inside_before = paragraph.index > 0
        inside_after = following is not None and following.anchor == paragraph.anchor
        for texts, inside in ((leading, inside_before), (trailing, inside_after)):
            if texts and not inside:
                for text, who in texts:
                    reason = MOVED if text.strip() in moved_texts else BETWEEN_FIELDS
                    mapping.unplaced.append(Unplaced(reason, "", text, who))
        if not old.new.replace("\n", "").strip() and changed:
            placed = [("", list(_authors(ops))) for _ in spans]  # the paragraph deleted whole
        else:
            try:
                keys = [key or "" for key, _, _ in components]
                placed = _place(_base_text(paragraph), spans, ops, keys)
            except _Ambiguous as why:
                mapping.unplaced.append(Unplaced(str(why), old.old, old.new, _authors(ops)))
                continue
        if inside_before and leading:
            text, who = placed[0]
            placed[0] = ("\n".join(t for t, _ in leading) + "\n" + text, who + _who(leading))
        if inside_after and trailing:
            text, who = placed[-1]
            placed[-1] = (text + "\n" + "\n".join(t for t, _ in trailing), who + _who(trailing))
        for (key, piece, visible), (text, who) in zip(components, placed, strict=True):
            if key is None:
                if text != visible:
                    mapping.unplaced.append(
                        Unplaced("日期不在修订范围内，请在系统中修改", visible, text, tuple(who))
                    )
                continue
            base_pieces.setdefault(key, {})[piece] = visible
            pieces.setdefault(key, {})[piece] = text
            authors.setdefault(key, []).extend(a for a in who if a not in authors[key])
    for key, texts in pieces.items():
        if texts == base_pieces[key]:
            continue
        new_items = [t for t in texts.values() if "\n" in t]
        for text in new_items:
            for line in text.split("\n")[1:]:
                if ITEM_LABEL.match(line.strip()):
                    mapping.unplaced.append(
                        Unplaced("新增的段落像是一个新条目，请在系统中新增条目", "", line, ())
                    )
        proposed = _field_text(key, bases.get(key, ""), base_pieces[key], texts)
        if proposed.strip() == bases.get(key, "").strip():
            continue
        mapping.fields.append(
            FieldProposal(
                key, labels.get(key, key), bases.get(key, ""), proposed, tuple(authors[key])
            )
        )
    _place_comments(speech, paragraphs, pairs, review, mapping)
    order = list(labels)
    mapping.fields.sort(key=lambda f: order.index(f.key) if f.key in order else len(order))
    return mapping


def _place_comments(speech, paragraphs, pairs, review: Review, mapping) -> None:
    """Each comment on the field whose text holds its passage, in the paragraph it
    was made in; a comment on anything else is listed as not placed."""
    proposed = {f.key: f.proposed for f in mapping.fields}
    texts = {f"{f.anchor}/{f.name}": f.text for f in text_fields(speech)}
    for comment in review.comments:
        if comment.paragraph is None:
            continue
        passage = review.paragraphs[comment.paragraph].new[comment.start : comment.end]
        if comment.end_paragraph != comment.paragraph:
            passage = review.paragraphs[comment.paragraph].new[comment.start :]
        keys = []
        for index, old in pairs:
            if comment.paragraph in old.physical:
                keys = [key for key, _, _ in _components(speech, paragraphs[index]) or [] if key]
        placed = False
        for key in keys:
            text = proposed.get(key, texts.get(key, ""))
            at = text.find(passage) if passage else 0
            if at >= 0:
                mapping.comments.append(PlacedComment(key, comment, at, at + len(passage)))
                placed = True
                break
        if not placed:
            mapping.unplaced.append(
                Unplaced("批注的位置无法对应到字段", passage, comment.text, (comment.author,))
            )


def _note_joins(paragraphs, pairs, mapping: ReviewMapping) -> None:
    """A paragraph joined to the next one of another field (through any joined and
    emptied between): each keeps its text, but the join has no field to go to."""
    for number, (index, old) in enumerate(pairs):
        if not (old.joined and old.new.strip()):
            continue
        for following, next_old in pairs[number + 1 :]:
            if next_old.new.strip():
                other = paragraphs[following].anchor != paragraphs[index].anchor
                if other and not next_old.new.startswith("\n"):
                    mapping.unplaced.append(
                        Unplaced(
                            JOINED,
                            old.old + "\n" + next_old.old,
                            old.new + next_old.new,
                            _authors(old.ops),
                        )
                    )
                break
            if not next_old.joined:
                break


def _who(texts) -> list[str]:
    return [author for _, authors in texts for author in authors]


def _whole_new_paragraphs(ops):
    """(new paragraphs before the paragraph's own text, its ops, new ones after): the
    paragraphs a reviewer added whole, each as (text, authors)."""
    segments: list[list] = [[]]
    for op in ops:
        if op[0] == INSERT and op[1] == "\n":
            segments.append([op])
        else:
            segments[-1].append(op)

    def whole(segment) -> bool:
        return all(op == INSERT for op, *_ in segment)

    def text(segment) -> tuple[str, tuple[str, ...]]:
        body = "".join(piece for op, piece, *_ in segment if op == INSERT).lstrip("\n")
        return body, _authors(segment)

    first = next((k for k, s in enumerate(segments) if not whole(s)), None)
    if first is None:
        return [], list(ops), []
    last = max(k for k, s in enumerate(segments) if not whole(s))
    leading = [text(s) for s in segments[:first] if text(s)[0].strip()]
    trailing = [text(s) for s in segments[last + 1 :] if text(s)[0].strip()]
    core = [op for s in segments[first : last + 1] for op in s]
    if core and core[0][0] == INSERT and core[0][1] == "\n":
        core = core[1:]  # the mark that ended the leading paragraphs
    return leading, core, trailing


def _authors(ops) -> tuple[str, ...]:
    seen: list[str] = []
    for op, _, author, *_ in ops:
        if op != EQUAL and author not in seen:
            seen.append(author)
    return tuple(seen)


def _base_text(paragraph: Paragraph) -> str:
    # A title's line breaks are the layout's as much as the drafter's: compared without.
    if paragraph.role in (TITLE, SUBTITLE):
        return paragraph.text.replace("\n", "")
    return paragraph.text


def _normal_ops(paragraph: Paragraph, old: _OldParagraph) -> list[tuple[int, str, str]]:
    ops = old.ops
    if paragraph.role in (TITLE, SUBTITLE):
        ops = [(op, t.replace("\n", ""), *rest) for op, t, *rest in ops if t.replace("\n", "")]
    before = "".join(text for op, text, *_ in ops if op != INSERT)
    base = _base_text(paragraph)
    if before == base:
        return list(ops)
    # Edited without 修订 too: the difference from the export, by no one named.
    new = "".join(text for op, text, *_ in ops if op != DELETE)
    matcher = difflib.SequenceMatcher(None, base, new, autojunk=False)
    result = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            result.append((EQUAL, base[i1:i2], "", ""))
            continue
        if i2 > i1:
            result.append((DELETE, base[i1:i2], "", ""))
        if j2 > j1:
            result.append((INSERT, new[j1:j2], "", ""))
    return result


def _pair(paragraphs: list[Paragraph], olds: list[_OldParagraph], mapping) -> list:
    """(export paragraph index, reviewed old paragraph) pairs, in order; the reviewed
    paragraphs that match none are listed as not placed."""
    base = [_base_text(p) for p in paragraphs]
    reviewed = [old.old.replace("\n", "") for old in olds]
    flat = [b.replace("\n", "") for b in base]
    matcher = difflib.SequenceMatcher(None, flat, reviewed, autojunk=False)
    pairs = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs += list(zip(range(i1, i2), [olds[j] for j in range(j1, j2)], strict=True))
            continue
        free = list(range(i1, i2))
        for j in range(j1, j2):
            best = max(free, key=lambda i: likeness(flat[i], reviewed[j]), default=None)
            if best is not None and likeness(flat[best], reviewed[j]) >= 0.5:
                pairs.append((best, olds[j]))
                free = [i for i in free if i > best]
            elif olds[j].old.strip() or olds[j].new.strip():
                mapping.unplaced.append(
                    Unplaced(
                        "这一段在导出的讲话稿中找不到",
                        olds[j].old,
                        olds[j].new,
                        _authors(olds[j].ops),
                    )
                )
    pairs.sort(key=lambda pair: pair[0])
    return pairs


def _components(speech: Speech, paragraph: Paragraph):
    """The fields a paragraph is made of, in order: (key, piece, visible text), key None
    for what no field holds (the date); None when the paragraph cannot be split."""
    anchor, index = paragraph.anchor, paragraph.index
    one, two = speech.part_one, speech.part_two
    if paragraph.role == DATE:
        return [(None, 0, paragraph.text)]
    if anchor in ("title", "speaker", "salutation"):
        return [(f"header/{anchor}", index, _base_text(paragraph))]
    if anchor in ("opening", "closing"):
        return [(f"{anchor}/{anchor}", index, paragraph.text)]
    section, _, rest = anchor.partition(".")
    part = one if section == "part_one" else two
    if rest == "heading":
        return [(f"{anchor}/heading", 0, part.heading.strip())]
    if rest == "intro":
        return [(f"{anchor}/intro", index, paragraph.text)]
    if rest in ("lessons", "shortcomings"):
        if index:
            return None
        intro = f"{rest}_intro"
        items = [
            (f"{source}/text", 0, item.text.strip().rstrip(JOINER_PUNCTUATION))
            for source, (_, _, item) in zip(
                paragraph.sources[1:], numbered(getattr(part, rest)), strict=False
            )
        ]
        components = [(f"{section}.{intro}/{intro}", 0, getattr(part, intro).strip()), *items]
        if rest == "shortcomings":
            components.append((f"{section}.transition/transition", 0, two.transition.strip()))
        return components
    name, _, position = rest.partition(".")
    if name in ("achievements", "measures") and position.isdigit():
        item = getattr(part, name)[int(position)]
        source = paragraph.sources[0]
        if index:
            return [(f"{source}/body", index, paragraph.text)]
        body = item.body.strip().replace("\r\n", "\n").replace("\r", "\n").split("\n")[0].strip()
        return [(f"{source}/lead", 0, item.lead.strip()), (f"{source}/body", 0, body)]
    return None


def _spans(text: str, components) -> list[tuple[int, int]] | None:
    """Where each component's visible text stands in the paragraph, found in order; an
    empty last one (a body, a transition) goes at the end, after the joiners."""
    spans, position = [], 0
    for number, (_, _, visible) in enumerate(components):
        if not visible:
            last = number == len(components) - 1
            at = len(text) if last else position
            spans.append((at, at))
            continue
        found = text.find(visible, position)
        if found < 0:
            return None
        spans.append((found, found + len(visible)))
        position = found + len(visible)
    return spans


def _refine(text: str, spans, ops):
    """A deletion of text between fields replaced by an insertion that repeats it
    (。 → 甲。乙, the semantic clean-up's way) is diffed again character by character,
    so the joiner is kept and the insertions go either side of it."""
    refined, position = [], 0
    number = 0
    while number < len(ops):
        op = ops[number]
        pair = ops[number + 1] if number + 1 < len(ops) else None
        if (
            op[0] == DELETE
            and pair is not None
            and pair[0] == INSERT
            and any(
                all(not (s <= at < e) for s, e in spans)
                for at in range(position, position + len(op[1]))
            )
        ):
            for kind, piece in diff_match_patch().diff_main(op[1], pair[1], False):
                source = op if kind == DELETE else pair
                refined.append((kind, piece, source[2] if kind else "", source[3]))
            position += len(op[1])
            number += 2
            continue
        refined.append(op)
        if op[0] != INSERT:
            position += len(op[1])
        number += 1
    return refined


def _slide(text: str, spans, ops, keys):
    """The same changes with each one slid along the text it repeats, off the text
    between fields where it can be: ``…。`` + inserted ``甲。`` is ``…`` + ``。甲`` + ``。``,
    and the diff may have put it either way."""
    ops = _refine(text, spans, ops)
    padded: list[list] = []
    for op in ops:
        if op[0] != EQUAL and (not padded or padded[-1][0] != EQUAL):
            padded.append([EQUAL, "", "", ""])
        padded.append(list(op))
    padded.append([EQUAL, "", "", ""])
    ops = padded

    leads = [span for span, key in zip(spans, keys, strict=True) if key.endswith("/lead")]

    def inside(start: int, end: int, insert: bool, style: str = "") -> bool:
        if insert and style == LEAD_STYLE and leads:
            return any(s <= start <= e for s, e in leads)
        if insert:
            return any(s <= start <= e for s, e in spans)
        return all(any(s <= at < e for s, e in spans) for at in range(start, end))

    position = 0
    for number, op in enumerate(ops):
        kind, piece = op[0], op[1]
        if kind == EQUAL:
            position += len(piece)
            continue
        size = 0 if kind == INSERT else len(piece)
        # Padded: an equal stretch, maybe empty, stands either side of every change.
        before, after = ops[number - 1], ops[number + 1]
        style = op[3]
        if not inside(position, position + size, kind == INSERT, style) and piece:
            for k in range(1, len(piece) + 1):
                if (
                    before[1][-k:] == piece[-k:]
                    and len(before[1]) >= k
                    and inside(position - k, position - k + size, kind == INSERT, style)
                ):
                    moved = piece[-k:]
                    before[1], op[1], after[1] = (
                        before[1][:-k],
                        moved + piece[:-k],
                        moved + after[1],
                    )
                    position -= k
                    break
                if (
                    after[1][:k] == piece[:k]
                    and len(after[1]) >= k
                    and inside(position + k, position + k + size, kind == INSERT, style)
                ):
                    moved = piece[:k]
                    before[1], op[1], after[1] = before[1] + moved, piece[k:] + moved, after[1][k:]
                    position += k
                    break
        if kind == DELETE:
            position += len(piece)
    merged: list[tuple] = []
    for op in ops:
        if not op[1]:
            continue
        if merged and merged[-1][0] == EQUAL == op[0]:
            merged[-1] = (EQUAL, merged[-1][1] + op[1], *merged[-1][2:])
        else:
            merged.append(tuple(op))
    return merged


class _Ambiguous(Exception):
    """A change that no one field holds; its message says why."""


def _place(text: str, spans, ops, keys) -> list[tuple[str, list[str]]]:
    """Each span's new text and who changed it. Raises :class:`_Ambiguous` when a change
    touches the text between spans (a label, a joiner), or is typed where two fields
    meet with nothing between them and the run's style does not say which."""
    ops = _slide(text, spans, ops, keys)
    inline = any(key.endswith(("/text", "_intro", "/transition")) for key in keys)
    result = [([], []) for _ in spans]
    position = 0

    def span_of_insert(at: int, style: str) -> int:
        ending = [n for n, (start, end) in enumerate(spans) if start < at <= end]
        starting = [n for n, (start, _) in enumerate(spans) if start == at]
        if ending and starting or len(starting) > 1:
            first = (ending or starting)[0]
            if keys[first].endswith("/lead"):
                # Typed after the lead: Word gives it the run's style, 领句 or not.
                return first if style == LEAD_STYLE else starting[-1]
            raise _Ambiguous(AT_BOUNDARY)
        if ending:
            return ending[0]
        if starting:
            # An empty field after a joiner that ends another one's text (一是甲。|): the
            # text may as well continue that one. The lead's style says for a lead.
            before = [
                n
                for n, (start, end) in enumerate(spans)
                if start < end <= at and all(c in JOINER_PUNCTUATION for c in text[end:at])
            ]
            if spans[starting[0]][0] == spans[starting[0]][1] and before:
                if keys[before[-1]].endswith("/lead"):
                    return before[-1] if style == LEAD_STYLE else starting[0]
                raise _Ambiguous(AT_BOUNDARY)
            return starting[0]
        raise _Ambiguous(IN_LABELS)

    def span_of(at: int) -> int | None:
        return next((n for n, (start, end) in enumerate(spans) if start <= at < end), None)

    for op, piece, author, style in ops:
        if op == INSERT:
            if inline and INLINE_LABEL.search(piece):
                raise _Ambiguous("新增的内容像是一个新条目，请在系统中新增条目")
            number = span_of_insert(position, style)
            result[number][0].append(piece)
            result[number][1].append(author)
            continue
        for offset, character in enumerate(piece):
            number = span_of(position + offset)
            if number is None:
                if op == DELETE:
                    raise _Ambiguous(IN_LABELS)
                continue
            if op == EQUAL:
                result[number][0].append(character)
            else:
                result[number][1].append(author)
        position += len(piece)
    return [("".join(chars), [a for a in dict.fromkeys(who) if a]) for chars, who in result]


def _field_text(key: str, base: str, base_pieces: dict[int, str], pieces: dict[int, str]) -> str:
    """The field's proposed text: its paragraphs with the reviewed ones replaced."""
    if key == "header/title":
        return "\n".join(pieces[k].strip() for k in sorted(pieces) if pieces[k].strip())
    lines = [line.strip() for line in base.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lines = [line for line in lines if line]
    if key.endswith(("/lead", "/text", "/heading", "/lessons_intro", "/shortcomings_intro")) or (
        key.endswith("/transition")
    ):
        return pieces.get(0, base.strip())
    for piece, text in pieces.items():
        if piece < len(lines):
            lines[piece] = text
    return "\n".join(line.strip() for text in lines for line in text.split("\n") if line.strip())
