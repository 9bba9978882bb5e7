import pytest

from drafts.assembly import assemble
from drafts.comparison import speech_units
from drafts.numbering import (
    BRACKETED,
    HEADING,
    HEADING_TEXT,
    ITEM_TEXT,
    LEAD_TEXT,
    ORDINAL,
    UNNUMBERED,
    achievement_label,
    chinese_numeral,
    heading_label,
    item_label,
    list_labels,
    list_numbers,
    opening_label,
    ordinal_label,
    strip_typed_number,
    typed_number_note,
)
from drafts.placeholders import find_in_speech
from drafts.structure import InlineItem, Speech, blank_speech, item_names, item_names_by_id


@pytest.mark.parametrize(
    ("number", "numeral"),
    [
        (1, "一"),
        (9, "九"),
        (10, "十"),
        (11, "十一"),
        (12, "十二"),
        (20, "二十"),
        (21, "二十一"),
        (100, "一百"),
    ],
)
def test_chinese_numerals_go_past_ten(number, numeral):
    assert chinese_numeral(number) == numeral


def test_labels_of_each_level():
    assert heading_label(2) == "二、"
    assert achievement_label(11) == "（十一）"
    assert ordinal_label(12) == "十二是"


def test_numbering_starts_at_one():
    with pytest.raises(ValueError):
        chinese_numeral(0)


# --- The one numbering rule: items with text are numbered, empty ones are not


@pytest.mark.parametrize(
    ("filled", "numbers"),
    [
        ([], []),
        ([True, True, True], [1, 2, 3]),
        ([False, False, True], [None, None, 1]),
        ([True, False, True], [1, None, 2]),
        ([False, False, False], [None, None, None]),
        ([True] * 11, list(range(1, 12))),
    ],
)
def test_only_items_with_text_take_a_number(filled, numbers):
    assert list_numbers(filled) == numbers


@pytest.mark.parametrize(
    ("kind", "filled", "labels"),
    [
        ("achievement", [False, False, True], [UNNUMBERED, UNNUMBERED, "（一）"]),
        ("measure", [True, False, True], ["一是", UNNUMBERED, "二是"]),
        ("lesson", [True, True], ["一是", "二是"]),
        ("shortcoming", [False], [UNNUMBERED]),
    ],
)
def test_labels_of_a_list_follow_the_rule(kind, filled, labels):
    assert list_labels(kind, filled) == labels


def test_an_empty_item_says_it_is_not_numbered():
    assert UNNUMBERED == "（未填写，不编号）"
    assert item_label("achievement", None) == item_label("measure", None) == UNNUMBERED


# --- Numbers typed at the start of a heading, a lead or an item


@pytest.mark.parametrize(
    ("text", "where", "stripped", "label"),
    [
        ("一、加强理论学习", HEADING_TEXT, "加强理论学习", "一、"),
        ("十一、标题", HEADING_TEXT, "标题", "十一、"),
        ("二．正视不足", HEADING_TEXT, "正视不足", "二．"),
        ("一、 关于成绩", HEADING_TEXT, "关于成绩", "一、"),
        ("（一）关于成绩", HEADING_TEXT, "关于成绩", "（一）"),
        ("一、二〇二五年工作回顾", HEADING_TEXT, "二〇二五年工作回顾", "一、"),
        ("一、一、重复的编号", HEADING_TEXT, "一、重复的编号", "一、"),
        ("（一）在学习上发力。", LEAD_TEXT, "在学习上发力。", "（一）"),
        ("(二) 要加强", LEAD_TEXT, "要加强", "(二)"),
        ("（ 三 ）要加强", LEAD_TEXT, "要加强", "（ 三 ）"),
        ("（十二）要加强", LEAD_TEXT, "要加强", "（十二）"),
        ("一是要加强学习。", LEAD_TEXT, "要加强学习。", "一是"),
        ("四、要加强", LEAD_TEXT, "要加强", "四、"),
        ("（一）", LEAD_TEXT, "", "（一）"),
        ("三是宣传不够", ITEM_TEXT, "宣传不够", "三是"),
        ("十二是还有差距", ITEM_TEXT, "还有差距", "十二是"),
        ("一是一些单位落实不到位", ITEM_TEXT, "一些单位落实不到位", "一是"),
        ("（二）宣传不够", ITEM_TEXT, "宣传不够", "（二）"),
    ],
)
def test_a_typed_number_is_stripped(text, where, stripped, label):
    assert strip_typed_number(text, where) == (stripped, label)


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("十分重要的工作", LEAD_TEXT),
        ("一流的队伍", LEAD_TEXT),
        ("一方面要抓学习", LEAD_TEXT),
        ("两手抓", LEAD_TEXT),
        ("百分之九十的事项办结", LEAD_TEXT),
        ("第一，要加强", LEAD_TEXT),
        ("一、二季度经济运行平稳", LEAD_TEXT),
        ("一、二季度经济运行平稳", HEADING_TEXT),
        ("三、四月份集中整治", ITEM_TEXT),
        ("一是一，二是二，不含糊", ITEM_TEXT),
        ("一是一、二是二", LEAD_TEXT),
        ("统一是关键", ITEM_TEXT),
        ("坚持一、二线联动", LEAD_TEXT),
        ("要做到一是一，二是二", ITEM_TEXT),
        ("做好三项工作：一是学习，二是落实", LEAD_TEXT),
        ("一是加强学习", HEADING_TEXT),
        ("零、开始", HEADING_TEXT),
        ("十十是一个笔误", ITEM_TEXT),
        ("", LEAD_TEXT),
    ],
)
def test_words_that_only_look_like_numbers_stay(text, where):
    assert strip_typed_number(text, where) == (text, None)


def test_the_note_names_the_removed_number():
    assert typed_number_note("（一）") == "已去掉手工输入的编号“（一）”，编号由系统生成"


@pytest.mark.parametrize(
    ("text", "style", "number"),
    [
        ("一、标题", HEADING, 1),
        ("（十一）成绩", BRACKETED, 11),
        ("(三)成绩", BRACKETED, 3),
        ("四是措施", ORDINAL, 4),
        ("两是措施", ORDINAL, 2),
    ],
)
def test_opening_label_reads_style_and_value(text, style, number):
    found = opening_label(text)
    assert (found.style, found.number) == (style, number)


# --- Every rendering of the plain speech names items by the same rule


def third_filled() -> Speech:
    """A blank skeleton in which only the third achievement and the second measure are written."""
    speech = blank_speech()
    for index, item in enumerate(speech.part_one.achievements):
        item.id = f"a{index + 1}"
    for index, item in enumerate(speech.part_two.measures):
        item.id = f"m{index + 1}"
    speech.part_one.achievements[2].lead = "第三条才写了XX。"
    speech.part_two.measures[1].lead = "措施写了X项。"
    return speech


def test_names_count_only_items_with_text():
    speech = third_filled()
    assert item_names("achievement", speech.part_one.achievements) == [
        "成绩（未填写，不编号）",
        "成绩（未填写，不编号）",
        "成绩（一）",
    ]
    assert item_names_by_id(speech)["m2"] == "措施一是"


def test_placeholders_preview_and_comparison_name_the_third_item_as_word_numbers_it():
    speech = third_filled()
    assert [found.label for found in find_in_speech(speech)] == [
        "第一部分 成绩（一） 领句",
        "第二部分 措施一是 领句",
    ]
    texts = [p.text for p in assemble(speech) if p.item_id]
    assert texts == ["（一）第三条才写了XX。", "一是措施写了X项。"]
    units = {unit.key: unit.label for unit in speech_units(speech)}
    assert units["item:a3/lead"] == "第一部分 成绩（一） 领句"
    assert units["item:a1/lead"] == "第一部分 成绩（未填写，不编号） 领句"


def test_inline_items_skip_the_empty_ones_in_the_paragraph_and_in_its_sources():
    speech = blank_speech()
    speech.part_one.lessons = [InlineItem("", "l1"), InlineItem("要坚持学习", "l2")]
    [paragraph] = [p for p in assemble(speech) if p.anchor == "part_one.lessons"]
    assert paragraph.text == "一是要坚持学习。"
    assert paragraph.sources == ("part_one.lessons_intro", "item:l2")
