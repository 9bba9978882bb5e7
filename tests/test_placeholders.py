import pytest

from drafts.placeholders import find_in_speech, find_placeholders, split_placeholders
from drafts.structure import LeadItem, PartOne, Speech


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("召开X次专题会议", ["X"]),
        ("履行XX监督职责", ["XX"]),
        ("强x、强xx", ["x", "xx"]),
        ("全角Ｘ个，另有××单位", ["Ｘ", "××"]),
        ("某某同志和○○单位", ["某某", "○○"]),
        ("用Excel和XML统计box数", []),
        ("3×4的表格，某些单位", []),
        ("第X批次XXX项", ["X", "XXX"]),
    ],
)
def test_placeholders_are_whole_tokens(text, tokens):
    assert [p.token for p in find_placeholders(text)] == tokens


def test_placeholder_position_and_context():
    [found] = find_placeholders("共召开X次会议")
    assert (found.start, found.end) == (3, 4)
    assert found.context == "共召开【X】次会议"


def test_split_marks_only_the_placeholders():
    assert list(split_placeholders("X个XX")) == [("X", True), ("个", False), ("XX", True)]
    assert list(split_placeholders("没有")) == [("没有", False)]


def test_every_placeholder_of_a_speech_is_found_with_where_it_is():
    speech = Speech(
        opening="召开X次会议",
        part_one=PartOne(
            achievements=[LeadItem("甲", "乙"), LeadItem("XX工作", "完成X项", id="i2")]
        ),
    )
    found = find_in_speech(speech)
    assert [(f.label, f.placeholder.token) for f in found] == [
        ("开场白", "X"),
        ("第一部分 成绩（二） 领句", "XX"),
        ("第一部分 成绩（二） 正文", "X"),
    ]
    assert found[1].item_id == "i2"
    assert found[1].anchor == "item:i2"
    assert found[0].anchor == "opening"
