"""A comment's passage: the words of one field it points at (issue 14, 批注所选文字).

A passage is where its words start in the field (``start``, characters as Python counts
them) and the words themselves (``quote``). Two things are done with it here, on plain
text, without the database:

- :func:`follow` moves it with its words when the field is edited: every save of the
  field asks where the words are now, or whether they are gone;
- :func:`place` finds where each field reads in the delivered text (``assembly``'s
  paragraphs: numbers, joiners and trimmed white space around it), so that the preview
  marks a passage, a selection in the preview names the field's characters, and the
  Word export puts a comment on the passage's characters (:func:`in_paragraphs`).

What "still there" means (:func:`follow`):

=============================================  ===========================================
edit                                           the passage
=============================================  ===========================================
before or after the words                      the same words, moved with the text
typed right before its first or after its last  outside it: the same words
character
inside it, at least half of its characters      its ends kept, the words between them as
kept                                           they read now (the quote is updated)
the words deleted, or more than half rewritten  lost, unless the words were moved: found
                                               again in text the edit inserted (exactly,
                                               else by ``match_main``, fuzzily), never in
                                               other words that were there before
=============================================  ===========================================

Offsets are mapped through a diff (diff-match-patch with its semantic clean-up, so a
rewritten phrase is one change rather than a few shared characters); a passage whose
stored words are not where it says (written before re-anchoring existed, or reopened
after edits it did not follow) is looked for in the new text as :func:`find` does.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from diff_match_patch import diff_match_patch

from .assembly import JOINER_PUNCTUATION, Paragraph
from .structure import ITEM_LISTS, LeadItem, Speech, item_anchor

EQUAL, INSERT, DELETE = 0, 1, -1
# diff-match-patch's fuzzy match (bitap) takes patterns of up to Match_MaxBits (32)
# characters: a longer passage is matched by its first and its last 32.
MATCH_BITS = 32
# The most errors a fuzzy match of a moved passage allows, as a share of its length
# (diff-match-patch's Match_Threshold: 0.0 exact … 1.0 anything).
MATCH_THRESHOLD = 0.4
# Time a save may spend following the passages of one field (the speech is locked).
FOLLOW_SECONDS = 0.2
# The texts of the header and of each part, by column (``structure.text_fields``).
HEADER_TEXTS = ("title", "occasion", "organization", "speaker", "salutation")
PART_TEXTS = {
    "part_one": ("heading", "intro", "lessons_intro"),
    "part_two": ("heading", "shortcomings_intro", "transition"),
}


@dataclass(frozen=True)
class Passage:
    """``quote`` starts at character ``start`` of its field.

    >>> Passage(3, "作风建设").end
    7
    """

    start: int
    quote: str

    @property
    def end(self) -> int:
        return self.start + len(self.quote)

    def is_in(self, text: str) -> bool:
        """Do the words stand where the passage says?

        >>> Passage(2, "作风").is_in("加强作风建设"), Passage(0, "作风").is_in("加强作风建设")
        (True, False)
        """
        return bool(self.quote) and text[self.start : self.end] == self.quote


def follow(old: str, new: str, passage: Passage, until: float | None = None) -> Passage | None:
    """Where ``passage`` of ``old`` stands in ``new``, the field after an edit; None
    when its words are gone (see the table above). ``until`` (``time.time()``) bounds the
    diff and the search for moved words; past it a passage that did not simply move with
    the text is lost rather than guessed.

    >>> follow("加强作风建设。", "今年要加强作风建设。", Passage(2, "作风建设"))
    Passage(start=5, quote='作风建设')
    >>> follow("加强作风建设。", "加强作风纪律建设。", Passage(2, "作风建设"))
    Passage(start=2, quote='作风纪律建设')
    >>> follow("加强作风建设。完善制度。", "完善制度。", Passage(2, "作风建设")) is None
    True
    >>> follow("加强作风建设。完善制度。", "完善制度。加强作风建设。", Passage(2, "作风建设"))
    Passage(start=7, quote='作风建设')
    """
    return follow_all(old, new, [passage], until)[0]


def follow_all(
    old: str, new: str, passages: Sequence[Passage], until: float | None = None
) -> list[Passage | None]:
    """:func:`follow` for the passages of one field, with one diff for all of them and
    one deadline (a save follows every open passage comment of the fields it wrote
    while the speech is locked).

    >>> follow_all("甲乙丙丁", "戊甲乙丙丁", [Passage(0, "甲乙"), Passage(2, "丙丁")])
    [Passage(start=1, quote='甲乙'), Passage(start=3, quote='丙丁')]
    """
    until = time.time() + FOLLOW_SECONDS if until is None else until
    diffs = None
    followed: list[Passage | None] = []
    for passage in passages:
        if old == new and passage.is_in(new):
            followed.append(passage)
        elif not passage.is_in(old):
            followed.append(find(new, passage.quote, passage.start, until=until))
        elif not new:
            followed.append(None)
        else:
            if diffs is None:
                engine = diff_match_patch()
                diffs = engine.diff_main(old, new, False, deadline=until)
                engine.diff_cleanupSemantic(diffs)
            kept = _kept(new, diffs, passage)
            followed.append(kept if kept is not None else _moved(new, diffs, passage, until))
    return followed


def find(text: str, quote: str, near: int, *, fuzzy: bool = True, until: float | None = None):
    """The passage of ``text`` that reads ``quote``, the occurrence nearest ``near``;
    with ``fuzzy``, else the closest match of at least half its characters
    (``match_main``); None when there is none.

    >>> find("甲乙。甲乙。", "甲乙", 4)
    Passage(start=3, quote='甲乙')
    >>> find("要加强干部作风纪律建设，提高效率。", "加强干部作风建设，提高效率", 0)
    Passage(start=1, quote='加强干部作风纪律建设，提高效率')
    >>> find("要加强干部作风纪律建设，提高效率。", "加强干部作风建设，提高效率", 0, fuzzy=False)
    """
    if not quote or not text:
        return None
    exact = _nearest(_occurrences(text, quote), near)
    if exact is not None:
        return Passage(exact, quote)
    if not fuzzy:
        return None
    until = time.time() + FOLLOW_SECONDS if until is None else until
    return _fuzzy(text, quote, near, 0, len(text), until)


def confirm(text: str, quote: str, start: int | None, end: int | None = None) -> Passage | None:
    """The passage a user selected in ``text`` (a field as stored now), from what the
    page sent: ``quote`` at ``start`` (to ``end``, when the selection was made in the
    delivered text, where line breaks and the spaces around lines are not what the
    field holds), else its occurrence nearest ``start``; white space at either end left
    out. None when the words are not in the field (typed and not saved yet, or changed
    by someone meanwhile).

    >>> confirm("今年加强作风建设。", "作风建设", 4)
    Passage(start=4, quote='作风建设')
    >>> confirm("今年加强作风建设。", "作风建设", 0)
    Passage(start=4, quote='作风建设')
    >>> confirm("推动共享。\\n建成平台。", "共享。建成", 2, 8)
    Passage(start=2, quote='共享。\\n建成')
    >>> confirm("今年加强作风建设。", " 作风 ", 3), confirm("今年加强作风。", "纪律", 3)
    (Passage(start=4, quote='作风'), None)
    """
    found = None
    if start is not None:
        end = start + len(quote) if end is None else end
        if 0 <= start < end <= len(text) and _squeezed(text[start:end]) == _squeezed(quote):
            found = Passage(start, text[start:end])
    if found is None:
        lead = len(quote) - len(quote.lstrip())
        found = find(text, quote.strip(), (start or 0) + lead, fuzzy=False)
    if found is None:
        return None
    lead = len(found.quote) - len(found.quote.lstrip())
    words = found.quote.strip()
    return Passage(found.start + lead, words) if words else None


def shorten(quote: str, size: int = 30) -> str:
    """A quote as a message shows it: its first ``size`` characters.

    >>> shorten("甲" * 40, 5)
    '甲甲甲甲甲…'
    """
    return quote if len(quote) <= size else quote[:size] + "…"


def _squeezed(text: str) -> str:
    return "".join(text.split())


# --- Following an edit


def _blocks(diffs) -> list[tuple[int, int, int, int, bool]]:
    """The diff as consecutive blocks ``(old_start, old_end, new_start, new_end, equal)``:
    equal stretches, and changes (what one change replaced, and with what)."""
    blocks, old_at, new_at = [], 0, 0
    for op, text in diffs:
        length = len(text)
        if op == EQUAL:
            blocks.append((old_at, old_at + length, new_at, new_at + length, True))
            old_at, new_at = old_at + length, new_at + length
            continue
        if not blocks or blocks[-1][4]:
            blocks.append((old_at, old_at, new_at, new_at, False))
        a, b, c, d, _ = blocks[-1]
        if op == DELETE:
            old_at += length
            blocks[-1] = (a, b + length, c, d, False)
        else:
            new_at += length
            blocks[-1] = (a, b, c, d + length, False)
    return blocks


def _kept(new: str, diffs, passage: Passage) -> Passage | None:
    """The passage mapped through the diff when at least half of its characters are
    kept: a change that begins at its first character or ends at its last is inside it
    (its new text too), one that only touches it from outside (text typed before its
    first character, after its last) or straddles an end is outside."""
    start, end = passage.start, passage.end
    new_start = new_end = None
    kept = 0
    for a, b, c, d, equal in _blocks(diffs):
        if equal:
            kept += max(0, min(b, end) - max(a, start))
            if a <= start < b:
                new_start = c + start - a
            if a < end <= b:
                new_end = c + end - a
            continue
        if a <= start < b:
            new_start = c if a == start else d
        if a < end <= b:
            new_end = d if b == end else c
    if new_start is None or new_end is None or new_end <= new_start:
        return None
    if kept == 0 or 2 * kept < len(passage.quote):
        return None
    mapped = Passage(new_start, new[new_start:new_end])
    if mapped.quote != passage.quote:
        # Repeated words make a diff ambiguous ("作风" typed before "作风建设" may be
        # told as typed after the first "作风"): the words themselves, where they
        # overlap what the diff says, are the passage.
        overlapping = [
            at
            for at in _occurrences(new, passage.quote)
            if at < new_end and at + len(passage.quote) > new_start
        ]
        at = _nearest(overlapping, new_start)
        if at is not None:
            return Passage(at, passage.quote)
    return mapped


def _inserted(diffs) -> list[tuple[int, int]]:
    """Where the new text has what the edit inserted, as (start, end) of the new text."""
    return [(c, d) for a, b, c, d, equal in _blocks(diffs) if not equal and d > c]


def _moved(new: str, diffs, passage: Passage, until: float) -> Passage | None:
    """The passage's words in text the edit inserted (cut here, pasted there): exactly,
    nearest to where they were, else fuzzily; never in words that were there before."""
    inserted = _inserted(diffs)

    def fresh(start: int, end: int) -> bool:
        # At least half of the words found must be new text, not words kept from before.
        new_chars = sum(max(0, min(d, end) - max(c, start)) for c, d in inserted)
        return 2 * new_chars >= end - start

    quote = passage.quote
    exact = [at for at in _occurrences(new, quote) if fresh(at, at + len(quote))]
    at = _nearest(exact, passage.start)
    if at is not None:
        return Passage(at, quote)
    for c, d in sorted(inserted, key=lambda span: abs(span[0] - passage.start)):
        if d - c < len(quote) // 2 or time.time() >= until:
            continue
        # The region the words may have landed in: the insertion and a little either side.
        pad = len(quote)
        found = _fuzzy(new, quote, c, max(0, c - pad), min(len(new), d + pad), until)
        if found is not None and fresh(found.start, found.end):
            return found
    return None


# --- Finding words


def _occurrences(text: str, quote: str) -> list[int]:
    found, at = [], text.find(quote)
    while at >= 0:
        found.append(at)
        at = text.find(quote, at + 1)
    return found


def _nearest(positions: Iterable[int], near: int) -> int | None:
    return min(positions, key=lambda at: (abs(at - near), at), default=None)


def _fuzzy(text: str, quote: str, near: int, lo: int, hi: int, until: float) -> Passage | None:
    """The closest match of ``quote`` in ``text[lo:hi]`` near ``near``, trimmed to the
    characters that match, when they are at least half of the words; else None."""
    if time.time() >= until or hi - lo < 1:
        return None
    region = text[lo:hi]
    engine = diff_match_patch()
    engine.Match_Threshold = MATCH_THRESHOLD
    # Nearness only breaks ties: the words may have moved anywhere in the region.
    engine.Match_Distance = 4 * max(len(region), 1)
    head, tail = quote[:MATCH_BITS], quote[-MATCH_BITS:]
    first = engine.match_main(region, head, max(0, near - lo))
    if first < 0:
        return None
    last = engine.match_main(region, tail, first + len(quote) - len(tail))
    if last < first:
        return None
    # Trim the match to the characters the quote shares with it (a diff of the two).
    slack = len(quote) // 4 + 2
    window_start = max(0, first - slack)
    window = region[window_start : min(len(region), last + len(tail) + slack)]
    diffs = engine.diff_main(quote, window, False, deadline=until)
    engine.diff_cleanupSemantic(diffs)
    shared = [(c, d) for a, b, c, d, equal in _blocks(diffs) if equal]
    kept = sum(d - c for c, d in shared)
    if not shared or 2 * kept < len(quote):
        return None
    start, end = shared[0][0], shared[-1][1]
    if 2 * kept < end - start:
        return None
    start += lo + window_start
    end += lo + window_start
    return Passage(start, text[start:end])


# --- Where fields read in the delivered text


@dataclass(frozen=True)
class Piece:
    """Characters ``[start, end)`` of paragraph number ``paragraph`` (an index into
    ``assemble``'s list; offsets into ``Paragraph.text``) are characters ``at`` … of the
    field ``field`` (a column: ``body``, ``lead``, ``opening``) of the unit ``anchor``."""

    paragraph: int
    start: int
    end: int
    anchor: str
    field: str
    at: int


def place(speech: Speech, paragraphs: Sequence[Paragraph]) -> list[Piece]:
    """Where each field of ``speech`` reads in ``paragraphs`` (``assemble(speech)``): a
    piece per line of a field, found in order in the paragraphs made of its unit; a line
    that does not read there (the occasion, which is not delivered) has no piece.

    >>> from drafts.assembly import assemble
    >>> speech = Speech(opening="  今天开会。\\n讲两点。")
    >>> [(p.paragraph, p.start, p.end, p.at) for p in place(speech, assemble(speech))
    ...  if p.field == "opening"]
    [(1, 0, 5, 2), (2, 0, 4, 8)]
    """
    texts: dict[str, list[tuple[str, str]]] = {}
    for (anchor, name), text in field_texts(speech).items():
        texts.setdefault(anchor, []).append((name, text))
    pieces: list[Piece] = []
    for group in _groups(paragraphs):
        first = paragraphs[group[0]]
        # The paragraphs one text makes, as one string: "\n" where a paragraph ends.
        starts, joined = [], ""
        for number in group:
            starts.append(len(joined))
            joined += paragraphs[number].text + "\n"
        cursor = 0
        for anchor in first.sources:
            for name, text in texts.get(anchor, ()):
                if anchor == "header" and name != first.anchor:
                    continue  # a header paragraph is the one field it is named after
                for at, visible, trimmed in _lines(text):
                    found = _first_found(joined, (visible, trimmed), cursor)
                    if found is None:
                        continue
                    position, length = found
                    index = max(i for i, s in enumerate(starts) if s <= position)
                    offset = position - starts[index]
                    pieces.append(Piece(group[index], offset, offset + length, anchor, name, at))
                    cursor = position + length
    return pieces


def field_texts(speech: Speech) -> dict[tuple[str, str], str]:
    """Every text of the speech by (unit anchor, column), a unit's in reading order
    (the addresses of ``structure.text_fields``, without its names, which cost half of
    a preview's placing).

    >>> field_texts(Speech(opening="今天开会。"))[("opening", "opening")]
    '今天开会。'
    """
    texts = {("header", name): getattr(speech, name) for name in HEADER_TEXTS}
    texts[("opening", "opening")] = speech.opening
    for section, names in PART_TEXTS.items():
        part = getattr(speech, section)
        texts.update({(f"{section}.{name}", name): getattr(part, name) for name in names})
    for section, name, _ in ITEM_LISTS:
        for index, item in enumerate(getattr(getattr(speech, section), name)):
            anchor = item_anchor(item, f"{section}.{name}.{index}")
            if isinstance(item, LeadItem):
                texts[(anchor, "lead")], texts[(anchor, "body")] = item.lead, item.body
            else:
                texts[(anchor, "body")] = item.text  # an inline item's row column
    texts[("closing", "closing")] = speech.closing
    return texts


def in_paragraphs(
    pieces: Iterable[Piece], anchor: str, field: str, start: int, end: int
) -> list[tuple[int, int, int]]:
    """Where characters ``[start, end)`` of a field read: (paragraph, start, end) in
    ``Paragraph.text``, a stretch per line they cover; [] when they are not delivered.

    >>> pieces = [Piece(2, 0, 5, "opening", "opening", 2), Piece(3, 0, 4, "opening", "opening", 8)]
    >>> in_paragraphs(pieces, "opening", "opening", 4, 10)
    [(2, 2, 5), (3, 0, 2)]
    """
    stretches = []
    for piece in pieces:
        if (piece.anchor, piece.field) != (anchor, field):
            continue
        lo = max(start, piece.at)
        hi = min(end, piece.at + piece.end - piece.start)
        if lo < hi:
            shift = piece.start - piece.at
            stretches.append((piece.paragraph, lo + shift, hi + shift))
    return sorted(stretches)


def _groups(paragraphs: Sequence[Paragraph]) -> list[list[int]]:
    """The paragraphs by the text that made them: consecutive ones of one field."""
    groups: list[list[int]] = []
    for number, paragraph in enumerate(paragraphs):
        key = (paragraph.anchor, paragraph.sources)
        previous = paragraphs[groups[-1][0]] if groups else None
        if previous is not None and (previous.anchor, previous.sources) == key:
            groups[-1].append(number)
        else:
            groups.append([number])
    return groups


def _lines(text: str) -> list[tuple[int, str, str]]:
    """The lines of a field as they read: (where the visible text starts in the field,
    the line without its surrounding white space, and the same without a final joiner's
    punctuation, which the last line of an inline item loses to the joiner)."""
    lines, at = [], 0
    parts = text.split("\n")
    last = max((i for i, line in enumerate(parts) if line.strip()), default=-1)
    for number, line in enumerate(parts):
        visible = line.strip()
        if visible:
            begin = at + len(line) - len(line.lstrip())
            trimmed = visible.rstrip(JOINER_PUNCTUATION) if number == last else visible
            lines.append((begin, visible, trimmed))
        at += len(line) + 1
    return lines


def _first_found(text: str, candidates: tuple[str, str], cursor: int) -> tuple[int, int] | None:
    """The earliest of the candidates found in ``text`` from ``cursor`` (the longer on a
    tie), as (position, length)."""
    found = [(text.find(c, cursor), len(c)) for c in dict.fromkeys(candidates) if c]
    return min(
        ((at, length) for at, length in found if at >= 0),
        key=lambda pair: (pair[0], -pair[1]),
        default=None,
    )
