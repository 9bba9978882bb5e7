"""Total characters of a speech (BUDGETS speech_chars): a save that would take the
speech past it is refused with the figure, checked inside ``save_unit``'s transaction;
so are 另存为新条目 and a restore from the trash that bring text in (issue 13)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from drafts.models import DeletedItem, Item, Part, Speech, stored_chars
from drafts.structure import text_fields

JSON = {"HTTP_ACCEPT": "application/json"}
HTMX = {"HTTP_HX_REQUEST": "true"}
ROOM = 100  # characters the speech may still take


@pytest.fixture
def tight(settings, speech):
    """A budget that leaves the sample speech ROOM characters."""
    settings.BUDGETS = {**settings.BUDGETS, "speech_chars": stored_chars(speech.pk) + ROOM}
    return settings.BUDGETS["speech_chars"]


def measure(speech):
    return Item.objects.get(part__speech=speech, kind="measure", position=1)


@pytest.mark.django_db
def test_stored_chars_counts_every_text_of_the_speech(speech):
    data = Speech.objects.with_structure().get(pk=speech.pk).as_structure()
    assert stored_chars(speech.pk) == sum(len(field.text) for field in text_fields(data))


@pytest.mark.django_db
def test_a_save_past_the_speech_s_budget_is_refused_with_the_figure(drafter_client, speech, tight):
    item = measure(speech)
    body = item.body + "长" * (ROOM + 1)
    url = reverse("drafts:item-edit", args=[item.pk])
    response = drafter_client.post(url, {"lead": item.lead, "body": body, "version": 1}, **JSON)
    assert response.status_code == 422
    message = response.json()["message"]
    assert f"讲话稿全文超过上限：最多 {tight} 字，保存后将有 {tight + 1} 字" in message
    assert measure(speech).body == item.body and measure(speech).version == 1


@pytest.mark.django_db
def test_a_save_that_fills_the_speech_exactly_is_stored(drafter_client, speech, tight):
    item = measure(speech)
    body = item.body + "长" * ROOM
    url = reverse("drafts:item-edit", args=[item.pk])
    response = drafter_client.post(url, {"lead": item.lead, "body": body, "version": 1}, **JSON)
    assert response.status_code == 200
    assert stored_chars(speech.pk) == tight


@pytest.mark.django_db
def test_a_speech_over_its_budget_may_still_shrink(drafter_client, speech, settings):
    settings.BUDGETS = {**settings.BUDGETS, "speech_chars": stored_chars(speech.pk) - 10}
    item = measure(speech)
    url = reverse("drafts:item-edit", args=[item.pk])
    response = drafter_client.post(url, {"lead": item.lead, "body": "短", "version": 1}, **JSON)
    assert response.status_code == 200


@pytest.mark.django_db
def test_without_javascript_the_refusal_is_on_the_page_with_the_text(drafter_client, speech, tight):
    url = reverse("drafts:speech-text-edit", args=[speech.pk, "closing"])
    text = "结" * (ROOM + 200)
    response = drafter_client.post(url, {"text": text, "version": 1})
    assert response.status_code == 422
    html = response.content.decode()
    assert "讲话稿全文超过上限" in html and text in html


@pytest.mark.django_db
def test_save_as_new_item_past_the_budget_adds_no_empty_item(drafter_client, speech, tight):
    part = Part.objects.get(speech=speech, kind="achievements")
    url = reverse("drafts:item-add", args=[part.pk, "lesson"])
    before = Item.objects.filter(part__speech=speech).count()
    response = drafter_client.post(url, {"body": "启" * (ROOM + 1)}, **HTMX)
    assert response.status_code == 400
    assert "讲话稿全文超过上限" in response.json()["message"]
    assert Item.objects.filter(part__speech=speech).count() == before


@pytest.mark.django_db
def test_a_restore_that_would_take_the_speech_past_it_stays_in_the_trash(
    drafter_client, drafter, speech, settings
):
    item = measure(speech)
    Speech.save_unit(
        speech.pk,
        item.anchor,
        texts={"body": "删" * 500},
        bases={"body": item.body},
        version=1,
        user=drafter,
        label="措施",
    )
    entry = measure(speech).remove(drafter)
    settings.BUDGETS = {**settings.BUDGETS, "speech_chars": stored_chars(speech.pk) + 100}
    with pytest.raises(ValidationError):
        DeletedItem.objects.get(pk=entry.pk).restore(drafter)
    response = drafter_client.post(reverse("drafts:item-restore", args=[entry.item_id]), **HTMX)
    assert response.status_code == 422
    assert "讲话稿全文超过上限" in response.content.decode()
    assert DeletedItem.objects.filter(pk=entry.pk).exists()


@pytest.mark.django_db
def test_restoring_a_revision_past_the_budget_says_why(drafter_client, drafter, speech, settings):
    Speech.save_unit(
        speech.pk,
        "opening",
        texts={"opening": "开" * 500},
        bases={"opening": speech.opening},
        version=1,
        user=drafter,
        label="开场白",
    )
    first = speech.revisions.get()
    Speech.save_unit(
        speech.pk,
        "opening",
        texts={"opening": "短"},
        bases={"opening": "开" * 500},
        version=2,
        user=drafter,
        label="开场白",
    )
    settings.BUDGETS = {**settings.BUDGETS, "speech_chars": stored_chars(speech.pk) + 100}
    url = reverse("drafts:revision-restore", args=[first.pk])
    response = drafter_client.post(url, {"version": "3"}, follow=True)
    assert "未恢复：讲话稿全文超过上限" in response.content.decode()
    assert Speech.objects.get(pk=speech.pk).opening == "短"
