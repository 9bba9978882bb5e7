"""Parsing paragraphs into a speech: our own speeches, messy input, findings, nothing lost."""

import datetime
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drafts.assembly import assemble, plain_text
from drafts.parsing import chinese_number, kind_of, parse_paragraphs, parse_text, split_lead
from drafts.speech_json import to_document
from drafts.structure import InlineItem, LeadItem, PartOne, PartTwo, Speech

RESOURCES = Path(__file__).parent / "resources"
EMERGENCY = (RESOURCES / "speech_emergency.txt").read_text(encoding="utf-8")
FARMLAND = (RESOURCES / "speech_farmland.txt").read_text(encoding="utf-8")


def squeeze(text):
    return "".join(text.split())


def source_paragraphs(text):
    return [squeeze(line) for line in text.splitlines() if line.strip()]


def exported_paragraphs(speech):
    return source_paragraphs(plain_text(assemble(speech)))


def counts(speech):
    one, two = speech.part_one, speech.part_two
    return len(one.achievements), len(one.lessons), len(two.shortcomings), len(two.measures)


def messages(result):
    return [finding.message for finding in result.findings]


# -- our own speeches -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected_counts"),
    [(EMERGENCY, (5, 3, 3, 3)), (FARMLAND, (12, 4, 4, 4))],
    ids=["emergency", "farmland"],
)
def test_own_speech_exports_back_to_its_paragraphs(text, expected_counts):
    result = parse_text(text)
    assert counts(result.speech) == expected_counts
    assert exported_paragraphs(result.speech) == source_paragraphs(text)
    assert result.findings == []


def test_title_speaker_and_date_are_recognised_before_the_salutation():
    speech = parse_text(EMERGENCY).speech
    assert speech.title == "在市应急管理局安全生产专项整治行动\n总结大会上的讲话"
    assert speech.speaker == "局长 周XX"
    assert speech.date == datetime.date(2026, 12, 10)
    assert speech.salutation == "同志们："


def test_every_paragraph_is_placed_and_labelled():
    result = parse_text(FARMLAND)
    assert len(result.placements) == len(result.paragraphs) == 26
    assert all(result.placements)
    assert result.placements[:4] == ["标题", "标题", "称谓", "开场白"]
    assert result.placements[16] == "第一部分 成绩（十一）"
    assert result.placements[-1] == "结束语"


def test_items_past_ten_are_read_in_order_without_numbers():
    achievements = parse_text(FARMLAND).speech.part_one.achievements
    assert len(achievements) == 12
    assert achievements[10].lead == "产出效益更加明显。"
    assert achievements[11].lead == "廉政建设更加严格。"
    assert not achievements[11].body.startswith("（")


def test_lessons_are_split_on_the_ordinals_and_stored_without_joiners():
    one = parse_text(EMERGENCY).speech.part_one
    assert one.lessons_intro == "回顾九个月的工作，我们体会到："
    assert [lesson.text for lesson in one.lessons][0] == (
        "抓安全必须抓源头，把风险挡在事故前面，才能掌握主动"
    )


def test_the_transition_starts_after_the_full_stop_that_ends_the_last_shortcoming():
    two = parse_text(EMERGENCY).speech.part_two
    assert two.shortcomings[-1].text == "新业态新领域的安全监管还有盲区，相关制度跟不上发展"
    assert two.transition.startswith("对于这些问题，我们必须直面正视")
    assert two.shortcomings_intro.endswith("工作中还有一些明显短板：")


def test_a_measure_lead_followed_by_a_space_keeps_its_full_stop_and_drops_the_space():
    measure = parse_text(EMERGENCY).speech.part_two.measures[0]
    assert measure.lead == "要在源头治理上下更大功夫。"
    assert measure.body.startswith("把专项整治中行之有效的做法")


# -- messy input ------------------------------------------------------------------------


MESSY = {
    "crlf": lambda text: text.replace("\n", "\r\n"),
    "cr": lambda text: text.replace("\n", "\r"),
    "blank_lines": lambda text: text.replace("\n", "\n\n \n"),
    "ideographic_space_indent": lambda text: "\n".join(
        "\u3000\u3000" + line for line in text.split("\n")
    ),
    "tab_indent": lambda text: "\n".join("\t" + line for line in text.split("\n")),
    "trailing_spaces": lambda text: "\n".join(line + "  \u3000 " for line in text.split("\n")),
    "bom": lambda text: "\ufeff" + text,
    "everything": lambda text: (
        "\ufeff\r\n" + "\r\n\r\n".join("\u3000\t" + line + " " for line in text.split("\n"))
    ),
}


@pytest.mark.parametrize("mess", MESSY.values(), ids=MESSY.keys())
@pytest.mark.parametrize("text", [EMERGENCY, FARMLAND], ids=["emergency", "farmland"])
def test_messy_input_parses_like_clean_input(text, mess):
    clean = parse_text(text)
    messy = parse_text(mess(text))
    assert to_document(messy.speech) == to_document(clean.speech)
    assert messy.findings == []


def test_a_title_over_two_lines_keeps_its_break():
    speech = parse_text("在某会议上\n的讲话\n同志们：\n开场。\n一、标题").speech
    assert speech.title == "在某会议上\n的讲话"


def test_a_soft_line_break_in_the_title_is_kept_and_one_mid_sentence_is_joined():
    result = parse_paragraphs(
        [
            "在某会议上\n的讲话",
            "同志们：",
            "今天开会，\n回顾工作。\n下面讲两点。",
            "一、第一部分",
        ]
    )
    assert result.speech.title == "在某会议上\n的讲话"
    assert result.speech.opening == "今天开会，回顾工作。\n下面讲两点。"


# -- findings ---------------------------------------------------------------------------


def test_a_gap_and_a_duplicate_in_the_numbering_become_findings_and_are_renumbered():
    text = FARMLAND.replace("（三）工程质量", "（四）工程质量").replace(
        "三是健全机制", "二是健全机制"
    )
    result = parse_text(text)
    assert counts(result.speech) == (12, 4, 4, 4)
    found = messages(result)
    # One finding per defect: the items after a slip are numbered on from it.
    assert found == [
        "成绩编号不连续：“（二）”之后是“（四）”，中间缺少“（三）”，已按顺序重新编号。",
        "成绩编号重复：“（四）”之后又是“（四）”，已按顺序重新编号。",
        "整改措施编号重复：“二是”之后又是“二是”，已按顺序重新编号。",
        "整改措施编号不连续：“二是”之后是“四是”，中间缺少“三是”，已按顺序重新编号。",
    ]
    assert exported_paragraphs(result.speech) == source_paragraphs(FARMLAND)


def test_a_gap_in_the_inline_lessons_is_a_finding():
    text = EMERGENCY.replace("三是抓安全必须抓基层", "四是抓安全必须抓基层")
    result = parse_text(text)
    assert len(result.speech.part_one.lessons) == 3
    assert any("启示编号不连续" in m for m in messages(result))


def test_text_with_no_structure_goes_whole_into_the_opening_with_a_finding():
    text = "这是一段随手写下的话。\n没有称谓，也没有标题。\n\n第三行。"
    result = parse_text(text)
    assert result.speech.opening == "这是一段随手写下的话。\n没有称谓，也没有标题。\n第三行。"
    assert result.speech.title == ""
    assert any("没有识别出讲话的结构" in m for m in messages(result))


def test_a_salutation_without_headings_keeps_the_title_and_puts_the_rest_in_the_opening():
    result = parse_text("关于工作的讲话\n同志们：\n第一段。\n第二段。")
    assert result.speech.title == "关于工作的讲话"
    assert result.speech.opening == "第一段。\n第二段。"
    assert any("没有识别出讲话的结构" in m for m in messages(result))


def test_a_speech_without_salutation_still_finds_its_title_and_parts():
    text = EMERGENCY.replace("同志们：\n", "")
    result = parse_text(text)
    assert result.speech.salutation == ""
    assert result.speech.title.startswith("在市应急管理局")
    assert counts(result.speech) == (5, 3, 3, 3)
    assert any("没有找到称谓" in m for m in messages(result))


def test_a_salutation_on_the_opening_line_is_split_off():
    result = parse_text("标题\n同志们：今天开会。\n一、第一部分")
    assert result.speech.salutation == "同志们："
    assert result.speech.opening == "今天开会。"
    assert any("称谓和开场白写在同一段" in m for m in messages(result))


def test_a_third_part_of_items_becomes_the_measures_with_its_heading_in_the_transition():
    text = (
        "标题的讲话\n同志们：\n开场。\n一、成绩\n（一）甲。正文。\n经验：一是要甲。二是要乙。\n"
        "二、问题\n主要问题：一是问题甲；二是问题乙。\n三、下一步\n一是措施甲。正文。\n二是措施乙。正文。\n"
        "同志们，努力。"
    )
    result = parse_text(text)
    two = result.speech.part_two
    assert two.transition == "三、下一步"
    assert [m.lead for m in two.measures] == ["措施甲。", "措施乙。"]
    assert result.speech.closing == "同志们，努力。"
    assert any("第三部分" in m for m in messages(result))
    assert any("导出时接在不足之后" in m for m in messages(result))
    # The transition is part of the shortcomings paragraph (speech-structure.md #13).
    expected = source_paragraphs(text)
    expected[7:9] = [expected[7] + expected[8]]
    assert exported_paragraphs(result.speech) == expected


def test_a_third_part_after_the_measures_goes_verbatim_before_the_closing():
    text = EMERGENCY.replace(
        "同志们，安全生产", "三、加强组织领导\n各单位要把责任扛起来。\n同志们，安全生产"
    )
    result = parse_text(text)
    assert result.speech.closing.startswith("三、加强组织领导\n各单位要把责任扛起来。\n同志们，")
    assert len(result.speech.part_two.measures) == 3
    assert any("第三部分已原样放入结束语" in m for m in messages(result))
    assert exported_paragraphs(result.speech) == source_paragraphs(text)


def test_an_unnumbered_paragraph_after_a_measure_joins_its_body_and_is_named():
    text = EMERGENCY.replace(
        "做到管行业必须管安全、管业务必须管安全。", "做到管行业必须管安全。\n各区要同步落实。"
    )
    result = parse_text(text)
    assert result.speech.part_two.measures[-1].body.endswith("管行业必须管安全。\n各区要同步落实。")
    assert any("已并入措施三是的正文" in m for m in messages(result))


def test_a_paragraph_after_the_lessons_is_kept_in_the_last_lesson_and_named():
    text = EMERGENCY.replace("防线才会牢固。\n", "防线才会牢固。\n这一段不知道放在哪里。\n")
    result = parse_text(text)
    assert result.speech.part_one.lessons[-1].text.endswith("防线才会牢固。\n这一段不知道放在哪里")
    assert any("无法归类" in m for m in messages(result))


def test_lessons_written_as_separate_paragraphs_are_joined_into_the_lessons():
    text = FARMLAND.replace("深刻认识到：一是", "深刻认识到：\n一是")
    for ordinal in "二三四":
        text = text.replace(f"。{ordinal}是必须坚持", f"。\n{ordinal}是必须坚持")
    result = parse_text(text)
    one = result.speech.part_one
    assert one.lessons_intro == "一年的实践让我们深刻认识到："
    assert [lesson.text for lesson in one.lessons][1] == "必须坚持质量第一，工程质量是农田的生命"
    assert len(one.achievements) == 12
    assert any("启示原为分段书写" in m for m in messages(result))
    assert exported_paragraphs(result.speech) == source_paragraphs(FARMLAND)


def test_measures_numbered_like_achievements_in_part_two_are_measures_with_a_finding():
    text = EMERGENCY.replace("一是要在源头", "（一）要在源头").replace(
        "二是要在队伍", "（二）要在队伍"
    )
    result = parse_text(text)
    assert len(result.speech.part_two.measures) == 3
    assert any("已作为整改措施" in m for m in messages(result))


def test_a_lead_without_a_full_stop_is_named_and_the_next_paragraph_is_its_body():
    text = "标题的讲话\n同志们：\n开场。\n一、成绩\n（一）在学习上发力\n坚持学习。\n二、问题"
    result = parse_text(text)
    item = result.speech.part_one.achievements[0]
    assert (item.lead, item.body) == ("在学习上发力", "坚持学习。")
    assert any("领句没有句末标点" in m for m in messages(result))


def test_a_missing_closing_is_a_finding():
    text = EMERGENCY[: EMERGENCY.index("同志们，安全生产")]
    result = parse_text(text)
    assert result.speech.closing == ""
    assert len(result.speech.part_two.measures) == 3
    assert any("没有找到结束语" in m for m in messages(result))


def test_findings_say_where_they_are():
    text = FARMLAND.replace("（三）工程质量", "（四）工程质量")
    finding = next(f for f in parse_text(text).findings if "成绩编号" in f.message)
    assert finding.where == "第9段"
    assert parse_text(text).paragraphs[finding.paragraph].startswith("（四）工程质量")


# -- small pieces -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("paragraph", "kind"),
    [
        ("一、标题", "heading"),
        ("十十是一个笔误", "text"),
        ("零、不是标题", "text"),
        ("十一、标题", "heading"),
        ("（十一）成绩。", "achievement"),
        ("(三)成绩。", "achievement"),
        ("四是措施。", "ordinal"),
        ("统一是关键。", "text"),
        ("同志们：", "text"),
        # The editor's strip_typed_number reads labels the same way (numbering.opening_label).
        ("一、二季度经济运行平稳。", "text"),
        ("一是一，二是二，不含糊。", "text"),
    ],
)
def test_kind_of_reads_the_opening_label(paragraph, kind):
    assert kind_of(paragraph) == kind


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("要加强。正文。", ("要加强。", "正文。")),
        ("要加强！ 正文", ("要加强！", "正文")),
        ("要守住“底线。”正文", ("要守住“底线。”", "正文")),
        ("没有句号", ("没有句号", "")),
    ],
)
def test_split_lead_ends_the_lead_at_the_first_sentence_stop(text, expected):
    assert split_lead(text) == expected


@pytest.mark.parametrize(
    ("numeral", "value"), [("一", 1), ("十", 10), ("十一", 11), ("二十", 20), ("两", 2)]
)
def test_chinese_number(numeral, value):
    assert chinese_number(numeral) == value


def test_a_chinese_date_line_is_read_as_the_date():
    speech = parse_text("关于工作的讲话\n（二〇二六年十一月二十七日）\n同志们：\n一、甲").speech
    assert speech.date == datetime.date(2026, 11, 27)
    assert speech.title == "关于工作的讲话"


def test_an_impossible_date_stays_in_the_title_with_a_finding():
    result = parse_text("关于工作的讲话\n（2026年2月30日）\n同志们：\n一、甲")
    assert result.speech.date is None
    assert result.speech.title == "关于工作的讲话\n（2026年2月30日）"
    assert any("不是有效的日期" in m for m in messages(result))


# -- properties -------------------------------------------------------------------------

WORDS = [
    "工作", "推进", "落实", "加强", "组织", "学习", "干部", "群众", "服务", "发展", "质量",
    "制度", "建设", "安全", "农田", "数据", "基层", "责任", "机制", "创新", "监督", "整改",
    "成效", "任务", "队伍", "作风", "能力", "水平", "XX", "X项",
]  # fmt: skip
clause = st.lists(st.sampled_from(WORDS), min_size=2, max_size=6).map("".join)
phrase = st.lists(clause, min_size=1, max_size=3).map("，".join)
sentence = phrase.map(lambda text: text + "。")
sentences = st.lists(sentence, min_size=1, max_size=3).map("".join)
maybe = lambda strategy: st.one_of(st.just(""), strategy)  # noqa: E731


@st.composite
def speeches(draw):
    title_lines = draw(st.lists(clause, min_size=1, max_size=2))
    title_lines[-1] += "会议上的讲话"
    return Speech(
        title="\n".join(title_lines),
        speaker=draw(maybe(clause.map(lambda name: "局长 " + name))),
        date=draw(
            st.one_of(st.none(), st.dates(datetime.date(2000, 1, 1), datetime.date(2099, 12, 31)))
        ),
        salutation=draw(st.sampled_from(["同志们：", "各位领导、同志们：", "同志们、朋友们："])),
        opening=draw(maybe(st.lists(sentences, min_size=1, max_size=2).map("\n".join))),
        part_one=PartOne(
            heading=draw(phrase),
            intro=draw(maybe(sentences)),
            achievements=draw(
                st.lists(st.builds(LeadItem, sentence, maybe(sentences)), min_size=1, max_size=13)
            ),
            lessons_intro=draw(maybe(phrase.map(lambda text: text + "："))),
            lessons=draw(st.lists(st.builds(InlineItem, phrase), min_size=1, max_size=5)),
        ),
        part_two=PartTwo(
            heading=draw(phrase),
            shortcomings_intro=draw(phrase.map(lambda text: text + "：")),
            shortcomings=draw(st.lists(st.builds(InlineItem, phrase), min_size=1, max_size=5)),
            transition=draw(maybe(sentences)),
            measures=draw(
                st.lists(st.builds(LeadItem, sentence, maybe(sentences)), min_size=1, max_size=12)
            ),
        ),
        closing=draw(sentences.map(lambda text: "同志们，" + text)),
    )


@settings(max_examples=200, deadline=None)
@given(speeches())
def test_exported_text_parses_back_to_the_same_document(speech):
    result = parse_text(plain_text(assemble(speech)))
    assert to_document(result.speech) == to_document(speech)


LABELS = re.compile(
    r"[一二三四五六七八九十]+是|[（(][一二三四五六七八九十]+[）)]|^[一二三四五六七八九十]+、"
)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(EMERGENCY.splitlines() + FARMLAND.splitlines()), max_size=30))
def test_nothing_is_lost_whatever_the_order_of_the_paragraphs(lines):
    exported = squeeze(plain_text(assemble(parse_paragraphs(lines).speech)))
    for line in lines:
        for fragment in re.split(r"[。；：]", LABELS.sub("。", squeeze(line))):
            assert fragment in exported


def test_a_long_heading_running_on_into_text_is_split_after_its_first_sentence():
    text = "讲话\n同志们：\n一、关于今年的工作。今年以来，我们围绕中心、服务大局，扎实推进各项工作，取得了明显成效，得到了上级的充分肯定。\n二、问题"
    result = parse_text(text)
    assert result.speech.part_one.heading == "关于今年的工作。"
    assert result.speech.part_one.intro.startswith("今年以来")
    assert any("一级标题和正文写在同一段" in m for m in messages(result))


def test_many_lines_before_the_salutation_are_kept_in_the_title_and_named():
    result = parse_text("内部资料\n第12期\n市某局办公室\n关于工作的讲话\n同志们：\n一、甲")
    assert result.speech.title == "内部资料\n第12期\n市某局办公室\n关于工作的讲话"
    assert any("称谓之前有 4 行" in m for m in messages(result))


TOKENS = ["甲", "乙丙", "丁", "一、", "二、", "三、", "（一）", "（十一）", "(二)", "一是", "二是", "十十是",
          "四是", "零是", "零、", "同志们：", "同志们，", "：", "。", "；", "，", "”", " ", "\u3000", "\n", "\r\n", "\t",
          "（2026年2月3日）", "（二〇二六年十一月二十七日）", "讲话", "各位领导、"]  # fmt: skip


line_of_tokens = st.lists(st.sampled_from(TOKENS), max_size=8).map("".join)


@settings(max_examples=500, deadline=None)
@given(st.lists(line_of_tokens, max_size=20).map("\n".join))
def test_any_text_parses_and_keeps_every_character_of_its_words(text):
    speech = parse_text(text).speech
    exported = plain_text(assemble(speech))
    for char in "甲乙丙丁":
        assert exported.count(char) == text.count(char)


INLINE_MEASURES_BEFORE = (
    "关于做好年度工作的讲话\n同志们：\n今天开会。\n一、工作成效\n一年来成效明显。\n"
    "（一）统筹推进有力。各项任务完成。\n体会：一是要坚持统筹；二是要狠抓落实。\n"
    "二、存在不足\n不足在于：一是统筹不够；二是落实偏软。\n"
)


@pytest.mark.parametrize(
    "measures",
    [
        "下一步要重点抓好以下工作：一是加强领导。要压实责任。二是完善制度。三是强化督查。\n",
        "下一步要重点抓好以下工作：\n一是加强领导。要压实责任。二是完善制度。三是强化督查。\n",
    ],
    ids=["lead_in_and_measures_in_one_paragraph", "measures_in_one_paragraph"],
)
def test_measures_written_in_one_paragraph_are_each_a_measure(measures):
    result = parse_text(INLINE_MEASURES_BEFORE + measures + "同志们，结束。\n")
    two = result.speech.part_two
    assert two.transition == "下一步要重点抓好以下工作："
    assert [(m.lead, m.body) for m in two.measures] == [
        ("加强领导。", "要压实责任。"),
        ("完善制度。", ""),
        ("强化督查。", ""),
    ]
    assert any("分成 3 条" in finding.message for finding in result.findings)


def test_an_enumeration_inside_a_measure_followed_by_measures_stays_in_its_body():
    text = (
        INLINE_MEASURES_BEFORE
        + "对此要高度重视。\n一是加强领导。要做到：一是定期开会；二是明确分工。\n二是完善制度。\n"
        + "同志们，结束。\n"
    )
    measures = parse_text(text).speech.part_two.measures
    assert [m.lead for m in measures] == ["加强领导。", "完善制度。"]
    assert measures[0].body == "要做到：一是定期开会；二是明确分工。"
