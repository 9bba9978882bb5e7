import datetime

import pytest

from drafts.assembly import (
    BODY,
    HEADING,
    ITEM,
    LEAD,
    SUBTITLE,
    TITLE,
    assemble,
    finish_lead,
    join_inline,
    plain_text,
)
from drafts.demo import demo_speech
from drafts.structure import InlineItem, LeadItem, PartOne, PartTwo, Speech
from tests.factories import sample_structure


def texts(speech):
    return [p.text for p in assemble(speech)]


def test_demo_speech_assembles_into_its_paragraphs_in_order():
    paragraphs = assemble(demo_speech())
    assert [p.role for p in paragraphs][:5] == [TITLE, "speaker", "date", "salutation", BODY]
    assert paragraphs[0].text == "在市统计局“数据质量提升年”活动\n总结大会上的讲话"
    assert paragraphs[2].text == "（2026年12月18日）"
    headings = [p.text for p in paragraphs if p.role == HEADING]
    assert headings == [
        "一、回顾全年工作，数据质量提升活动取得明显成效",
        "二、正视差距不足，推动数据质量再上新台阶",
    ]
    # title, speaker, date, salutation, opening, heading, intro, 4 achievements, lessons,
    # heading, shortcomings, 3 measures, closing
    assert len(paragraphs) == 18


def test_achievement_paragraph_has_a_numbered_lead_run_then_the_body():
    speech = sample_structure(achievements=2)
    paragraph = next(p for p in assemble(speech) if p.anchor == "part_one.achievements.1")
    assert paragraph.runs[0].role == LEAD
    assert paragraph.runs[0].text == "（二）第2方面工作有新进展。"
    assert paragraph.runs[1].text == "这是第2项成绩的正文，共办理XX事项X件。"


def test_lessons_join_in_one_paragraph_each_ending_with_a_full_stop():
    speech = Speech(
        part_one=PartOne(
            lessons_intro="我们体会到：",
            lessons=[InlineItem("要甲"), InlineItem("要乙。"), InlineItem("要丙；")],
        )
    )
    assert texts(speech)[-1] == "我们体会到：一是要甲。二是要乙。三是要丙。"


def test_shortcomings_join_with_semicolons_the_last_with_a_full_stop_then_the_transition():
    speech = Speech(
        part_two=PartTwo(
            shortcomings_intro="主要是：",
            shortcomings=[InlineItem("甲。"), InlineItem("乙"), InlineItem("丙；")],
            transition="下一步要改进。",
        )
    )
    assert texts(speech)[-1] == "主要是：一是甲；二是乙；三是丙。下一步要改进。"


def test_measures_are_numbered_ordinals_with_their_lead_sentence():
    speech = Speech(part_two=PartTwo(measures=[LeadItem("要加力", "正文。")] * 12))
    paragraphs = [p for p in assemble(speech) if p.anchor.startswith("part_two.measures")]
    assert paragraphs[11].runs[0].text == "十二是要加力。"
    assert paragraphs[11].runs[1].text == "正文。"


def test_items_past_ten_are_numbered_in_chinese():
    speech = sample_structure(achievements=12)
    leads = [p.runs[0].text for p in assemble(speech) if ".achievements." in p.anchor]
    assert leads[9].startswith("（十）")
    assert leads[10].startswith("（十一）")
    assert leads[11].startswith("（十二）")


@pytest.mark.parametrize(
    ("lead", "finished"),
    [
        ("在学习上发力", "在学习上发力。"),
        ("要做到：", "要做到："),
        ("之“钙”", "之“钙”。"),
        ("", ""),
    ],
)
def test_lead_sentence_gets_a_full_stop_only_when_it_has_none(lead, finished):
    assert finish_lead(lead) == finished


def test_question_mark_ends_an_inline_item_without_another_joiner():
    assert (
        join_inline([InlineItem("为什么？"), InlineItem("乙")], "；", "。")
        == "一是为什么？二是乙。"
    )


def test_empty_fields_give_no_paragraph_and_title_lines_are_trimmed():
    speech = Speech(title="  上行 \n\n 下行 ", salutation="", date=None)
    assert texts(speech) == ["上行\n下行"]


def test_speaker_and_date_lines_come_after_the_title():
    speech = Speech(title="标题", speaker="张三", date=datetime.date(2026, 1, 5), salutation="")
    assert texts(speech) == ["标题", "张三", "（2026年1月5日）"]


def test_plain_text_is_one_paragraph_a_line_with_the_title_break_kept():
    text = plain_text(
        assemble(sample_structure(achievements=1, lessons=1, shortcomings=1, measures=1))
    )
    lines = text.splitlines()
    assert lines[:3] == ["在测试局年度工作", "总结会议上的讲话", "同志们："]
    assert lines[-1] == "同志们，让我们共同努力，完成好全年任务。"
    assert text.endswith("\n")


def test_item_paragraphs_carry_the_stable_item_id():
    speech = Speech(part_one=PartOne(achievements=[LeadItem("甲", "乙", id="abc")]))
    assert assemble(speech)[-1].item_id == "abc"


def test_paragraphs_name_the_units_they_are_made_of():
    speech = Speech(
        title="题",
        part_one=PartOne(
            lessons_intro="体会：", lessons=[InlineItem("甲", id="a"), InlineItem("乙", id="b")]
        ),
        part_two=PartTwo(shortcomings=[InlineItem("丙", id="c")], transition="过渡。"),
    )
    sources = {p.anchor: p.sources for p in assemble(speech)}
    assert sources["title"] == ("header",)
    assert sources["part_one.lessons"] == ("part_one.lessons_intro", "item:a", "item:b")
    assert sources["part_two.shortcomings"] == (
        "part_two.shortcomings_intro",
        "item:c",
        "part_two.transition",
    )


def test_items_not_yet_written_are_left_out_and_take_no_number():
    speech = Speech(
        part_one=PartOne(
            achievements=[LeadItem("", " "), LeadItem("甲。", "正文")],
            lessons_intro="体会：",
            lessons=[InlineItem(""), InlineItem("乙")],
        ),
        part_two=PartTwo(shortcomings=[InlineItem(" ")], measures=[LeadItem(), LeadItem()]),
        salutation="",
    )
    assert texts(speech) == ["（一）甲。正文", "体会：一是乙。"]


def test_a_blank_skeleton_reads_as_nothing_but_its_salutation():
    from drafts.structure import blank_speech

    assert texts(blank_speech()) == ["同志们："]


# Several paragraphs in one stored text: "\n" separates them (models.plain() stores a
# typed or imported line break as "\n"); each is a paragraph of its own, with its indent.


def test_a_text_of_several_paragraphs_gives_one_paragraph_each():
    speech = Speech(opening="开场第一段。\n\n  开场第二段。 \n开场第三段。", closing="结束。")
    paragraphs = [p for p in assemble(speech) if p.anchor == "opening"]
    assert [p.text for p in paragraphs] == ["开场第一段。", "开场第二段。", "开场第三段。"]
    assert [p.role for p in paragraphs] == [BODY, BODY, BODY]
    assert [p.index for p in paragraphs] == [0, 1, 2]
    # The unit's comments and links hang on its first paragraph (pages.preview_context).
    assert {p.sources for p in paragraphs} == {("opening",)}


def test_an_item_body_of_several_paragraphs_continues_after_its_lead_paragraph():
    speech = Speech(
        part_one=PartOne(achievements=[LeadItem("在学习上发力", "第一段。\n第二段。", id="x")])
    )
    first, second = assemble(speech)[-2:]
    assert (first.role, second.role) == (ITEM, BODY)
    assert [(r.text, r.role) for r in first.runs] == [
        ("（一）在学习上发力。", LEAD),
        ("第一段。", "text"),
    ]
    assert [(r.text, r.role) for r in second.runs] == [("第二段。", "text")]
    assert (second.anchor, second.item_id, second.index) == (first.anchor, "x", 1)


def test_a_break_inside_an_inline_item_starts_a_new_paragraph_of_the_joined_text():
    speech = Speech(
        part_one=PartOne(lessons_intro="体会：", lessons=[InlineItem("甲\n乙"), InlineItem("丙")])
    )
    assert texts(speech)[-2:] == ["体会：一是甲", "乙。二是丙。"]


def test_plain_text_gives_each_paragraph_of_a_text_its_own_line():
    speech = Speech(title="题", opening="一段。\n二段。", salutation="")
    assert plain_text(assemble(speech)) == "题\n一段。\n二段。\n"


# The title: the drafter's line breaks (回行) stay inside the title paragraph; a line
# that starts with a dash is the subtitle, a paragraph of its own.


@pytest.mark.parametrize("dash", ["——", "—", "--"])
def test_a_dash_line_under_the_title_is_its_own_subtitle_paragraph(dash):
    speech = Speech(
        title=f"凝心聚力抓落实\n真抓实干开新局\n{dash}在全区年度工作会议上的讲话", salutation=""
    )
    paragraphs = assemble(speech)
    assert [(p.role, p.text) for p in paragraphs] == [
        (TITLE, "凝心聚力抓落实\n真抓实干开新局"),
        (SUBTITLE, f"{dash}在全区年度工作会议上的讲话"),
    ]
    assert paragraphs[1].anchor == "title" and paragraphs[1].sources == ("header",)


def test_a_title_that_starts_with_a_dash_is_still_the_title():
    assert [p.role for p in assemble(Speech(title="——标题", salutation=""))] == [TITLE]


def test_an_achievement_opens_an_item_paragraph_and_a_measure_a_body_one():
    speech = sample_structure(achievements=1, measures=1)
    roles = {p.anchor: p.role for p in assemble(speech)}
    assert roles["part_one.achievements.0"] == ITEM
    assert roles["part_two.measures.0"] == BODY
