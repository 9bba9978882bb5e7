"""Word out (issue 14): the redline from a stored version to this one, from the command
line (``export_speech --changes-from REF``) and from the compare page (下载修订稿).

The files are read with a small OOXML reader of this test's own: accepting every
tracked change must give the new text and rejecting every one the old text."""

import io
import json
import zipfile
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from lxml import etree

from drafts import speech_json
from drafts.models import Snapshot, Speech

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def word_texts(content: bytes, *, accept: bool) -> list[str]:
    """The paragraphs' texts with every tracked change accepted (or rejected)."""
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(content)).read("word/document.xml"))
    dropped = W + ("del" if accept else "ins")
    texts = []
    for paragraph in root.iter(W + "p"):
        mark = paragraph.find(f"{W}pPr/{W}rPr/{dropped}")
        parts = []
        for node in paragraph.iter(W + "t", W + "delText"):
            inside = {ancestor.tag for ancestor in node.iterancestors()}
            if dropped in inside:
                continue
            parts.append(node.text or "")
        text = "".join(parts)
        if mark is not None and not text:
            continue  # a paragraph inserted (rejected) or deleted (accepted) whole
        texts.append(text)
    return texts


def joined(content, *, accept):
    return "".join(word_texts(content, accept=accept))


def act(client, speech, name, note="说明"):
    return client.post(
        reverse("drafts:speech-action", args=[speech.pk, name]),
        # The sample speech's placeholders are proofreading errors: submitting confirms them.
        {f"{name}-note": note, f"{name}-proof_confirmed": "on"},
    )


@pytest.fixture
def versions(client, drafter, leader, speech):
    """Submitted, approved, then edited: the approval and the present text differ."""
    Speech.objects.filter(pk=speech.pk).update(title="送审时写下的标题", opening="会议今天开幕。")
    client.force_login(drafter)
    act(client, speech, "submit")
    client.force_login(leader)
    act(client, speech, "approve")
    Speech.objects.filter(pk=speech.pk).update(
        title="审定以后改过的标题", opening="会议今天上午开幕。", status="draft"
    )
    client.logout()
    return speech, Snapshot.objects.get(speech=speech, transition__action="approve")


def export(speech, tmp_path, *extra):
    target = tmp_path / "out.docx"
    call_command(
        "export_speech", str(speech.pk), "--format", "docx", "-o", str(target), *extra,
        stdout=StringIO(),
    )  # fmt: skip
    return target.read_bytes()


@pytest.mark.django_db
@pytest.mark.parametrize("reference", ["approved", "submitted", "snapshot id"])
def test_changes_from_a_stored_version(versions, tmp_path, reference):
    speech, approval = versions
    if reference == "snapshot id":
        reference = str(approval.pk)
    content = export(speech, tmp_path, "--changes-from", reference)
    assert b"<w:ins " in zipfile.ZipFile(io.BytesIO(content)).read("word/document.xml")
    new, old = joined(content, accept=True), joined(content, accept=False)
    assert "审定以后改过的标题" in new and "会议今天上午开幕。" in new
    assert "送审时写下的标题" in old and "会议今天开幕。" in old
    assert "送审时写下的标题" not in new and "审定以后改过的标题" not in old


@pytest.mark.django_db
def test_changes_from_a_json_file(versions, tmp_path):
    speech, approval = versions
    old_file = tmp_path / "old.json"
    old_file.write_text(json.dumps(approval.document, ensure_ascii=False), encoding="utf-8")
    content = export(speech, tmp_path, "--changes-from", str(old_file))
    assert "送审时写下的标题" in joined(content, accept=False)
    assert "审定以后改过的标题" in joined(content, accept=True)


@pytest.mark.django_db
def test_returned_names_the_submission_that_was_returned(client, drafter, leader, speech, tmp_path):
    Speech.objects.filter(pk=speech.pk).update(title="被退回的那一稿")
    client.force_login(drafter)
    act(client, speech, "submit")
    client.force_login(leader)
    act(client, speech, "return")
    Speech.objects.filter(pk=speech.pk).update(title="退回后重写的标题")
    client.force_login(drafter)
    act(client, speech, "submit")
    content = export(speech, tmp_path, "--changes-from", "returned")
    assert "被退回的那一稿" in joined(content, accept=False)
    assert "退回后重写的标题" in joined(content, accept=True)
    assert "被退回的那一稿" not in joined(content, accept=True)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("reference", "message"),
    [
        ("returned", "还没有“退回修改”时的版本"),
        ("999999", "没有编号为 999999 的版本"),
        ("99999999999999999999999", "没有编号为"),
        ("missing.json", "找不到文件"),
        ("bad.json", "不是有效的 speechdraft/1 文件"),
        ("latin1.json", "不是 UTF-8"),
    ],
)
def test_a_reference_that_names_nothing_is_refused(versions, tmp_path, reference, message):
    speech, _ = versions
    (tmp_path / "bad.json").write_text('{"format": "speechdraft/1"}', encoding="utf-8")
    (tmp_path / "latin1.json").write_bytes(b'{"title": "\xe9"}')
    if reference.endswith(".json"):
        reference = str(tmp_path / reference)
    with pytest.raises(CommandError, match=message):
        export(speech, tmp_path, "--changes-from", reference)
    assert not (tmp_path / "out.docx").exists()


@pytest.mark.django_db
def test_changes_from_needs_word_and_a_document_snapshot(versions, tmp_path):
    speech, _ = versions
    with pytest.raises(CommandError, match="只能用于 --format docx"):
        call_command(
            "export_speech", str(speech.pk), "--changes-from", "approved", stdout=StringIO()
        )
    old = Snapshot.objects.create(speech=speech, units=[])
    with pytest.raises(CommandError, match="旧格式"):
        export(speech, tmp_path, "--changes-from", str(old.pk))


@pytest.mark.django_db
def test_the_compare_page_downloads_the_redline(client, drafter, outsider, versions):
    speech, approval = versions
    url = reverse("drafts:speech-compare-redline", args=[speech.pk])
    query = {"old": approval.pk, "new": "current"}
    assert client.get(url, query).status_code == 302  # anonymous: to the login
    client.force_login(outsider)
    assert client.get(url, query).status_code == 404
    client.force_login(drafter)
    page = client.get(reverse("drafts:speech-compare", args=[speech.pk]), query).content.decode()
    assert "下载修订稿" in page and f"{url}?old={approval.pk}&new=current" in page
    response = client.get(url, query)
    assert response.status_code == 200
    assert "送审时写下的标题" in joined(response.content, accept=False)
    assert "审定以后改过的标题" in joined(response.content, accept=True)
    # The texts compared are exactly the two versions' paragraphs.
    from drafts.assembly import assemble

    old_paragraphs = [p.text for p in assemble(speech_json.from_document(approval.document))]
    assert [t for t in word_texts(response.content, accept=False) if t] == [
        t for t in old_paragraphs if t
    ]


@pytest.mark.django_db
def test_no_redline_button_for_an_old_units_only_version(client, drafter, versions):
    speech, _ = versions
    old = Snapshot.objects.create(speech=speech, units=[])
    client.force_login(drafter)
    page = client.get(reverse("drafts:speech-compare", args=[speech.pk]), {"old": old.pk})
    assert "下载修订稿" not in page.content.decode()
    url = reverse("drafts:speech-compare-redline", args=[speech.pk])
    assert client.get(url, {"old": old.pk}).status_code == 404
