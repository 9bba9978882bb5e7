"""The 导入讲话稿 page: paste or upload, preview the structure, then create."""

import re
from html import unescape
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from drafts import speech_json
from drafts.budgets import configured
from drafts.models import AuditEvent, Speech
from drafts.parsing import parse_text

RESOURCES = Path(__file__).parent / "resources"
FARMLAND = (RESOURCES / "speech_farmland.txt").read_text(encoding="utf-8")
IMPORT = reverse("drafts:speech-import")
CREATE = reverse("drafts:speech-import-create")


def hidden_document(response) -> str:
    match = re.search(r'name="document" value="([^"]*)"', response.content.decode())
    return unescape(match.group(1))


# -- who may import ---------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "url"), [("get", IMPORT), ("post", IMPORT), ("post", CREATE)])
def test_anonymous_users_are_sent_to_login(client, method, url):
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["outsider", "leader"])
def test_users_who_do_not_draft_may_not_import(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(IMPORT).status_code == 403
    document = speech_json.dumps(parse_text(FARMLAND).speech)
    assert client.post(CREATE, {"document": document}).status_code == 403
    assert not Speech.objects.exists()


# -- the preview ------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_page_offers_pasting_and_uploading(drafter_client):
    html = drafter_client.get(IMPORT).content.decode()
    assert "导入讲话稿" in html
    assert 'name="text"' in html and 'type="file"' in html
    assert 'enctype="multipart/form-data"' in html


@pytest.mark.django_db
def test_pasted_text_is_previewed_beside_its_structure_and_nothing_is_stored(drafter_client):
    response = drafter_client.post(IMPORT, {"text": FARMLAND.replace("\n", "\r\n")})
    html = response.content.decode()
    assert response.status_code == 200
    assert "原文（26 段）" in html
    assert "→ 第一部分 成绩（十一）" in html
    assert "成绩 12 条，启示 4 条，不足 4 条，措施 4 条" in html
    assert "没有发现问题" in html
    assert speech_json.loads(hidden_document(response)).part_one.achievements[10].lead == (
        "产出效益更加明显。"
    )
    assert not Speech.objects.exists()


@pytest.mark.django_db
def test_findings_are_listed_and_link_to_their_paragraph(drafter_client):
    text = FARMLAND.replace("（三）工程质量", "（四）工程质量")
    html = drafter_client.post(IMPORT, {"text": text}).content.decode()
    assert '<a href="#source-9">第9段</a>：成绩编号不连续' in html
    assert 'id="source-9" class="import-row flagged"' in html


@pytest.mark.django_db
def test_an_uploaded_word_file_is_previewed(drafter_client):
    data = (RESOURCES / "speech_emergency_libreoffice.docx").read_bytes()
    upload = SimpleUploadedFile("去年的讲话.docx", data)
    html = drafter_client.post(IMPORT, {"upload": upload}).content.decode()
    assert "成绩 5 条，启示 3 条，不足 3 条，措施 3 条" in html
    assert "局长 周XX" in html
    assert "2026年12月10日" in html


@pytest.mark.django_db
def test_an_uploaded_gb18030_text_file_is_previewed(drafter_client):
    data = (RESOURCES / "speech_farmland_gb18030.txt").read_bytes()
    response = drafter_client.post(IMPORT, {"upload": SimpleUploadedFile("讲话.txt", data)})
    assert "成绩 12 条" in response.content.decode()


# -- refusals: 422 with the user's input kept ---------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("旧.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504, "另存为 .docx"),
        ("空.txt", b"", "文件是空的。"),
        ("大.txt", b"a" * (configured().upload_bytes + 1), "文件超过上限：最多 10 MB"),
        ("假.docx", "其实是文字".encode(), "不是有效的 .docx"),
        ("讲话.pdf", b"%PDF-1.7", "只能导入 .txt、.docx 或 .json 文件"),
    ],
)
def test_a_refused_file_gives_its_message_and_stores_nothing(drafter_client, name, data, message):
    response = drafter_client.post(IMPORT, {"upload": SimpleUploadedFile(name, data)})
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Speech.objects.exists()


@pytest.mark.django_db
def test_nothing_pasted_or_uploaded_is_refused(drafter_client):
    response = drafter_client.post(IMPORT, {"text": " \r\n\u3000"})
    assert response.status_code == 422
    assert "请粘贴讲话稿全文，或者选择要上传的文件。" in response.content.decode()


@pytest.mark.django_db
def test_pasting_and_uploading_at_once_is_refused_and_the_text_kept(drafter_client):
    upload = SimpleUploadedFile("讲话.txt", FARMLAND.encode())
    response = drafter_client.post(IMPORT, {"text": "同志们：我粘贴的文字", "upload": upload})
    assert response.status_code == 422
    html = response.content.decode()
    assert "请只选一种方式" in html
    assert "同志们：我粘贴的文字" in html


@pytest.mark.django_db
def test_a_heading_too_long_to_store_is_refused_with_its_length(drafter_client):
    text = FARMLAND.replace("二、正视差距补短板", "二、" + "很长的标题" * 50)
    response = drafter_client.post(IMPORT, {"text": text})
    assert response.status_code == 422
    assert "第二部分 标题超过上限：最多 200 字，现有 264 字。" in response.content.decode()


# -- creating ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_confirming_creates_the_speech_as_previewed(
    drafter_client, drafter, django_assert_max_num_queries
):
    preview = drafter_client.post(IMPORT, {"text": FARMLAND})
    document = hidden_document(preview)
    with django_assert_max_num_queries(14):
        response = drafter_client.post(CREATE, {"document": document})
    speech = Speech.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("drafts:speech-edit", args=[speech.pk])
    assert speech.owner == drafter
    stored = Speech.objects.with_structure().get(pk=speech.pk).as_structure()
    assert speech_json.to_document(stored) == speech_json.to_document(parse_text(FARMLAND).speech)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CREATE, speech_id=speech.pk).exists()
    page = drafter_client.get(response["Location"]).content.decode()
    assert "已导入讲话稿：成绩 12 条，启示 4 条，不足 4 条，措施 4 条。" in page


@pytest.mark.django_db
@pytest.mark.parametrize("document", ["", "{不是 JSON", '{"format": "speechdraft/1"}'])
def test_a_broken_document_on_confirm_is_refused_and_nothing_stored(drafter_client, document):
    response = drafter_client.post(CREATE, {"document": document})
    assert response.status_code == 422
    assert not Speech.objects.exists()
    assert 'name="text"' in response.content.decode()


@pytest.mark.django_db
def test_confirm_only_takes_posts(drafter_client):
    assert drafter_client.get(CREATE).status_code == 405
