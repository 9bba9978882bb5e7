"""Versions as documents (issue 14): a snapshot holds the whole speech in the
``speechdraft/1`` form with its item ids, and reads its compare units from it."""

import pytest
from django.urls import reverse

from drafts import comparison, speech_json
from drafts.models import Item, Snapshot, Speech


def act(client, speech, name, note="说明文字"):
    return client.post(
        reverse("drafts:speech-action", args=[speech.pk, name]),
        # The sample speech's placeholders are proofreading errors: submitting confirms them.
        {f"{name}-note": note, f"{name}-proof_confirmed": "on"},
    )


def current_units(speech):
    data = Speech.objects.with_structure().get(pk=speech.pk).as_structure()
    return comparison.speech_units(data)


@pytest.mark.django_db
def test_a_submission_stores_the_whole_speech_with_its_item_ids(client, drafter, speech):
    client.force_login(drafter)
    act(client, speech, "submit", "第一稿")
    snapshot = Snapshot.objects.get(speech=speech)
    assert snapshot.document["format"] == "speechdraft/1"
    assert snapshot.units is None
    data = Speech.objects.with_structure().get(pk=speech.pk).as_structure()
    assert snapshot.document == speech_json.to_document(data)
    ids = {str(pk) for pk in Item.objects.filter(part__speech=speech).values_list("pk", flat=True)}
    assert ids and {i for kind in snapshot.item_ids.values() for i in kind} == ids
    # The compare units come from the document, item anchors and all.
    assert snapshot.text_units() == current_units(speech)
    rebuilt = snapshot.as_structure()
    assert speech_json.to_document(rebuilt) == snapshot.document


@pytest.mark.django_db
def test_an_old_snapshot_with_only_units_still_compares(client, drafter, speech):
    units = [{"key": "header/title", "label": "标题", "text": "一份旧的标题"}]
    snapshot = Snapshot.objects.create(speech=speech, units=units)
    assert not snapshot.has_document
    assert snapshot.text_units() == [comparison.TextUnit("header/title", "标题", "一份旧的标题")]
    client.force_login(drafter)
    page = client.get(reverse("drafts:speech-compare", args=[speech.pk]), {"old": snapshot.pk})
    assert page.status_code == 200 and "一份旧的标题" in page.content.decode()


# --- Any version can be previewed and downloaded


def version_url(name, snapshot):
    return reverse(f"drafts:{name}", args=[snapshot.speech_id, snapshot.pk])


def read_docx(content):
    import io

    import docx

    return docx.Document(io.BytesIO(content))


def edit_title(speech, title):
    Speech.objects.filter(pk=speech.pk).update(title=title)


@pytest.fixture
def approved_cycle(client, drafter, leader, speech):
    """Submitted with one title, approved with another, then edited again."""
    edit_title(speech, "第一稿的标题")
    client.force_login(drafter)
    act(client, speech, "submit", "请审核")
    client.force_login(leader)
    act(client, speech, "return", "再改改")
    edit_title(speech, "审定时的标题")
    client.force_login(drafter)
    act(client, speech, "submit", "已修改")
    client.force_login(leader)
    act(client, speech, "approve", "")
    edit_title(speech, "审定之后又改的标题")
    client.logout()
    first = Snapshot.objects.filter(speech=speech).first()
    approval = Snapshot.objects.get(speech=speech, transition__action="approve")
    return first, approval


ALL_VIEWS = ("version-preview", "version-export-txt", "version-export-json", "version-export-docx")


@pytest.mark.django_db
def test_version_pages_follow_the_permission_ladder(client, outsider, drafter, approved_cycle):
    first, _ = approved_cycle
    for name in ALL_VIEWS:
        response = client.get(version_url(name, first))
        assert response.status_code == 302 and "/login" in response["Location"], name
    client.force_login(outsider)
    for name in ALL_VIEWS:
        assert client.get(version_url(name, first)).status_code == 404, name
    client.force_login(drafter)
    for name in ALL_VIEWS:
        assert client.get(version_url(name, first)).status_code == 200, name


@pytest.mark.django_db
def test_a_snapshot_of_another_speech_is_404(client, drafter, approved_cycle):
    from tests.factories import make_speech

    first, _ = approved_cycle
    other = make_speech(owner=drafter)
    client.force_login(drafter)
    url = reverse("drafts:version-export-txt", args=[other.pk, first.pk])
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_each_version_exports_its_own_text(client, drafter, approved_cycle):
    first, approval = approved_cycle
    client.force_login(drafter)
    text = client.get(version_url("version-export-txt", first)).content.decode()
    assert "第一稿的标题" in text and "审定" not in text
    document = client.get(version_url("version-export-json", approval)).json()
    assert document["format"] == "speechdraft/1" and document["title"] == "审定时的标题"
    assert speech_json.from_document(document).title == "审定时的标题"
    html = client.get(version_url("version-preview", first)).content.decode()
    paper = html[html.index('<article class="paper"') : html.index("</article>")]
    assert "第一稿的标题" in paper and "审定之后又改的标题" not in paper
    assert version_url("version-export-docx", first) in html


@pytest.mark.django_db
def test_the_approved_word_file_names_its_approval(client, drafter, leader, approved_cycle):
    from drafts.access import user_name

    _, approval = approved_cycle
    client.force_login(drafter)
    response = client.get(version_url("version-export-docx", approval))
    assert (
        "审定稿" in response["Content-Disposition"]
        or "%E5%AE%A1" in response["Content-Disposition"]
    )
    document = read_docx(response.content)
    properties = document.core_properties
    when = f"{approval.created_at.astimezone():%Y-%m-%d %H:%M}"
    assert properties.comments == f"审定通过：{when}，审定人：{user_name(leader)}"
    assert properties.content_status == "审定稿"
    header = document.sections[0].first_page_header
    assert all("讨论稿" not in p.text for p in header.paragraphs)
    assert any(p.text == "审定时的标题" for p in document.paragraphs)


@pytest.mark.django_db
def test_a_draft_word_file_says_discussion_draft_and_its_version(client, drafter, approved_cycle):
    first, _ = approved_cycle
    client.force_login(drafter)
    document = read_docx(client.get(version_url("version-export-docx", first)).content)
    assert document.sections[0].first_page_header.paragraphs[0].text == "讨论稿"
    properties = document.core_properties
    assert properties.comments.startswith("讨论稿：") and "提交" in properties.comments
    assert properties.version == properties.comments


@pytest.mark.django_db
def test_history_and_compare_pages_link_the_versions(client, drafter, approved_cycle):
    first, approval = approved_cycle
    client.force_login(drafter)
    history = client.get(reverse("drafts:speech-history", args=[first.speech_id])).content.decode()
    assert version_url("version-preview", first) in history
    assert version_url("version-export-docx", approval) in history
    compare = client.get(
        reverse("drafts:speech-compare", args=[first.speech_id]),
        {"old": first.pk, "new": approval.pk},
    ).content.decode()
    assert version_url("version-preview", first) in compare
    assert version_url("version-export-docx", approval) in compare


@pytest.mark.django_db
def test_an_old_units_only_version_is_compared_not_exported(client, drafter, speech):
    old = Snapshot.objects.create(speech=speech, units=[])
    client.force_login(drafter)
    page = client.get(version_url("version-preview", old))
    assert page.status_code == 200 and "旧格式" in page.content.decode()
    assert client.get(version_url("version-export-docx", old)).status_code == 404


# --- Backups keep the versions' documents; old backup files still restore


def backup_and_restore(tmp_path, edit=None):
    import json
    from io import StringIO

    from django.core.management import call_command

    directory = tmp_path / "backup"
    call_command("backup_speeches", str(directory), stdout=StringIO())
    if edit is not None:
        for path in directory.glob("*.json"):
            document = json.loads(path.read_text("utf-8"))
            edit(document)
            path.write_text(json.dumps(document, ensure_ascii=False), "utf-8")
    Speech.objects.all().delete()
    call_command("restore_speeches", str(directory), stdout=StringIO())


@pytest.mark.django_db
def test_a_backup_keeps_each_version_as_a_document(tmp_path, drafter, speech):
    from drafts import workflow

    speech.take_action("submit", drafter, {workflow.DRAFTER}, "请审核")
    before = Snapshot.objects.get()
    document, item_ids, units = before.document, before.item_ids, before.text_units()
    backup_and_restore(tmp_path)
    after = Snapshot.objects.get()
    assert (after.document, after.item_ids) == (document, item_ids)
    assert after.text_units() == units


@pytest.mark.django_db
def test_an_old_backup_with_text_units_still_restores(tmp_path, drafter, speech):
    from drafts import workflow

    speech.take_action("submit", drafter, {workflow.DRAFTER}, "请审核")
    units = [vars(unit) for unit in Snapshot.objects.get().text_units()]

    def as_old_file(document):
        for step in document["timeline"]:
            if step["snapshot"] is not None:
                step["snapshot"] = units

    backup_and_restore(tmp_path, as_old_file)
    after = Snapshot.objects.get()
    assert after.document is None and after.units == units
    assert [vars(unit) for unit in after.text_units()] == units


@pytest.mark.django_db
def test_a_backup_version_with_a_bad_document_is_refused(tmp_path, drafter, speech):
    from django.core.management import CommandError

    from drafts import workflow

    speech.take_action("submit", drafter, {workflow.DRAFTER}, "请审核")

    def break_it(document):
        document["timeline"][0]["snapshot"]["item_ids"]["lessons"] = []

    with pytest.raises(CommandError, match="item_ids.lessons"):
        backup_and_restore(tmp_path, break_it)
