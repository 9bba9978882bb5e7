"""A Word file returned with 修订 and 批注 → suggestions and comments on the stored speech
(issue 14, Word in).

:func:`import_review` reads the file (``word_review.read_review``, within the budgets),
finds the version it was exported from (``export_origin``: the version the reviewer
saw), maps the changes onto that version's fields (``word_review.map_review``) and
records each changed field as a :class:`models.Suggestion` (source Word) and each
comment as a :class:`models.Comment` on its unit, by the people the file names: a name
is matched to a user of the speech's agency by full name (名 姓 as Django keeps it, or
姓名 written together) or user name; one that matches no one, or several, is kept as
the name written in the file. It returns a :class:`ReviewImport`: what was recorded,
by whom, and every change that could not be placed, with its text.

Decisions, each said in the report where it applies:

- Several people changed one field: the field's changes are one proposal (a field's
  old and new text, not who typed which character, is what the file gives per field),
  recorded as the suggestion of the first of them, its reason naming them all.
- A change made with 修订 off has no author: it is recorded as the file's last editor's
  (``cp:lastModifiedBy``, which Word sets on saving) when that is not our export's, else
  unsigned. When the version the file was exported from is not known, such a change
  may as well be an edit made in the system since the export, so it is not placed.
- A redline export's own changes (its author at its date, named in the origin) are
  accepted before reading: the reviewer saw them as the text, and the suggestions are
  the reviewer's changes on it.
- The speech's open suggestions, which a review download writes as their authors'
  tracked changes, come back in the file. A field that reads as the export wrote it
  (its suggestions accepted in turn) records nothing: each suggestion is listed as
  already there, untouched (reason, time, replies). Where the field changed, only
  what changed is a new proposal: by a new person, on the text with the suggestions
  still there accepted; by a suggestion's author whose proposal no longer reads as
  it did, superseding theirs (as ``Suggestion.propose`` does), its reason kept when
  the file's reason comment is the one the export wrote. A suggestion's reason and
  replies, written as a Word comment thread on it, are not comments.
- A comment (or reply) whose author and text are those of a comment or reply on the
  same unit is the one already there, whatever its thread in the file: LibreOffice
  does not keep a reply's thread when it saves.
- A comment whose author is no user is stored under the importing user, its text
  opening with （张处长在 Word 中批注）. It points at the passage it was made on, which
  then follows its words through later edits; words the field does not hold (put in
  by the file's own 修订) are quoted in its text instead (:func:`record_comment` is the
  one place that writes a comment from a file).
"""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from lxml import etree

from . import merging, passages, speech_json
from .access import user_name
from .assembly import JOINER_PUNCTUATION, SUBTITLE, TITLE, assemble
from .budgets import Budgets, configured
from .export_origin import Origin, read_origin, stamp_of, version_of
from .models import (
    AuditEvent,
    Comment,
    Snapshot,
    Speech,
    Suggestion,
    SuggestionRefused,
    UnitGone,
    item_lists,
    plain,
    text_limit,
)
from .reading import OLE2_MAGIC, PACKAGE_RELS, ImportRefused, open_package, parse_part
from .structure import ITEM_LISTS, text_fields
from .structure import Speech as SpeechData
from .word_review import REVIEW_PARTS, FieldProposal, PlacedComment, map_review, read_review

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CORE = "docProps/core.xml"
LAST_MODIFIED_BY = (
    "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}lastModifiedBy"
)

APPROVED = "讲话稿已审定，不能再导入审阅意见。如需修改，请审核领导重新打开。"
OLD_WORD = (
    "这是旧版 Word（.doc）文件或加密的文档，无法读取修订。"
    "请在 Word 或 WPS 中用“另存为”保存成 .docx 格式（如有密码请先取消），再导入。"
)
UNTRACKED_UNKNOWN_BASE = (
    "这一处与讲话稿当前的文字不同，但没有修订记录，可能是导出后在系统中所做的修改；"
    "无法确定审阅人改了什么，请对照原文处理"
)
ITEM_UNKNOWN = "无法确定这一条对应讲话稿中的哪个条目（文件未注明导出时的条目）"
COMMENT_UNPLACED = "批注所在的条目已被删除"
IMPORTED_BEFORE = "已导入过，未重复记录"
IN_THE_SYSTEM = "已在系统中，未重复记录"
QUOTE_CHARS = 40
# What the report calls each thing recorded.
SUGGESTION, COMMENT, REPLY = "修改建议", "批注", "回复"


@dataclass(frozen=True)
class Recorded:
    """One suggestion or comment recorded: ``kind`` 修改建议 / 批注 / 回复, where
    (``label``, the field's name now), by whom (``author``: the user's name, or the
    name in the file), its ``text`` and a ``note`` when something was decided."""

    kind: str
    label: str
    author: str
    text: str = ""
    note: str = ""
    # There already (imported before, or the speech's own, exported and back): not new.
    existed: bool = False


@dataclass(frozen=True)
class NotPlaced:
    """A change that was not recorded, with the texts to apply by hand: ``old`` and
    ``new`` as the file has them; for a comment (``comment``), the passage it was made
    on and its text."""

    reason: str
    old: str
    new: str
    authors: str = ""
    comment: bool = False


@dataclass
class ReviewImport:
    """What an import did: the version the file was read against (``base``, a
    sentence; ``exact`` when it is the one the reviewer saw), what was recorded and
    what could not be placed."""

    base: str
    exact: bool
    recorded: list[Recorded] = field(default_factory=list)
    not_placed: list[NotPlaced] = field(default_factory=list)

    @property
    def suggestions(self) -> list[Recorded]:
        return [r for r in self.recorded if r.kind == SUGGESTION]

    @property
    def comments(self) -> list[Recorded]:
        return [r for r in self.recorded if r.kind != SUGGESTION]

    def summary(self) -> str:
        """导入 3 条修改建议、2 条批注，另有 4 条已在系统中（未重复记录），1 处无法对应:
        the counts are of what is new."""
        new_suggestions = sum(not r.existed for r in self.suggestions)
        new_comments = sum(not r.existed for r in self.comments)
        text = f"导入 {new_suggestions} 条修改建议、{new_comments} 条批注"
        existed = len(self.recorded) - new_suggestions - new_comments
        text += f"，另有 {existed} 条已在系统中（未重复记录）" if existed else ""
        return text + (f"，{len(self.not_placed)} 处无法对应" if self.not_placed else "")


def import_review(
    speech: Speech, data: bytes, user, *, ip: str | None = None, budgets: Budgets | None = None
) -> ReviewImport:
    """Record the 修订 and 批注 of the reviewed .docx ``data`` on ``speech``, by the
    people the file names; ``user`` is who imports it.

    Raises ``reading.ImportRefused`` (the message is for the user) when the speech is
    approved, the file is not a .docx, is broken, is over the budgets, or was exported
    from another speech. Nothing is recorded then.
    """
    budgets = budgets or configured()
    if speech.status == Speech.Status.APPROVED:
        raise ImportRefused(APPROVED)
    if not data:
        raise ImportRefused("文件是空的。")
    if data.startswith(OLE2_MAGIC):
        raise ImportRefused(OLD_WORD)
    origin = read_origin(data, budgets)
    if origin is not None and origin.speech != speech.pk:
        raise ImportRefused(
            f"这个文件是从另一篇讲话稿（编号 {origin.speech}）导出的，"
            "不能作为这篇讲话稿的审阅稿导入。请在那篇讲话稿中导入。"
        )
    reviewed = data
    if origin is not None and origin.changes_author:
        reviewed = accept_changes_by(
            data, origin.changes_author, origin.changes_date, budgets, origin.more_changes
        )
    review = read_review(reviewed, budgets)
    base = base_version(speech, origin)
    mapping = map_review(speech_json.to_document(base.speech), review, budgets)
    report = ReviewImport(base.sentence, base.exact)
    last_editor = _last_editor(data, budgets, speech.organization)
    with transaction.atomic():
        locked = Speech.objects.select_for_update().get(pk=speech.pk)
        if locked.status == Speech.Status.APPROVED:
            raise ImportRefused(APPROVED)
        proposed = {f.key: f.proposed for f in mapping.fields}
        recorder = _Recorder(locked, base, proposed, user, ip, budgets, last_editor, report)
        recorder.file_comments = {(c.author, c.text) for c in review.comments}
        for proposal in mapping.fields:
            recorder.suggestion(proposal)
        for placed in mapping.comments:
            recorder.comment(placed)
        comments = {(c.text, (c.author,)) for c in review.comments}
        for unplaced in mapping.unplaced:
            is_comment = (unplaced.new, tuple(unplaced.authors)) in comments
            names = _names(unplaced.authors)
            report.not_placed.append(
                NotPlaced(unplaced.reason, unplaced.old, unplaced.new, names, is_comment)
            )
        AuditEvent.write(
            AuditEvent.Action.IMPORT,
            user=user,
            ip=ip,
            speech_id=speech.pk,
            detail=f"Word 审阅稿：{report.summary()}",
        )
    return report


# The version the file was exported from.


@dataclass(frozen=True)
class Base:
    """The version a file is read against, its items with their ids."""

    speech: SpeechData
    exact: bool
    sentence: str


def base_version(speech: Speech, origin: Origin | None) -> Base:
    """The version ``origin`` names, most exact first: the one the file carries, the
    snapshot it names, the speech as it is when the stamp says it has not changed;
    else the speech as it is now, and the sentence says so."""
    if origin is not None and origin.document is not None:
        try:
            version = version_of(origin.document, origin.item_ids or {})
        except speech_json.SpeechFormatError:
            version = None
        if version is not None and stamp_of(origin.document, origin.item_ids or {}) == origin.stamp:
            where = f"版本 {origin.snapshot}" if origin.snapshot else "导出时的讲话稿"
            return Base(version, True, f"已按文件导出时的文字（{where}）对照审阅人的修改。")
    current = Speech.objects.with_structure().get(pk=speech.pk).as_structure()
    if origin is not None and origin.snapshot:
        snapshot = Snapshot.objects.filter(pk=origin.snapshot, speech=speech).first()
        if snapshot is not None and snapshot.has_document:
            sentence = f"已按文件导出时的版本（版本 {snapshot.pk}）对照审阅人的修改。"
            return Base(snapshot.as_structure(), True, sentence)
    if origin is not None and origin.stamp:
        document = speech_json.to_document(current)
        ids = {name: [i.id for i in items] for name, items in item_lists(current).items()}
        if stamp_of(document, ids) == origin.stamp:
            return Base(current, True, "讲话稿自导出以来没有改动，已按当前文字对照审阅人的修改。")
    return Base(
        current,
        False,
        "文件中没有注明导出时的版本（或该版本已找不到），已按讲话稿当前的文字对照。"
        "导出后在系统中改过的地方可能列为无法对应，请逐条核对。",
    )


# A redline export's own changes.


def accept_changes_by(data: bytes, author: str, date: str, budgets: Budgets, more=()) -> bytes:
    """The parts of ``data`` that ``read_review`` reads, with the tracked changes of
    ``author`` at ``date`` (a Word date), and of the ``more`` (author, date) pairs,
    accepted, as Word's 接受 does: insertions kept, deletions dropped, a deleted
    paragraph mark joining its paragraph to the next, formatting changes kept as they
    are.

    >>> import datetime
    >>> from drafts.docx_changes import redline_docx
    >>> from drafts.speech_json import to_document
    >>> from drafts.structure import Speech
    >>> old, new = to_document(Speech(opening="甲。")), to_document(Speech(opening="乙。"))
    >>> docx = redline_docx(old, new, author="办公室", date=datetime.datetime(2026, 12, 1))
    >>> accepted = accept_changes_by(docx, "办公室", "2026-12-01T00:00:00Z", configured())
    >>> review = read_review(accepted)
    >>> review.rejected()[-1], review.paragraphs[-1].revisions
    ('乙。', ())
    """
    owned = {(author, _when(date))} | {(name, _when(when)) for name, when in more}

    def own(element) -> bool:
        return (element.get(W + "author", ""), _when(element.get(W + "date"))) in owned

    def read(archive: zipfile.ZipFile, main: str, allowance: list[int]):
        parts = {PACKAGE_RELS: parse_part(archive, PACKAGE_RELS, allowance, budgets)}
        parts[main] = _accepted(parse_part(archive, main, allowance, budgets), own)
        for name in REVIEW_PARTS:
            if name in archive.NameToInfo:
                parts[name] = parse_part(archive, name, allowance, budgets)
        return parts

    parts = open_package(data, budgets, read)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, root in parts.items():
            archive.writestr(name, etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
    return buffer.getvalue()


def _when(value: str | None) -> datetime.datetime | None:
    """A Word date to the second, in UTC (editors write it with or without the Z)."""
    try:
        parsed = datetime.datetime.fromisoformat(str(value or "").replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=datetime.UTC)
    return parsed.astimezone(datetime.UTC).replace(microsecond=0)


def _accepted(root, own):
    inserted, deleted = (W + "ins", W + "moveTo"), (W + "del", W + "moveFrom")
    for element in list(root.iter(*inserted, *deleted, W + "rPrChange", W + "pPrChange")):
        parent = element.getparent()
        if parent is None or not own(element):
            continue
        if parent.tag == W + "rPr" and parent.getparent().tag == W + "pPr":
            if element.tag in deleted:
                _join_with_next(parent.getparent().getparent())
            parent.remove(element)
        elif element.tag in inserted:
            # Unwrapped: its runs (and any change of another's inside) stay in place.
            position = parent.index(element)
            for offset, child in enumerate(list(element)):
                parent.insert(position + offset, child)
            parent.remove(element)
        else:
            parent.remove(element)
    return root


def _join_with_next(paragraph) -> None:
    """Word's accepting of a deleted paragraph mark: the paragraph's content opens the
    next paragraph, which keeps its own properties."""
    following = next(paragraph.itersiblings(W + "p"), None)
    if following is None:
        return
    content = [child for child in paragraph if child.tag != W + "pPr"]
    properties = following.find(W + "pPr")
    position = 0 if properties is None else following.index(properties) + 1
    for offset, child in enumerate(content):
        following.insert(position + offset, child)
    paragraph.getparent().remove(paragraph)


def _last_editor(data: bytes, budgets: Budgets, exported_as: str) -> str:
    """Who saved the file last (``cp:lastModifiedBy``), unless it is what our export
    wrote there (the speech's organisation)."""

    def read(archive: zipfile.ZipFile, main: str, allowance: list[int]):
        if CORE not in archive.NameToInfo:
            return ""
        element = parse_part(archive, CORE, allowance, budgets).find(LAST_MODIFIED_BY)
        return (element.text or "").strip()[:150] if element is not None else ""

    name = open_package(data, budgets, read)
    return "" if name == exported_as.strip() else name


# The people the file names.


class People:
    """The users of one agency by the names a file may give them."""

    def __init__(self, users: Iterable):
        self.by_name: dict[str, list] = {}
        for user in users:
            first, last = user.first_name.strip(), user.last_name.strip()
            names = {user.get_username(), user.get_full_name(), last + first}
            for name in names:
                key = _key(name)
                if key and user not in self.by_name.setdefault(key, []):
                    self.by_name[key].append(user)

    @classmethod
    def of_agency(cls, agency_id: int) -> People:
        users = get_user_model().objects.filter(membership__agency_id=agency_id, is_active=True)
        return cls(users)

    def find(self, name: str):
        """The one user called ``name``, or None (no one, or several: then the name is
        kept as written)."""
        found = self.by_name.get(_key(name), [])
        return found[0] if len(found) == 1 else None

    def several(self, name: str) -> bool:
        return len(self.by_name.get(_key(name), [])) > 1


def _key(name: str) -> str:
    """A name as compared: without white space (a full-width one too), case folded.

    >>> _key(" 王　建国 "), _key("Wang Jianguo")
    ('王建国', 'wangjianguo')
    """
    return "".join(name.split()).casefold()


def _names(authors: Iterable[str]) -> str:
    return "、".join(a for a in authors if a) or "（未署名）"


def _display(user) -> str:
    return user.get_full_name() or user.get_username()


# Recording.


class _Recorder:
    def __init__(self, speech, base: Base, proposed, user, ip, budgets, last_editor, report):
        self.speech, self.base, self.user, self.ip = speech, base, user, ip
        # The fields' texts as the reviewer left them, by the mapping's keys.
        self.proposed: dict[str, str] = proposed
        self.budgets, self.last_editor, self.report = budgets, last_editor, report
        self.people = People.of_agency(speech.agency_id)
        self.ids = {
            f"{part}.{name}": [item.id for item in getattr(getattr(base.speech, part), name)]
            for part, name, _ in ITEM_LISTS
        }
        current = Speech.objects.with_structure().get(pk=speech.pk).as_structure()
        self.labels = {(f.anchor, f.name): f.label for f in text_fields(current)}
        self.comments: dict[str, Comment] = {}
        # Keyed as the mapping keys them: by place, as a document (without ids) reads.
        unstored = speech_json.from_document(speech_json.to_document(base.speech))
        self.base_texts = {f"{f.anchor}/{f.name}": f.text for f in text_fields(unstored)}
        # The open suggestions by unit and column, oldest first (as the export wrote
        # them), with their replies: three queries.
        self.open: dict[tuple[str, str], list[Suggestion]] = {}
        found = Suggestion.objects.open_threads(speech)
        for suggestion in found:
            self.open.setdefault((suggestion.anchor, suggestion.field), []).append(suggestion)
        # The (author, text) of the file's comments, as read.
        self.file_comments: set[tuple[str, str]] = set()
        # Comment ids of the file → the suggestion whose thread they are, and the units
        # each suggestion's thread was found on.
        self.threads: dict[str, Suggestion] = {}
        self.thread_units: dict[int, set[str]] = {}

    def unit(self, key: str) -> tuple[str, str] | None:
        """The stored unit and column of a mapping's key (``part_one.lessons.1/text`` is
        the item's ``body``), or None when the item's id is not known."""
        anchor, _, name = key.partition("/")
        if anchor.startswith("item:"):
            return anchor, "body" if name == "text" else name
        section, _, position = anchor.rpartition(".")
        if section in self.ids and position.isdigit():
            ids = self.ids[section]
            item_id = ids[int(position)] if int(position) < len(ids) else None
            if not item_id:
                return None
            return f"item:{item_id}", "body" if name == "text" else name
        return anchor, name

    def label(self, anchor: str, name: str, fallback: str) -> str:
        shown_name = "text" if name == "body" and (anchor, "text") in self.labels else name
        return self.labels.get((anchor, shown_name), fallback)

    def who(self, name: str):
        """(user or None, name to keep, note) for a name from the file."""
        user = self.people.find(name) if name else None
        if user is not None:
            return user, "", ""
        note = f"有多个用户名为“{name}”，按文件中的名字记录" if self.people.several(name) else ""
        return None, name, note

    def suggestion(self, proposal: FieldProposal) -> None:
        unit = self.unit(proposal.key)
        authors = list(dict.fromkeys(a for a in proposal.authors if a))
        untracked = "" in proposal.authors or not proposal.authors
        if unit is None or (untracked and not self.base.exact):
            reason = ITEM_UNKNOWN if unit is None else UNTRACKED_UNKNOWN_BASE
            self.not_placed(reason, proposal.base, proposal.proposed, authors, proposal.label)
            return
        anchor, name = unit
        notes = []
        if not authors and self.last_editor:
            authors = [self.last_editor]
            notes.append(f"未开启修订的改动，按文件的最后修改者“{self.last_editor}”记录")
        elif untracked and authors:
            notes.append("其中有未开启修订的改动")
        proposed = stored_form(proposal.key, proposal.base, proposal.proposed)
        if shown(proposal.key, proposed) == shown(proposal.key, proposal.base):
            return
        base = proposal.base
        written = self._written(self.open.get((anchor, name), []), base)
        if written:
            expected = self._in_turn(written, base)
            if shown(proposal.key, proposed) == shown(proposal.key, expected):
                for existing in written:
                    self.already(existing)
                return
            authors, base = self._what_changed(written, authors, base, proposed)
            if shown(proposal.key, proposed) == shown(proposal.key, base):
                # What is left is a suggestion rejected in Word: the speech keeps it open.
                return
        user, author_name, note = self.who(authors[0] if authors else "")
        notes += [note] if note else []
        reason = ""
        if len(authors) > 1:
            reason = f"Word 修订：{'、'.join(authors)}修改了这一处。"
            notes.append(f"{'、'.join(authors)}都修改了这一处，合为一条，记为{authors[0]}的建议")
        own = next((s for s in written if self._by(s, user, author_name)), None)
        if own is not None:
            notes.append("审阅人在 Word 中改了自己的修改建议，已按新的文字记录")
            said = (own.author_label, f"理由：{own.reason}")
            if not reason and own.reason and said in self.file_comments:
                reason = own.reason
        try:
            suggestion = Suggestion.propose(
                self.speech.pk,
                anchor,
                name,
                base=base,
                proposed=proposed,
                user=user,
                author_name=author_name,
                reason=reason,
                source=Suggestion.Source.WORD,
                ip=self.ip,
                budgets=self.budgets,
                label=self.label(anchor, name, ""),
            )
        except (SuggestionRefused, UnitGone, ValidationError) as refusal:
            self.not_placed(
                _message(refusal), proposal.base, proposal.proposed, authors, proposal.label
            )
            return
        self.report.recorded.append(
            Recorded(
                SUGGESTION,
                suggestion.label,
                suggestion.author_label,
                proposed,
                "；".join(notes),
            )
        )

    # The open suggestions the file holds as tracked changes.

    def _written(self, opens: list[Suggestion], text: str) -> list[Suggestion]:
        """Those of ``opens`` (one field's, oldest first) that the export wrote as
        tracked changes on ``text``: the ones that apply in turn (the others are
        comments saying why they were left out)."""
        written = []
        for suggestion in opens:
            rebased = suggestion.rebased(text)
            if not rebased.stale and not rebased.applied:
                written.append(suggestion)
                text = rebased.text
        return written

    @staticmethod
    def _in_turn(written: Iterable[Suggestion], text: str) -> str:
        for suggestion in written:
            text = suggestion.rebased(text).text or text
        return text

    def _by(self, suggestion: Suggestion, user, author_name: str) -> bool:
        if user is not None:
            return suggestion.author_id == user.pk
        return suggestion.author_id is None and suggestion.author_name == author_name

    def _what_changed(self, written, authors: list[str], base: str, proposed: str):
        """A field whose suggestions came back changed: who proposes what is new (the
        people with no suggestion here, else the authors of the suggestions the text
        no longer says), and the text they proposed it on (``base`` with the other
        suggestions the text still says accepted in turn). Those are listed as there."""
        kept = [s for s in written if s.rebased(proposed).text == plain(proposed)]
        new = [a for a in authors if not any(self._by(s, *self.who(a)[:2]) for s in written)]
        if not new:
            changed = [s for s in written if s not in kept]
            new = [changed[0].author_label] if changed else authors
        proposers = [self.who(a)[:2] for a in new[:1]]
        others = [s for s in kept if not any(self._by(s, *who) for who in proposers)]
        for suggestion in others:
            self.already(suggestion)
        return new, self._in_turn(others, base)

    def already(self, suggestion: Suggestion) -> None:
        entry = Recorded(
            SUGGESTION,
            suggestion.label,
            suggestion.author_label,
            suggestion.proposed,
            IN_THE_SYSTEM,
            existed=True,
        )
        self.report.recorded.append(entry)

    def _thread_of(self, review_comment, unit: tuple[str, str]) -> Suggestion | None:
        """The open suggestion whose reason or answer ``review_comment`` is, as the
        export writes them (``review_export.plan``): a Word comment by its author on
        its changes (or saying why it was left out), its replies a thread on it; a
        reply LibreOffice saved as a comment of its own is on the same unit."""
        author, text = review_comment.author, review_comment.text
        parent = self.threads.get(review_comment.parent or "")
        if parent is not None:
            return parent if (author, text) in _answers(parent) else None
        for opens in self.open.values():
            for suggestion in opens:
                if author == suggestion.author_label and _is_note(suggestion, text):
                    self.thread_units.setdefault(suggestion.pk, set()).add(unit[0])
                    return suggestion
                units = self.thread_units.get(suggestion.pk, set()) | {suggestion.anchor}
                if unit[0] in units and (author, text) in _answers(suggestion):
                    return suggestion
        return None

    def comment(self, placed: PlacedComment) -> None:
        review_comment = placed.comment
        parent = self.comments.get(review_comment.parent or "")
        unit = self.unit(placed.key)
        if unit is None:
            self.not_placed(
                ITEM_UNKNOWN, "", review_comment.text, [review_comment.author], comment=True
            )
            return
        thread = self._thread_of(review_comment, unit)
        if thread is not None:
            self.threads[review_comment.id] = thread
            is_reply = not _is_note(thread, review_comment.text)
            entry = Recorded(
                REPLY if is_reply else COMMENT,
                thread.label,
                review_comment.author,
                review_comment.text,
                f"{IN_THE_SYSTEM}（修改建议的{'回复' if is_reply else '理由'}）",
                existed=True,
            )
            self.report.recorded.append(entry)
            return
        anchor, name = (parent.anchor, "") if parent is not None else unit
        user, author_name, note = self.who(review_comment.author)
        passage = self._passage(placed)
        try:
            comment, existed = record_comment(
                self.speech,
                anchor,
                name,
                text=review_comment.text,
                passage=passage,
                start=placed.start,
                end=placed.end,
                author=user,
                author_name=author_name or "",
                importer=self.user,
                parent=parent,
                budgets=self.budgets,
            )
        except (UnitGone, ValidationError) as refusal:
            reason = COMMENT_UNPLACED if isinstance(refusal, UnitGone) else _message(refusal)
            self.not_placed(
                reason, passage, review_comment.text, [review_comment.author], comment=True
            )
            return
        # A reply found as the one there is in its thread: later replies join that.
        self.comments[review_comment.id] = comment.parent if comment.parent_id else comment
        notes = [IMPORTED_BEFORE] if existed else []
        if parent is None and passage.strip() and not comment.parent_id:
            notes.append(f"批注于“{quoted(passage)}”")
        notes += [note] if note else []
        label = self.label(unit[0], unit[1], placed.key)
        author = _display(user) if user is not None else (author_name or "（未署名）")
        kind = REPLY if parent is not None or comment.parent_id else COMMENT
        entry = Recorded(kind, label, author, review_comment.text, "；".join(notes), existed)
        self.report.recorded.append(entry)

    def _passage(self, placed: PlacedComment) -> str:
        # The comment's offsets count the field's text as the reviewer left it.
        text = self.proposed.get(placed.key, self.base_texts.get(placed.key, ""))
        return text[placed.start : placed.end]

    def not_placed(self, reason, old, new, authors, label="", *, comment=False) -> None:
        where = f"{label}：" if label else ""
        entry = NotPlaced(where + reason, old, new, _names(authors), comment)
        self.report.not_placed.append(entry)


def _is_note(suggestion: Suggestion, text: str) -> bool:
    """Whether ``text`` is what the export writes as ``suggestion``'s Word comment: its
    reason, the head of its thread of replies, or why it was left out of the text."""
    if suggestion.reason and text == f"理由：{suggestion.reason}":
        return True
    if text == f"修改建议（{suggestion.label}）":
        return True
    said = f"（{suggestion.label}）：建议改为“{suggestion.proposed}”"
    return text.startswith("修改建议") and said in text


def _answers(suggestion: Suggestion) -> set[tuple[str, str]]:
    return {(user_name(reply.author), reply.text) for reply in suggestion.replies.all()}


def _message(refusal: Exception) -> str:
    if isinstance(refusal, UnitGone):
        return "这一处所在的条目已被删除"
    if isinstance(refusal, ValidationError):
        return refusal.messages[0]
    return str(refusal)


def record_comment(
    speech: Speech,
    anchor: str,
    field_name: str,
    *,
    text: str,
    passage: str,
    start: int,
    end: int,
    author,
    author_name: str,
    importer,
    parent: Comment | None = None,
    budgets: Budgets | None = None,
) -> tuple[Comment, bool]:
    """Store a comment from a Word file on ``anchor``'s unit: by ``author`` (a user), or
    by ``importer`` with ``author_name`` at the head of the text. It points at the
    passage it was made on (``passage``, ``start``:``end`` of ``field_name``'s text in
    the file) when the field as stored holds those words (the occurrence nearest
    ``start``: the stored text may differ from the file's by the file's own 修订); else
    it is on the whole unit and quotes the passage in its text. Returns the comment and
    whether the same one was there already (a file imported twice records it once):
    a comment or reply on the unit by the same person saying the same, whatever its
    thread.

    Raises ``UnitGone`` when the unit is not in the speech, ``ValidationError`` when
    the text is longer than a comment holds.
    """
    located = speech.unit_for(anchor)
    if located is None:
        raise UnitGone(anchor)
    budgets = budgets or configured()
    stored = getattr(located[0], field_name, None) if field_name in located[2] else None
    words = (
        passages.find(stored, passage, start, fuzzy=False)
        if isinstance(stored, str) and passage and parent is None
        else None
    )
    heading = f"（{author_name or '未署名的审阅人'}在 Word 中批注）" if author is None else ""
    quote = quoted(passage)
    body = f"针对“{quote}”：{text}" if quote and parent is None and words is None else text
    full = heading + body
    limit = text_limit(Comment, "text", budgets)
    if len(full) > limit:
        raise ValidationError(f"批注过长：最多 {limit} 字，现有 {len(full)} 字。")
    who = author if author is not None else importer
    # Ours already: imported before, or exported from here as a Word comment and back;
    # in any thread (LibreOffice saves a reply as a comment of its own).
    existing = (
        Comment.objects.filter(speech=speech, anchor=anchor, author=who, text__in=[full, text])
        .order_by("created_at", "pk")
        .first()
    )
    if existing is not None:
        return existing, True
    at = {"field": field_name, "start": words.start, "quote": words.quote} if words else {}
    comment = Comment.objects.create(
        speech=speech, anchor=anchor, author=who, text=full, parent=parent, **at
    )
    return comment, False


def quoted(passage: str) -> str:
    """A passage as a comment quotes it: on one line, its first 40 characters.

    >>> quoted("甲\\n乙"), quoted("字" * 41)[-3:]
    ('甲 乙', '字……')
    """
    quote = passage.strip().replace("\n", " ")
    return quote[:QUOTE_CHARS] + "……" if len(quote) > QUOTE_CHARS else quote


# The texts as the export shows them, and as they are stored.


def shown(key: str, text: str) -> str:
    """What of a field's text the Word export shows, as ``map_review`` compares it: a
    lesson or shortcoming without the punctuation its joiner replaces, a title's lines
    joined, a text's paragraphs trimmed, blank ones dropped.

    >>> shown("part_one.lessons.0/text", " 坚持学习。"), shown("opening/opening", "甲。\\n\\n 乙。")
    ('坚持学习', '甲。\\n乙。')
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if key.endswith("/text"):
        return text.strip().rstrip(JOINER_PUNCTUATION)
    if key == "header/title":
        paragraphs = assemble(SpeechData(title=text, salutation=""))
        lines = [p.text.replace("\n", "") for p in paragraphs if p.role in (TITLE, SUBTITLE)]
        return "\n".join(lines)
    if key.endswith(("/lead", "/heading", "_intro", "/transition")):
        return text.strip()
    return "\n".join(line.strip() for line in text.split("\n") if line.strip())


def stored_form(key: str, base: str, proposed: str) -> str:
    """The proposal as the field would store it: what the export does not show of the
    base (a lesson's final 。, blank lines, a title's line break) kept around the
    reviewer's change where the two do not touch, else the proposal as read.

    >>> stored_form("part_one.lessons.0/text", "坚持学习。", "坚持认真学习")
    '坚持认真学习。'
    >>> stored_form("opening/opening", "甲。\\n\\n乙。", "甲。\\n乙好。")
    '甲。\\n\\n乙好。'
    """
    merge = merging.merge_field(shown(key, base), base, proposed)
    if merge.outcome is merging.Outcome.CONFLICT:
        return proposed
    return merge.text
