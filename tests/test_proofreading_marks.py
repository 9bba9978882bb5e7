"""Findings as the pages show them (drafts/proofreading_marks.py): a typed text put in
its field, offsets as a browser counts them, the preview's marks. No database."""

import doctest
from pathlib import Path

import pytest

from drafts import proofreading_marks
from drafts.assembly import assemble
from drafts.parsing import parse_text
from drafts.proofreading import (
    CODE_NAMES,
    ERROR,
    PLACEHOLDER,
    SUGGESTION,
    Finding,
    check_field,
    check_speech,
    check_text,
)
from drafts.proofreading_marks import (
    counts,
    fix_words,
    for_script,
    key_address,
    mark_paragraphs,
    utf16,
    with_typed,
)
from drafts.structure import InlineItem, LeadItem, PartOne, PartTwo, Speech, TextField, text_fields

RESOURCES = Path(__file__).parent / "resources"


def test_the_modules_examples_hold():
    result = doctest.testmod(proofreading_marks, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0


def speech_with_ids() -> Speech:
    return Speech(
        title="在年度工作会议上的讲话",
        opening="开场。",
        part_one=PartOne(
            heading="成绩",
            achievements=[
                LeadItem("领句甲。", "正文甲。", id="a1"),
                LeadItem("领句乙。", "", id="a2"),
            ],
            lessons=[InlineItem("启示甲", id="l1")],
        ),
        part_two=PartTwo(heading="不足", shortcomings=[InlineItem("不足甲", id="s1")]),
        closing="结束。",
    )


def field_text(speech: Speech, address: str) -> str:
    return next(f.text for f in text_fields(speech) if f"{f.anchor}/{f.name}" == address)


@pytest.mark.parametrize(
    "address",
    [
        "header/title",
        "header/speaker",
        "header/salutation",
        "opening/opening",
        "closing/closing",
        "part_one.heading/heading",
        "part_one.intro/intro",
        "part_one.lessons_intro/lessons_intro",
        "part_two.transition/transition",
        "part_two.shortcomings_intro/shortcomings_intro",
        "item:a1/lead",
        "item:a2/body",
        "item:l1/text",
        "item:s1/text",
    ],
)
def test_a_typed_text_goes_into_its_field_alone(address):
    speech = speech_with_ids()
    typed = with_typed(speech, address, "新打的字")
    assert field_text(typed, address) == "新打的字"
    for field in text_fields(typed):
        other = f"{field.anchor}/{field.name}"
        if other != address:
            assert field.text == field_text(speech, other), other
    # The speech itself is untouched.
    assert "新打的字" not in [f.text for f in text_fields(speech)]


def test_an_item_without_an_id_is_found_by_its_place():
    speech = parse_text("同志们：\n开场。\n一、成绩\n（一）领句。正文。\n").speech
    address = next(
        f"{f.anchor}/{f.name}" for f in text_fields(speech) if f.name == "lead" and f.text
    )
    assert address == "part_one.achievements.0/lead"
    assert field_text(with_typed(speech, address, "改过的领句"), address) == "改过的领句"


@pytest.mark.parametrize(
    "address",
    ["item:zz/lead", "item:a1/text", "item:l1/lead", "opening/closing", "nowhere", "", "/"],
)
def test_an_address_the_speech_does_not_have_is_none(address):
    assert with_typed(speech_with_ids(), address, "字") is None


@pytest.mark.parametrize(
    "text, offset, expected",
    [("甲乙", 2, 2), ("𠀀甲", 1, 2), ("𠀀甲", 2, 3), ("a😀b", 3, 4), ("", 0, 0)],
)
def test_offsets_count_as_a_browser_does(text, offset, expected):
    assert utf16(text, offset) == expected
    assert len(text[:offset].encode("utf-16-le")) // 2 == expected


def test_a_fields_findings_for_the_script_point_at_the_flagged_text_in_utf16():
    text = "𠀀甲推动推动工作,做为重点"
    field = TextField("opening", "opening", "开场白", text)
    found = check_field(field, [("做为", "作为")])
    rows = for_script(found, text, ignored={found[0].key})
    as_js = text.encode("utf-16-le")
    for row, finding in zip(rows, found, strict=True):
        shown = as_js[row["start"] * 2 : row["end"] * 2].decode("utf-16-le")
        assert shown == finding.text == row["text"]
        assert row["key"] == finding.key and row["message"] == finding.message
        assert row["error"] == (finding.severity == ERROR)
    assert [row["ignored"] for row in rows] == [True] + [False] * (len(rows) - 1)
    assert {row["code"] for row in rows} >= {"repeated-word", "halfwidth-punctuation"}


@pytest.mark.parametrize(
    "suggestion, length, expected",
    [(None, 1, ""), ("", 1, "删去"), ("。", 0, "补上“。”"), ("，", 1, "改为“，”")],
)
def test_the_fix_is_said_in_words(suggestion, length, expected):
    finding = Finding("c", ERROR, "opening", "opening", "开场白", 0, length, "x" * length, "m")
    assert fix_words(Finding(**{**vars(finding), "suggestion": suggestion})) == expected


def test_counts_leave_out_what_was_ignored():
    found = check_text("完成任务,做为重点。。", [("做为", "作为", "always", (), "", SUGGESTION)])
    assert counts(found) == proofreading_marks.Counts(errors=2, suggestions=1)
    ignored = {f.key for f in found if f.severity == ERROR}
    assert counts(found, ignored) == proofreading_marks.Counts(errors=0, suggestions=1)


def test_a_key_names_its_field():
    field = TextField("item:a1", "lead", "成绩（一） 领句", "推动推动|工作,")
    for finding in check_field(field):
        assert key_address(finding.key) == "item:a1/lead"


@pytest.mark.parametrize(
    "key",
    ["", "x", "|||", "unknown|opening/opening|,|1", "halfwidth-punctuation|opening/opening|,|0"]
    + ["halfwidth-punctuation|opening/opening|,|x", "halfwidth-punctuation||,|1"]
    + ["halfwidth-punctuation|opening/opening|,|" + "9" * 30],
)
def test_what_is_not_a_key_names_no_field(key):
    assert key_address(key) is None


def test_every_code_is_named():
    assert all(CODE_NAMES.values())


# --- The preview's marks


def marked_text(runs) -> str:
    return "".join(segment.text for run in runs for segment in run.segments)


def resource_speeches():
    for name in ("speech_farmland.txt", "speech_emergency.txt"):
        yield parse_text((RESOURCES / name).read_text(encoding="utf-8")).speech


def with_errors(speech: Speech) -> Speech:
    """The speech with errors of several kinds typed in."""
    speech.opening += "我们要推动推动工作,做为重点。。"
    speech.closing = speech.closing.rstrip("。") + "，截止6月底完成３项任务"
    return speech


@pytest.mark.parametrize("speech", list(resource_speeches()) + [with_errors(speech_with_ids())])
def test_marks_keep_every_paragraph_as_it_is_read(speech):
    speech = with_errors(speech) if speech.title != "在年度工作会议上的讲话" else speech
    paragraphs = assemble(speech)
    findings = check_speech(speech, [("做为", "作为"), ("截止", "截至", "before_date")])
    marked = mark_paragraphs(paragraphs, findings, speech)
    assert len(marked) == len(paragraphs)
    for paragraph, runs in zip(paragraphs, marked, strict=True):
        assert marked_text(runs) == paragraph.text
        assert [run.role for run in runs] == [run.role for run in paragraph.runs]
        for run, original in zip(runs, paragraph.runs, strict=True):
            assert "".join(segment.text for segment in run.segments) == original.text


def test_each_marked_span_holds_the_flagged_text():
    speech = with_errors(speech_with_ids())
    paragraphs = assemble(speech)
    findings = check_speech(speech, [("做为", "作为"), ("截止", "截至", "before_date")])
    marked = mark_paragraphs(paragraphs, findings, speech)
    spans = [
        (segment.text, finding.code)
        for runs in marked
        for run in runs
        for segment in run.segments
        for finding in segment.findings
    ]
    assert ("推动推动", "repeated-word") in spans
    assert (",", "halfwidth-punctuation") in spans
    assert ("做为", "house-wording") in spans
    assert ("。。", "doubled-punctuation") in spans
    assert ("截止", "house-wording") in spans
    assert ("３", "fullwidth-digits") in spans
    # The closing lost its full stop: an insertion point, where the paragraph ends.
    closing = marked[-1][-1].segments[-1]
    assert closing.text == "" and closing.findings[0].code == "paragraph-end-mark"
    assert closing.tone == "suggestion"
    # Findings of what is not written (an empty part, a missing lead) mark nothing.
    codes = {code for _, code in spans}
    assert not codes & {"empty-item", "missing-lead", "empty-list", "empty-part"}


def test_placeholders_are_left_to_their_own_marks():
    speech = Speech(opening="召开X次会议,研究XX工作。")
    marked = mark_paragraphs(assemble(speech), check_speech(speech), speech)
    findings = [f for runs in marked for run in runs for s in run.segments for f in s.findings]
    assert [f.code for f in findings] == ["halfwidth-punctuation"]
    assert PLACEHOLDER in {f.code for f in check_speech(speech)}


def test_overlapping_findings_share_the_overlap():
    speech = Speech(salutation="", opening="要推动推动,做为工作。")
    findings = check_speech(speech, [("推动", "促进", "always", (), "", SUGGESTION)])
    marked = mark_paragraphs(assemble(speech), findings, speech)
    segments = [s for run in marked[0] for s in run.segments]
    assert "".join(s.text for s in segments) == "要推动推动,做为工作。"
    overlap = [s for s in segments if len(s.findings) == 2]
    assert overlap and all(s.tone == "error" for s in overlap)
    assert all("\n" in s.title for s in overlap)


def test_a_title_over_two_lines_is_marked_in_its_line():
    speech = Speech(title="在工作会议上的讲话,\n第二行。", salutation="")
    marked = mark_paragraphs(assemble(speech), check_speech(speech), speech)
    segments = [s for run in marked[0] for s in run.segments if s.findings]
    assert [(s.text, s.findings[0].code) for s in segments] == [
        (",", "halfwidth-punctuation"),
        ("。", "title-end-mark"),
    ]


def test_a_finding_inside_a_commented_passage_is_marked_for_both():
    from drafts.assembly import assemble
    from drafts.proofreading import check_speech
    from drafts.proofreading_marks import mark_paragraphs
    from drafts.structure import Speech

    speech = Speech(title="标题", salutation="", opening="今天开会,回顾工作。")
    paragraphs = assemble(speech)
    comment = object()
    # The comment's passage: "开会,回顾" in the opening's paragraph.
    runs = mark_paragraphs(paragraphs, check_speech(speech), speech, {1: [(2, 7, comment)]})
    segments = [(s.text, [f.code for f in s.findings], s.comments) for s in runs[1][0].segments]
    assert segments == [
        ("今天", [], ()),
        ("开会", [], (comment,)),
        (",", ["halfwidth-punctuation"], (comment,)),
        ("回顾", [], (comment,)),
        ("工作。", [], ()),
    ]
