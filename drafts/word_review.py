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

from lxml import etree

from . import speech_json
from .assembly import (
    DATE,
    JOINER_PUNCTUATION,
    SUBTITLE,
    TITLE,
    Paragraph,
    assemble,
    finish_lead,
)
from .budgets import Budgets, configured
from .docx_changes import likeness
from .numbering import ordinal_label
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
RANGE_MARKS = (W + "commentRangeStart", W + "commentRangeEnd")
# The parts read besides document.xml: the comments, and the styles for the names of
# the ids in w:rStyle.
REVIEW_PARTS = ("word/comments.xml", "word/commentsExtended.xml", "word/styles.xml")
SKIPPED = {W + "pPr", W + "rPr", W + "sdtPr", W + "sdtEndPr", W + "txbxContent"}
KEPT, INSERTED, DELETED, BOTH = "kept", "inserted", "deleted", "both"
BROKEN = "无法读取这个 .docx 文件：它可能已损坏，或不是 Word 文档。请在 Word 中打开后重新保存再试。"
AT_BOUNDARY = "改动在两个字段的交界处，无法确定属于哪一个"
IN_LABELS = "改动涉及编号或连接语，无法确定属于哪个字段"
MOVED = "段落被移动了位置，请在系统中调整条目顺序"
BETWEEN_FIELDS = "新增的段落在两个字段之间，无法确定属于哪一个"
JOINED = "两段被合并为一段；各字段的文字已分别保留"
LEAD_BOUNDARY = "改动在领句与正文的交界处，无法确定属于领句还是正文"
NEW_ITEM = "新增的内容像是一个新条目，请在系统中新增条目"
NEW_ITEM_PARAGRAPH = "新增的段落像是一个新条目，请在系统中新增条目"
ORPHANED = "条目的第一段被删除，其后的段落无法确定属于哪个条目"
STYLED_PARAGRAPH = "新增的段落用了领句的格式，无法确定属于哪个字段"
STYLED_TEXT = "这一段的文字改成了领句的格式，无法确定属于哪个字段"
UNLIKE_EXPORT = "这一段与导出时的结构不一致"
INLINE_LABEL = re.compile("[一二三四五六七八九十百]+是")
# The style of an inserted paragraph mark's "\n" among a paragraph's ops, so that it is
# never taken for a line break (w:br) of the title's.
MARK = "¶"
# The lead's character style, by its name (w:name): docx_export gives it the name as its
# id, and Chinese Word may save it under another (w:styleId="a5"), so a run's w:rStyle is
# read through styles.xml.
LEAD_STYLE = "领句"
# The paragraphs of an item of a list whose items are paragraphs of their own.
ITEM_ANCHOR = re.compile(r"\.\d+$")
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
    and its text as a list of (op, text, author, run style name), op 0 kept, 1 inserted,
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
    styles = _style_names(parts.get("word/styles.xml"))
    for element in body.iter(W + "p", *RANGE_MARKS):
        if any(a.tag in (W + "txbxContent", W + "p") for a in element.iterancestors()):
            continue
        if element.tag == W + "p":
            paragraphs.append(_paragraph(element, len(paragraphs), anchors, styles))
        elif element.tag == RANGE_MARKS[0]:
            # Between paragraphs (Word, for a range from a paragraph's start): the next one's start.
            anchors.setdefault(element.get(W + "id", ""), []).append(("start", len(paragraphs), 0))
        elif paragraphs:  # ... and to a paragraph's end: the one before's end.
            end = ("end", len(paragraphs) - 1, len(paragraphs[-1].new))
            anchors.setdefault(element.get(W + "id", ""), []).append(end)
    for places in anchors.values():
        places[:] = [place for place in places if place[1] < len(paragraphs)]
    return Review(paragraphs, _comments(parts, anchors))


def _read_parts(data: bytes, budgets: Budgets) -> dict[str, etree._Element | None]:
    """The main part and the comments parts, unpacked and parsed as every import is
    (``reading``: the file's size, its entries, the parts' sizes and tags within the
    budgets, checked before the work)."""
    check_file_size(len(data), budgets)

    def read(archive: zipfile.ZipFile, main: str, allowance: list[int]):
        parts = {"word/document.xml": parse_part(archive, main, allowance, budgets)}
        for name in REVIEW_PARTS:
            present = name in archive.NameToInfo
            parts[name] = parse_part(archive, name, allowance, budgets) if present else None
        return parts

    return open_package(data, budgets, read)


class _Walk:
    """The state of reading one paragraph."""

    def __init__(self, index: int, anchors: dict[str, list], styles: Mapping[str, str]):
        self.index = index
        self.anchors = anchors
        self.styles = styles
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


def _style_names(root) -> dict[str, str]:
    """Each character style's id → its name (w:name), from styles.xml."""
    names = {}
    for style in root.iter(W + "style") if root is not None else ():
        name = style.find(W + "name")
        if style.get(W + "type") == "character" and name is not None and style.get(W + "styleId"):
            names[style.get(W + "styleId")] = name.get(W + "val", "")
    return names


def _paragraph(
    element, index: int, anchors: dict[str, list], styles: Mapping[str, str] | None = None
) -> ReviewedParagraph:
    walk = _Walk(index, anchors, styles or {})
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
    style_id = style.get(W + "val", "") if style is not None else ""
    walk.text(text, change, walk.styles.get(style_id, style_id))


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
    joined_by: str = ""  # who deleted its mark

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
            ops.append((INSERT, "\n", author, MARK))
        elif paragraph.mark in (KEPT, DELETED):
            moved = bool(kinds) and kinds <= {"move_from", "move_to", "paragraph_delete"}
            moved = moved and "move_from" in kinds
            joined_by = next(
                (r.author for r in paragraph.revisions if r.kind == "paragraph_delete"), ""
            )
            result.append(
                _OldParagraph(ops, paragraph.mark == DELETED, moved, tuple(physical), joined_by)
            )
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
    cut_and_pasted = _cut_and_pasted(review, paragraphs, pairs)
    moved_texts = cut_and_pasted | {
        r.text.strip() for p in review.paragraphs for r in p.revisions if r.kind == "move_to"
    }
    _note_joins(paragraphs, pairs, mapping)
    orphaned = _orphaned(speech, paragraphs, pairs, mapping)
    for index, old in pairs:
        paragraph = paragraphs[index]
        if paragraph.anchor in orphaned:
            continue
        cut = ITEM_ANCHOR.search(paragraph.anchor) and old.old.strip() in cut_and_pasted
        if (old.moved or cut) and not old.new.strip():
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
        if _layout(_base_text(paragraph), components) is None:
            if changed:
                mapping.unplaced.append(Unplaced(UNLIKE_EXPORT, old.old, old.new, _authors(ops)))
            continue
        leading, ops, trailing = _whole_new_paragraphs(ops)
        # A new paragraph between two of one field is that field's; one at a field's
        # edge may as well belong to the field next to it.
        following = paragraphs[index + 1] if index + 1 < len(paragraphs) else None
        inside_before = paragraph.index > 0
        inside_after = following is not None and following.anchor == paragraph.anchor
        # A new paragraph that opens like an item is a new item, whatever its place.
        leading, trailing = ([], leading), ([], trailing)
        for texts, inside in ((leading, inside_before), (trailing, inside_after)):
            for text, who, styled in texts[1]:
                if text.strip() in moved_texts:
                    mapping.unplaced.append(Unplaced(MOVED, "", text, who))
                elif ITEM_LABEL.match(text.strip()):
                    mapping.unplaced.append(Unplaced(NEW_ITEM_PARAGRAPH, "", text, who))
                elif styled:
                    mapping.unplaced.append(Unplaced(STYLED_PARAGRAPH, "", text, who))
                elif not inside:
                    mapping.unplaced.append(Unplaced(BETWEEN_FIELDS, "", text, who))
                else:
                    texts[0].append((text, who))
        leading, trailing = leading[0], trailing[0]
        if not old.new.replace("\n", "").strip() and changed:
            placed = [("", list(_authors(ops))) for _ in components]  # deleted whole
        else:
            try:
                placed = _place(_base_text(paragraph), components, ops)
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
        proposed = _field_text(key, bases.get(key, ""), base_pieces[key], texts)
        if proposed.strip() == bases.get(key, "").strip():
            continue
        mapping.fields.append(
            FieldProposal(
                key, labels.get(key, key), bases.get(key, ""), proposed, tuple(authors[key])
            )
        )
    _pair_moves(mapping)
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
        first, passage = _passage(review, comment)
        keys, point = [], None
        for index, old in pairs:
            if first in old.physical:
                keys = [key for key, _, _ in _components(speech, paragraphs[index]) or [] if key]
                if not passage and len(keys) > 1:
                    point = _point(speech, paragraphs[index], review, comment, texts, proposed)
        placed = False
        if point is not None:
            mapping.comments.append(PlacedComment(point[0], comment, point[1], point[1]))
            continue
        if not passage and len(keys) > 1:
            # A comment on a point (a w:commentReference alone, or an empty range) in a
            # paragraph of several fields: the first field is no more its than the others.
            keys = []
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


def _passage(review: Review, comment: ReviewComment) -> tuple[int, str]:
    """The paragraph a comment's passage starts in, and its text: over several
    paragraphs, their texts joined by "\n" as a field joins its paragraphs, so that a
    passage running into another field's paragraph is found in no field. An end at
    the very start of a paragraph (a selection up to a paragraph's mark) takes none of
    it."""
    first, last = comment.paragraph, comment.end_paragraph
    if last is None or last <= first:
        return first, review.paragraphs[first].new[comment.start : comment.end]
    texts = [p.new for p in review.paragraphs[first : last + 1]]
    lines = [texts[0][comment.start :], *texts[1:-1], texts[-1][: comment.end]]
    while len(lines) > 1 and not lines[-1]:
        lines.pop()
    while len(lines) > 1 and not lines[0]:
        lines.pop(0)
        first += 1
    return first, "\n".join(lines)


def _point(speech, paragraph: Paragraph, review: Review, comment, texts, proposed):
    """The field and offset of a comment made at a point of an unchanged paragraph of
    several fields, or None when the point is not inside one field's text (in a label,
    or where two fields meet with nothing between them)."""
    reviewed = review.paragraphs[comment.paragraph]
    text = _base_text(paragraph)
    components = _components(speech, paragraph)
    pieces = _layout(text, components) if components else None
    if pieces is None or reviewed.old != text or reviewed.new != text:
        return None
    found, at = [], 0
    for kind, number, piece in pieces:
        # An empty field (no lead-in before 一是…) has no text to comment on.
        if kind == FIELD and piece and at <= comment.start <= at + len(piece):
            found.append((number, comment.start - at, piece))
        at += len(piece)
    if len(found) != 1 or components[found[0][0]][0] is None:
        return None
    number, offset, piece = found[0]
    key = components[number][0]
    field_text = proposed.get(key, texts.get(key, ""))
    start = field_text.find(piece)
    return None if start < 0 else (key, start + offset)


def _orphaned(speech: Speech, paragraphs, pairs, mapping: ReviewMapping) -> set[str]:
    """The items whose lead paragraph was deleted whole while a later paragraph of
    their body stays: on the page that paragraph now follows the item before, so whose
    it is cannot be told. The item is listed as not placed, none of it proposed."""
    members: dict[str, list] = {}
    for index, old in pairs:
        members.setdefault(paragraphs[index].anchor, []).append((index, old))
    orphaned = set()
    for anchor, item in members.items():
        index, first = item[0]
        components = _components(speech, paragraphs[index])
        if paragraphs[index].index or not components or not components[0][0]:
            continue
        if not components[0][0].endswith("/lead"):
            continue
        own = _whole_new_paragraphs(_normal_ops(paragraphs[index], first))[1]
        rest = [old for _, old in item[1:] if old.new.strip()]
        if "".join(t for op, t, *_ in own if op != DELETE).strip() or not rest:
            continue
        orphaned.add(anchor)
        mapping.unplaced.append(
            Unplaced(
                ORPHANED,
                "\n".join(old.old for _, old in item),
                "\n".join(old.new.strip() for old in rest),
                tuple(dict.fromkeys(a for _, old in item for a in _authors(old.ops))),
            )
        )
    return orphaned


def _cut_and_pasted(review: Review, paragraphs: list[Paragraph], pairs) -> set[str]:
    """The texts of an item's paragraphs deleted whole and inserted whole elsewhere:
    the item moved, recorded as w:del and w:ins. LibreOffice 7.4 writes w:moveFrom /
    w:moveTo only for text of six characters or more with a space inside
    (``SwRedlineTable::isMoved``), so it writes a Chinese paragraph cut and pasted so
    (tests/resources/review_libreoffice_moves.fodt). Only items: they are what can be
    put in another order."""
    deleted = {
        old.old.strip()
        for index, old in pairs
        if ITEM_ANCHOR.search(paragraphs[index].anchor) and not old.new.strip()
    }
    inserted = {p.new.strip() for p in review.paragraphs if p.new.strip() and not p.old.strip()}
    return (deleted - {""}) & inserted


def _pair_moves(mapping: ReviewMapping) -> None:
    """A paragraph moved unchanged (w:moveFrom here, w:moveTo there) is one note with
    both places' text: no field's text changed, the order did."""
    notes = mapping.unplaced
    for number, note in enumerate(notes):
        if note.reason != MOVED or note.new or not note.old.strip():
            continue
        arrival = next(
            (
                k
                for k, other in enumerate(notes)
                if other.reason == MOVED and not other.old and other.new.strip() == note.old.strip()
            ),
            None,
        )
        if arrival is not None:
            authors = tuple(dict.fromkeys(note.authors + notes[arrival].authors))
            notes[number] = Unplaced(MOVED, note.old, notes[arrival].new, authors)
            del notes[arrival]
            _pair_moves(mapping)
            return


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
                            # The one paragraph they make, without new ones around it.
                            old.new.split("\n")[-1] + next_old.new.split("\n")[0],
                            (old.joined_by,),
                        )
                    )
                break
            if not next_old.joined:
                break


def _who(texts) -> list[str]:
    return [author for _, authors in texts for author in authors]


def _whole_new_paragraphs(ops):
    """(new paragraphs before the paragraph's own text, its ops, new ones after): the
    paragraphs a reviewer added whole, each as (text, authors, whether any of it is in
    the lead's style)."""
    segments: list[list] = [[]]
    for op in ops:
        if op[0] == INSERT and op[1] == "\n":
            segments.append([op])
        else:
            segments[-1].append(op)

    def whole(segment) -> bool:
        return all(op == INSERT for op, *_ in segment)

    def text(segment) -> tuple[str, tuple[str, ...], bool]:
        body = "".join(piece for op, piece, *_ in segment if op == INSERT).lstrip("\n")
        return body, _authors(segment), any(op[3] == LEAD_STYLE for op in segment)

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
        # Its line breaks go (the layout's); an inserted paragraph mark stays: the text
        # before it is a new paragraph, not more of the title.
        ops = [
            (op, t if style == MARK else t.replace("\n", ""), author, style)
            for op, t, author, style in ops
            if style == MARK or t.replace("\n", "")
        ]
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


# Placing a paragraph's changes in its fields: the paragraph is read again in the form
# the export wrote it (numbering, joiners, the lead's style), every way that form
# allows, and a reading is kept only if each character the reviewer left unchanged is
# still in its own field. One reading: its fields. More than one that differ, or none:
# no one can say which field a change belongs to, and the paragraph is not placed.

FIELD, LABEL, JOINER = "field", "label", "joiner"
# An inline item ending in one of these takes no joiner (assembly.join_inline).
SENTENCE_MARKS = "？！?!"
# Readings of one paragraph past which it is not placed (a paragraph whose numbering
# words come back again and again in its text).
MOST_READINGS = 64


class _Ambiguous(Exception):
    """A change that no one field holds; its message says why."""


def _layout(text: str, components) -> list[tuple[str, int, str]] | None:
    """The paragraph as the export wrote it: (kind, number, text) pieces in order, kind
    FIELD (number: the component's), LABEL (the item's component) or JOINER (the
    component it follows). None when the pieces do not make the paragraph's text.

    >>> _layout("（一）甲。乙", [("a/lead", 0, "甲"), ("a/body", 0, "乙")])
    [('label', 0, '（一）'), ('field', 0, '甲'), ('joiner', 0, '。'), ('field', 1, '乙')]
    """
    keys = [key or "" for key, _, _ in components]
    visible = [text for _, _, text in components]
    if len(components) == 1:
        # A heading's label (一、) is the numbering's, before its text.
        label = text[: len(text) - len(visible[0])] if text.endswith(visible[0]) else ""
        pieces = [(LABEL, 0, label), (FIELD, 0, visible[0])] if label else [(FIELD, 0, visible[0])]
    elif keys[0].endswith("/lead"):
        label = ITEM_LABEL.match(text)
        if label is None:
            return None
        lead, body = visible
        stop = finish_lead(lead)[len(lead) :] if lead else ""
        pieces = [(LABEL, 0, label.group()), (FIELD, 0, lead), (JOINER, 0, stop), (FIELD, 1, body)]
    else:
        transition = keys[-1].endswith("/transition")
        separator = "；" if transition else "。"
        items = list(range(1, len(components) - (1 if transition else 0)))
        pieces = [(FIELD, 0, visible[0])]
        for rank, number in enumerate(items, start=1):
            joiner = "。" if number == items[-1] else separator
            if visible[number][-1:] and visible[number][-1] in SENTENCE_MARKS:
                joiner = ""
            pieces += [
                (LABEL, number, ordinal_label(rank)),
                (FIELD, number, visible[number]),
                (JOINER, number, joiner),
            ]
        if transition:
            pieces.append((FIELD, len(components) - 1, visible[-1]))
    if "".join(piece for _, _, piece in pieces) != text:
        return None
    return pieces


def _is_lead(text: str) -> bool:
    return not text or ("\n" not in text and text == text.strip() and finish_lead(text) == text)


def _inline_item(segment: str, joiner: str) -> str | None:
    """An inline item's text in ``segment`` (its text and its joiner), or None when
    join_inline would not have written the segment so."""
    if segment[-1:] and segment[-1] in SENTENCE_MARKS:
        text = segment
    elif segment.endswith(joiner):
        text = segment[: len(segment) - len(joiner)]
        if text[-1:] and text[-1] in JOINER_PUNCTUATION + SENTENCE_MARKS:
            return None
    else:
        return None
    return None if "\n" in text else text


def _lead_readings(pieces, new: str, styles: list[str], styled: bool):
    # The numbering is the position's: another item's label (（一） for （二）, after an
    # item before it was deleted) is the same item renumbered.
    label = ITEM_LABEL.match(new)
    if label is None or label.group().startswith("（") != pieces[0][2].startswith("（"):
        raise _Ambiguous(IN_LABELS)
    start = len(label.group())
    if styled:
        # Word gives typed text the style of the text before it, and the page shows
        # which words are the lead: the style says where the lead ends.
        cut = start
        while cut < len(new) and styles[cut] == LEAD_STYLE:
            cut += 1
        if "\n" in new[start:cut] or LEAD_STYLE in styles[cut:]:
            return []
        cuts = [cut]
    else:
        cuts = [cut for cut in range(start, len(new) + 1) if _is_lead(new[start:cut])]
    return [
        [(LABEL, 0, 0, start), (FIELD, 0, start, cut), (FIELD, 1, cut, len(new))] for cut in cuts
    ]


def _inline_readings(pieces, new: str):
    labels = [(number, text) for kind, number, text in pieces if kind == LABEL]
    joiners = {number: text for kind, number, text in pieces if kind == JOINER}
    fields = [number for kind, number, _ in pieces if kind == FIELD]
    transition = fields[-1] if len(fields) > len(labels) + 1 else None
    readings: list[list] = []

    def places(label: str, start: int):
        at = new.find(label, start)
        while at >= 0:
            yield at
            at = new.find(label, at + 1)

    def item(number: int, start: int, end: int, joiner: str) -> list | None:
        text = _inline_item(new[start:end], joiner)
        if text is None:
            return None
        cut = start + len(text)
        return [(FIELD, number, start, cut), (JOINER, number, cut, end)]

    def found(reading: list) -> None:
        readings.append(reading)
        if len(readings) > MOST_READINGS:
            raise _Ambiguous(AT_BOUNDARY)

    def tail(number: int, start: int, regions: list) -> None:
        if transition is None:
            last = item(number, start, len(new), "。")
            if last:
                found(regions + last)
            return
        for cut in range(start, len(new) + 1):
            joiner = "" if new[start:cut][-1:] in tuple(SENTENCE_MARKS) else "。"
            if joiner and new[cut : cut + 1] != joiner:
                continue
            end = cut + len(joiner)
            last = item(number, start, end, "。")
            if last:
                found(regions + last + [(FIELD, transition, end, len(new))])

    def walk(rank: int, at: int, regions: list) -> None:
        number, label = labels[rank]
        regions = regions + [(LABEL, number, at, at + len(label))]
        after = at + len(label)
        if rank + 1 == len(labels):
            tail(number, after, regions)
            return
        for following in places(labels[rank + 1][1], after):
            found_item = item(number, after, following, joiners[number])
            if found_item:
                walk(rank + 1, following, regions + found_item)

    if not labels:  # a lead-in and a transition, no item between them
        for cut in range(len(new) + 1):
            if "\n" not in new[:cut]:
                found([(FIELD, fields[0], 0, cut), (FIELD, transition, cut, len(new))])
        return readings
    for at in places(labels[0][1], 0):
        if "\n" in new[:at]:
            break
        walk(0, at, [(FIELD, fields[0], 0, at)])
    return readings


def _keeps_its_place(reading, kept: list[int], kinds: list[tuple[str, int]]) -> bool:
    """Whether every character left unchanged stays where it was: a field's in that
    field (or its own joiner, when what followed it was deleted), a label's in the
    same label, a joiner's anywhere but in a label."""
    for kind, number, start, end in reading:
        for position in range(start, end):
            old = kept[position]
            if old < 0:
                continue
            old_kind, old_number = kinds[old]
            if old_kind == FIELD:
                if old_number != number or kind == LABEL:
                    return False
            elif old_kind == LABEL:
                if (kind, number) != (LABEL, old_number):
                    return False
            elif kind == LABEL:
                return False
    return True


def _keeping_joiners(results: dict, kept: list[int], kinds: list[tuple[str, int]]) -> dict:
    """Of several readings, those in which every unchanged joiner still joins.

    Text typed next to an item's closing mark (一是甲。|乙。台账) reads as the start of
    the next field, or, the kept 。 taken into the item and the typed one as its
    joiner, as more of the item. The page is the same; the file says on which side
    of the mark that ended the item the reviewer typed, and the reading that keeps
    the mark where it was is the one that says so. Several such readings still tie."""

    def keeps_joiners(reading) -> bool:
        return all(
            kind == JOINER
            for kind, _, start, end in reading
            for position in range(start, end)
            if kept[position] >= 0 and kinds[kept[position]][0] == JOINER
        )

    kept_joining = {texts: r for texts, r in results.items() if keeps_joiners(r)}
    return kept_joining or results


def _place(text: str, components, ops) -> list[tuple[str, list[str]]]:
    """Each component's new text and who changed it. Raises :class:`_Ambiguous` when
    the paragraph can be read in more than one way, or in none (a label or a joiner
    changed, a new item typed in a list paragraph)."""
    pieces = _layout(text, components)
    if pieces is None:
        raise _Ambiguous(UNLIKE_EXPORT)
    kinds = [(kind, number) for kind, number, piece in pieces for _ in piece]
    chars, kept, styles, inserted_by, deleted_by = [], [], [], [], {}
    position = 0
    for op, piece, author, style in ops:
        for character in piece:
            if op == DELETE:
                deleted_by[position] = author
                position += 1
                continue
            chars.append(character)
            kept.append(position if op == EQUAL else -1)
            styles.append(style)
            inserted_by.append(author if op == INSERT else "")
            if op == EQUAL:
                position += 1
    new = "".join(chars)
    if len(components) == 1:
        if LEAD_STYLE in styles:
            # Only a lead is set in the lead's style, and no lead stands alone in a
            # paragraph: text made a lead here is a lead no field of this one holds.
            raise _Ambiguous(STYLED_TEXT)
        label = pieces[0][2] if pieces[0][0] == LABEL else ""
        readings = [[(LABEL, 0, 0, len(label)), (FIELD, 0, len(label), len(new))]]
        if not new.startswith(label):
            readings = []
        unclear = IN_LABELS
    elif pieces[0][0] == LABEL:
        styled = any(style == LEAD_STYLE for *_, style in ops)
        readings = _lead_readings(pieces, new, styles, styled)
        if not styled:
            readings = [r for r in readings if _keeps_its_place(r, kept, kinds)]
        unclear = LEAD_BOUNDARY
    else:
        readings = [r for r in _inline_readings(pieces, new) if _keeps_its_place(r, kept, kinds)]
        unclear = AT_BOUNDARY
    results = {}
    for reading in readings:
        texts = [""] * len(components)
        for kind, number, start, end in reading:
            if kind == FIELD:
                texts[number] = new[start:end]
        results.setdefault(tuple(texts), reading)
    if not results:
        raise _Ambiguous(IN_LABELS if len(components) != 2 or pieces[0][0] != LABEL else unclear)
    if len(results) > 1:
        results = _keeping_joiners(results, kept, kinds)
    if len(results) > 1:
        raise _Ambiguous(unclear)
    ((texts, reading),) = results.items()
    for (key, _, old), text in zip(components, texts, strict=True):
        inline = (key or "").endswith(("/text", "_intro", "/transition"))
        if inline and INLINE_LABEL.search(text) and not INLINE_LABEL.search(old):
            raise _Ambiguous(NEW_ITEM)
        if any(ITEM_LABEL.match(line.strip()) for line in text.split("\n")[1:]):
            raise _Ambiguous(NEW_ITEM_PARAGRAPH)
    who: list[list[str]] = [[] for _ in components]
    for _, number, start, end in reading:
        who[number] += [inserted_by[at] for at in range(start, end) if inserted_by[at]]
    for at, author in deleted_by.items():
        kind, number = kinds[at]
        if kind != LABEL:
            who[number].append(author)
    everyone = [a for a in inserted_by if a] + list(deleted_by.values())
    placed = []
    for (key, _, old), text, authors in zip(components, texts, who, strict=True):
        if key and key.endswith("/lead") and old and finish_lead(old) != old:
            text = text[:-1] if text.endswith("。") and finish_lead(text[:-1]) == text else text
        if text != old and not authors:
            authors = everyone  # only a joiner next to it changed
        placed.append((text, [a for a in dict.fromkeys(authors) if a]))
    return placed


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
