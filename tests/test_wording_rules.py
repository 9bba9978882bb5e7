"""The house wording list: its CSV format, the starter list, and the admin that keeps it."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from drafts import proofreading
from drafts.demo import demo_speech
from drafts.models import WordingRule
from drafts.proofreading import BEFORE_DATE, SUGGESTION, WordingEntry, check_speech, check_text
from drafts.reading import read_upload
from drafts.wording_csv import HEADER, Row, read_csv, starter_rows, write_csv
from tests.factories import make_user

RESOURCES = Path(__file__).parent / "resources"
SPEECH_FILES = sorted(RESOURCES.glob("speech_*.txt")) + sorted(RESOURCES.glob("speech_*.docx"))

# --- The CSV format (plain)


def test_a_written_list_reads_back_the_same():
    rows = [
        Row(WordingEntry("截止", "截至", BEFORE_DATE, note="后接时间。")),
        Row(WordingEntry("帐", "账", exceptions=("帐篷", "蚊帐"), severity=SUGGESTION), False),
    ]
    text = write_csv(rows)
    assert text.startswith("\ufeff" + ",".join(HEADER))
    assert read_csv(text).rows == rows


def test_columns_may_come_in_any_order_and_only_two_are_required():
    result = read_csv("正确写法,错误写法\r\n作为,做为\r\n")
    assert result.errors == []
    assert result.rows == [Row(WordingEntry("做为", "作为"))]


@pytest.mark.parametrize(
    "text, error",
    [
        ("", "文件里没有内容。"),
        ("wrong,right\n做为,作为\n", "第一行应为表头"),
        ("错误写法,正确写法\n,作为\n", "第 2 行：错误写法不能为空。"),
        ("错误写法,正确写法\n做为,\n", "第 2 行：正确写法不能为空。"),
        ("错误写法,正确写法,条件\n做为,作为,有时\n", "第 2 行：条件应为"),
        ("错误写法,正确写法,级别\n做为,作为,严重\n", "第 2 行：级别应为"),
        ("错误写法,正确写法,启用\n做为,作为,也许\n", "第 2 行：启用应为"),
        ("错误写法,正确写法,例外\n帐,账,账本\n", "第 2 行：例外“账本”不含错误写法“帐”"),
        ("错误写法,正确写法\n做为,作为\n\n做为,作为\n", "第 4 行：错误写法“做为”与第 2 行重复。"),
        ("错误写法,正确写法\n" + "长" * 41 + ",短\n", "第 2 行：错误写法最多 40 字"),
    ],
)
def test_a_bad_row_is_named_by_its_line_and_nothing_is_read(text, error):
    result = read_csv(text)
    assert result.rows == []
    assert any(message.startswith(error) for message in result.errors), result.errors


def test_the_starter_list_reads_and_flags_nothing_in_real_speeches():
    entries = tuple(row.entry for row in starter_rows())
    assert len(entries) >= 100
    texts = [read_upload(path.name, path.read_bytes()).speech for path in SPEECH_FILES]
    for speech in [*texts, demo_speech()]:
        findings = check_speech(speech, entries)
        assert [f.text for f in findings if f.code == proofreading.HOUSE_WORDING] == []


def test_the_starter_list_corrects_what_it_lists():
    entries = tuple(row.entry for row in starter_rows())
    text = "截止目前，做为牵头单位要再接再励，建立台帐，其它工作一如继往。"
    assert [(f.text, f.suggestion) for f in check_text(text, entries)] == [
        ("截止", "截至"),
        ("做为", "作为"),
        ("再接再励", "再接再厉"),
        ("台帐", "台账"),
        ("其它", "其他"),
        ("一如继往", "一如既往"),
    ]


# --- Stored rules


def test_the_migration_loads_the_starter_list(db):
    assert WordingRule.objects.count() == len(starter_rows())
    assert set(WordingRule.objects.entries()) == {row.entry for row in starter_rows()}


def test_a_disabled_rule_is_not_checked(db):
    WordingRule.objects.filter(wrong="做为").update(enabled=False)
    assert "做为" not in [entry.wrong for entry in WordingRule.objects.entries()]


def test_a_rule_whose_exception_does_not_hold_it_is_refused(db):
    rule = WordingRule(wrong="帐", right="账", exceptions="账本")
    with pytest.raises(Exception, match="不会起作用"):
        rule.full_clean()


# --- The admin


def upload(text: str, encoding: str = "utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile("规范用词.csv", text.encode(encoding), content_type="text/csv")


def test_the_changelist_links_to_import_and_export(admin_client):
    page = admin_client.get(reverse("admin:drafts_wordingrule_changelist"))
    assert page.status_code == 200
    assert reverse("admin:drafts_wordingrule_import") in page.content.decode()
    assert reverse("admin:drafts_wordingrule_export") in page.content.decode()


def test_export_downloads_every_rule_as_csv_excel_reads(admin_client):
    response = admin_client.get(reverse("admin:drafts_wordingrule_export"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    assert len(read_csv(text).rows) == WordingRule.objects.count()


def test_the_export_action_downloads_the_selected_rules(admin_client):
    chosen = WordingRule.objects.filter(wrong__in=["做为", "截止"])
    response = admin_client.post(
        reverse("admin:drafts_wordingrule_changelist"),
        {"action": "export_selected", "_selected_action": [r.pk for r in chosen]},
    )
    rows = read_csv(response.content.decode("utf-8")).rows
    assert {row.entry.wrong for row in rows} == {"截止", "做为"}


def test_import_adds_new_rules_and_updates_existing_ones(admin_client):
    text = "错误写法,正确写法,条件,级别,启用\n做为,作为,,建议,否\n象征性,象征,,,\n"
    response = admin_client.post(
        reverse("admin:drafts_wordingrule_import"), {"file": upload(text)}, follow=True
    )
    assert "已导入：新增 1 条，更新 1 条。" in response.content.decode()
    rule = WordingRule.objects.get(wrong="做为")
    assert (rule.severity, rule.enabled) == (WordingRule.Severity.SUGGESTION, False)
    assert WordingRule.objects.get(wrong="象征性").right == "象征"
    assert WordingRule.objects.filter(wrong="截止").exists()  # not in the file: kept


def test_import_reads_a_gb18030_file_as_excel_saves_it(admin_client):
    text = "错误写法,正确写法\r\n象征性,象征\r\n"
    admin_client.post(reverse("admin:drafts_wordingrule_import"), {"file": upload(text, "gb18030")})
    assert WordingRule.objects.filter(wrong="象征性").exists()


def test_a_file_with_a_bad_row_is_refused_whole_with_every_problem(admin_client):
    before = WordingRule.objects.count()
    text = "错误写法,正确写法,条件\n象征性,象征,\n做为,做为,\n截止,截至,有时\n"
    response = admin_client.post(reverse("admin:drafts_wordingrule_import"), {"file": upload(text)})
    assert response.status_code == 422
    page = response.content.decode()
    assert "未导入任何条目" in page
    assert "第 3 行：错误写法与正确写法相同。" in page
    assert "第 4 行：条件应为" in page
    assert WordingRule.objects.count() == before


@pytest.mark.parametrize(
    "content, message",
    [
        (b"PK\x03\x04 a zip", "不是纯文本"),
        (b"", "文件是空的。"),
    ],
)
def test_a_file_that_is_not_csv_text_is_refused_with_a_message(admin_client, content, message):
    file = SimpleUploadedFile("x.csv", content)
    response = admin_client.post(reverse("admin:drafts_wordingrule_import"), {"file": file})
    assert response.status_code == 422
    assert message in response.content.decode()


def test_staff_without_the_permissions_may_not_import_or_export(client, db):
    staff = make_user("staff1", is_staff=True)
    client.force_login(staff)
    assert client.get(reverse("admin:drafts_wordingrule_import")).status_code == 403
    assert client.get(reverse("admin:drafts_wordingrule_export")).status_code == 403
    staff.user_permissions.add(Permission.objects.get(codename="view_wordingrule"))
    assert client.get(reverse("admin:drafts_wordingrule_export")).status_code == 200
    assert client.get(reverse("admin:drafts_wordingrule_import")).status_code == 403


def test_anonymous_visitors_are_sent_to_the_login(client, db):
    response = client.get(reverse("admin:drafts_wordingrule_import"))
    assert response.status_code == 302
