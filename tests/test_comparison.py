from drafts.comparison import (
    DELETE,
    EQUAL,
    INSERT,
    TextUnit,
    compare,
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
