"""导入 Word 审阅稿: the upload on a speech's page and the page that lists what was
recorded as suggestions and comments and what could not be placed (issue 14)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from drafts import workflow
from drafts.budgets import configured
from drafts.models import Comment, Item, Speech, Suggestion
from tests.factories import make_speech, make_user
from tests.test_review_import import WANG, ZHAO, at, export, review_download, reviewed
from tests.tracked_edits import Reviewer

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def url(speech) -> str:
    return reverse("drafts:speech-review-import", args=[speech.pk])


def upload(content: bytes, name: str = "审阅稿.docx"):
    return {"upload": SimpleUploadedFile(name, content, content_type=DOCX)}


@pytest.fixture
def wang(db):
    return make_user("wangjz", role="审核领导", first_name="局长", last_name="王")


# --- Who may import


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_users_are_sent_to_login(client, speech, method):
    response = getattr(client, method)(url(speech))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_a_speech_of_another_agency_is_not_found(client, speech):
    client.force_login(make_user("other", role="审核领导", agency="别的局"))
    assert client.get(url(speech)).status_code == 404
    assert client.post(url(speech), upload(b"PK")).status_code == 404


@pytest.mark.django_db
def test_a_user_without_a_role_is_not_found(client, speech, outsider):
    client.force_login(outsider)
    assert client.get(url(speech)).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["drafter", "leader"])
def test_drafters_and_leaders_both_import(client, speech, request, persona, wang):
    client.force_login(request.getfixturevalue(persona))
    response = client.post(url(speech), upload(reviewed(speech)))
    assert response.status_code == 200
    assert Suggestion.objects.filter(speech=speech).count() == 7


@pytest.mark.django_db
def test_an_approved_speech_refuses_with_the_reason(client, speech, drafter, leader):
    speech.take_action("submit", drafter, {workflow.DRAFTER}, "请审核")
    speech.take_action("approve", leader, {workflow.REVIEWER}, "")
    client.force_login(leader)
    for response in (client.get(url(speech)), client.post(url(speech), upload(reviewed(speech)))):
        assert response.status_code == 403
        page = response.content.decode()
        assert "讲话稿已审定，不能再导入审阅意见。如需修改，请审核领导重新打开。" in page
        assert "批注" not in page.split("<main", 1)[-1]
    assert not Suggestion.objects.exists()


# --- The form


@pytest.mark.django_db
def test_the_form_is_checked_in_the_browser_before_it_is_sent(drafter_client, speech):
    html = drafter_client.get(url(speech)).content.decode()
    assert 'enctype="multipart/form-data"' in html and 'type="file"' in html
    # speechdraft.js refuses a file past the budget with this wording before sending.
    assert f'data-max-bytes="{configured().upload_bytes}"' in html
    assert 'data-what="上传的文件"' in html and 'accept=".docx,' in html


@pytest.mark.django_db
def test_the_speech_pages_link_to_the_upload_until_it_is_approved(
    drafter_client, speech, drafter, leader
):
    for page in ("drafts:speech-preview", "drafts:speech-edit"):
        html = drafter_client.get(reverse(page, args=[speech.pk])).content.decode()
        assert f'href="{url(speech)}"' in html and "导入 Word 审阅稿" in html
    speech.take_action("submit", drafter, {workflow.DRAFTER}, "请审核")
    speech.take_action("approve", leader, {workflow.REVIEWER}, "")
    html = drafter_client.get(reverse("drafts:speech-preview", args=[speech.pk])).content.decode()
    assert "导入 Word 审阅稿" not in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({}, "请选择审阅后的 Word 文件"),
        (upload(b"", "empty.docx"), "文件是空的"),
        (upload("同志们：".encode(), "notes.txt"), "只能是 Word 的 .docx 文件"),
        (upload(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504, "old.doc"), "旧版 Word"),
        (upload(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504), "旧版 Word"),
        (upload("同志们：".encode()), "不是有效的 .docx 文件"),
        (upload(b"PK\x03\x04" + b"\0" * 64), "已损坏"),
    ],
)
def test_a_bad_file_comes_back_with_a_chinese_message(drafter_client, speech, files, message):
    response = drafter_client.post(url(speech), files)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Suggestion.objects.exists() and not Comment.objects.exists()


@pytest.mark.django_db
def test_a_file_past_the_budget_is_refused_unread(drafter_client, speech, settings):
    docx = reviewed(speech)
    settings.BUDGETS = {**settings.BUDGETS, "upload_bytes": len(docx) - 1}
    response = drafter_client.post(url(speech), upload(docx))
    assert response.status_code == 422 and "文件超过上限" in response.content.decode()


@pytest.mark.django_db
def test_a_file_of_another_speech_is_refused(drafter_client, speech, drafter):
    other = make_speech(owner=drafter)
    response = drafter_client.post(url(speech), upload(export(other)))
    assert response.status_code == 422 and "另一篇讲话稿" in response.content.decode()


# --- The result


@pytest.mark.django_db
def test_the_result_lists_suggestions_comments_and_what_was_not_placed(
    drafter_client, speech, wang
):
    response = drafter_client.post(url(speech), upload(reviewed(speech)))
    html = response.content.decode()
    assert "导入 7 条修改建议、3 条批注，2 处无法对应" in html
    assert "已按文件导出时的文字" in html
    # Each suggestion by where and whom, with its text.
    assert "第一部分 成绩（二） 正文" in html and "赵主任" in html
    assert "这是第2项成绩的正文，累计办理XXX件。" in html
    assert "合为一条，记为赵主任的建议" in html
    # Comments, the reply marked.
    assert "再鼓鼓劲。" in html and ">回复</span>" in html
    # What could not be placed, with its text, to apply by hand.
    assert "新增的段落在两个字段之间" in html and "另起一段新的话。" in html
    assert "改动涉及编号或连接语" in html
    assert Speech.objects.get(pk=speech.pk).opening == speech.opening


@pytest.mark.django_db
def test_a_file_with_nothing_to_place_says_so(drafter_client, speech):
    html = drafter_client.post(url(speech), upload(export(speech))).content.decode()
    assert "导入 0 条修改建议、0 条批注" in html
    assert "文件中没有可以记为建议的修订" in html and "每一处改动都找到了位置" in html


@pytest.mark.django_db
def test_the_import_costs_a_bounded_number_of_queries(
    drafter_client, speech, wang, django_assert_max_num_queries
):
    reviewer = Reviewer(export(speech))
    reviewer.replace(at(speech, "opening"), "两个方面", "三个方面", *WANG)
    reviewer.replace(at(speech, "closing"), "共同努力", "齐心协力", *ZHAO)
    reviewer.comment(at(speech, "closing"), "全年任务", "好。", *WANG)
    docx = reviewer.save()
    with django_assert_max_num_queries(35):
        assert drafter_client.post(url(speech), upload(docx)).status_code == 200


@pytest.mark.django_db
def test_a_small_docx_xml_budget_is_a_message_not_an_error(drafter_client, speech, settings):
    docx = reviewed(speech)
    settings.BUDGETS = {**settings.BUDGETS, "docx_xml_bytes": 2_000}
    response = drafter_client.post(url(speech), upload(docx))
    assert response.status_code == 422 and "解压后超过上限" in response.content.decode()


@pytest.mark.django_db
def test_the_review_download_imported_back_says_nothing_is_new(client, speech, drafter, leader):
    second = Item.objects.get(part__speech=speech, kind="achievement", position=2)
    suggestion = Suggestion.propose(
        speech.pk, second.anchor, "body", base=second.body,
        proposed=second.body.replace("共办理", "共督促办理"), user=leader, reason="补充表述",
    )  # fmt: skip
    suggestion.replies.create(author=drafter, text="同意。")
    client.force_login(leader)
    html = client.post(url(speech), upload(review_download(speech))).content.decode()
    assert "导入 0 条修改建议、0 条批注，另有 3 条已在系统中（未重复记录）" in html
    assert Suggestion.objects.get().reason == "补充表述" and not Comment.objects.exists()
