"""Merging two people's edits of one text, three-way, from the text both started from.

A drafter's save carries the text they typed ("mine") and the text it was typed on
("base"); the database holds what is there now ("theirs", when a colleague saved in
between). Changes to different passages merge; changes to the same passage are a
conflict the drafter resolves by choice, never silently.

Plain data in, plain data out: no ORM, no request.

A merge runs while the speech is locked for the save, so its character diffs share one
deadline (settings.BUDGETS ``merge_milliseconds``, for every field of one save): two
unrelated 20,000-character texts took a second. A merge that runs out of time is a
conflict, never a merge made from a diff cut short.
"""

import time
from dataclasses import dataclass
from enum import Enum

from diff_match_patch import diff_match_patch

from .budgets import Budgets, configured


class Outcome(Enum):
    UNCHANGED = "unchanged"  # nothing of mine to write: mine is current, or mine is the base
    WRITTEN = "written"  # nobody else changed it: mine is stored as typed
    MERGED = "merged"  # both changed different passages: the merge is stored
    CONFLICT = "conflict"  # both changed the same passage: nothing is stored


@dataclass(frozen=True)
class FieldMerge:
    """What to do with one field: ``text`` is what the field holds afterwards."""

    outcome: Outcome
    text: str


@dataclass(frozen=True)
class Edit:
    """Replace ``base[start:end]`` with ``text`` (an insertion when start == end)."""

    start: int
    end: int
    text: str


def deadline(budgets: Budgets | None = None) -> float:
    """When the merges of a save starting now must be done (``time.time()`` seconds)."""
    return time.time() + (budgets or configured()).merge_milliseconds / 1000


def merge_field(base: str, theirs: str, mine: str, until: float | None = None) -> FieldMerge:
    """Decide one field of a save; ``until``: the save's :func:`deadline` (by default
    one of its own), past which a merge is a conflict.

    >>> merge_field("甲乙丙", "甲乙丙", "甲乙丁").outcome
    <Outcome.WRITTEN: 'written'>
    >>> merge_field("甲乙丙", "甲乙丁", "甲乙丙").outcome   # I changed nothing here
    <Outcome.UNCHANGED: 'unchanged'>
    >>> merge_field("开头。中间。结尾。", "开头好。中间。结尾。", "开头。中间。结尾好。")
    FieldMerge(outcome=<Outcome.MERGED: 'merged'>, text='开头好。中间。结尾好。')
    >>> merge_field("开头。", "开头甲。", "开头乙。").outcome
    <Outcome.CONFLICT: 'conflict'>
    >>> merge_field("开头。中间。结尾。", "开头好。中间。结尾。", "开头。中间。结尾好。", 0).outcome
    <Outcome.CONFLICT: 'conflict'>
    """
    if mine in (theirs, base):
        return FieldMerge(Outcome.UNCHANGED, theirs)
    if theirs == base:
        return FieldMerge(Outcome.WRITTEN, mine)
    merged = three_way(base, theirs, mine, deadline() if until is None else until)
    if merged is None:
        return FieldMerge(Outcome.CONFLICT, theirs)
    return FieldMerge(Outcome.MERGED, merged)


def edits(base: str, changed: str, until: float) -> list[Edit] | None:
    """The passages of ``base`` that ``changed`` replaced, in order, as base offsets;
    None when the diff is not done by ``until`` (``time.time()`` seconds).

    >>> edits("甲乙丙", "甲丁丙", deadline())
    [Edit(start=1, end=2, text='丁')]
    >>> edits("甲乙", "甲乙丙", deadline())
    [Edit(start=2, end=2, text='丙')]
    """
    if time.time() >= until:
        return None
    differ = diff_match_patch()
    diff = differ.diff_main(base, changed, deadline=until)
    # Semantic clean-up groups a change into whole words and phrases, so a merge never
    # interleaves two people's characters inside one phrase.
    differ.diff_cleanupSemantic(diff)
    if time.time() >= until:
        # diff-match-patch cut the diff short (a coarse one): no merge is built on it.
        return None
    result: list[Edit] = []
    offset = 0
    pending: Edit | None = None
    for op, text in diff:
        if op == differ.DIFF_EQUAL:
            if pending:
                result.append(pending)
                pending = None
            offset += len(text)
            continue
        if pending is None:
            pending = Edit(offset, offset, "")
        if op == differ.DIFF_DELETE:
            offset += len(text)
            pending = Edit(pending.start, offset, pending.text)
        else:
            pending = Edit(pending.start, pending.end, pending.text + text)
    if pending:
        result.append(pending)
    return result


def three_way(base: str, theirs: str, mine: str, until: float) -> str | None:
    """Both people's changes applied to ``base``, or None where they touch one passage
    or when the diffs are not done by ``until``.

    Passages that meet (one ends where the other starts) count as touching: joining
    two people's words with no unchanged text between them is a choice for a person.

    >>> three_way("一。二。三。", "一甲。二。三。", "一。二。三乙。", deadline())
    '一甲。二。三乙。'
    >>> three_way("一。二。", "一。二。", "一。二。", deadline()) == "一。二。"
    True
    >>> three_way("一二", "一甲二", "一乙二", deadline()) is None
    True
    """
    ours = edits(base, mine, until)
    others = edits(base, theirs, until) if ours is not None else None
    if ours is None or others is None:
        return None
    combined: list[Edit] = []
    for edit in sorted(ours + others, key=lambda e: (e.start, e.end)):
        if combined and edit.start <= combined[-1].end:
            if edit == combined[-1]:
                continue  # both made the very same change
            return None
        combined.append(edit)
    pieces, cursor = [], 0
    for edit in combined:
        pieces.append(base[cursor : edit.start])
        pieces.append(edit.text)
        cursor = edit.end
    pieces.append(base[cursor:])
    return "".join(pieces)
