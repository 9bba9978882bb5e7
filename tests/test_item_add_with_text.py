"""另存为新条目 (save-protocol.md): item-add may carry the text of an item a colleague
deleted, and the new item starts with it."""

import pytest
from django.urls import reverse

from drafts.models import Item, Part, Revision

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.mark.django_db
def test_an_added_item_starts_with_the_text_it_was_sent(drafter_client, speech):
    part = Part.objects.get(speech=speech, kind="achievements")
    response = drafter_client.post(
        reverse("drafts:item-add", args=[part.pk, "achievement"]),
        {"lead": "保住的领句。", "body": "被同事删掉后另存的正文。"},
        **HTMX,
    )
    assert response.status_code == 200
    item = Item.objects.get(part=part, kind="achievement", position=4)
    assert (item.lead, item.body) == ("保住的领句。", "被同事删掉后另存的正文。")
    assert "被同事删掉后另存的正文。" in response.content.decode()
    # Written as every save is: with its revision.
    assert Revision.objects.get(anchor=item.anchor).fields == {
        "lead": "保住的领句。",
        "body": "被同事删掉后另存的正文。",
    }


@pytest.mark.django_db
def test_an_inline_item_takes_only_its_body(drafter_client, speech):
    part = Part.objects.get(speech=speech, kind="achievements")
    drafter_client.post(
        reverse("drafts:item-add", args=[part.pk, "lesson"]),
        {"lead": "体会没有领句", "body": "必须坚持另存的一条"},
        **HTMX,
    )
    item = Item.objects.get(part=part, kind="lesson", position=4)
    assert (item.lead, item.body) == ("", "必须坚持另存的一条")


@pytest.mark.django_db
def test_an_added_item_without_text_is_empty_and_has_no_revision(drafter_client, speech):
    part = Part.objects.get(speech=speech, kind="achievements")
    drafter_client.post(reverse("drafts:item-add", args=[part.pk, "achievement"]), **HTMX)
    item = Item.objects.get(part=part, kind="achievement", position=4)
    assert (item.lead, item.body) == ("", "")
    assert not Revision.objects.filter(anchor=item.anchor).exists()


@pytest.mark.django_db
def test_a_runaway_text_is_refused_before_anything_is_added(drafter_client, speech):
    part = Part.objects.get(speech=speech, kind="achievements")
    response = drafter_client.post(
        reverse("drafts:item-add", args=[part.pk, "achievement"]), {"body": "长" * 20_001}, **HTMX
    )
    assert response.status_code == 400
    assert response.json()["message"].startswith("未另存：内容过长")
    assert Item.objects.filter(part=part, kind="achievement").count() == 3


@pytest.mark.django_db
def test_the_kept_text_is_checked_as_every_save_is(drafter_client, speech):
    part = Part.objects.get(speech=speech, kind="achievements")
    url = reverse("drafts:item-add", args=[part.pk, "achievement"])
    response = drafter_client.post(
        url, {"lead": "（二）领句里手打了编号。", "body": "正文。"}, **HTMX
    )
    assert response.status_code == 200
    assert Item.objects.get(part=part, kind="achievement", position=4).lead == "领句里手打了编号。"
    response = drafter_client.post(url, {"body": "带\x00空字符"}, **HTMX)
    assert response.status_code == 400 and "空字符" in response.json()["message"]
    assert Item.objects.filter(part=part, kind="achievement").count() == 4
