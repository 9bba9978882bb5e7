"""The proofreading rules, each with a table of wrong texts (what it flags, and the fix)
and right texts (what it must leave alone). Plain data, no database."""

import dataclasses

import pytest

from drafts import proofreading as proof
from drafts.proofreading import (
    BEFORE_DATE,
    ERROR,
    SUGGESTION,
    Finding,
    WordingEntry,
    check_field,
    check_speech,
    check_text,
)
from drafts.structure import InlineItem, LeadItem, PartOne, PartTwo, Speech, TextField, text_fields
from tests.factories import sample_structure


def found(text, code=None, wording=()):
    """(flagged text, suggestion) of each finding of ``code`` (all codes if None)."""
    return [
        (f.text, f.suggestion) for f in check_text(text, wording) if code is None or f.code == code
    ]


def codes(text, wording=()):
    return [f.code for f in check_text(text, wording)]


# --- Punctuation


@pytest.mark.parametrize(
    "text, expected",
    [
        ("完成任务,提高质量", [(",", "，")]),
        ("主要表现在:一是", [(":", "：")]),
        ("工作落实了吗?", [("?", "？")]),
        ("各项任务完成;下一步", [(";", "；")]),
        ("坚决完成任务!", [("!", "！")]),
        ("成立领导小组(办公室设在局办)", [("(", "（"), (")", "）")]),
        ("生产总值(GDP)增长", [("(", "（"), (")", "）")]),
        ('开展"回头看"工作', [('"', "“"), ('"', "”")]),
        ("称为'钙'的东西", [("'", "‘"), ("'", "’")]),
        ("召开X次会议,研究部署", [(",", "，")]),
        ("共有X项,其中", [(",", "，")]),
        ("共3,其中", [(",", "，")]),
        ("工作全部完成.", [(".", None)]),
    ],
)
def test_half_width_marks_in_chinese_text_are_flagged(text, expected):
    assert found(text, proof.HALFWIDTH_PUNCTUATION) == expected


@pytest.mark.parametrize(
    "text",
    [
        "增长2.3%，比上年提高0.5个百分点",
        "上午10:30开会",
        "用Excel, Word和WPS汇总",
        "1.加强组织领导",
        "版本v2.1发布",
        "网址www.gov.cn",
        "他说：“好。”",
    ],
)
def test_half_width_marks_in_latin_text_and_numbers_are_not_flagged(text):
    assert found(text, proof.HALFWIDTH_PUNCTUATION) == []


@pytest.mark.parametrize(
    "text, code, expected",
    [
        ("任务完成了。。下一步", proof.DOUBLED_PUNCTUATION, [("。。", "。")]),
        ("市委，，市政府", proof.DOUBLED_PUNCTUATION, [("，，", "，")]),
        ("市委、、市政府", proof.DOUBLED_PUNCTUATION, [("、、", "、")]),
        ("任务完成，。下一步", proof.CLASHING_PUNCTUATION, [("，。", None)]),
        ("一是抓学习；。二是", proof.CLASHING_PUNCTUATION, [("；。", None)]),
        ("主要是：，一是", proof.CLASHING_PUNCTUATION, [("：，", None)]),
    ],
)
def test_doubled_and_clashing_marks_are_flagged(text, code, expected):
    assert found(text, code) == expected


@pytest.mark.parametrize(
    "text",
    ["难道不该反思吗？！", "“四个意识”、“四个自信”", "（2026年）。", "他说：“好。”", "……。"],
)
def test_marks_that_may_stand_together_are_not_flagged(text):
    assert found(text, proof.DOUBLED_PUNCTUATION) + found(text, proof.CLASHING_PUNCTUATION) == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("学习《条例》和“两个维护", ["“"]),
        ("学习《条例和“两个维护”", ["《"]),
        ("做到“两个维护””", ["”"]),
        ("成立领导小组（办公室设在局办", ["（"]),
        ("设在局办）", ["）"]),
        ("【重点】任务】", ["】"]),
        ("常补之‘钙", ["‘"]),
        ("“学习《条例”》", ["《", "》"]),
    ],
)
def test_unpaired_marks_are_flagged(text, expected):
    assert [t for t, _ in found(text, proof.UNPAIRED_MARK)] == expected


@pytest.mark.parametrize(
    "text",
    [
        "学习《中国共产党纪律处分条例》",
        "把“改”字贯穿始终，做到“一岗双责”",
        "他说：“要记住‘四个到位’。”",
        "（一）在学习上发力。",
        "【重点】（2026年）",
        "第一行有“引号”\n第二行有“引号”",
    ],
)
def test_paired_marks_are_not_flagged(text):
    assert found(text, proof.UNPAIRED_MARK) == []


def test_a_pair_is_looked_for_within_a_paragraph_not_across_lines():
    assert [f.offset for f in check_text("开启“引号\n关闭”引号") if f.code == "unpaired-mark"] == [
        2,
        8,
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("学习、研究、落实...", [("...", "……")]),
        ("学习、研究。。。", [("。。。", "……")]),
        ("学习、研究…", [("…", "……")]),
        ("学习、研究………", [("………", "……")]),
        ("学习、研究．．．", [("．．．", "……")]),
    ],
)
def test_ellipses_not_written_as_two_ellipsis_characters_are_flagged(text, expected):
    assert found(text, proof.ELLIPSIS) == expected


@pytest.mark.parametrize("text", ["学习、研究……", "整段省略…………", "see p. 3...", "增长2.3%"])
def test_proper_ellipses_and_latin_dots_are_not_flagged(text):
    assert found(text, proof.ELLIPSIS) == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("--在全市大会上的讲话", [("--", "——")]),
        ("主题教育--这是大事", [("--", "——")]),
        ("主题教育－－这是大事", [("－－", "——")]),
        ("主题教育—-这是大事", [("—-", "——")]),
    ],
)
def test_dashes_written_with_hyphens_are_flagged(text, expected):
    assert found(text, proof.DASH) == expected


@pytest.mark.parametrize("text", ["——在全市大会上的讲话", "北京—上海", "3-5万亩", "a--b"])
def test_proper_dashes_are_not_flagged(text):
    assert found(text, proof.DASH) == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("加强 学习", [(" ", "")]),
        ("加强\u3000\u3000学习", [("\u3000\u3000", "")]),
        ("加强学习 。", [(" ", "")]),
        ("“ 两个维护”", [(" ", "")]),
    ],
)
def test_spaces_between_chinese_characters_are_flagged(text, expected):
    assert found(text, proof.SPACE_BETWEEN_CHINESE) == expected


@pytest.mark.parametrize(
    "text", ["使用 Excel 表格", "之“钙”。 坚持把学习", "增长 2.3%", "加强学习"]
)
def test_spaces_next_to_latin_or_after_a_full_stop_are_not_flagged(text):
    assert found(text, proof.SPACE_BETWEEN_CHINESE) == []


def test_the_speakers_line_may_space_a_title_from_a_name():
    speaker = TextField("header", "speaker", "讲话人", "局长 王某某")
    title = TextField("header", "title", "标题", "在工作 会议上的讲话")
    assert [f.code for f in check_field(speaker)] == [proof.PLACEHOLDER]
    assert [f.code for f in check_field(title)] == [proof.SPACE_BETWEEN_CHINESE]


# --- Numbers


@pytest.mark.parametrize(
    "text, expected",
    [
        ("完成２０２６年任务", [("２０２６", "2026")]),
        ("增长３．５个百分点", [("３．５", "3.5")]),
        ("共１项", [("１", "1")]),
    ],
)
def test_full_width_digits_are_flagged(text, expected):
    assert found(text, proof.FULLWIDTH_DIGITS) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("26年3月召开会议", [("26年", "2026年")]),
        ("确保25年底前完成", [("25年", "2025年")]),
        ("26年上半年", [("26年", "2026年")]),
        ("26年一季度", [("26年", "2026年")]),
        ("26年度考核", [("26年", "2026年")]),
        ("98年3月", [("98年", "1998年")]),
        ("于25年建成", [("25年", "2025年")]),
        ("从26年起", [("26年", "2026年")]),
        ("截至25年，累计完成", [("25年", "2025年")]),
        ("26年全年", [("26年", "2026年")]),
        ("26年是全县攻坚之年。", [("26年", "2026年")]),
        ("任务很重。25年，我们完成了改造", [("25年", "2025年")]),
        ("24年全县新建农田", [("24年", "2024年")]),
    ],
)
def test_years_written_short_are_flagged(text, expected):
    assert found(text, proof.SHORT_YEAR) == expected


@pytest.mark.parametrize(
    "text",
    [
        "近20年来",
        "工作了15年",
        "2026年3月",
        "改革开放40年",
        "90年代",
        "20年代",
        "从20年前说起",
        "到20年以后",
        "自80年代以来",
        "工龄达到20年",
        "相当于20年的工作量",
        "用了10年时间",
        "至20年的时候",
        "20年，弹指一挥间",
        "10年是一个周期",
        "连续15年是全省先进",
        "已经25年，我们一直坚持",
    ],
)
def test_spans_of_years_and_full_years_are_not_flagged(text):
    assert found(text, proof.SHORT_YEAR) == []


@pytest.mark.parametrize(
    "text, code, expected",
    [
        ("增长百分之2.3", proof.MIXED_NUMBER, [("百分之2.3", "2.3%")]),
        ("下降百分之15", proof.MIXED_NUMBER, [("百分之15", "15%")]),
        ("投入5千万元", proof.MIXED_NUMBER, [("5千", "5000")]),
        ("培训3百人次", proof.MIXED_NUMBER, [("3百", "300")]),
        ("二0二六年", proof.YEAR_ZERO, [("0", "〇")]),
        ("二○二六年", proof.YEAR_ZERO, [("○", "〇")]),
        ("二零二零年", proof.YEAR_ZERO, [("零", "〇"), ("零", "〇")]),
    ],
)
def test_numbers_mixing_two_systems_are_flagged(text, code, expected):
    assert found(text, code) == expected


@pytest.mark.parametrize(
    "text", ["增长2.3%", "百分之二十", "投入5000万元", "3千米", "5千克", "二〇二六年", "3.5亿元"]
)
def test_numbers_in_one_system_are_not_flagged(text):
    assert found(text, proof.MIXED_NUMBER) + found(text, proof.YEAR_ZERO) == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("新建3-5万亩", [("3-5万", "3万～5万")]),
        ("新建3万-5万亩", [("3万-5万", "3万～5万")]),
        ("培训3-5次", [("3-5", "3～5")]),
        ("提高3-5%", [("3-5%", "3%～5%")]),
        ("提高3%-5%", [("3%-5%", "3%～5%")]),
        ("新建3～5万亩", [("3～5万", "3万～5万")]),
        ("投入1.5~2亿元", [("1.5~2亿", "1.5亿～2亿")]),
        ("持续3—5天", [("3—5", "3～5")]),
        ("2024-2026年", [("2024-2026", "2024—2026")]),
        ("2024-2025学年", [("2024-2025", "2024—2025")]),
        ("1-2月", [("1-2", "1—2")]),
        ("3月1-5日", [("1-5", "1—5")]),
    ],
)
def test_ranges_written_with_a_hyphen_or_without_both_units_are_flagged(text, expected):
    assert found(text, proof.RANGE_MARK) + found(text, proof.RANGE_UNIT) == expected


@pytest.mark.parametrize(
    "text",
    [
        "新建3万～5万亩",
        "培训3～5次",
        "2024—2026年",
        "电话0571-88888888",
        "日期2026-03-01",
        "比分3-5",
        "G20-3号",
        "3%～5%",
        "提高3～5个百分点",
    ],
)
def test_proper_ranges_and_other_hyphens_are_not_flagged(text):
    assert found(text, proof.RANGE_MARK) + found(text, proof.RANGE_UNIT) == []


# --- Wording


@pytest.mark.parametrize(
    "text, expected",
    [
        ("这是我们的的责任", [("的的", "的")]),
        ("完成了了任务", [("了了", "了")]),
        ("一是是加强学习", [("是是", "是")]),
        ("我们们要", [("们们", "们")]),
        ("要推动推动工作", [("推动推动", "推动")]),
        ("高质量高质量发展", [("高质量高质量", "高质量")]),
        ("不忘初心不忘初心", [("不忘初心不忘初心", "不忘初心")]),
        ("在在全局推广", [("在在", "在")]),
        ("我们要要加强学习", [("要要", "要")]),
        ("对对存在的问题", [("对对", "对")]),
        ("有有一些单位", [("有有", "有")]),
        ("为为群众办实事", [("为为", "为")]),
    ],
)
def test_characters_and_words_typed_twice_are_flagged(text, expected):
    assert found(text, proof.REPEATED_CHARACTER) + found(text, proof.REPEATED_WORD) == expected


@pytest.mark.parametrize(
    "text",
    [
        "常常",
        "人人参与",
        "天天坚持",
        "看看效果",
        "研究研究再定",
        "一个个难题",
        "一项一项抓推进",
        "一个环节一个环节抠细节",
        "实实在在",
        "的的确确",
        "是是非非",
        "为了了解情况",
        "实现目的的手段",
        "现在在座的同志",
        "保持稳定和和谐",
        "二〇二〇年",
        "谆谆嘱托",
        "以钉钉子精神",
        "原原本本学习",
        "一级做给一级看",
        "工作作风",
        "检查查处",
        "某某某某",
        "等等",
        "广泛参与与监督",
        "关键是是否落实",
        "主要要求",
        "重要要求",
        "需要要素保障",
        "促进就就业",
        "成就就是",
        "针对对象",
        "面对对手",
        "一把把关",
        "随着着力点转移",
        "即将将来",
        "服从从严",
        "方向向好",
        "作为为民服务",
        "可以以此",
        "所以以往",
        "由于于是",
        "以及及时",
        "合并并购",
        "其中中央",
        "集中中心",
        "所有有关单位",
        "具有有效性",
        "国有有限公司",
        "讨论讨论",
        "我再强调强调",
    ],
)
def test_the_languages_own_repetition_is_not_flagged(text):
    assert found(text, proof.REPEATED_CHARACTER) + found(text, proof.REPEATED_WORD) == []


HOUSE = [
    ("做为", "作为"),
    WordingEntry("截止", "截至", BEFORE_DATE, note="“截至”后接时间。"),
    WordingEntry("帐", "账", exceptions=("帐篷", "蚊帐")),
    WordingEntry("其它", "其他", severity=SUGGESTION),
]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("做为牵头单位", [("做为", "作为")]),
        ("截止6月底", [("截止", "截至")]),
        ("截止2026年11月", [("截止", "截至")]),
        ("截止目前", [("截止", "截至")]),
        ("截止 X月", [("截止", "截至")]),
        ("建立台帐", [("帐", "账")]),
        ("其它工作", [("其它", "其他")]),
    ],
)
def test_house_wrong_forms_are_flagged_with_the_right_one(text, expected):
    assert found(text, proof.HOUSE_WORDING, HOUSE) == expected


@pytest.mark.parametrize(
    "text", ["作为牵头单位", "截止日期", "报名6月30日截止", "截至6月底", "搭建帐篷", "挂好蚊帐"]
)
def test_house_forms_in_their_right_place_are_not_flagged(text):
    assert found(text, proof.HOUSE_WORDING, HOUSE) == []


def test_house_entries_may_be_plain_tuples_and_carry_their_severity_and_note():
    findings = check_text(
        "截止目前，其它", [("截止", "截至", BEFORE_DATE, "", "后接时间。", ERROR), HOUSE[3]]
    )
    assert [(f.text, f.severity, f.message) for f in findings] == [
        ("截止", ERROR, "“截止”应为“截至”。后接时间。"),
        ("其它", SUGGESTION, "“其它”应为“其他”。"),
    ]


def test_exceptions_may_be_typed_as_one_string():
    assert found(
        "搭建帐篷，建立台帐", proof.HOUSE_WORDING, [("帐", "账", "always", "帐篷、蚊帐")]
    ) == [("帐", "账")]


def test_the_longest_wrong_form_wins_where_two_overlap():
    wording = [("截止", "截至", BEFORE_DATE), ("截止到", "截至", BEFORE_DATE)]
    assert found("截止到6月底", proof.HOUSE_WORDING, wording) == [("截止到", "截至")]


def test_placeholders_are_findings_too():
    assert found("召开X次会议，用Excel统计XX项，某某同志", proof.PLACEHOLDER) == [
        ("X", None),
        ("XX", None),
        ("某某", None),
    ]


# --- Rules of a kind of field

HEADING = ("part_one.heading", "heading", "第一部分 标题")
LEAD = ("item:a", "lead", "第一部分 成绩（一） 领句")
LESSON = ("item:b", "text", "第一部分 启示一是")
BODY = ("item:a", "body", "第一部分 成绩（一） 正文")
OPENING = ("opening", "opening", "开场白")
LEAD_IN = ("part_one.lessons_intro", "lessons_intro", "第一部分 启示引语")
SALUTATION = ("header", "salutation", "称谓")
TITLE = ("header", "title", "标题")


def field_found(where, text, code):
    field = TextField(*where, text)
    return [(f.offset, f.text, f.suggestion) for f in check_field(field) if f.code == code]


@pytest.mark.parametrize(
    "where, text, code, expected",
    [
        (HEADING, "工作取得成效。", proof.HEADING_END_MARK, [(6, "。", "")]),
        (HEADING, "工作取得成效；", proof.HEADING_END_MARK, [(6, "；", "")]),
        (TITLE, "在总结会议上的讲话。", proof.TITLE_END_MARK, [(9, "。", "")]),
        (TITLE, "在总结会议，\n上的讲话", proof.TITLE_END_MARK, [(5, "，", "")]),
        (LEAD, "在学习上发力，", proof.LEAD_END_MARK, [(6, "，", "。")]),
        (SALUTATION, "同志们，", proof.SALUTATION_END_MARK, [(3, "，", "：")]),
        (SALUTATION, "同志们", proof.SALUTATION_END_MARK, [(3, "", "：")]),
        (LEAD_IN, "我们有以下体会，", proof.LEAD_IN_END_MARK, [(7, "，", "：")]),
        (LEAD_IN, "我们有以下体会", proof.LEAD_IN_END_MARK, [(7, "", "：")]),
        (OPENING, "今天召开会议，", proof.PARAGRAPH_END_MARK, [(6, "，", "。")]),
        (OPENING, "今天召开会议", proof.PARAGRAPH_END_MARK, [(6, "", "。")]),
        (BODY, "完成X项任务", proof.PARAGRAPH_END_MARK, [(6, "", "。")]),
        (OPENING, "要求做到“两个维护”", proof.PARAGRAPH_END_MARK, [(10, "", "。")]),
    ],
)
def test_fields_ending_with_the_wrong_mark_are_flagged(where, text, code, expected):
    assert field_found(where, text, code) == expected


@pytest.mark.parametrize(
    "where, text",
    [
        (HEADING, "工作取得成效"),
        (HEADING, "成效从何而来？"),
        (TITLE, "在局机关主题教育\n总结会议上的讲话"),
        (LEAD, "在学习上发力"),  # the export adds its 。
        (LEAD, "在学习上发力。"),
        (LEAD, "夯实基层治理之“基”。"),
        (SALUTATION, "同志们："),
        (LEAD_IN, "我们有以下体会："),
        (LEAD_IN, "主要表现在。"),
        (OPENING, "今天召开会议。"),
        (OPENING, "下面，我讲三点意见："),
        (OPENING, "要求做到“两个维护”。"),
        (OPENING, "他问：“落实了吗？”"),
        (BODY, "第一段没有句号\n第二段才是最后一段。"),
        (LESSON, "必须坚持问题导向，"),  # the joiner replaces it
    ],
)
def test_fields_ending_as_they_should_are_not_flagged(where, text):
    field = TextField(*where, text)
    assert [f for f in check_field(field) if f.code.endswith("end-mark")] == []


@pytest.mark.parametrize(
    "where, text, expected",
    [
        (LEAD, "（一）在学习上发力。", "（一）"),
        (LEAD, "(三) 在学习上发力。", "(三) "),
        (LEAD, "一是在学习上发力。", "一是"),
        (LESSON, "二是必须坚持问题导向", "二是"),
        (HEADING, "一、工作取得成效", "一、"),
        (HEADING, "（二）工作取得成效", "（二）"),
        (LEAD, "1.在学习上发力。", "1."),
        (LEAD, "2、在学习上发力。", "2、"),
        (LESSON, "（3）必须坚持问题导向", "（3）"),
    ],
)
def test_numbers_typed_where_the_export_numbers_are_flagged(where, text, expected):
    assert field_found(where, text, proof.TYPED_NUMBER) == [(0, expected, "")]


@pytest.mark.parametrize(
    "where, text",
    [
        (LEAD, "一以贯之抓落实。"),
        (LESSON, "一是一，二是二，不搞变通"),
        (HEADING, "一、二季度工作回顾"),
        (HEADING, "十分重要的一年"),
        (LEAD, "2026年工作成效明显。"),
        (LEAD, "3.5万亩农田全部建成。"),
        (BODY, "（一）正文里的编号是正文的事"),
        (OPENING, "一是开场白里的列举"),
    ],
)
def test_words_that_look_like_numbers_and_numbers_in_free_text_are_not_flagged(where, text):
    assert field_found(where, text, proof.TYPED_NUMBER) == []


def test_what_a_lesson_types_before_its_joiner_is_not_checked():
    """The export replaces a lesson's own closing marks with its joiner."""
    field = TextField(*LESSON, "必须坚持问题导向。。")
    assert check_field(field) == []
    field = TextField(*LESSON, "必须坚持。。问题导向")
    assert [f.code for f in check_field(field)] == [proof.DOUBLED_PUNCTUATION]


# --- The whole speech


def test_a_good_speech_has_no_findings_but_its_placeholders():
    findings = check_speech(sample_structure(measures=4))
    assert {f.code for f in findings} == {proof.PLACEHOLDER}


def test_findings_name_the_field_by_its_address_and_label():
    speech = sample_structure()
    speech.part_one.achievements[2] = LeadItem(
        "第3方面工作有新进展。", "办理事项,效果好。", id="c3"
    )
    [finding] = [f for f in check_speech(speech) if f.code != proof.PLACEHOLDER]
    assert finding.anchor == "item:c3"
    assert finding.name == "body"
    assert finding.address == "item:c3/body"
    assert finding.label == "第一部分 成绩（三） 正文"
    assert finding.item_id == "c3"
    assert (finding.offset, finding.length, finding.text) == (4, 1, ",")
    assert speech.part_one.achievements[2].body[finding.offset : finding.end] == finding.text


def test_a_speech_without_stored_ids_is_addressed_by_position():
    speech = sample_structure()
    speech.part_two.shortcomings[1] = InlineItem("问题,还没有解决")
    [finding] = [f for f in check_speech(speech) if f.code != proof.PLACEHOLDER]
    assert finding.address == "part_two.shortcomings.1/text"
    assert finding.label == "第二部分 不足二是"


def test_findings_come_in_reading_order():
    speech = sample_structure(closing="同志们,加油。", opening="今天开会,回顾工作。")
    labels = [f.label for f in check_speech(speech) if f.code == proof.HALFWIDTH_PUNCTUATION]
    assert labels == ["开场白", "结束语"]


def test_only_keeps_the_findings_of_the_fields_asked_for():
    speech = sample_structure(closing="同志们,加油。", opening="今天开会,回顾工作。")
    findings = check_speech(speech, only={"closing/closing"})
    assert [(f.address, f.text) for f in findings] == [("closing/closing", ",")]


def test_check_field_on_a_field_of_the_speech_gives_what_check_speech_gives_for_it():
    speech = sample_structure(opening="今天开会,回顾工作。。")
    field = next(f for f in text_fields(speech) if f.name == "opening")
    assert check_field(field) == check_speech(speech, only={"opening/opening"})


def test_a_typed_field_is_checked_by_replacing_its_text():
    speech = sample_structure()
    field = next(f for f in text_fields(speech) if f.name == "heading")
    typed = dataclasses.replace(field, text="（一）回顾工作。")
    assert [f.code for f in check_field(typed)] == [proof.TYPED_NUMBER, proof.HEADING_END_MARK]


def test_a_sentence_repeated_in_two_places_is_flagged_where_it_comes_again():
    sentence = "全年共组织专题培训班十二期，覆盖全体干部职工。"
    speech = sample_structure(
        opening="今天开会。" + sentence, closing="同志们，要再接再厉。" + sentence
    )
    [finding] = [f for f in check_speech(speech) if f.code == proof.REPEATED_SENTENCE]
    assert finding.label == "结束语"
    assert finding.text == sentence
    assert finding.message == "这句话与开场白中的一句重复。"
    assert finding.severity == SUGGESTION


@pytest.mark.parametrize(
    "opening, closing",
    [
        ("要抓好落实。", "要抓好落实。"),  # too short to count
        ("召开X次会议，研究X个问题。", "召开X次会议，研究X个问题。"),  # mostly placeholders
        ("全年共组织专题培训班十二期。", "全年共组织专题培训班十三期。"),
    ],
)
def test_short_or_different_sentences_are_not_repeated_sentences(opening, closing):
    speech = sample_structure(opening=opening, closing=closing)
    assert [f for f in check_speech(speech) if f.code == proof.REPEATED_SENTENCE] == []


def test_a_lead_far_longer_than_its_siblings_is_flagged():
    speech = sample_structure(achievements=4)
    long = "在推进全市统计数据质量提升和基层基础建设方面下足功夫持续用力久久为功取得了明显成效"
    speech.part_one.achievements[1].lead = long + "。"
    [finding] = [f for f in check_speech(speech) if f.code == proof.LONG_LEAD]
    assert finding.label == "第一部分 成绩（二） 领句"
    assert finding.text == long + "。"


def test_leads_of_similar_length_or_too_few_to_compare_are_not_flagged():
    speech = sample_structure(achievements=2)
    speech.part_one.achievements[
        1
    ].lead = "在推进全市统计数据质量提升和基层基础建设方面下足功夫持续用力。"
    assert [f for f in check_speech(speech) if f.code == proof.LONG_LEAD] == []
    speech = sample_structure(measures=4)
    for item in speech.part_two.measures:
        item.lead = "在推进全市统计数据质量提升和基层基础建设方面下足功夫持续用力。"
    assert [f for f in check_speech(speech) if f.code == proof.LONG_LEAD] == []


def test_a_lead_of_several_sentences_is_flagged_from_its_second_sentence():
    speech = sample_structure()
    speech.part_two.measures[0].lead = "要抓好落实。坚持问题导向，逐项整改。"
    [finding] = [f for f in check_speech(speech) if f.code == proof.LEAD_SEVERAL_SENTENCES]
    assert finding.text == "坚持问题导向，逐项整改。"
    assert [f for f in check_speech(sample_structure()) if f.code == "lead-several-sentences"] == []


def test_an_empty_part_an_empty_list_and_a_missing_heading_are_flagged():
    speech = sample_structure()
    speech.part_two = PartTwo()
    speech.part_one.heading = ""
    speech.part_one.lessons = [InlineItem(), InlineItem()]
    found_ = [(f.code, f.severity, f.label) for f in check_speech(speech) if f.length == 0]
    assert found_ == [
        (proof.MISSING_HEADING, ERROR, "第一部分 标题"),
        (proof.EMPTY_LIST, SUGGESTION, "第一部分 启示引语"),
        (proof.EMPTY_PART, ERROR, "第二部分 标题"),
    ]


def test_a_speech_may_do_without_lessons_but_not_without_achievements():
    speech = sample_structure()
    speech.part_one.lessons_intro, speech.part_one.lessons = "", []
    speech.part_two.shortcomings_intro, speech.part_two.shortcomings = "", []
    assert [f for f in check_speech(speech) if f.code == proof.EMPTY_LIST] == []
    speech.part_one.achievements = []
    [finding] = [f for f in check_speech(speech) if f.code == proof.EMPTY_LIST]
    assert (finding.label, finding.message) == ("第一部分 标题", "第一部分还没有成绩条目。")


def test_an_empty_item_among_filled_ones_and_a_lead_missing_are_flagged():
    speech = sample_structure()
    speech.part_one.achievements.insert(1, LeadItem())
    speech.part_two.measures[0] = LeadItem("", "只有正文。")
    findings = [(f.code, f.label) for f in check_speech(speech) if f.length == 0]
    assert findings == [
        (proof.EMPTY_ITEM, "第一部分 成绩（未填写，不编号） 领句"),
        (proof.MISSING_LEAD, "第二部分 措施一是 领句"),
    ]


def test_an_empty_opening_or_closing_is_a_suggestion():
    speech = sample_structure(opening="", closing=" ")
    assert [(f.code, f.label) for f in check_speech(speech) if f.length == 0] == [
        (proof.EMPTY_FIELD, "开场白"),
        (proof.EMPTY_FIELD, "结束语"),
    ]


def test_a_blank_speech_says_its_parts_are_empty():
    findings = check_speech(Speech(part_one=PartOne(), part_two=PartTwo()))
    assert [f.code for f in findings if f.is_error] == [proof.EMPTY_PART, proof.EMPTY_PART]


def test_every_finding_holds_the_text_of_its_span_and_a_key_per_occurrence():
    speech = sample_structure(opening="今天开会,回顾工作,部署任务。")
    findings = check_speech(speech, HOUSE)
    fields = {f"{f.anchor}/{f.name}": f.text for f in text_fields(speech)}
    for finding in findings:
        assert fields[finding.address][finding.offset : finding.end] == finding.text
    keys = [f.key for f in findings if f.code == proof.HALFWIDTH_PUNCTUATION]
    assert keys == [
        "halfwidth-punctuation|opening/opening|,|1",
        "halfwidth-punctuation|opening/opening|,|2",
    ]
    assert len({f.key for f in findings}) == len(findings)


def test_a_key_does_not_change_when_text_is_typed_before_the_finding():
    before = check_speech(sample_structure(opening="今天开会,回顾工作。"))
    after = check_speech(sample_structure(opening="今天上午开会,回顾工作。"))
    key = [f.key for f in before if f.code == proof.HALFWIDTH_PUNCTUATION]
    assert key == [f.key for f in after if f.code == proof.HALFWIDTH_PUNCTUATION]


def test_suggestions_applied_give_text_the_checker_accepts():
    text = "今天开会,回顾工作。。截止6月底，完成3-5万亩，增长百分之2.3，做为重点…"
    field = TextField(*OPENING, text)
    for _ in range(10):
        fixable = [f for f in check_field(field, HOUSE) if f.suggestion is not None]
        if not fixable:
            break
        first = fixable[0]
        text = text[: first.offset] + first.suggestion + text[first.end :]
        field = dataclasses.replace(field, text=text)
    assert text == "今天开会，回顾工作。截至6月底，完成3万～5万亩，增长2.3%，作为重点……"
    assert check_field(field, HOUSE) == []


def test_finding_is_plain_data():
    finding = check_text("甲,乙")[0]
    assert isinstance(finding, Finding)
    assert dataclasses.asdict(finding)["code"] == proof.HALFWIDTH_PUNCTUATION


@pytest.mark.parametrize(
    "address, text, read",
    [
        ("header/title", "新标题", lambda s: s.title),
        ("opening/opening", "新开场。", lambda s: s.opening),
        ("closing/closing", "新结束语。", lambda s: s.closing),
        ("part_one.heading/heading", "新标题", lambda s: s.part_one.heading),
        ("part_one.lessons_intro/lessons_intro", "体会：", lambda s: s.part_one.lessons_intro),
        ("part_two.transition/transition", "下一步。", lambda s: s.part_two.transition),
        ("item:m2/body", "新正文。", lambda s: s.part_two.measures[1].body),
        ("part_two.shortcomings.1/text", "新不足", lambda s: s.part_two.shortcomings[1].text),
    ],
)
def test_with_field_text_puts_a_typed_text_at_every_address(address, text, read):
    speech = sample_structure()
    speech.part_two.measures[1].id = "m2"
    assert address in {f"{f.anchor}/{f.name}" for f in text_fields(speech)}
    changed = proof.with_field_text(speech, address, text)
    assert read(changed) == text
    assert read(speech) != text  # the speech itself is left as it was


@pytest.mark.parametrize(
    "address", ["item:nobody/lead", "opening/nothing", "part_three.heading/heading"]
)
def test_with_field_text_refuses_an_address_that_names_no_field(address):
    with pytest.raises(KeyError):
        proof.with_field_text(sample_structure(), address, "甲")


def test_a_typed_text_is_checked_with_the_whole_speech_for_its_field():
    speech = sample_structure()
    sentence = speech.part_one.achievements[0].body
    typed = proof.with_field_text(speech, "closing/closing", "同志们，加油。" + sentence)
    findings = check_speech(typed, only={"closing/closing"})
    assert {f.code for f in findings} == {proof.PLACEHOLDER, proof.REPEATED_SENTENCE}
    assert {f.address for f in findings} == {"closing/closing"}


def test_as_dict_gives_every_field_as_json_would():
    finding = check_text("甲,乙")[0]
    assert finding.as_dict() == {
        "code": proof.HALFWIDTH_PUNCTUATION,
        "severity": ERROR,
        "address": "/",
        "anchor": "",
        "name": "",
        "label": "",
        "item_id": None,
        "offset": 1,
        "length": 1,
        "text": ",",
        "message": "中文句子中用了半角“,”，应为全角“，”。",
        "suggestion": "，",
        "key": "halfwidth-punctuation|/|,|1",
    }
