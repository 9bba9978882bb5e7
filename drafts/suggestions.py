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

from dataclasses import dataclass

from . import merging
from .comparison import diff_texts

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
