from dataclasses import replace

from drafts.budgets import configured
from drafts.comparison import (
    DELETE,
    EQUAL,
    INSERT,
    Allowance,
    TextUnit,
    compare,
    diff_paragraphs,
    diff_texts,
    fold,
    speech_units,
)
from drafts.structure import InlineItem, LeadItem, PartOne, PartTwo, Speech


def test_character_diff_is_cleaned_up_to_readable_pieces():
    ops = diff_texts("召开X次专题会议", "召开12次专题会议")
    assert ops == [(EQUAL, "召开"), (DELETE, "X"), (INSERT, "12"), (EQUAL, "次专题会议")]


def test_moved_item_is_compared_with_itself_by_its_stable_id():
    before = Speech(
        part_one=PartOne(
            achievements=[LeadItem("甲。", "甲正文", id="a"), LeadItem("乙。", "乙正文", id="b")]
        )
    )
    after = Speech(
        part_one=PartOne(
            achievements=[LeadItem("乙。", "乙正文改", id="b"), LeadItem("甲。", "甲正文", id="a")]
        )
    )
    changes = {c.key: c for c in compare(speech_units(before), speech_units(after))}
    assert changes["item:a/body"].status == "same"
    assert changes["item:b/body"].status == "changed"
    assert changes["item:b/body"].ops == ((EQUAL, "乙正文"), (INSERT, "改"))
    # Labels follow the new numbering.
    assert changes["item:b/lead"].label == "第一部分 成绩（一） 领句"


def test_added_and_removed_units_keep_their_places():
    old = [TextUnit("a", "甲", "一"), TextUnit("b", "乙", "二"), TextUnit("c", "丙", "三")]
    new = [TextUnit("a", "甲", "一"), TextUnit("c", "丙", "三"), TextUnit("d", "丁", "四")]
    changes = compare(old, new)
    assert [(c.key, c.status) for c in changes] == [
        ("a", "same"),
        ("b", "removed"),
        ("c", "same"),
        ("d", "added"),
    ]
    assert changes[1].ops == ((DELETE, "二"),)


def test_speech_units_cover_every_field_in_reading_order():
    speech = Speech(
        opening="开场",
        part_one=PartOne(lessons=[InlineItem("体会", id="l1")]),
        part_two=PartTwo(shortcomings=[InlineItem("不足", id="s1")]),
    )
    keys = [unit.key for unit in speech_units(speech)]
    assert keys.index("opening/opening") < keys.index("item:l1/text") < keys.index("item:s1/text")
    assert keys[-1] == "closing/closing"


def test_long_unchanged_stretches_are_folded_to_their_ends():
    ops = ((EQUAL, "甲" * 100), (INSERT, "新"), (EQUAL, "乙" * 100))
    shown = fold(ops)
    assert shown[0] == (EQUAL, "甲" * 80, True)
    assert shown[1] == (EQUAL, "甲" * 20, False)
    assert shown[2] == (INSERT, "新", False)
    assert shown[3] == (EQUAL, "乙" * 20, False)
    assert shown[4] == (EQUAL, "乙" * 80, True)
    assert fold(((EQUAL, "短"),)) == [(EQUAL, "短", False)]


# --- One comparison's budget (issue 13, case 3)


def budgets_of(**changes):
    return replace(configured(), **changes)


def rebuilt(ops, side):
    """The old text (side DELETE) or the new one (side INSERT) from a diff."""
    return "".join(text for op, text in ops if op in (EQUAL, side))


def test_changed_paragraphs_are_shown_whole_in_one_pass():
    ops = diff_paragraphs("甲\n乙\n丙\n", "甲\n丁\n丙\n戊")
    assert ops == [
        (EQUAL, "甲\n"),
        (DELETE, "乙\n"),
        (INSERT, "丁\n"),
        (EQUAL, "丙\n"),
        (INSERT, "戊"),
    ]


def test_past_the_character_budget_the_rest_is_compared_by_paragraph():
    old = [TextUnit(f"u{n}", f"第{n}条", f"第{n}条的旧文字。\n不变的一段。") for n in range(4)]
    new = [TextUnit(f"u{n}", f"第{n}条", f"第{n}条的新文字。\n不变的一段。") for n in range(4)]
    size = len(old[0].text) + len(new[0].text)
    changes = compare(old, new, budgets_of(compare_chars=2 * size))
    assert [change.by_paragraph for change in changes] == [False, False, True, True]
    assert changes[0].ops[0] == (EQUAL, "第0条的")
    assert changes[3].ops == (
        (DELETE, "第3条的旧文字。\n"),
        (INSERT, "第3条的新文字。\n"),
        (EQUAL, "不变的一段。"),
    )
    for change in changes:
        assert rebuilt(change.ops, DELETE) == change.old
        assert rebuilt(change.ops, INSERT) == change.new


def test_past_the_deadline_every_changed_text_is_compared_by_paragraph():
    # 30 items of 19,000 characters, all changed, took 60 s: here the deadline has
    # passed before the first diff, so none is diffed by character.
    old = [TextUnit(f"u{n}", "条", "旧" * 19_000) for n in range(30)]
    new = [TextUnit(f"u{n}", "条", "新" * 19_000) for n in range(30)]
    changes = compare(old, new, budgets_of(compare_milliseconds=0))
    assert all(change.by_paragraph for change in changes)
    assert changes[0].ops == ((DELETE, "旧" * 19_000), (INSERT, "新" * 19_000))


def test_unchanged_units_cost_no_budget():
    same = [TextUnit(f"u{n}", "条", "同" * 1000) for n in range(5)]
    changes = compare(same, same, budgets_of(compare_chars=10_000, compare_milliseconds=0))
    assert not any(change.by_paragraph or change.changed for change in changes)


def test_a_diff_within_an_allowance_spends_it():
    allowance = Allowance(budgets_of(compare_chars=20))
    assert diff_texts("今天天气很好", "今天天气不好", allowance) == [
        (EQUAL, "今天天气"),
        (DELETE, "很"),
        (INSERT, "不"),
        (EQUAL, "好"),
    ]
    assert allowance.chars == 8 and not allowance.exceeded
    assert diff_texts("今天天气很好", "今天天气不好", allowance) == [
        (DELETE, "今天天气很好"),
        (INSERT, "今天天气不好"),
    ]
    assert allowance.exceeded
