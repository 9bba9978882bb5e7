"""Compare two versions of a speech part by part and item by item.

A version is a list of :class:`TextUnit` (one per text field, keyed by the stable
address of its unit, so an item that moved is still compared with itself). Texts are
diffed character by character with diff-match-patch and its semantic clean-up, which
turns character noise into the word-sized changes a reader expects.
"""

from __future__ import annotations

from dataclasses import dataclass

from diff_match_patch import diff_match_patch

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

    @property
    def changed(self) -> bool:
        return self.status != "same"


def speech_units(speech: Speech) -> list[TextUnit]:
    """The speech as comparable units, in reading order.

    >>> [u.key for u in speech_units(Speech(opening="开场"))][:2]
    ['header/title', 'header/occasion']
    """
    return [TextUnit(f"{f.anchor}/{f.name}", f.label, f.text) for f in text_fields(speech)]


def diff_texts(old: str, new: str) -> list[tuple[int, str]]:
    """Character diff with semantic clean-up: a list of (op, text), op 0 / 1 / -1.

    >>> diff_texts("今天天气很好", "今天天气不好")
    [(0, '今天天气'), (-1, '很'), (1, '不'), (0, '好')]
    """
    engine = diff_match_patch()
    engine.Diff_Timeout = 2.0
    diffs = engine.diff_main(old, new)
    engine.diff_cleanupSemantic(diffs)
    return [(op, text) for op, text in diffs]


def compare(old: list[TextUnit], new: list[TextUnit]) -> list[UnitChange]:
    """Every unit of either version with its change, in the new version's order.

    A removed unit stands where it stood in the old version.
    """
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
            ops = tuple(diff_texts(before.text, unit.text))
            changes.append(UnitChange(unit.key, unit.label, "changed", before.text, unit.text, ops))
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
