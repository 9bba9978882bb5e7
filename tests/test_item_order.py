"""Inserting, deleting and moving items renumbers everything, past ten too."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

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


# Every change re-reads the list under its lock: an instance loaded before (by the view,
# or by a colleague's page) may hold a position that has changed since.


def positions(speech, kind):
    return list(
        Item.objects.filter(part__speech=speech, kind=kind)
        .order_by("position")
        .values_list("position", flat=True)
    )


@pytest.mark.django_db
def test_removing_through_a_stale_instance_closes_the_right_gap():
    speech = make_speech(shortcomings=5)
    stale = item(speech, "shortcoming", 3)
    item(speech, "shortcoming", 1).remove(speech.owner)
    stale.remove(speech.owner)
    assert positions(speech, "shortcoming") == [1, 2, 3]
    assert [text for _, text in labels(speech, "shortcoming")] == [
        "第2个问题还没有解决",
        "第4个问题还没有解决",
        "第5个问题还没有解决",
    ]
    assert stale.position == 2  # where it was when it went: the audit log names it so


@pytest.mark.django_db
def test_moving_through_a_stale_instance_moves_from_where_the_item_is_now(drafter):
    speech = make_speech(measures=3)
    stale = item(speech, "measure", 3)
    Item.insert(stale.part, "measure", None, drafter)
    Item.insert(stale.part, "measure", item(speech, "measure", 1), drafter)
    assert stale.move(-1)
    assert Item.objects.get(pk=stale.pk).position == 3
    stale.move_to(99)
    assert positions(speech, "measure") == [1, 2, 3, 4, 5]
    assert Item.objects.get(pk=stale.pk).position == stale.position == 5


@pytest.mark.django_db
def test_inserting_after_a_stale_instance_lands_right_behind_it(drafter):
    speech = make_speech(lessons=3)
    stale = item(speech, "lesson", 3)
    item(speech, "lesson", 1).remove(drafter)
    new = Item.insert(stale.part, "lesson", stale, drafter)
    assert positions(speech, "lesson") == [1, 2, 3]
    assert new.position == 3 and Item.objects.get(pk=new.pk).position == 3


@pytest.mark.django_db
def test_an_item_deleted_meanwhile_cannot_be_moved_removed_or_inserted_after(drafter):
    speech = make_speech(achievements=3)
    gone = item(speech, "achievement", 2)
    Item.objects.get(pk=gone.pk).remove(drafter)
    for change in (
        lambda: gone.move(-1),
        lambda: gone.move_to(1),
        lambda: gone.remove(drafter),
        lambda: Item.insert(gone.part, "achievement", gone, drafter),
    ):
        with pytest.raises(Item.DoesNotExist):
            change()
    assert [text for _, text in labels(speech)] == [
        "第1方面工作有新进展。",
        "第3方面工作有新进展。",
    ]
    assert positions(speech, "achievement") == [1, 2]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "after_kind"),
    [("lesson", "achievement"), ("achievement", "lesson"), ("measure", "achievement")],
)
def test_inserting_after_an_item_of_another_list_is_refused(drafter, kind, after_kind):
    speech = make_speech()
    part = next(p for p in speech.parts.all() if kind in p.item_kinds())
    after = item(speech, after_kind, 1)
    with pytest.raises(ValidationError, match="同一列表"):
        Item.insert(part, kind, after, drafter)
    assert Item.objects.filter(part__speech=speech).count() == 12


@pytest.mark.django_db
def test_the_next_change_mends_a_list_with_duplicate_and_missing_positions():
    # As the race of issue 11 left lists in existing databases.
    speech = make_speech(achievements=4)
    items = [item(speech, "achievement", position) for position in (1, 2, 3, 4)]
    for each, stored in zip(items, (2, 3, 3, 6), strict=True):
        Item.objects.filter(pk=each.pk).update(position=stored)
    Item.objects.filter(part__speech=speech, kind="achievement", position=6).get().move_to(1)
    assert positions(speech, "achievement") == [1, 2, 3, 4]
    assert labels(speech)[0] == ("（一）", "第4方面工作有新进展。")


@pytest.mark.django_db
def test_a_change_locks_the_list_before_it_reads_a_position(django_assert_max_num_queries):
    speech = make_speech(achievements=3)
    third = item(speech, "achievement", 3)
    with CaptureQueriesContext(connection) as queries, django_assert_max_num_queries(5):
        third.move_to(1)
    sql = [query["sql"] for query in queries.captured_queries]
    lock = next(i for i, text in enumerate(sql) if '"drafts_speech"' in text)
    assert lock < min(i for i, text in enumerate(sql) if '"drafts_item"' in text)
    if connection.vendor == "postgresql":
        assert 'FOR UPDATE OF "drafts_speech"' in sql[lock]
    else:
        # SQLite has no row locks: every transaction takes the write lock as it begins.
        assert connection.transaction_mode == "IMMEDIATE"


@pytest.mark.django_db
def test_a_list_change_after_a_submission_meanwhile_is_refused(drafter):
    speech = make_speech(owner=drafter, lessons=3)
    stale = item(speech, "lesson", 2)
    Speech.objects.filter(pk=speech.pk).update(status=Speech.Status.SUBMITTED)
    for change in (
        lambda: stale.move_to(1),
        lambda: stale.remove(drafter),
        lambda: Item.insert(stale.part, "lesson", stale, drafter),
    ):
        with pytest.raises(PermissionDenied, match="待审核"):
            change()
    assert [text for _, text in labels(speech, "lesson")] == [
        "必须坚持第1条经验",
        "必须坚持第2条经验",
        "必须坚持第3条经验",
    ]
