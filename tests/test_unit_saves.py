"""``Speech.save_unit``: the one atomic, field-by-field save every writer goes through."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from drafts.models import AuditEvent, Item, Part, Revision, Speech, UnitGone
from tests.factories import make_user

JSON = {"HTTP_ACCEPT": "application/json"}


def save(speech, anchor, texts, bases, user, version=1):
    return Speech.save_unit(
        speech.pk, anchor, texts=texts, bases=bases, version=version, user=user, label="测试"
    )


@pytest.fixture
def colleague(db):
    return make_user("drafter2", role="起草人员")


@pytest.fixture
def measure(speech):
    return Item.objects.get(part__speech=speech, kind="measure", position=1)


@pytest.mark.django_db
def test_two_people_on_different_fields_of_one_item_both_keep_their_change(
    speech, measure, drafter, colleague
):
    # Issue 11, case 4: A changes the lead, B the body, both from the same page state.
    loaded = {"lead": measure.lead, "body": measure.body}
    save(speech, measure.anchor, {**loaded, "lead": "甲改的领句。"}, loaded, drafter)
    result = save(speech, measure.anchor, {**loaded, "body": "乙改的正文。"}, loaded, colleague)
    assert result.conflicts == []
    measure.refresh_from_db()
    assert (measure.lead, measure.body) == ("甲改的领句。", "乙改的正文。")
    assert measure.version == 3


@pytest.mark.django_db
def test_different_passages_of_one_field_merge(speech, measure, drafter, colleague):
    base = "第一句讲学习。第二句讲落实。第三句讲成效。"
    Item.objects.filter(pk=measure.pk).update(body=base)
    loaded = {"lead": measure.lead, "body": base}
    save(
        speech,
        measure.anchor,
        {**loaded, "body": base.replace("学习", "理论学习")},
        loaded,
        drafter,
    )
    result = save(
        speech,
        measure.anchor,
        {**loaded, "body": base.replace("成效", "实际成效")},
        loaded,
        colleague,
    )
    assert result.merged == ["body"] and result.conflicts == []
    measure.refresh_from_db()
    assert measure.body == "第一句讲理论学习。第二句讲落实。第三句讲实际成效。"


@pytest.mark.django_db
def test_the_same_passage_is_a_conflict_that_writes_nothing_of_that_field(
    speech, measure, drafter, colleague
):
    loaded = {"lead": measure.lead, "body": measure.body}
    save(speech, measure.anchor, {**loaded, "body": "甲的正文。"}, loaded, drafter)
    result = save(
        speech, measure.anchor, {"lead": "乙的领句。", "body": "乙的正文。"}, loaded, colleague
    )
    # The lead nobody else touched is saved; the body both changed is not.
    assert result.conflicts == ["body"]
    measure.refresh_from_db()
    assert (measure.lead, measure.body) == ("乙的领句。", "甲的正文。")
    assert result.fields == {"lead": "乙的领句。", "body": "甲的正文。"}
    assert result.theirs_by == drafter


@pytest.mark.django_db
def test_header_fields_are_decided_one_by_one(speech, drafter, colleague):
    # Issue 11, case 5: a title change must never wipe a colleague's occasion or date.
    names = ["title", "occasion", "date", "pace"]
    loaded = {name: getattr(speech, name) for name in names}
    bases = {name: "" if value is None else str(value) for name, value in loaded.items()}
    save(speech, "header", {**loaded, "occasion": "新的会议名称", "pace": 200}, bases, drafter)
    result = save(speech, "header", {**loaded, "title": "新的标题"}, bases, colleague)
    assert result.conflicts == []
    speech.refresh_from_db()
    assert (speech.title, speech.occasion, speech.pace) == ("新的标题", "新的会议名称", 200)


@pytest.mark.django_db
def test_a_save_without_base_counts_as_typed_on_its_version(speech, measure, drafter, colleague):
    loaded = {"lead": measure.lead, "body": measure.body}
    save(speech, measure.anchor, {**loaded, "body": "甲的正文。"}, {}, drafter, version=1)
    result = save(
        speech, measure.anchor, {**loaded, "body": "乙的正文。"}, {}, colleague, version=1
    )
    assert result.conflicts == ["body"]
    # Typed on the current version: written.
    result = save(
        speech, measure.anchor, {**loaded, "body": "乙的正文。"}, {}, colleague, version=2
    )
    assert result.conflicts == [] and result.version == 3


@pytest.mark.django_db
def test_line_breaks_as_browsers_send_them_are_not_a_change(speech, measure, drafter):
    Item.objects.filter(pk=measure.pk).update(body="上一段。\n下一段。")
    result = save(
        speech,
        measure.anchor,
        {"lead": measure.lead, "body": "上一段。\r\n下一段。"},
        {"lead": measure.lead, "body": "上一段。\n下一段。"},
        drafter,
    )
    assert result.saved_at is None and result.version == 1


@pytest.mark.django_db
def test_a_save_writes_text_revision_last_edit_and_audit_together(speech, measure, drafter):
    before = (Revision.objects.count(), AuditEvent.objects.count())
    loaded = {"lead": measure.lead, "body": measure.body}
    save(speech, measure.anchor, {**loaded, "body": "新的正文。"}, loaded, drafter)
    assert (Revision.objects.count(), AuditEvent.objects.count()) == (before[0] + 1, before[1] + 1)
    revision = Revision.objects.latest("pk")
    assert revision.fields == {"lead": measure.lead, "body": "新的正文。"}
    speech.refresh_from_db()
    assert speech.updated_by == drafter
    # Nothing to write: no revision, no audit row.
    save(speech, measure.anchor, {**loaded, "body": "新的正文。"}, {}, drafter, version=2)
    assert Revision.objects.count() == before[0] + 1


@pytest.mark.django_db
def test_a_submitted_speech_refuses_the_save_with_its_reason(speech, measure, drafter):
    Speech.objects.filter(pk=speech.pk).update(status=Speech.Status.SUBMITTED)
    with pytest.raises(PermissionDenied, match="待审核"):
        save(speech, measure.anchor, {"body": "x"}, {}, drafter)
    measure.refresh_from_db()
    assert measure.body != "x"


@pytest.mark.django_db
def test_a_deleted_item_is_unit_gone(speech, measure, drafter):
    anchor = measure.anchor
    measure.delete()
    with pytest.raises(UnitGone):
        save(speech, anchor, {"body": "x"}, {}, drafter)


# --- Through the views


@pytest.mark.django_db
def test_refused_saves_answer_their_reason_in_json(drafter_client, speech, measure):
    url = reverse("drafts:item-edit", args=[measure.pk])
    Speech.objects.filter(pk=speech.pk).update(status=Speech.Status.SUBMITTED)
    response = drafter_client.post(url, {"lead": "a", "body": "b", "version": 1}, **JSON)
    assert response.status_code == 403
    assert response.json()["status"] == "refused" and "待审核" in response.json()["message"]
    Speech.objects.filter(pk=speech.pk).update(status=Speech.Status.DRAFT)
    response = drafter_client.post(url, {"lead": "a" * 20_001, "body": "b", "version": 1}, **JSON)
    assert response.status_code == 422
    assert "20000" in response.json()["errors"]["lead"][0]


@pytest.mark.django_db
def test_a_merge_is_reported_with_the_stored_text(drafter_client, speech):
    part = Part.objects.get(speech=speech, kind="achievements")
    url = reverse("drafts:part-text-edit", args=[part.pk, "intro"])
    base = part.intro
    first = {"text": "【甲】" + base, "base_text": base, "version": 1}
    assert drafter_client.post(url, first, **JSON).status_code == 200
    second = {"text": base + "【乙】", "base_text": base, "version": 1}
    answer = drafter_client.post(url, second, **JSON).json()
    assert answer["status"] == "saved" and answer["merged"] == ["text"]
    assert answer["fields"]["text"] == "【甲】" + base + "【乙】"
    assert "合并" in answer["message"]


@pytest.mark.django_db
def test_restoring_after_a_later_save_is_refused_and_records_nothing(drafter_client, speech):
    url = reverse("drafts:speech-text-edit", args=[speech.pk, "opening"])
    drafter_client.post(url, {"text": "第一版开场白。", "version": 1}, **JSON)
    first = Revision.objects.latest("pk")
    drafter_client.post(url, {"text": "第二版开场白。", "version": 2}, **JSON)
    # The history page was opened at version 3; a colleague saves again (version 4).
    drafter_client.post(url, {"text": "第三版开场白。", "version": 3}, **JSON)
    count = Revision.objects.count()
    restore = reverse("drafts:revision-restore", args=[first.pk])
    response = drafter_client.post(restore, {"version": 3}, follow=True)
    assert "未恢复" in response.content.decode()
    speech.refresh_from_db()
    assert speech.opening == "第三版开场白。"
    assert Revision.objects.count() == count
    # From the page as it is now, the restore goes through and is recorded.
    response = drafter_client.post(restore, {"version": 4}, follow=True)
    assert "已将" in response.content.decode()
    speech.refresh_from_db()
    assert speech.opening == "第一版开场白。"
    assert Revision.objects.count() == count + 1


@pytest.mark.django_db
def test_the_editing_page_carries_each_fields_base(drafter_client, speech):
    html = drafter_client.get(reverse("drafts:speech-edit", args=[speech.pk])).content.decode()
    assert 'name="base_title"' in html and 'name="base_body"' in html
    assert f'name="base_text" value="{speech.opening}"' in html
