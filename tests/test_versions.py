"""Versions as documents (issue 14): a snapshot holds the whole speech in the
``speechdraft/1`` form with its item ids, and reads its compare units from it."""

import pytest
from django.urls import reverse

from drafts import comparison, speech_json
from drafts.models import Item, Snapshot, Speech


def act(client, speech, name, note="说明文字"):
    return client.post(
        reverse("drafts:speech-action", args=[speech.pk, name]), {f"{name}-note": note}
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
