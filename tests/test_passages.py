"""Passages follow their words through edits, and are found in the delivered text
(drafts/passages.py), without the database. In the tables 【】 marks the passage: in the
old text where the comment points, in the new text where it must point afterwards
(no 【】 there: the passage is lost)."""

import random
import time

import pytest

from drafts.assembly import assemble
from drafts.passages import (
    MATCH_BITS,
    Passage,
    Piece,
    field_texts,
    find,
    follow,
    in_paragraphs,
    place,
)
from drafts.structure import InlineItem, LeadItem, PartOne, PartTwo, Speech, text_fields


def marked(text: str) -> tuple[str, Passage | None]:
    """The text without its 【】, and the passage they marked (None without marks)."""
    if "【" not in text:
        return text, None
    start = text.index("【")
    end = text.index("】") - 1
    plain = text.replace("【", "").replace("】", "")
    return plain, Passage(start, plain[start:end])


LONG = "全面落实统计数据质量责任制，压实各级统计机构和调查队伍的主体责任"  # 31 characters
LONGER = LONG + "，确保数据真实准确完整及时"  # past MATCH_BITS

# fmt: off
FOLLOWING = [
    # Edits around the passage: the same words, moved with the text.
    ("typed before", "今年【加强作风建设】，完善制度。", "今年全局上下【加强作风建设】，完善制度。"),
    ("deleted before", "今年全局上下【加强作风建设】。", "今年【加强作风建设】。"),
    ("typed after", "今年【加强作风建设】。", "今年【加强作风建设】，完善各项制度。"),
    ("deleted after", "今年【加强作风建设】，完善制度。", "今年【加强作风建设】。"),
    ("before and after at once", "甲【加强作风建设】乙。", "甲丙丁【加强作风建设】戊。"),
    ("typed right before its first character", "【加强作风建设】。", "要【加强作风建设】。"),
    ("typed right after its last character", "【加强作风建设】。", "【加强作风建设】工作。"),
    ("a line break before it", "一年来，【加强作风建设】。", "一年来，\n【加强作风建设】。"),
    # Edits inside: the ends kept, the quote as the words read now.
    ("a word typed inside", "今年【加强作风建设】。", "今年【加强作风纪律建设】。"),
    ("a character replaced inside", "今年【加强作风建设】。", "今年【加强工作作风建设】。"),
    ("a few characters deleted inside", "今年【切实加强作风建设】。", "今年【加强作风建设】。"),
    ("its first characters replaced", "今年【加强作风建设】。", "今年【狠抓作风建设】。"),
    ("its last characters replaced", "今年【加强作风建设】。", "今年【加强作风整顿】。"),
    ("a long clause typed inside", "今年【加强建设】。", "今年【加强党风廉政和干部作风建设】。"),
    # Gone: deleted, or more than half rewritten.
    ("the passage deleted", "今年【加强作风建设】，完善制度。", "今年，完善制度。"),
    ("the whole sentence deleted", "今年【加强作风建设】。完善制度。", "完善制度。"),
    ("more than half rewritten", "今年【加强作风建设】。", "今年要深化制度改革。"),
    ("the field emptied", "【加强作风建设】。", ""),
    ("the field replaced by other text", "【加强作风建设】。", "完善制度，提高效率。"),
    # The same words elsewhere: the passage keeps to its own.
    ("duplicated elsewhere", "【加强作风建设】。完善制度。", "【加强作风建设】。完善制度。加强作风建设。"),
    ("the second of two, edit before", "加强作风建设。【加强作风建设】。", "要加强作风建设。【加强作风建设】。"),
    ("the first of two deleted", "加强作风建设。完善制度。【加强作风建设】。", "完善制度。【加强作风建设】。"),
    ("deleted, the same words there before", "加强作风建设。完善制度。【加强作风建设】。", "加强作风建设。完善制度。"),
    # Moved: cut here, pasted there.
    ("moved after", "【加强作风建设】。完善制度。", "完善制度。【加强作风建设】。"),
    (
        "moved and edited",
        "【切实加强干部作风建设，提高工作效率】。完善制度。",
        "完善制度。【切实加强干部作风纪律建设，提高工作效率】。",
    ),
    # Long passages: past 32 characters, matched by their first and last 32.
    ("long, typed before", f"今年【{LONGER}】。", f"今年，我们要【{LONGER}】。"),
    (
        "long, edited inside",
        f"【{LONGER}】。",
        "【" + LONGER.replace("主体责任", "第一责任") + "】。",
    ),
    (
        "long, moved and edited",
        f"【{LONGER}】。完善制度。",
        "完善制度。【" + LONGER.replace("各级", "市县两级") + "】。",
    ),
]
# fmt: on


@pytest.mark.parametrize(("case", "old", "new"), FOLLOWING, ids=[row[0] for row in FOLLOWING])
def test_a_passage_follows_its_words(case, old, new):
    old_text, passage = marked(old)
    new_text, expected = marked(new)
    assert follow(old_text, new_text, passage) == expected


def test_the_long_passages_are_past_the_fuzzy_match_s_pattern_size():
    assert len(LONGER) > MATCH_BITS >= len(LONG)


def test_an_unchanged_field_keeps_the_passage_as_it_is():
    passage = Passage(2, "作风")
    assert follow("加强作风建设", "加强作风建设", passage) is passage


@pytest.mark.parametrize(
    ("case", "old", "stored", "new", "expected"),
    [
        # A passage whose words are not where it says: looked for in the new text.
        ("words elsewhere in the old text", "甲乙。作风。", Passage(0, "作风"), "甲乙。作风。", 3),
        ("an empty old field", "", Passage(0, "作风"), "加强作风建设", 2),
        ("not there at all", "甲乙。", Passage(0, "作风"), "甲乙。丙。", None),
    ],
)
def test_a_stale_passage_is_looked_for_in_the_new_text(case, old, stored, new, expected):
    found = follow(old, new, stored)
    assert (found.start if found else None) == expected
    if found:
        assert new[found.start : found.end] == found.quote


def test_past_its_time_a_passage_that_did_not_simply_move_with_the_text_is_lost():
    old, passage = marked("【切实加强干部作风建设，提高工作效率】。完善制度。")
    new = "完善制度。切实加强干部作风纪律建设，提高工作效率。"
    assert follow(old, new, passage) is not None
    assert follow(old, new, passage, until=time.time() - 1) is None


@pytest.mark.parametrize(
    ("text", "quote", "near", "fuzzy", "expected"),
    [
        ("甲乙。甲乙。甲乙。", "甲乙", 4, True, Passage(3, "甲乙")),
        ("甲乙。甲乙。甲乙。", "甲乙", 100, True, Passage(6, "甲乙")),
        ("加强作风建设", "作风", 0, False, Passage(2, "作风")),
        ("加强作风纪律建设", "作风建设", 0, False, None),
        ("", "作风", 0, True, None),
        ("加强作风建设", "", 0, True, None),
    ],
)
def test_find_takes_the_nearest_occurrence(text, quote, near, fuzzy, expected):
    assert find(text, quote, near, fuzzy=fuzzy) == expected


def test_following_a_long_field_is_quick():
    sentence = "坚持把统计数据质量作为统计工作的生命线，扎实推进统计法治建设。"
    old = sentence * 600  # about 18,000 characters
    passage = Passage(len(sentence) * 300 + 2, sentence[2:20])
    new = old[:100] + "新增的一句话。" + old[100:]
    began = time.perf_counter()
    moved = follow(old, new, passage)
    assert time.perf_counter() - began < 1
    assert moved == Passage(passage.start + len("新增的一句话。"), passage.quote)


# --- Where fields read in the delivered text


def sample() -> Speech:
    return Speech(
        title="在全局年中工作\n推进会上的讲话",
        speaker="张局长",
        salutation="同志们：",
        opening="  今天开会，总结上半年工作。\n\n下面讲两点意见。",
        part_one=PartOne(
            heading="上半年工作稳中有进",
            achievements=[LeadItem("在服务上发力", "推动数据共享。\n建成平台X个。", id="a1")],
            lessons_intro="主要启示：",
            lessons=[
                InlineItem("必须坚持学习。", id="l1"),
                InlineItem("必须坚持学习；", id="l2"),
            ],
        ),
        part_two=PartTwo(
            shortcomings_intro="不足主要有：",
            shortcomings=[InlineItem("调研不深", id="s1")],
            transition="下一步要抓好落实。",
        ),
        closing="让我们共同努力。",
    )


def readings(speech: Speech) -> dict[tuple[str, str], list[str]]:
    """What each field reads as in the delivered text, piece by piece."""
    paragraphs = assemble(speech)
    found: dict[tuple[str, str], list[str]] = {}
    for piece in place(speech, paragraphs):
        text = paragraphs[piece.paragraph].text[piece.start : piece.end]
        found.setdefault((piece.anchor, piece.field), []).append(text)
    return found


def test_every_delivered_field_is_placed_where_it_reads():
    speech = sample()
    found = readings(speech)
    assert found[("header", "title")] == ["在全局年中工作", "推进会上的讲话"]
    assert found[("header", "speaker")] == ["张局长"]
    assert found[("opening", "opening")] == ["今天开会，总结上半年工作。", "下面讲两点意见。"]
    assert found[("part_one.heading", "heading")] == ["上半年工作稳中有进"]
    assert found[("item:a1", "lead")] == ["在服务上发力"]
    assert found[("item:a1", "body")] == ["推动数据共享。", "建成平台X个。"]
    assert found[("part_one.lessons_intro", "lessons_intro")] == ["主要启示："]
    # Two lessons with the same words: each is placed on its own, in order; the second
    # reads without the ； its joiner replaced.
    assert found[("item:l1", "body")] == ["必须坚持学习。"]
    assert found[("item:l2", "body")] == ["必须坚持学习"]
    assert found[("part_two.transition", "transition")] == ["下一步要抓好落实。"]
    # The occasion and the organisation are not delivered: no piece.
    assert ("header", "occasion") not in found


def test_the_pieces_give_back_the_field_s_own_characters():
    speech = sample()
    paragraphs = assemble(speech)
    fields = {
        ("opening", "opening"): speech.opening,
        ("item:a1", "body"): speech.part_one.achievements[0].body,
        ("item:l2", "body"): speech.part_one.lessons[1].text,
    }
    for piece in place(speech, paragraphs):
        if (piece.anchor, piece.field) in fields:
            text = fields[(piece.anchor, piece.field)]
            read = paragraphs[piece.paragraph].text[piece.start : piece.end]
            assert text[piece.at : piece.at + len(read)] == read


def test_the_second_of_two_equal_lessons_is_marked_on_its_own_words():
    speech = sample()
    paragraphs = assemble(speech)
    pieces = place(speech, paragraphs)
    [(number, start, end)] = in_paragraphs(pieces, "item:l2", "body", 2, 4)
    paragraph = paragraphs[number].text
    assert paragraph[start:end] == "坚持"
    assert paragraph[:end].endswith("二是必须坚持")


def test_a_passage_over_a_line_break_reads_in_two_paragraphs():
    speech = sample()
    paragraphs = assemble(speech)
    body = speech.part_one.achievements[0].body
    start = body.index("共享")
    end = body.index("平台") + 2
    stretches = in_paragraphs(place(speech, paragraphs), "item:a1", "body", start, end)
    assert [paragraphs[n].text[s:e] for n, s, e in stretches] == ["共享。", "建成平台"]


def test_a_field_that_is_not_delivered_has_no_stretch():
    pieces = [Piece(0, 0, 3, "header", "title", 0)]
    assert in_paragraphs(pieces, "header", "occasion", 0, 3) == []
    assert in_paragraphs(pieces, "header", "title", 3, 5) == []


def random_text(pick, size: int) -> str:
    # Characters from a wide range, so that a passage's words are not repeated by chance
    # (with repeated words several diffs are right, see the ambiguous case below).
    return "".join(chr(0x4E00 + pick.randrange(3000)) for _ in range(size))


@pytest.mark.parametrize("seed", range(200))
def test_edits_outside_a_passage_never_move_it_off_its_words(seed):
    pick = random.Random(seed)
    text = random_text(pick, 400)
    start = pick.randrange(20, 360)
    passage = Passage(start, text[start : start + pick.randrange(1, 40)])
    new, shift = text, 0
    # Edits after the passage first, then before it, so its place is known throughout.
    for where in ("after", "before"):
        for _ in range(pick.randrange(1, 4)):
            # Anywhere outside the passage, its two ends included; a cut stops at it.
            lo, hi = (passage.end, len(new)) if where == "after" else (0, passage.start + shift)
            at = pick.randrange(lo, hi + 1)
            cut = min(pick.choice([0, 0, pick.randrange(1, 10)]), hi - at)
            typed = random_text(pick, pick.randrange(0 if cut else 1, 12))
            new = new[:at] + typed + new[at + cut :]
            if where == "before":
                shift += len(typed) - cut
    assert new[passage.start + shift : passage.end + shift] == passage.quote
    assert follow(text, new, passage) == Passage(passage.start + shift, passage.quote)


def test_typing_the_passage_s_own_first_words_before_it_keeps_it_on_its_words():
    # The diff may tell the typed 作风 as typed after the first 作风: the words decide.
    assert follow("加强作风建设", "加强作风作风建设", Passage(2, "作风建设")) == Passage(
        4, "作风建设"
    )


@pytest.mark.parametrize("seed", range(100))
def test_a_small_edit_inside_a_passage_keeps_its_ends(seed):
    pick = random.Random(seed)
    text = random_text(pick, 300)
    start, length = pick.randrange(20, 200), pick.randrange(8, 60)
    passage = Passage(start, text[start : start + length])
    # A quarter of it at most, replaced by as much at most, its first and last kept.
    at = start + pick.randrange(1, length - length // 4)
    cut = pick.randrange(0, length // 4 + 1)
    typed = random_text(pick, pick.randrange(0 if cut else 1, length // 4 + 1))
    new = text[:at] + typed + text[at + cut :]
    end = passage.end + len(typed) - cut
    assert follow(text, new, passage) == Passage(start, new[start:end])


def test_field_texts_name_every_field_text_fields_does():
    speech = sample()
    expected = {
        (field.anchor, "body" if field.name == "text" else field.name): field.text
        for field in text_fields(speech)
    }
    assert field_texts(speech) == expected
