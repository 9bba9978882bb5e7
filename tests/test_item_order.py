"""Inserting, deleting and moving items renumbers everything, past ten too."""

import pytest

from drafts.models import Item, Speech
from drafts.numbering import UNNUMBERED
from tests.factories import make_speech


def labels(speech, kind="achievement"):
    speech = Speech.objects.with_structure().get(pk=speech.pk)
    part = next(p for p in speech.parts.all() if kind in p.item_kinds())
    return [(item.label, item.lead or item.body) for item in part.items_of(kind)]


def item(speech, kind, position):
    return Item.objects.get(part__speech=speech, kind=kind, position=position)


@pytest.mark.django_db
def test_moving_the_third_item_to_the_top_renumbers_all():
    speech = make_speech(achievements=3)
    item(speech, "achievement", 3).move_to(1)
    assert labels(speech) == [
        ("（一）", "第3方面工作有新进展。"),
        ("（二）", "第1方面工作有新进展。"),
        ("（三）", "第2方面工作有新进展。"),
    ]


@pytest.mark.django_db
def test_moving_up_and_down_swaps_neighbours_and_stops_at_the_ends():
    speech = make_speech(measures=3)
    assert item(speech, "measure", 2).move(-1)
    assert not item(speech, "measure", 1).move(-1)
    assert not item(speech, "measure", 3).move(+1)
    assert [text for _, text in labels(speech, "measure")] == [
        "第2项措施要落实。",
        "第1项措施要落实。",
        "第3项措施要落实。",
    ]


@pytest.mark.django_db
def test_inserting_after_an_item_shifts_the_rest_and_numbers_it_once_it_has_text(drafter):
    speech = make_speech(lessons=3)
    first = item(speech, "lesson", 1)
    new = Item.insert(first.part, "lesson", first, drafter)
    assert new.position == 2
    # Empty, it is left out of the preview and Word, so it takes no number on screen either.
    assert labels(speech, "lesson")[1] == (UNNUMBERED, "")
    assert [label for label, _ in labels(speech, "lesson")] == ["一是", UNNUMBERED, "二是", "三是"]
    Item.objects.filter(pk=new.pk).update(body="新写的一条")
    assert [label for label, _ in labels(speech, "lesson")] == ["一是", "二是", "三是", "四是"]


@pytest.mark.django_db
def test_deleting_closes_the_gap():
    speech = make_speech(shortcomings=3)
    item(speech, "shortcoming", 2).remove(speech.owner)
    assert labels(speech, "shortcoming") == [
        ("一是", "第1个问题还没有解决"),
        ("二是", "第3个问题还没有解决"),
    ]


@pytest.mark.django_db
def test_items_past_ten_are_numbered_in_chinese(drafter):
    speech = make_speech(achievements=10, measures=11)
    part = item(speech, "achievement", 1).part
    new = Item.insert(part, "achievement", None, drafter)
    Item.objects.filter(pk=new.pk).update(lead="第十一条成绩。")
    assert labels(speech)[10][0] == "（十一）"
    assert labels(speech, "measure")[10][0] == "十一是"
    item(speech, "measure", 11).move_to(1)
    assert labels(speech, "measure")[0] == ("一是", "第11项措施要落实。")


@pytest.mark.django_db
def test_item_ids_survive_reordering():
    speech = make_speech(achievements=3)
    third = item(speech, "achievement", 3)
    third.move_to(1)
    assert Item.objects.get(pk=third.pk).position == 1
