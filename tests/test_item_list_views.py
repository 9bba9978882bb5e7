"""Adding, moving and deleting items: a refused change says why and changes nothing.

The changes themselves (renumbering, the list's lock) are tested in test_item_order.py;
ten people at once against a live server in test_list_concurrency.py.
"""

import pytest
from django.urls import reverse

from drafts.access import DRAFTER_GROUP
from drafts.models import Item, Part
from drafts.views import editing
from tests.factories import make_speech, make_user

HTMX = {"HTTP_HX_REQUEST": "true"}
ITEM_GONE = "这一条已不存在，可能已被他人删除"
AFTER_GONE = "要在其后插入的那一条已不存在，可能已被他人删除"


def order(speech, kind):
    items = Item.objects.filter(part__speech=speech, kind=kind).order_by("position")
    return list(items.values_list("position", "lead", "body"))


def add_url(speech, kind):
    part = next(p for p in Part.objects.filter(speech=speech) if kind in p.item_kinds())
    return reverse("drafts:item-add", args=[part.pk, kind])


def first(speech, kind):
    return Item.objects.get(part__speech=speech, kind=kind, position=1)


def reason(response) -> str:
    """The refusal's words: the JSON message the page's script shows, or the page."""
    if response["Content-Type"].startswith("application/json"):
        return response.json()["message"]
    return response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("after", ["abc", "1 OR 1=1", "12345678-1234-1234-1234-12345678901"])
def test_an_after_that_is_no_item_id_is_refused_in_chinese(drafter_client, speech, after):
    before = order(speech, "lesson")
    response = drafter_client.post(add_url(speech, "lesson"), {"after": after}, **HTMX)
    assert response.status_code == 422
    html = response.content.decode()
    assert "要在其后插入的条目编号无效" in html
    # htmx swaps a 422 in: the answer is the whole list as it stands, with the reason.
    assert 'class="item-list"' in html and html.count('class="unit card item-card') == 3
    assert order(speech, "lesson") == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "after_kind"),
    [("lesson", "achievement"), ("achievement", "lesson"), ("measure", "shortcoming")],
)
def test_adding_after_an_item_of_another_list_is_refused(drafter_client, speech, kind, after_kind):
    before = order(speech, kind)
    after = first(speech, after_kind)
    response = drafter_client.post(add_url(speech, kind), {"after": str(after.pk)}, **HTMX)
    assert response.status_code == 422
    assert "只能在同一列表的条目之后插入" in response.content.decode()
    assert order(speech, kind) == before
    assert Item.objects.filter(part__speech=speech).count() == 12


@pytest.mark.django_db
def test_adding_after_an_item_of_another_unit_s_speech_says_it_is_gone(drafter_client, speech):
    theirs = make_speech(owner=make_user("drafter_b", role=DRAFTER_GROUP, agency="乙局"))
    after = first(theirs, "lesson")
    response = drafter_client.post(add_url(speech, "lesson"), {"after": str(after.pk)}, **HTMX)
    # The same answer as for a deleted item: the other unit's item is not confirmed.
    assert response.status_code == 404
    assert AFTER_GONE in reason(response)
    assert Item.objects.filter(part__speech=speech).count() == 12


@pytest.mark.django_db
def test_adding_after_an_item_deleted_meanwhile_says_so(drafter_client, speech, drafter):
    after = first(speech, "measure")
    after_id = after.pk
    after.remove(drafter)
    for headers in (HTMX, {}):
        response = drafter_client.post(add_url(speech, "measure"), {"after": after_id}, **headers)
        assert response.status_code == 404
        assert AFTER_GONE in reason(response)
    assert [position for position, *_ in order(speech, "measure")] == [1, 2]


@pytest.mark.django_db
@pytest.mark.parametrize("position", ["²", "１", "٣", "0", "-1", "1.5", "abc", "9999999"])
def test_a_position_that_is_no_plain_number_is_refused(drafter_client, speech, position):
    before = order(speech, "achievement")
    item = Item.objects.get(part__speech=speech, kind="achievement", position=3)
    response = drafter_client.post(
        reverse("drafts:item-move", args=[item.pk]), {"position": position}, **HTMX
    )
    assert response.status_code == 422
    assert "目标位置必须是正整数" in response.content.decode()
    assert order(speech, "achievement") == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "words"),
    [({"direction": "sideways"}, "移动方向无效"), ({}, "请指明上移、下移或移到第几条")],
)
def test_a_move_without_a_valid_direction_or_position_is_refused(
    drafter_client, speech, data, words
):
    before = order(speech, "lesson")
    item = first(speech, "lesson")
    for headers in (HTMX, {}):
        response = drafter_client.post(reverse("drafts:item-move", args=[item.pk]), data, **headers)
        assert response.status_code == 422
        assert words in reason(response)
    assert order(speech, "lesson") == before


@pytest.mark.django_db
def test_a_direction_wins_over_a_position(drafter_client, speech):
    item = first(speech, "lesson")
    drafter_client.post(
        reverse("drafts:item-move", args=[item.pk]), {"direction": "down", "position": "3"}
    )
    item.refresh_from_db()
    assert item.position == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "data"), [("drafts:item-move", {"direction": "up"}), ("drafts:item-delete", {})]
)
def test_moving_or_deleting_an_item_deleted_meanwhile_says_so(
    drafter_client, speech, drafter, name, data
):
    item = Item.objects.get(part__speech=speech, kind="shortcoming", position=2)
    url = reverse(name, args=[item.pk])
    item.remove(drafter)
    for headers in (HTMX, {}):
        response = drafter_client.post(url, data, **headers)
        assert response.status_code == 404
        assert ITEM_GONE in reason(response)
    assert [position for position, *_ in order(speech, "shortcoming")] == [1, 2]


@pytest.mark.django_db
def test_a_plain_post_refused_offers_the_way_back_to_the_speech(drafter_client, speech):
    response = drafter_client.post(add_url(speech, "lesson"), {"after": "abc"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "未能完成这一操作" in html
    assert reverse("drafts:speech-edit", args=[speech.pk]) in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "data"), [("drafts:item-move", {"position": "1"}), ("drafts:item-delete", {})]
)
def test_an_item_deleted_between_its_lookup_and_the_lock_says_so(
    drafter_client, speech, drafter, monkeypatch, name, data
):
    # The view found the item; a colleague's delete committed before this one's lock.
    stale = Item.objects.select_related("part__speech").get(
        part__speech=speech, kind="lesson", position=3
    )
    url = reverse(name, args=[stale.pk])
    Item.objects.get(pk=stale.pk).remove(drafter)
    monkeypatch.setattr(editing, "get_item_for_editor", lambda request, pk: stale)
    response = drafter_client.post(url, data, **HTMX)
    assert response.status_code == 404
    assert ITEM_GONE in reason(response)
    assert [position for position, *_ in order(speech, "lesson")] == [1, 2]
