"""Compare two versions of a speech part by part and item by item.

A version is a list of :class:`TextUnit` (one per text field, keyed by the stable
address of its unit, so an item that moved is still compared with itself). Texts are
diffed character by character with diff-match-patch and its semantic clean-up, which
turns character noise into the word-sized changes a reader expects.

One comparison has a budget (settings.BUDGETS ``compare_chars``, ``compare_milliseconds``,
held by an :class:`Allowance`): the characters diffed character by character and one
deadline shared by every diff (diff-match-patch's own timeout is per diff: 30 items of
19,000 characters, all changed, took 60 s). Past either, the changed paragraphs of a
text are shown whole, the old one deleted and the new one inserted (``by_paragraph``),
which costs one pass over the text; the page then says 差异过大，已按段落显示.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from diff_match_patch import diff_match_patch

from .budgets import Budgets, configured
from .structure import Speech, text_fields

EQUAL, INSERT, DELETE = 0, 1, -1
# An unchanged stretch longer than this is folded to its two ends.
FOLD_OVER = 60
FOLD_KEEP = 20


@dataclass(frozen=True)
class TextUnit:
    key: str
    label: str
    text: str


@dataclass(frozen=True)
class UnitChange:
    key: str
    label: str
    status: str  # "same", "changed", "added", "removed"
    old: str
    new: str
    ops: tuple[tuple[int, str], ...]
    by_paragraph: bool = False  # past the comparison's budget: changed paragraphs whole

    @property
    def changed(self) -> bool:
        return self.status != "same"


class Allowance:
    """What is left of one comparison's budget: characters to diff character by
    character, and the time until a deadline every diff of the comparison shares."""

    def __init__(self, budgets: Budgets | None = None):
        budgets = budgets or configured()
        self.chars = budgets.compare_chars
        # diff-match-patch reads its deadline from time.time().
        self.deadline = time.time() + budgets.compare_milliseconds / 1000
        self.exceeded = False  # some text was shown by paragraph

    def take(self, size: int) -> bool:
        """Spend ``size`` characters if they are left and time is too; False if not."""
        if size > self.chars or time.time() >= self.deadline:
            return False
        self.chars -= size
        return True


def speech_units(speech: Speech) -> list[TextUnit]:
    """The speech as comparable units, in reading order.

    >>> [u.key for u in speech_units(Speech(opening="开场"))][:2]
    ['header/title', 'header/occasion']
    """
    return [TextUnit(f"{f.anchor}/{f.name}", f.label, f.text) for f in text_fields(speech)]


def diff_texts(old: str, new: str, allowance: Allowance | None = None) -> list[tuple[int, str]]:
    """Character diff with semantic clean-up: a list of (op, text), op 0 / 1 / -1; by
    paragraph (:func:`diff_paragraphs`) when ``allowance`` (by default a comparison's
    whole budget) has not enough left.

    >>> diff_texts("今天天气很好", "今天天气不好")
    [(0, '今天天气'), (-1, '很'), (1, '不'), (0, '好')]
    """
    return _diff(old, new, allowance or Allowance())[0]


def _diff(old: str, new: str, allowance: Allowance) -> tuple[list[tuple[int, str]], bool]:
    """The diff of two texts within ``allowance``, and whether it is by paragraph."""
    if allowance.take(len(old) + len(new)):
        engine = diff_match_patch()
        diffs = engine.diff_main(old, new, deadline=allowance.deadline)
        engine.diff_cleanupSemantic(diffs)
        # Out of time inside the diff: diff-match-patch then gives a coarse diff of
        # what it had not reached; the reader gets the paragraphs and the notice instead.
        if time.time() < allowance.deadline:
            return [(op, text) for op, text in diffs], False
    allowance.exceeded = True
    return diff_paragraphs(old, new), True


def diff_paragraphs(old: str, new: str) -> list[tuple[int, str]]:
    r"""The changed paragraphs whole: each old one deleted and the new one inserted,
    paragraphs that are equal in the same place kept. One pass over the texts.

    >>> diff_paragraphs("甲\n乙\n丙", "甲\n丁\n丙")
    [(0, '甲\n'), (-1, '乙\n'), (1, '丁\n'), (0, '丙')]
    """
    olds, news = old.splitlines(keepends=True), new.splitlines(keepends=True)
    ops: list[tuple[int, str]] = []
    for index in range(max(len(olds), len(news))):
        before = olds[index] if index < len(olds) else ""
        after = news[index] if index < len(news) else ""
        if before == after:
            ops.append((EQUAL, before))
            continue
        if before:
            ops.append((DELETE, before))
        if after:
            ops.append((INSERT, after))
    # Neighbours of one kind join, so the page folds a long unchanged stretch once.
    joined: list[tuple[int, str]] = []
    for op, text in ops:
        if joined and joined[-1][0] == op:
            joined[-1] = (op, joined[-1][1] + text)
        else:
            joined.append((op, text))
    return joined


def compare(
    old: list[TextUnit], new: list[TextUnit], budgets: Budgets | None = None
) -> list[UnitChange]:
    """Every unit of either version with its change, in the new version's order.

    A removed unit stands where it stood in the old version. The changed units share one
    :class:`Allowance` of ``budgets``: in reading order, each is diffed by character
    while the budget lasts, else by paragraph (``by_paragraph``).
    """
    allowance = Allowance(budgets)
    old_by_key = {unit.key: unit for unit in old}
    new_keys = {unit.key for unit in new}
    changes: list[UnitChange] = []
    pending_removed = [unit for unit in old if unit.key not in new_keys]
    old_order = {unit.key: index for index, unit in enumerate(old)}
    for unit in new:
        # Removed units that came before this one in the old order go first.
        position = old_order.get(unit.key)
        while (
            position is not None
            and pending_removed
            and old_order[pending_removed[0].key] < position
        ):
            changes.append(_removed(pending_removed.pop(0)))
        before = old_by_key.get(unit.key)
        if before is None:
            ops = ((INSERT, unit.text),) if unit.text else ()
            changes.append(UnitChange(unit.key, unit.label, "added", "", unit.text, ops))
        elif before.text == unit.text:
            ops = ((EQUAL, unit.text),) if unit.text else ()
            changes.append(UnitChange(unit.key, unit.label, "same", before.text, unit.text, ops))
        else:
            ops, by_paragraph = _diff(before.text, unit.text, allowance)
            changes.append(
                UnitChange(
                    unit.key,
                    unit.label,
                    "changed",
                    before.text,
                    unit.text,
                    tuple(ops),
                    by_paragraph,
                )
            )
    changes.extend(_removed(unit) for unit in pending_removed)
    return changes


def _removed(unit: TextUnit) -> UnitChange:
    ops = ((DELETE, unit.text),) if unit.text else ()
    return UnitChange(unit.key, unit.label, "removed", unit.text, "", ops)


def fold(ops: tuple[tuple[int, str], ...]) -> list[tuple[int, str, bool]]:
    """Ops ready to show: long unchanged stretches keep only their ends.

    Each entry is (op, text, folded); a folded entry's text is the part left out.

    >>> fold(((0, "甲" * 100),))[1][2]
    True
    """
    shown: list[tuple[int, str, bool]] = []
    for index, (op, text) in enumerate(ops):
        if op != EQUAL or len(text) <= FOLD_OVER:
            shown.append((op, text, False))
            continue
        # Keep the end next to a change; a text with no change keeps its beginning.
        head = text[:FOLD_KEEP] if index > 0 or len(ops) == 1 else ""
        tail = text[-FOLD_KEEP:] if index < len(ops) - 1 else ""
        middle = text[len(head) : len(text) - len(tail)]
        if head:
            shown.append((EQUAL, head, False))
        shown.append((EQUAL, middle, True))
        if tail:
            shown.append((EQUAL, tail, False))
    return shown
