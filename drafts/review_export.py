"""The speech's Word file with its review in it (issue 14, Word out): open suggestions
as tracked changes by their authors, open comments as Word comments by theirs.

On top of the present text (or of the redline from a stored version to it), each open
suggestion is one more version, made by its author at its time: they are accepted in
turn, oldest first, each re-based onto the text the ones before it left, as accepting
them one by one in the app does (``suggestions.accept_in_turn``). So Word's 全部拒绝
gives the present text (or the stored version's), and 全部接受 the text with every open
suggestion accepted. A suggestion that no longer applies (已过期, or its item deleted)
is left out of the text and written as a Word comment that says so, with what it
proposed. A suggestion's reason, and the answers to it, are a comment on its changes.

An open comment is a Word comment on the words it points at (its passage, re-anchored
on every save), else on its field's characters or its unit's, its replies a Word
thread. A suggestion or comment on a field the speech does not
print (会议名称, 单位) is a comment on the title, naming the field.

:func:`plan` is the plain part (speech, proposals, comments → versions and comments);
:func:`review_docx` reads the open suggestions and comments of a stored speech.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from copy import deepcopy
from dataclasses import dataclass, field

from . import passages, suggestions
from .access import user_name
from .assembly import assemble
from .budgets import Budgets
from .docx_changes import CommentReply, PassageComment, Version, redline_docx
from .docx_export import ExportOptions
from .models import Comment, Revision, Speech, Suggestion, plain
from .structure import Speech as SpeechData
from .structure import field_text, set_field_text, text_fields

# Fields a speech has but does not print: a remark on them goes on the title.
NOT_PRINTED = {("header", "occasion"), ("header", "organization")}


@dataclass(frozen=True)
class Remark:
    """An open comment as plain data: on the unit ``anchor`` (on its field ``field``,
    when it names one, and on the characters ``passage`` of its text, when it points
    at words), with its replies."""

    anchor: str
    text: str
    author: str
    date: datetime.datetime
    replies: tuple[CommentReply, ...] = ()
    field: str = ""
    passage: tuple[int, int] | None = None  # characters of the field's text


@dataclass
class Plan:
    """What the file is made of: the versions after the present one (one per
    suggestion written as tracked changes), the Word comments, and a line for each
    suggestion left out of the text (also written as a comment)."""

    versions: list[Version] = field(default_factory=list)
    comments: list[PassageComment] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)


def plan(
    current: SpeechData,
    proposals: Sequence[suggestions.Proposal],
    remarks: Sequence[Remark] = (),
    replies: Sequence[Sequence[CommentReply]] = (),
) -> Plan:
    """The versions and comments of the file for the speech ``current`` (its present
    text) with its open ``proposals`` (oldest first; ``replies[k]`` the answers to
    proposal ``k``) and open ``remarks``.

    >>> import datetime
    >>> from drafts.suggestions import Proposal
    >>> when = datetime.datetime(2026, 12, 1)
    >>> current = SpeechData(opening="一。二。")
    >>> fine = Proposal("opening", "opening", "开场白", "一。二。", "一好。二。", "甲", when)
    >>> clash = Proposal("opening", "opening", "开场白", "一。二。", "一坏。二。", "乙", when)
    >>> made = plan(current, [fine, clash])
    >>> [version.speech.opening for version in made.versions], made.left_out
    (['一好。二。'], ['开场白：乙的修改建议已过期，未写入修订。'])
    >>> made.comments[0].text
    '修改建议已过期（开场白）：建议改为“一坏。二。”'
    """
    result = Plan()
    printed = [p for p in proposals if (p.anchor, p.field) not in NOT_PRINTED]
    answers = {id(p): tuple(r) for p, r in zip(proposals, replies, strict=False)}
    in_turn = suggestions.accept_in_turn(current, printed)
    for proposal, speech in in_turn.accepted:
        note = f"理由：{proposal.reason}" if proposal.reason else ""
        thread = answers.get(id(proposal), ())
        if thread and not note:
            note = f"修改建议（{proposal.label}）"
        result.versions.append(Version(speech, proposal.author, proposal.date, note, thread))
    paragraphs = assemble(current)
    pieces = passages.place(current, paragraphs)

    def where(anchor: str, field: str, passage=None) -> _Place | None:
        return _place(paragraphs, pieces, current, anchor, field, passage)

    for proposal, reason in in_turn.left_out:
        result.left_out.append(
            f"{proposal.label}：{proposal.author}的修改建议{reason}，未写入修订。"
        )
        text = f"修改建议{reason}（{proposal.label}）：建议改为“{proposal.proposed}”"
        if proposal.reason:
            text += f"\n理由：{proposal.reason}"
        place = where(proposal.anchor, proposal.field)
        result.comments.append(_comment(place, text, proposal, answers.get(id(proposal), ())))
    for proposal in proposals:
        if (proposal.anchor, proposal.field) in NOT_PRINTED:
            text = f"修改建议（{proposal.label}）：建议改为“{proposal.proposed}”"
            if proposal.reason:
                text += f"\n理由：{proposal.reason}"
            place = where(proposal.anchor, proposal.field)
            result.comments.append(_comment(place, text, proposal, answers.get(id(proposal), ())))
    labels = {(f.anchor, f.name): f.label for f in text_fields(current)}
    unit_labels = {f.anchor: f.unit_label for f in text_fields(current)}
    for remark in remarks:
        place = where(remark.anchor, remark.field, remark.passage)
        text = remark.text
        if place is None or place.named:
            label = labels.get((remark.anchor, remark.field)) or unit_labels.get(remark.anchor)
            text = f"（{label or '已删除的内容'}）{text}"
        result.comments.append(
            PassageComment(
                place.index if place else 0,
                place.start if place else 0,
                place.end if place else 0,
                text,
                remark.author,
                remark.date,
                remark.author[:1],
                remark.replies,
            )
        )
    return result


@dataclass(frozen=True)
class _Place:
    """Where a remark goes: a paragraph's index and characters (0, 0: all of it), and
    whether the text must name the field (it is not that paragraph's own)."""

    index: int
    start: int = 0
    end: int = 0
    named: bool = False


def _place(paragraphs, pieces, current, anchor: str, field: str, passage=None) -> _Place | None:
    """Where a remark on a unit, a field or a passage of it goes: the characters they
    read as in the first paragraph they read in (``passages.place``); the unit's first
    paragraph, or the title naming it, when they do not read; None for a speech with
    no text."""
    if not paragraphs:
        return None
    if field:
        if passage is None:
            passage = (0, len(field_text(current, anchor, field) or ""))
        stretches = passages.in_paragraphs(pieces, anchor, field, *passage)
    else:
        stretches = sorted((p.paragraph, p.start, p.end) for p in pieces if p.anchor == anchor)
    if stretches:
        first = stretches[0][0]
        here = [stretch for stretch in stretches if stretch[0] == first]
        return _Place(first, min(s[1] for s in here), max(s[2] for s in here))
    for index, paragraph in enumerate(paragraphs):
        if anchor == "header" and field:
            if paragraph.anchor == field:
                return _Place(index)
        elif anchor in paragraph.sources:
            return _Place(index)
    return _Place(0, named=True)


def _comment(place: _Place | None, text: str, proposal, replies) -> PassageComment:
    return PassageComment(
        place.index if place else 0,
        place.start if place else 0,
        place.end if place else 0,
        text,
        proposal.author,
        proposal.date,
        proposal.author[:1],
        tuple(replies),
    )


# --- Who made the changes since a stored version


@dataclass(frozen=True)
class Save:
    """One save of one unit as plain data (``models.Revision``): the values it left,
    by column, whose words they are and when they were written. For a suggestion
    accepted, that is the suggestion's author and when they proposed it, and
    ``saved_by`` who accepted it."""

    anchor: str
    fields: Mapping[str, object]
    author: str
    date: datetime.datetime
    saved_by: str = ""


# More turns than this (people taking turns on the same units) and each person's saves
# make one version, in the order of their last save.
MOST_TURNS = 12


def versions_between(old: SpeechData, saves: Sequence[Save]) -> list[Version]:
    """The versions ``saves`` (oldest first) made from ``old``: one per turn, a run of
    one person's saves, so that each person's changes are theirs in the file. A save
    joins its author's latest turn when nobody else saved its unit since then (saves
    of other units do not touch it: the texts come out the same). A save of a unit
    ``old`` lacks (an item added since) is left to the step to the present text.

    >>> import datetime
    >>> when = datetime.datetime(2026, 12, 1)
    >>> saves = [Save("opening", {"opening": "甲改"}, "甲", when),
    ...          Save("closing", {"closing": "乙改"}, "乙", when),
    ...          Save("closing", {"closing": "乙再改"}, "乙", when),
    ...          Save("opening", {"opening": "甲再改"}, "甲", when)]
    >>> [(v.author, v.speech.opening, v.speech.closing)
    ...  for v in versions_between(SpeechData(opening="原", closing="原"), saves)]
    [('甲', '甲再改', '原'), ('乙', '甲再改', '乙再改')]
    """
    turns = _turns(saves)
    if len(turns) > MOST_TURNS:
        # Past the budget, each person's saves are one version, which may put their
        # save before another person's on the same unit: an accepted suggestion's
        # text, which holds what others wrote in its field before it, goes to who
        # accepted it then, so that nobody is named for words they did not write.
        people: dict[str, list[int]] = {}
        for position, save in enumerate(saves):
            people.setdefault(save.saved_by or save.author, []).append(position)
        turns = [
            (person, [saves[k] for k in positions])
            for person, positions in sorted(people.items(), key=lambda item: item[1][-1])
        ]
    versions, speech = [], old
    for author, turn in turns:
        speech = deepcopy(speech)
        for save in turn:
            for name, value in save.fields.items():
                if isinstance(value, str):
                    set_field_text(speech, save.anchor, name, plain(value))
        versions.append(Version(speech, author, max(save.date for save in turn)))
    return versions


def _turns(saves: Sequence[Save]) -> list[tuple[str, list[Save]]]:
    """``saves`` as runs of one author's, each save in its author's latest run unless
    someone else's run since saved its unit."""
    turns: list[tuple[str, list[Save]]] = []
    last_on: dict[str, int] = {}  # unit → the latest turn that saved it
    last_of: dict[str, int] = {}  # author → their latest turn
    for save in saves:
        turn = last_of.get(save.author, -1)
        if turn < 0 or turn < last_on.get(save.anchor, -1):
            turns.append((save.author, []))
            turn = last_of[save.author] = len(turns) - 1
        turns[turn][1].append(save)
        last_on[save.anchor] = turn
    return turns


# --- Reading the speech's review


@dataclass
class Review:
    """The open suggestions and comments of a stored speech, as plain data."""

    proposals: list[suggestions.Proposal]
    replies: list[tuple[CommentReply, ...]]
    remarks: list[Remark]


def open_review(speech: Speech) -> Review:
    """The open suggestions (oldest first) and open comments of ``speech``, with their
    replies (oldest first, as both models order them): four queries."""
    found = Suggestion.objects.open_threads(speech)
    proposals, replies = [], []
    for suggestion in found:
        proposals.append(
            suggestions.Proposal(
                suggestion.anchor,
                suggestion.field,
                suggestion.label,
                suggestion.base,
                suggestion.proposed,
                suggestion.author_label,
                suggestion.created_at,
                suggestion.reason,
            )
        )
        replies.append(tuple(_reply(r) for r in suggestion.replies.all()))
    comments = (
        Comment.objects.open()
        .filter(speech=speech)
        .select_related("author")
        .prefetch_related("replies__author")
        .order_by("created_at", "pk")
    )
    remarks = []
    for comment in comments:
        text = comment.text
        if comment.passage_lost:
            text = f"{comment.passage_note}\n{text}"
        remarks.append(
            Remark(
                comment.anchor,
                text,
                user_name(comment.author),
                comment.created_at,
                tuple(_reply(r) for r in comment.replies.all()),
                comment.field,
                comment.passage[1:] if comment.passage else None,
            )
        )
    return Review(proposals, replies, remarks)


def _reply(reply) -> CommentReply:
    name = user_name(reply.author)
    return CommentReply(reply.text, name, reply.created_at, name[:1])


@dataclass(frozen=True)
class ReviewFile:
    """The file, and what it holds: suggestions written as tracked changes, comments
    written, and the suggestions left out of the text (each line says why)."""

    content: bytes
    suggestions: int
    comments: int
    left_out: list[str]


def review_docx(
    speech: Speech,
    *,
    old: SpeechData | dict | None = None,
    since: datetime.datetime | None = None,
    author: str = "",
    date: datetime.datetime | None = None,
    options: ExportOptions | None = None,
    budgets: Budgets | None = None,
) -> ReviewFile:
    """``speech`` (fetched ``with_structure``) as Word with its open suggestions as
    tracked changes and its open comments as Word comments; with ``old`` (a stored
    version, as a speech or a ``speechdraft/1`` document), on top of the redline from
    it to the present text. When ``since`` says when ``old`` was stored, each save
    made since is its author's change; what no save explains (items added, moved or
    deleted) is ``author``'s at ``date``, as all of it is without ``since``."""
    current = speech.as_structure()
    review = open_review(speech)
    made = plan(current, review.proposals, review.remarks, review.replies)
    between = []
    if old is not None and since is not None and isinstance(old, SpeechData):
        between = versions_between(old, saves_since(speech, since))
    content = redline_docx(
        current if old is None else old,
        current,
        author=author,
        date=date or speech.updated_at,
        between=between,
        then=made.versions,
        comments=made.comments,
        options=options,
        budgets=budgets,
    )
    return ReviewFile(content, len(made.versions), len(made.comments), made.left_out)


def saves_since(speech: Speech, since: datetime.datetime) -> list[Save]:
    """The saves of ``speech`` after ``since``, oldest first: one query."""
    revisions = (
        Revision.objects.filter(speech=speech, created_at__gt=since)
        .select_related("author", "suggestion__author")
        .order_by("created_at", "pk")
    )
    return [_save(revision) for revision in revisions]


def _save(revision: Revision) -> Save:
    saver = user_name(revision.author)
    suggestion = revision.suggestion
    if suggestion is None:
        return Save(revision.anchor, revision.fields, saver, revision.created_at)
    # Dated when it was proposed: the change has the author and the time it had in
    # the file while it was open (``plan``), so its author knows it for theirs.
    author = suggestion.author_label
    return Save(revision.anchor, revision.fields, author, suggestion.created_at, saver)
