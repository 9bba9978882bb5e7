"""purge_trash: what was deleted more than N days ago goes for good, the rest stays."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from drafts.models import AuditEvent, Comment, DeletedItem, Item, Part, Revision, Speech
from tests.factories import make_speech


def run(*args) -> str:
    out = StringIO()
    call_command("purge_trash", *args, stdout=out)
    return out.getvalue()


def deleted_days_ago(days: int):
    return timezone.now() - timedelta(days=days, minutes=1)


def trashed_speech(owner, title: str, days: int) -> Speech:
    speech = make_speech(owner=owner, title=title)
    speech.move_to_trash(owner)
    Speech.objects.filter(pk=speech.pk).update(deleted_at=deleted_days_ago(days))
    return speech


def trashed_item(speech, kind: str, days: int) -> DeletedItem:
    item = Item.objects.filter(part__speech=speech, kind=kind).first()
    entry = item.remove(speech.owner)
    DeletedItem.objects.filter(pk=entry.pk).update(deleted_at=deleted_days_ago(days))
    return entry


@pytest.mark.django_db
def test_entries_older_than_the_setting_go_and_the_rest_stay(drafter):
    old = trashed_speech(drafter, "早已删除的讲话", 31)
    Comment.objects.create(speech=old, anchor="opening", author=drafter, text="随稿清除")
    recent = trashed_speech(drafter, "刚删除的讲话", 29)
    live = make_speech(owner=drafter)
    old_item = trashed_item(live, "lesson", 31)
    Revision.objects.create(
        speech=live, anchor=old_item.anchor, label="启示一是", fields={}, author=drafter
    )
    recent_item = trashed_item(live, "measure", 29)

    out = run()

    assert out.strip() == "已清除回收站中删除超过 30 天的 1 篇讲话稿、1 个条目。"
    assert set(Speech.objects.all()) == {recent, live}
    assert not Comment.objects.filter(text="随稿清除").exists()
    assert not Part.objects.filter(speech_id=old.pk).exists()
    assert list(DeletedItem.objects.all()) == [recent_item]
    # The purged item's history stays with its speech, as a delete left it before.
    assert Revision.objects.filter(anchor=old_item.anchor).exists()
    events = AuditEvent.objects.filter(action="purge").order_by("pk")
    assert [(e.speech_id, e.username, e.detail) for e in events] == [
        (live.pk, "purge_trash", "清除回收站中的启示一是"),
        (old.pk, "purge_trash", "清除回收站中的《早已删除的讲话》"),
    ]


@pytest.mark.django_db
def test_days_can_be_given_and_default_to_the_setting(drafter, settings):
    trashed_speech(drafter, "删除十天的讲话", 10)
    settings.TRASH_DAYS = 60
    assert "0 篇讲话稿" in run()
    assert "删除超过 7 天的 1 篇讲话稿、0 个条目" in run("--days", "7")
    assert not Speech.objects.exists()


@pytest.mark.django_db
def test_items_of_a_purged_speech_go_with_it(drafter):
    speech = trashed_speech(drafter, "连同条目", 40)
    Speech.objects.filter(pk=speech.pk).update(deleted_at=None)
    trashed_item(speech, "lesson", 5)
    Speech.objects.filter(pk=speech.pk).update(deleted_at=deleted_days_ago(40))
    assert "1 篇讲话稿、0 个条目" in run()
    assert not DeletedItem.objects.exists()


@pytest.mark.django_db
def test_negative_days_are_refused():
    with pytest.raises(CommandError, match="不能为负数"):
        run("--days", "-1")
