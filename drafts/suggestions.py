"""Suggestions (修改建议): a reviewer's proposed text for one field, read against the
field as it stands now.

A suggestion is made on the text its author saw (``base``) and proposes another
(``proposed``). By the time the drafter reads or accepts it, the field may have changed
(typed on, or another suggestion accepted): the proposal is then re-based onto the
current text with the three-way merge a save makes (``merging.merge_field``), so a
change to another passage of the field is kept. Where the author's change and the later
one touch the same passage it cannot be re-based: the suggestion is 已过期 (stale) and
both texts are shown for a person to decide.

Plain data in, plain data out: no ORM, no request.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from . import merging
from .comparison import diff_texts
from .structure import Speech, field_text, with_field_text

# What a suggestion is now, in the words every page uses.
OPEN, ACCEPTED, REJECTED, WITHDRAWN = "open", "accepted", "rejected", "withdrawn"
STATE_LABELS = {OPEN: "待处理", ACCEPTED: "已接受", REJECTED: "已拒绝", WITHDRAWN: "已撤回"}
STALE_LABEL = "已过期"


@dataclass(frozen=True)
class Rebased:
    """A suggestion against the current text.

    ``text``: what the field holds after accepting it (None when it is stale); ``ops``:
    the inline changes to show, (op, text) with op 0 / 1 / -1 as ``diff_texts`` gives:
    from the current text to ``text``, or for a stale one from its base to its proposal.
    ``applied``: the current text already says what it proposes.
    """

    text: str | None
    ops: list[tuple[int, str]]
    applied: bool = False

    @property
    def stale(self) -> bool:
        return self.text is None


def rebase(base: str, current: str, proposed: str, until: float | None = None) -> Rebased:
    """The suggestion "``base`` → ``proposed``" applied to ``current``.

    >>> rebase("一。二。", "一。二。", "一。二好。").text
    '一。二好。'
    >>> r = rebase("一。二。", "一甲。二。", "一。二好。")   # a colleague changed another passage
    >>> r.text, r.ops
    ('一甲。二好。', [(0, '一甲。二'), (1, '好'), (0, '。')])
    >>> rebase("一二", "一甲二", "一乙二").stale               # the same passage
    True
    >>> rebase("一。", "一好。", "一好。").applied
    True
    """
    merge = merging.merge_field(base, current, proposed, until)
    if merge.outcome is merging.Outcome.CONFLICT:
        return Rebased(None, diff_texts(base, proposed))
    if merge.outcome is merging.Outcome.UNCHANGED:
        # Either the proposal is in the text already, or it proposes the base itself
        # (which a suggestion never does: ``proposal_error`` refuses it).
        return Rebased(current, [(0, current)] if current else [], applied=True)
    return Rebased(merge.text, diff_texts(current, merge.text))


def proposal_error(base: str, proposed: str, limit: int) -> str | None:
    """Why a suggestion of ``proposed`` for a field seen as ``base`` is refused, or None.

    >>> proposal_error("甲", "甲", 10)
    '建议的文字与原文相同，没有需要提出的修改。'
    >>> proposal_error("甲", "乙" * 11, 10)
    '建议的文字过长：最多 10 字，现有 11 字。'
    """
    if proposed == base:
        return "建议的文字与原文相同，没有需要提出的修改。"
    if len(proposed) > limit:
        return f"建议的文字过长：最多 {limit} 字，现有 {len(proposed)} 字。"
    return None


@dataclass(frozen=True)
class Proposal:
    """An open suggestion as plain data: who proposes ``proposed`` for the field
    ``field`` of the unit ``anchor`` (named as ``structure.field_text`` names it), seen
    as ``base``."""

    anchor: str
    field: str
    label: str
    base: str
    proposed: str
    author: str
    date: datetime.datetime
    reason: str = ""


@dataclass(frozen=True)
class InTurn:
    """Open suggestions accepted one after the other: ``accepted`` pairs each one that
    could be with the speech after it (and the ones before it); ``left_out`` the others
    with why (stale, or its field gone)."""

    accepted: list[tuple[Proposal, Speech]]
    left_out: list[tuple[Proposal, str]]

    @property
    def speech(self) -> Speech | None:
        """The speech with every suggestion accepted that could be (None if none)."""
        return self.accepted[-1][1] if self.accepted else None


GONE_LABEL = "所在条目已删除"


def accept_in_turn(
    speech: Speech, proposals: Sequence[Proposal], until: float | None = None
) -> InTurn:
    """Accept ``proposals`` in their order, each re-based onto the text the ones before
    it left (as accepting them one by one does): a second suggestion on one field
    applies to the field as the first made it. One that no longer applies is left out
    with its reason: stale (:data:`STALE_LABEL`) or its field gone; one whose proposal
    the text says already changes nothing and is not listed.

    >>> import datetime
    >>> when = datetime.datetime(2026, 12, 1)
    >>> first = Proposal("opening", "opening", "开场白", "一。二。", "一好。二。", "甲", when)
    >>> second = Proposal("opening", "opening", "开场白", "一。二。", "一。二妙。", "乙", when)
    >>> clash = Proposal("opening", "opening", "开场白", "一。二。", "一坏。二。", "丙", when)
    >>> done = accept_in_turn(Speech(opening="一。二。"), [first, second, clash])
    >>> done.speech.opening, [reason for _, reason in done.left_out]
    ('一好。二妙。', ['已过期'])
    """
    accepted: list[tuple[Proposal, Speech]] = []
    left_out: list[tuple[Proposal, str]] = []
    for proposal in proposals:
        current = field_text(speech, proposal.anchor, proposal.field)
        if current is None:
            left_out.append((proposal, GONE_LABEL))
            continue
        rebased = rebase(proposal.base, current, proposal.proposed, until)
        if rebased.stale:
            left_out.append((proposal, STALE_LABEL))
        elif not rebased.applied:
            speech = with_field_text(speech, proposal.anchor, proposal.field, rebased.text)
            accepted.append((proposal, speech))
    return InTurn(accepted, left_out)
