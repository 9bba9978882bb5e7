"""The 校对报告 download: every finding with its place, as a Word file."""

import datetime
import io
from urllib.parse import quote

import pytest
from django.urls import reverse
from docx import Document

from drafts.models import AuditEvent
from drafts.proofreading import check_speech
from drafts.proofreading_report import ReportInfo, in_context, place_of, render_report
from drafts.structure import LeadItem
from tests.factories import make_speech, make_user, sample_structure


def rows_of(content: bytes) -> list[list[str]]:
    document = Document(io.BytesIO(content))
    [table] = document.tables
    return [[cell.text for cell in row.cells] for row in table.rows]


def paragraphs_of(content: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(content)).paragraphs]


# --- The document (plain)


def test_the_report_lists_every_finding_with_its_place_in_reading_order():
    speech = sample_structure()
    speech.opening = "今天开会,回顾工作。。"
    speech.part_one.achievements[1] = LeadItem("第2方面工作有新进展，", "正文。", id="a2")
    findings = check_speech(speech)
    when = datetime.datetime(2026, 12, 2, 9, 30)
    content = render_report(
        speech, findings, ReportInfo("在测试局会议\n上的讲话", "草稿", "测试局", when)
    )
    rows = rows_of(content)
    assert rows[0] == ["序号", "位置", "级别", "原文", "问题", "建议修改"]
    assert len(rows) == len(findings) + 1
    assert rows[1:3] == [
        [
            "1",
            "开场白 第5字",
            "错误",
            "今天开会【,】回顾工作。。",
            "中文句子中用了半角“,”，应为全角“，”。",
            "，",
        ],
        ["2", "开场白 第10字", "错误", "今天开会,回顾工作【。。】", "标点“。”重复。", "。"],
    ]
    lead = next(row for row in rows if row[1].startswith("第一部分 成绩（二） 领句"))
    assert lead[2:] == [
        "错误",
        "第2方面工作有新进展【，】",
        "领句应以句号结尾，这里是“，”，导出时会成为“，。”。",
        "。",
    ]
    text = paragraphs_of(content)
    assert text[0] == "校对报告"
    assert "讲话稿：在测试局会议上的讲话" in text
    assert "状态：草稿　　校对时间：2026年12月2日 09:30" in text
    assert any(line.startswith(f"共 {len(findings)} 处：错误") for line in text)


def test_a_report_without_findings_says_so_and_has_no_table():
    speech = sample_structure()
    content = render_report(speech, [], ReportInfo("标题"))
    assert Document(io.BytesIO(content)).tables == []
    assert "没有发现问题。" in paragraphs_of(content)


def test_a_report_of_very_many_findings_lists_the_first_and_counts_the_rest(monkeypatch):
    monkeypatch.setattr("drafts.proofreading_report.MAX_ROWS", 5)
    speech = sample_structure(opening="甲,乙,丙,丁,戊,己,庚,辛。")
    findings = check_speech(speech)
    content = render_report(speech, findings, ReportInfo("标题"))
    assert len(rows_of(content)) == 6
    assert (
        f"以上列出前 5 处，另有 {len(findings) - 5} 处未列出，请修改后重新下载。"
        in paragraphs_of(content)
    )


def test_the_page_is_landscape_a4():
    section = Document(
        io.BytesIO(render_report(sample_structure(), [], ReportInfo("标题")))
    ).sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (297, 210)


def test_context_marks_an_insertion_point_and_keeps_to_one_line():
    assert in_context("第一行\n第二行", 3, 0, reach=3) == "第一行【】 第二"
    speech = sample_structure(opening="")
    empty = next(f for f in check_speech(speech) if f.code == "empty-field")
    assert place_of(empty) == "开场白"


# --- The view


@pytest.fixture
def url(speech):
    return reverse("drafts:speech-proofreading-report", args=[speech.pk])


def test_anonymous_users_are_sent_to_login_and_outsiders_see_nothing(client, outsider, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    client.force_login(outsider)
    assert client.get(url).status_code == 404


def test_a_speech_of_another_agency_is_not_found(client, speech):
    stranger = make_user("stranger", role="起草人员", agency="别的局")
    client.force_login(stranger)
    url = reverse("drafts:speech-proofreading-report", args=[speech.pk])
    assert client.get(url).status_code == 404


def test_a_reader_downloads_the_report_named_after_the_speech(leader_client, speech, url):
    response = leader_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    assert response["Content-Disposition"].endswith(quote("（校对报告）.docx"))
    findings = check_speech(speech.as_structure())
    assert len(rows_of(response.content)) == len(findings) + 1


def test_the_report_uses_the_house_list_and_records_the_download(drafter_client, drafter):
    speech = make_speech(owner=drafter, opening="做为牵头单位，今天开会。")
    url = reverse("drafts:speech-proofreading-report", args=[speech.pk])
    rows = rows_of(drafter_client.get(url).content)
    assert ["“做为”应为“作为”。", "作为"] in [row[4:] for row in rows]
    event = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).latest("created_at")
    assert (event.speech_id, event.detail) == (speech.pk, "校对报告")


def test_a_speech_in_the_trash_is_not_found(drafter_client, drafter, speech, url):
    speech.move_to_trash(drafter)
    assert drafter_client.get(url).status_code == 404


def test_the_report_is_only_read(drafter_client, url):
    assert drafter_client.post(url).status_code == 405


def test_the_report_takes_a_few_queries(drafter_client, url, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        assert drafter_client.get(url).status_code == 200


def test_the_report_document_validates_against_wml_xsd():
    from tests.test_docx_schema import XSD_DIR, parts, schema, without_extensions

    if not (XSD_DIR / "wml.xsd").is_file():
        pytest.skip(f"OOXML schemas not found at {XSD_DIR}")
    speech = sample_structure(opening="今天开会,回顾工作。。")
    content = render_report(speech, check_speech(speech), ReportInfo("标题", "草稿"))
    validator = schema("wml.xsd")
    for name in ("word/document.xml", "word/styles.xml"):
        root = without_extensions(parts(content)[name])
        assert validator.validate(root), (name, str(validator.error_log.last_error))
