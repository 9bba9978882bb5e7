"""manage.py check_speech: a stored speech or a .txt, .docx or .json file, read in memory.

Every finding's ``text`` must be exactly what stands in its ``paragraph`` at its
``offset``: the non-empty lines of a .txt, the non-empty paragraphs of a .docx, the
non-empty lines of the plain-text export for a speech and a .json file.
"""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from docx import Document

from drafts import speech_json
from drafts.assembly import assemble, plain_text
from drafts.models import Speech
from drafts.parsing import parse_text
from tests.factories import make_speech, make_user

pytestmark = pytest.mark.django_db

# Our own speech in the seed's shape, clean.
CLEAN = """在市水务局防汛抗旱工作
总结会议上的讲话
同志们：
　　今年汛期，全市遭遇了X轮强降雨过程，防汛形势复杂严峻。在市委、市政府的坚强领导下，全局上下闻令而动、连续作战，实现了不死人、少伤人、少损失的目标。下面，我讲两个方面的意见。
一、迎难而上，防汛抗旱工作取得明显成效
入汛以来，局党组坚持把防汛抗旱作为头等大事来抓，先后召开X次专题会议，逐级压实防汛责任，做到横向到边、纵向到底。
（一）监测预警更加精准。新建自动雨量站X个，实现重点区域全覆盖，预警信息提前X小时发布到村到户。
（二）工程调度更加科学。统筹调度大中型水库X座，汛末水库蓄水率达到X%，有效削减了下游洪峰。
（三）抢险救援更加有力。组建专业抢险队伍X支，处置各类险情X处，转移受威胁群众X人，做到“应转尽转”。

一年的实践告诉我们：一是必须坚持人民至上，把保障群众生命安全放在第一位。二是必须坚持预防为主，关口前移、防患未然。三是必须坚持统一指挥，形成上下联动的工作合力。
二、正视短板，持续提升防汛抗旱能力
在看到成绩的同时，我们也要清醒认识到存在的不足：一是部分山洪沟治理还不到位；二是基层防汛物资储备不够充足；三是应急演练的实战性还需增强。下一步，我们要重点抓好以下工作。
一是完善监测体系。加快补齐监测站网短板，提高预报预警的精度和时效。
二是强化工程建设。抓紧实施病险水库除险加固，确保明年5月底前全部完工。
三是加强队伍建设。把基层队伍建设作为重点，定期开展实战化演练，提升基层应急处置能力。
同志们，防汛抗旱责任重于泰山。让我们以更加务实的作风，坚决打赢明年防汛抗旱这场硬仗。
"""

# (clean text, text with an error put in, the code the checker must give there)
ERRORS = [
    ("市委、市政府的坚强领导下，", "市委、市政府的坚强领导下,", "halfwidth-punctuation"),
    ("闻令而动、连续作战", "闻令而动、、连续作战", "doubled-punctuation"),
    ("防汛抗旱工作取得明显成效\n", "防汛抗旱工作取得明显成效。\n", "heading-end-mark"),
    ("先后召开X次", "先后召开了了X次", "repeated-character"),
    ("逐级压实防汛责任，做到", "逐级压实防汛责任--做到", "dash"),
    ("新建自动雨量站X个", "新建自动雨量站3-5个", "range-mark"),
    ("提前X小时", "提前２小时", "fullwidth-digits"),
    ("蓄水率达到X%", "蓄水率达到百分之85.5", "mixed-number"),
    ("做到“应转尽转”。", "做到“应转尽转。", "unpaired-mark"),
    ("关口前移、防患未然。", "关口前移、防患未然。。", "doubled-punctuation"),
    ("治理还不到位；", "治理还不到位;", "halfwidth-punctuation"),
    ("确保明年5月底前", "截止26年5月底", "house-wording"),
    ("确保明年5月底前", "截止26年5月底", "short-year"),
    ("把基层队伍建设作为重点", "把基层队伍建设做为重点", "house-wording"),
    ("实战化演练", "实战化 演练", "space-between-chinese"),
    ("这场硬仗。", "这场硬仗...", "ellipsis"),
    ("务实的作风", "务实的的作风", "repeated-character"),
]


def with_errors() -> str:
    text = CLEAN
    for clean, wrong, _ in ERRORS:
        if wrong not in text:
            assert clean in text, clean
            text = text.replace(clean, wrong, 1)
    return text


def run(*args) -> str:
    out = StringIO()
    call_command("check_speech", *args, stdout=out)
    return out.getvalue()


def run_json(source) -> list[dict]:
    return json.loads(run(str(source), "--format", "json"))


def assert_in_place(findings: list[dict], paragraphs: list[str]) -> None:
    """Every finding's text stands in its paragraph at its offset."""
    assert findings
    for finding in findings:
        paragraph = paragraphs[finding["paragraph"] - 1]
        start = finding["offset"]
        assert paragraph[start : start + len(finding["text"])] == finding["text"], finding
        assert {"code", "severity", "message", "suggestion"} <= finding.keys()


def nonempty_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def expected_places(text: str) -> set[tuple[str, int]]:
    """(code, paragraph) of each error put in, found by where its wrong text stands."""
    lines = nonempty_lines(text)
    places = set()
    for _, wrong, code in ERRORS:
        marker = wrong.rstrip("\n")
        number = next(n for n, line in enumerate(lines, start=1) if marker in line)
        places.add((code, number))
    return places


def found_places(findings: list[dict]) -> set[tuple[str, int]]:
    return {(f["code"], f["paragraph"]) for f in findings}


def write_docx(path, text: str) -> list[str]:
    """A Word file of ``text``, one paragraph a line (blank ones kept as empty
    paragraphs); returns the non-empty paragraphs as python-docx reads them."""
    document = Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    document.save(path)
    return [p.text for p in Document(path).paragraphs if p.text.strip()]


# --- Files


def test_a_txt_file_with_errors_gets_each_one_where_it_stands(tmp_path):
    path = tmp_path / "讲话.txt"
    text = with_errors()
    path.write_text(text, encoding="utf-8")
    findings = run_json(path)
    assert_in_place(findings, nonempty_lines(text))
    assert expected_places(text) <= found_places(findings)


def test_a_clean_txt_file_gets_only_its_placeholders(tmp_path):
    path = tmp_path / "讲话.txt"
    path.write_text(CLEAN, encoding="utf-8")
    findings = run_json(path)
    assert {f["code"] for f in findings} == {"placeholder"}
    assert_in_place(findings, nonempty_lines(CLEAN))


def test_a_gb18030_txt_file_is_read_as_notepad_saves_it(tmp_path):
    path = tmp_path / "讲话.txt"
    path.write_bytes(with_errors().replace("\n", "\r\n").encode("gb18030"))
    findings = run_json(path)
    assert_in_place(findings, nonempty_lines(with_errors()))
    assert expected_places(with_errors()) <= found_places(findings)


def test_an_indented_paragraph_is_counted_as_it_stands(tmp_path):
    path = tmp_path / "讲话.txt"
    path.write_text(with_errors(), encoding="utf-8")
    comma = next(f for f in run_json(path) if f["code"] == "halfwidth-punctuation")
    line = nonempty_lines(with_errors())[comma["paragraph"] - 1]
    assert line.startswith("\u3000\u3000")
    assert line.index(",") == comma["offset"]


def test_a_docx_file_with_errors_gets_each_one_in_its_paragraph(tmp_path):
    path = tmp_path / "讲话.docx"
    paragraphs = write_docx(path, with_errors())
    findings = run_json(path)
    assert_in_place(findings, paragraphs)
    assert expected_places(with_errors()) <= found_places(findings)


def test_a_clean_docx_file_gets_only_its_placeholders(tmp_path):
    path = tmp_path / "讲话.docx"
    paragraphs = write_docx(path, CLEAN)
    findings = run_json(path)
    assert {f["code"] for f in findings} == {"placeholder"}
    assert_in_place(findings, paragraphs)


def test_a_json_file_is_placed_in_its_plain_text_export(tmp_path):
    data = parse_text(with_errors()).speech
    path = tmp_path / "讲话.json"
    path.write_text(speech_json.dumps(data), encoding="utf-8")
    findings = run_json(path)
    export = nonempty_lines(plain_text(assemble(data)))
    assert_in_place(findings, export)
    codes = {f["code"] for f in findings}
    # What the export's joiners replace (a lesson's 。。, a shortcoming's ;) is not in it.
    wanted = {
        code
        for _, wrong, code in ERRORS
        if wrong not in ("关口前移、防患未然。。", "治理还不到位;")
    }
    assert wanted <= codes


# --- A stored speech


def test_a_stored_speech_is_placed_in_its_plain_text_export(tmp_path):
    speech = make_speech(data=parse_text(with_errors()).speech)
    findings = run_json(speech.pk)
    out = tmp_path / "export.txt"
    call_command("export_speech", str(speech.pk), "--format", "txt", "-o", str(out))
    assert_in_place(findings, nonempty_lines(out.read_text(encoding="utf-8")))
    by_code = {f["code"]: f for f in findings}
    heading = by_code["heading-end-mark"]
    assert heading["where"] == "第一部分 标题"
    assert heading["text"] == "。"
    assert heading["suggestion"] == ""
    assert heading["address"] == "part_one.heading/heading"


def test_a_field_the_export_leaves_out_has_no_paragraph(tmp_path):
    speech = make_speech(occasion="防汛工作会议,总结会")
    [finding] = [f for f in run_json(speech.pk) if f["code"] == "halfwidth-punctuation"]
    assert (finding["paragraph"], finding["offset"], finding["where"]) == (None, None, "会议名称")


def test_an_empty_part_is_placed_where_it_would_come():
    owner = make_user("owner2")
    data = parse_text(CLEAN).speech
    data.part_two.heading = data.part_two.shortcomings_intro = data.part_two.transition = ""
    data.part_two.shortcomings, data.part_two.measures = [], []
    speech = Speech.create_from_structure(data, owner)
    [empty] = [f for f in run_json(speech.pk) if f["code"] == "empty-part"]
    assert (empty["text"], empty["offset"], empty["severity"]) == ("", 0, "错误")
    assert isinstance(empty["paragraph"], int)


def test_the_text_format_names_each_place_and_counts(tmp_path):
    path = tmp_path / "讲话.txt"
    path.write_text(with_errors(), encoding="utf-8")
    output = run(str(path))
    assert "第7段" in output and "第一部分 成绩（一） 正文〔错误〕“２”" in output
    assert "→ 建议改为“2”" in output
    assert output.strip().splitlines()[-1].startswith("共 ")


def test_a_clean_speech_says_so(tmp_path):
    path = tmp_path / "讲话.txt"
    path.write_text(CLEAN.replace("X", "3"), encoding="utf-8")
    assert run(str(path)).strip() == "没有发现问题。"
    assert run_json(path) == []


def test_the_house_list_in_the_database_is_used(tmp_path):
    from drafts.models import WordingRule

    WordingRule.objects.create(wrong="硬仗", right="攻坚战")
    path = tmp_path / "讲话.txt"
    path.write_text(CLEAN, encoding="utf-8")
    assert [f["text"] for f in run_json(path) if f["code"] == "house-wording"] == ["硬仗"]


# --- Refusals


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("没有这个文件.txt", None, "找不到文件"),
        ("讲话.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 old word", "旧版 Word"),
        ("讲话.docx", b"PK\x03\x04 not a zip", "已损坏"),
        ("讲话.pdf", b"%PDF-1.4", "只能导入 .txt、.docx 或 .json 文件"),
        ("讲话.json", b'{"format": "other"}', "speechdraft/1"),
        ("讲话.txt", b"", "文件是空的"),
    ],
)
def test_a_missing_or_bad_file_is_refused_with_a_message_and_a_failing_status(
    tmp_path, name, content, message
):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(CommandError, match=message) as refusal:
        run(str(path))
    assert refusal.value.returncode == 1


def test_a_speech_id_that_names_nothing_is_refused():
    with pytest.raises(CommandError, match="没有编号为 999999 的讲话稿"):
        run("999999")


def test_a_docx_paragraph_with_a_soft_line_break_is_one_paragraph(tmp_path):
    """Word's Shift+Enter (w:br) keeps one paragraph: the finding after it is counted
    in that paragraph, past the break."""
    document = Document()
    for line in with_errors().split("\n"):
        paragraph = document.add_paragraph()
        if "闻令而动" in line:
            first, second = line.split("在市委")
            paragraph.add_run(first)
            paragraph.add_run().add_break()
            paragraph.add_run("在市委" + second)
        else:
            paragraph.add_run(line)
    path = tmp_path / "讲话.docx"
    document.save(path)
    paragraphs = [p.text for p in Document(path).paragraphs if p.text.strip()]
    findings = run_json(path)
    assert_in_place(findings, paragraphs)
    comma = next(f for f in findings if f["code"] == "halfwidth-punctuation")
    assert "\n" in paragraphs[comma["paragraph"] - 1][: comma["offset"]]


def test_findings_are_placed_in_the_previews_paragraphs_too():
    """The preview shows assemble()'s paragraphs (the title's 回行 inside one)."""
    from drafts.proofreading import check_speech
    from drafts.proofreading_places import place_findings

    data = parse_text(with_errors()).speech
    data.title = "在市水务局防汛抗旱工作,\n总结会议上的讲话"
    paragraphs = [p.text for p in assemble(data)]
    placed = place_findings(check_speech(data), data, paragraphs)
    assert all(p.paragraph is not None for p in placed)
    for p in placed:
        paragraph = paragraphs[p.paragraph - 1]
        assert paragraph[p.offset : p.offset + len(p.text)] == p.text
    title = next(p for p in placed if p.finding.label == "标题")
    assert (title.paragraph, title.offset) == (1, 11)
