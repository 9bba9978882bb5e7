"""Hostile imports: every one answers quickly with a finding or a Chinese refusal.

Issue 13. The same input goes through the parser, the file reader, the import page and
the ``import_speech`` command; none of them may hang, answer 500 or print a traceback.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from drafts.models import Speech
from drafts.numbering import chinese_number
from drafts.parsing import parse_text
from drafts.reading import read_upload
from tests.test_reading import docx_bytes

IMPORT = reverse("drafts:speech-import")
HUGE = "九九九九九九九九"

# -- 1. a numbering gap is one finding with its two ends ---------------------------------

GAPS = {
    "heading": (f"同志们：\n开场。\n一、甲\n{HUGE}、乙\n", "一级标题", "一、", f"{HUGE}、"),
    "achievement": (
        f"同志们：\n开场。\n一、甲\n（一）甲。\n（{HUGE}）乙。\n二、乙\n",
        "成绩",
        "（一）",
        f"（{HUGE}）",
    ),
    "measure": (
        f"同志们：\n开场。\n一、甲\n（一）甲。\n二、乙\n一是甲。\n{HUGE}是乙。\n",
        "整改措施",
        "一是",
        f"{HUGE}是",
    ),
    "lesson": (
        f"同志们：\n开场。\n一、甲\n（一）甲。\n一是甲。\n{HUGE}是乙。\n二、乙\n",
        "启示",
        "一是",
        f"{HUGE}是",
    ),
}


def gap_findings(result, what):
    return [f.message for f in result.findings if f.message.startswith(f"{what}编号")]


@pytest.mark.parametrize("case", GAPS)
def test_a_huge_gap_in_the_numbering_is_one_finding_naming_both_ends(case):
    text, what, before, after = GAPS[case]
    found = gap_findings(parse_text(text), what)
    assert found == [
        f"{what}编号不连续：“{before}”之后是“{after}”，中间缺少 99999997 个编号，已按顺序重新编号。"
    ]


def test_a_gap_of_one_names_the_missing_number():
    text = "同志们：\n开场。\n一、甲\n（一）甲。\n（三）丙。\n二、乙\n"
    assert gap_findings(parse_text(text), "成绩") == [
        "成绩编号不连续：“（一）”之后是“（三）”，中间缺少“（二）”，已按顺序重新编号。"
    ]


def test_numbering_that_does_not_start_at_one_names_its_first_number():
    text = f"同志们：\n开场。\n{HUGE}、甲\n"
    assert gap_findings(parse_text(text), "一级标题") == [
        f"一级标题编号不连续：第一个是“{HUGE}、”，前面缺少 99999998 个编号，已按顺序重新编号。"
    ]


def test_a_repeat_and_a_step_back_name_both_ends():
    text = "同志们：\n开场。\n一、甲\n（二）甲。\n（二）乙。\n（一）丙。\n二、乙\n"
    assert gap_findings(parse_text(text), "成绩") == [
        "成绩编号不连续：第一个是“（二）”，前面缺少“（一）”，已按顺序重新编号。",
        "成绩编号重复：“（二）”之后又是“（二）”，已按顺序重新编号。",
        "成绩编号倒序：“（二）”之后是“（一）”，已按顺序重新编号。",
    ]


@pytest.mark.parametrize("numeral", ["九" * 100_000, "十" * 100_000, "一百" * 50_000, "零" * 5000])
def test_a_numeral_too_long_to_be_a_label_is_no_number(numeral):
    assert chinese_number(numeral) is None


def test_a_heading_opening_with_a_huge_numeral_is_read_as_words():
    result = parse_text("同志们：\n开场。\n一、甲\n" + "九" * 100_000 + "、乙\n二、丙\n")
    assert result.speech.part_two.heading == "丙"
    assert gap_findings(result, "一级标题") == []


@pytest.mark.parametrize("kind", ["txt", "docx"])
def test_a_huge_gap_in_a_file_is_one_finding(kind):
    text, what, before, after = GAPS["heading"]
    data = text.encode() if kind == "txt" else docx_bytes(text.splitlines())
    found = gap_findings(read_upload(f"讲话.{kind}", data), what)
    assert len(found) == 1 and f"“{before}”之后是“{after}”" in found[0]


@pytest.mark.django_db
def test_a_huge_gap_pasted_into_the_page_is_previewed_with_its_finding(drafter_client):
    response = drafter_client.post(IMPORT, {"text": GAPS["achievement"][0]})
    assert response.status_code == 200
    assert f"“（一）”之后是“（{HUGE}）”" in response.content.decode()
    assert not Speech.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["txt", "docx"])
def test_a_huge_gap_uploaded_is_previewed_with_its_finding(drafter_client, kind):
    text = GAPS["measure"][0]
    data = text.encode() if kind == "txt" else docx_bytes(text.splitlines())
    response = drafter_client.post(IMPORT, {"upload": SimpleUploadedFile(f"讲话.{kind}", data)})
    assert response.status_code == 200
    assert f"“一是”之后是“{HUGE}是”" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("case", GAPS)
def test_import_speech_reports_a_huge_gap_once_and_imports(tmp_path, drafter, capsys, case):
    text, what, before, after = GAPS[case]
    path = tmp_path / "gap.txt"
    path.write_text(text, encoding="utf-8")
    call_command("import_speech", str(path), "--owner", drafter.username)
    lines = capsys.readouterr().out.splitlines()
    assert [line for line in lines if "之后是" in line] == [
        next(line for line in lines if f"“{before}”之后是“{after}”" in line)
    ]
    assert Speech.objects.filter(pk=int(lines[-1])).exists()
