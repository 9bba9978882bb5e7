"""The 回收站 pages: deleting says where things went, and restoring gives them back."""

import pytest
from django.urls import reverse

from drafts.access import DRAFTER_GROUP
from drafts.models import AuditEvent, Comment, DeletedItem, Item, Speech
from tests.factories import make_speech, make_user

HTMX = {"HTTP_HX_REQUEST": "true"}


def lesson(speech, position):
    return Item.objects.get(part__speech=speech, kind="lesson", position=position)


def lessons(speech):
    items = Item.objects.filter(part__speech=speech, kind="lesson").order_by("position")
    return [item.body for item in items]


@pytest.fixture
def colleague(db):
    """A drafter of the same unit, who neither owns the speech nor deleted anything."""
    return make_user("drafter2", role=DRAFTER_GROUP)


# --- Deleting an item, and taking the delete back


@pytest.mark.django_db
def test_deleting_an_item_offers_to_take_it_back_in_place(drafter_client, speech):
    second = lesson(speech, 2)
    response = drafter_client.post(reverse("drafts:item-delete", args=[second.pk]), **HTMX)
    html = response.content.decode()
    assert "已删除启示二是，已移入回收站，30 天内可恢复。" in html
    assert reverse("drafts:item-restore", args=[second.pk]) in html

    response = drafter_client.post(reverse("drafts:item-restore", args=[second.pk]), **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "必须坚持第2条经验" in html and "trash-notice" not in html
    assert lessons(speech) == ["必须坚持第1条经验", "必须坚持第2条经验", "必须坚持第3条经验"]


@pytest.mark.django_db
def test_an_item_deleted_without_htmx_says_where_it_went(drafter_client, speech):
    first = lesson(speech, 1)
    page = drafter_client.post(reverse("drafts:item-delete", args=[first.pk]), follow=True)
    html = page.content.decode()
    assert "已删除启示一是，已移入回收站，30 天内可恢复。" in html
    assert f"{reverse('drafts:trash')}?speech={speech.pk}" in html


@pytest.mark.django_db
def test_the_trash_lists_an_item_with_its_speech_label_and_text(drafter_client, speech):
    drafter_client.post(reverse("drafts:item-delete", args=[lesson(speech, 3).pk]))
    html = drafter_client.get(reverse("drafts:trash")).content.decode()
    assert "在测试局年度工作总结会议上的讲话" in html
    assert "启示三是" in html and "必须坚持第3条经验" in html
    assert AuditEvent.objects.get(action="delete").detail == "删除启示三是（移入回收站）"


@pytest.mark.django_db
def test_restoring_from_the_trash_page_leads_to_the_item(client, drafter, leader, speech):
    second = lesson(speech, 2)
    client.force_login(leader)
    client.post(
        reverse("drafts:comment-add", args=[speech.pk]), {"anchor": second.anchor, "text": "可删"}
    )
    client.force_login(drafter)
    assert "可删" in client.get(reverse("drafts:home")).content.decode()
    client.post(reverse("drafts:item-delete", args=[second.pk]))
    assert "可删" not in client.get(reverse("drafts:home")).content.decode()

    response = client.post(reverse("drafts:item-restore", args=[second.pk]))
    assert response["Location"] == reverse("drafts:speech-edit", args=[speech.pk]) + (
        f"#item-{second.pk}"
    )
    page = client.get(response["Location"]).content.decode()
    assert "已从回收站恢复启示二是。" in page and "可删" in page
    assert Comment.objects.get(text="可删").is_open
    assert "可删" in client.get(reverse("drafts:home")).content.decode()
    event = AuditEvent.objects.get(action="trash_restore")
    assert (event.speech_id, event.detail, event.user) == (speech.pk, "启示二是", drafter)


@pytest.mark.django_db
def test_the_trash_can_show_one_speech_only(drafter_client, drafter, speech):
    other = make_speech(owner=drafter, title="另一篇讲话")
    drafter_client.post(reverse("drafts:item-delete", args=[lesson(speech, 1).pk]))
    drafter_client.post(reverse("drafts:item-delete", args=[lesson(other, 1).pk]))
    url = reverse("drafts:trash")
    html = drafter_client.get(url, {"speech": other.pk}).content.decode()
    assert "另一篇讲话中删除的条目" in html
    assert html.count('id="trash-item-') == 1
    assert drafter_client.get(url).content.decode().count('id="trash-item-') == 2
    for unknown in ("999", "x"):
        assert drafter_client.get(url, {"speech": unknown}).status_code == 200


# --- Who may restore


@pytest.mark.django_db
def test_a_colleague_sees_the_entry_but_may_not_restore_it(client, drafter, colleague, speech):
    first = lesson(speech, 1)
    client.force_login(drafter)
    client.post(reverse("drafts:item-delete", args=[first.pk]))
    client.force_login(colleague)
    html = client.get(reverse("drafts:trash")).content.decode()
    assert "必须坚持第1条经验" in html
    assert "只有删除人、讲话稿创建人或管理员可以恢复。" in html
    assert reverse("drafts:item-restore", args=[first.pk]) not in html
    response = client.post(reverse("drafts:item-restore", args=[first.pk]))
    assert response.status_code == 403
    assert DeletedItem.objects.filter(item_id=first.pk).exists()


@pytest.mark.django_db
def test_who_deleted_an_item_and_the_owner_may_restore_it(client, drafter, colleague, speech):
    first, second = lesson(speech, 1), lesson(speech, 2)
    client.force_login(colleague)
    client.post(reverse("drafts:item-delete", args=[first.pk]))
    client.post(reverse("drafts:item-delete", args=[second.pk]))
    assert client.post(reverse("drafts:item-restore", args=[first.pk])).status_code == 302
    client.force_login(drafter)
    assert client.post(reverse("drafts:item-restore", args=[second.pk])).status_code == 302
    assert len(lessons(speech)) == 3


@pytest.mark.django_db
def test_an_item_goes_back_only_into_a_speech_that_may_be_edited(client, drafter, speech):
    first = lesson(speech, 1)
    client.force_login(drafter)
    client.post(reverse("drafts:item-delete", args=[first.pk]))
    speech.take_action("submit", drafter, {"drafter"}, "请审核")
    html = client.get(reverse("drafts:trash")).content.decode()
    assert "讲话稿当前为“待审核”，不能修改。" in html
    response = client.post(reverse("drafts:item-restore", args=[first.pk]))
    assert response.status_code == 403
    assert "讲话稿当前为“待审核”" in response.content.decode()


@pytest.mark.django_db
def test_an_item_of_another_unit_is_not_found(client, speech):
    entry = lesson(speech, 1).remove(speech.owner)
    client.force_login(make_user("drafter_b", role=DRAFTER_GROUP, agency="乙局"))
    assert "必须坚持第1条经验" not in client.get(reverse("drafts:trash")).content.decode()
    assert client.post(reverse("drafts:item-restore", args=[entry.item_id])).status_code == 404


# --- Deleting and restoring a speech


@pytest.mark.django_db
def test_a_deleted_speech_leaves_every_page_but_the_trash(client, drafter, leader, speech):
    client.force_login(leader)
    client.get(reverse("drafts:speech-preview", args=[speech.pk]))  # now in the page cache
    client.force_login(drafter)
    client.post(reverse("drafts:speech-delete", args=[speech.pk]))
    title = "在测试局年度工作总结会议上的讲话"
    html = client.get(reverse("drafts:speech-list")).content.decode()
    assert "已移入回收站" in html and "还没有讲话稿" in html
    assert title not in client.get(reverse("drafts:home")).content.decode()
    for name in ("speech-edit", "speech-preview", "speech-history", "speech-export-docx"):
        assert client.get(reverse(f"drafts:{name}", args=[speech.pk])).status_code == 404
    client.force_login(leader)
    assert client.get(reverse("drafts:speech-preview", args=[speech.pk])).status_code == 404
    assert client.post(reverse("drafts:speech-restore", args=[speech.pk])).status_code == 403
    client.force_login(drafter)
    html = client.get(reverse("drafts:trash")).content.decode()
    assert title in html and reverse("drafts:speech-restore", args=[speech.pk]) in html


@pytest.mark.django_db
def test_a_restored_speech_is_back_whole(drafter_client, drafter, speech):
    Comment.objects.create(speech=speech, anchor="closing", author=drafter, text="结尾再改")
    drafter_client.post(reverse("drafts:speech-delete", args=[speech.pk]))
    response = drafter_client.post(reverse("drafts:speech-restore", args=[speech.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("drafts:speech-edit", args=[speech.pk])
    html = response.content.decode()
    assert "已从回收站恢复《在测试局年度工作总结会议上的讲话》。" in html and "结尾再改" in html
    assert Speech.objects.alive().get() == speech
    events = AuditEvent.objects.exclude(action="login").order_by("pk")
    assert [event.action for event in events] == ["delete", "trash_restore"]
    assert (
        drafter_client.post(reverse("drafts:speech-restore", args=[speech.pk])).status_code == 404
    )


@pytest.mark.django_db
def test_a_colleague_may_not_restore_a_speech_the_owner_deleted(client, drafter, colleague):
    speech = make_speech(owner=drafter)
    speech.move_to_trash(drafter)
    client.force_login(colleague)
    assert "只有删除人、讲话稿创建人或管理员可以恢复。" in (
        client.get(reverse("drafts:trash")).content.decode()
    )
    assert client.post(reverse("drafts:speech-restore", args=[speech.pk])).status_code == 403
    superuser = make_user("root", is_superuser=True, agency=None)
    client.force_login(superuser)
    assert client.post(reverse("drafts:speech-restore", args=[speech.pk])).status_code == 302


@pytest.mark.django_db
def test_the_delete_buttons_no_longer_say_the_loss_is_final(drafter_client, speech):
    html = drafter_client.get(reverse("drafts:speech-edit", args=[speech.pk])).content.decode()
    assert "无法恢复" not in html
    assert "删除后移入回收站，30 天内可以恢复。" in html
    assert "删除后可在回收站恢复。" in html
    assert f"{reverse('drafts:trash')}?speech={speech.pk}" in html


@pytest.mark.django_db
def test_the_trash_page_runs_a_constant_number_of_queries(
    drafter_client, drafter, django_assert_max_num_queries
):
    for n in range(3):
        speech = make_speech(owner=drafter, title=f"讲话{n}")
        lesson(speech, 1).remove(drafter)
        lesson(speech, 1).remove(drafter)
        make_speech(owner=drafter, title=f"删掉的讲话{n}").move_to_trash(drafter)
    # The session and the user, the speeches, the items, the menu's to-do badge; the
    # session's renewal (three).
    with django_assert_max_num_queries(8):
        html = drafter_client.get(reverse("drafts:trash")).content.decode()
    assert html.count('id="trash-item-') == 6 and html.count('id="trash-speech-') == 3


@pytest.mark.django_db
def test_administrators_see_the_trash_in_the_admin(client, drafter, speech):
    entry = lesson(speech, 2).remove(drafter)
    make_speech(owner=drafter, title="删掉的讲话").move_to_trash(drafter)
    client.force_login(make_user("root", is_superuser=True, is_staff=True, agency=None))
    html = client.get(reverse("admin:drafts_deleteditem_changelist")).content.decode()
    assert entry.label in html
    in_trash = reverse("admin:drafts_speech_changelist") + "?deleted_at__isempty=0"
    html = client.get(in_trash).content.decode()
    assert "删掉的讲话" in html and "在测试局年度工作总结会议上的讲话" not in html
    change = reverse("admin:drafts_deleteditem_change", args=[entry.pk])
    assert client.post(change, {}).status_code == 403
