"""The trash (回收站) in the models: what a delete keeps, and what a restore gives back."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from drafts.access import DRAFTER_GROUP, may_read, readable_speeches, trashed_speeches
from drafts.models import Comment, DeletedItem, Item, Revision, Speech
from speechdraft.settings import env_int
from tests.factories import make_speech, make_user


def texts(speech, kind="achievement"):
    """The list of ``kind`` in order: (position, lead or body)."""
    items = Item.objects.filter(part__speech=speech, kind=kind).order_by("position")
    return [(item.position, item.lead or item.body) for item in items]


def item(speech, kind, position):
    return Item.objects.get(part__speech=speech, kind=kind, position=position)


@pytest.mark.django_db
def test_a_deleted_item_comes_back_with_its_text_place_comments_and_history(drafter, leader):
    speech = make_speech(owner=drafter)
    second = item(speech, "achievement", 2)
    Item.objects.filter(pk=second.pk).update(version=4)
    second.refresh_from_db()
    revision = Revision.objects.create(
        speech=speech,
        anchor=second.anchor,
        label="成绩（二）",
        fields={"lead": "旧"},
        author=drafter,
    )
    asked = Comment.objects.create(
        speech=speech, anchor=second.anchor, author=leader, text="再具体些"
    )
    reply = Comment.objects.create(
        speech=speech, anchor=second.anchor, author=drafter, text="好的", parent=asked
    )
    done_at = timezone.now()
    done = Comment.objects.create(
        speech=speech,
        anchor=second.anchor,
        author=leader,
        text="早已解决",
        resolved_at=done_at,
        resolved_by=leader,
    )
    before, item_id = texts(speech), second.pk

    entry = second.remove(drafter)

    assert not Item.objects.filter(pk=item_id).exists()
    assert [position for position, _ in texts(speech)] == [1, 2]
    assert (entry.item_id, entry.position, entry.label) == (item_id, 2, "成绩（二）")
    asked.refresh_from_db()
    assert asked.resolved_by == drafter
    assert set(entry.resolved_comments.all()) == {asked}

    restored = entry.restore(drafter)

    assert restored.pk == item_id
    assert texts(speech) == before
    restored.refresh_from_db()
    assert (restored.lead, restored.body, restored.version) == (second.lead, second.body, 4)
    assert restored.anchor == revision.anchor and speech.revisions.get() == revision
    asked.refresh_from_db()
    done.refresh_from_db()
    reply.refresh_from_db()
    assert asked.is_open and asked.resolved_by is None
    assert (done.resolved_at, done.resolved_by) == (done_at, leader)
    assert reply.parent == asked
    assert not DeletedItem.objects.exists()


@pytest.mark.django_db
def test_an_item_goes_back_to_its_number_and_the_rest_moves_down(drafter):
    speech = make_speech(owner=drafter, measures=4)
    entry = item(speech, "measure", 1).remove(drafter)
    assert texts(speech, "measure")[0] == (1, "第2项措施要落实。")
    entry.restore(drafter)
    assert texts(speech, "measure") == [
        (1, "第1项措施要落实。"),
        (2, "第2项措施要落实。"),
        (3, "第3项措施要落实。"),
        (4, "第4项措施要落实。"),
    ]


@pytest.mark.django_db
def test_into_a_list_grown_shorter_an_item_goes_back_at_the_end(drafter):
    speech = make_speech(owner=drafter, lessons=3)
    last = item(speech, "lesson", 3).remove(drafter)
    item(speech, "lesson", 1).remove(drafter)
    item(speech, "lesson", 1).remove(drafter)
    last.restore(drafter)
    assert texts(speech, "lesson") == [(1, "必须坚持第3条经验")]


@pytest.mark.django_db
def test_an_item_restored_twice_comes_back_once(drafter):
    speech = make_speech(owner=drafter)
    entry = item(speech, "lesson", 2).remove(drafter)
    stale = DeletedItem.objects.get(pk=entry.pk)
    entry.restore(drafter)
    with pytest.raises(DeletedItem.DoesNotExist):
        stale.restore(drafter)
    assert len(texts(speech, "lesson")) == 3


@pytest.mark.django_db
def test_a_speech_in_the_trash_is_read_by_nobody_until_restored(drafter):
    speech = make_speech(owner=drafter)
    colleague = make_user("drafter2", role=DRAFTER_GROUP)
    comment = Comment.objects.create(speech=speech, anchor="opening", author=drafter, text="留着")

    speech.move_to_trash(colleague)

    stored = Speech.objects.get(pk=speech.pk)
    assert stored.deleted_by == colleague and stored.kept_until > timezone.now()
    assert list(readable_speeches(drafter)) == []
    assert list(trashed_speeches(drafter)) == [stored]
    assert not may_read(drafter, stored)
    assert not may_read(drafter, Speech.objects.get_stamped(speech.pk))

    assert stored.restore_from_trash()
    assert not stored.restore_from_trash()
    assert list(readable_speeches(drafter)) == [stored]
    assert may_read(drafter, Speech.objects.get_stamped(speech.pk))
    assert stored.comments.get() == comment
    assert len(texts(stored)) == 3


@pytest.mark.django_db
def test_a_second_delete_keeps_who_deleted_it_first(drafter):
    speech = make_speech(owner=drafter)
    colleague = make_user("drafter2", role=DRAFTER_GROUP)
    speech.move_to_trash(colleague)
    Speech.objects.get(pk=speech.pk).move_to_trash(drafter)
    assert Speech.objects.get(pk=speech.pk).deleted_by == colleague


@pytest.mark.parametrize(
    ("value", "expected"), [(None, 30), ("", 30), ("45", 45), (" 7 ", 7), ("1", 1)]
)
def test_trash_days_read_from_the_environment(monkeypatch, value, expected):
    if value is None:
        monkeypatch.delenv("DJANGO_TRASH_DAYS", raising=False)
    else:
        monkeypatch.setenv("DJANGO_TRASH_DAYS", value)
    assert env_int("DJANGO_TRASH_DAYS", 30, minimum=1) == expected


@pytest.mark.parametrize("value", ["thirty", "0", "-3", "2.5"])
def test_a_bad_trash_days_stops_the_start(monkeypatch, value):
    monkeypatch.setenv("DJANGO_TRASH_DAYS", value)
    with pytest.raises(ImproperlyConfigured, match="DJANGO_TRASH_DAYS"):
        env_int("DJANGO_TRASH_DAYS", 30, minimum=1)


@pytest.mark.django_db
def test_an_item_deleted_twice_goes_to_the_trash_once(drafter):
    speech = make_speech(owner=drafter)
    first, again = item(speech, "lesson", 1), item(speech, "lesson", 1)
    first.remove(drafter)
    with pytest.raises(Item.DoesNotExist):
        again.remove(drafter)
    assert [position for position, _ in texts(speech, "lesson")] == [1, 2]
    assert DeletedItem.objects.count() == 1
