"""One numbering rule on every page and in every export, and typed numbers stripped on save.

Issue 11, points 8 and 9: fill only the third achievement of a blank skeleton and the
editor, the placeholder list, the preview, the outline and Word all call it （一）; type
一、 into a heading or （一） into a lead and it is stored without it, with a note.
"""

import io
import re

import docx
import pytest
from django.urls import reverse

from drafts.forms import ItemForm, TextForm
from drafts.models import AuditEvent, Item, Part, Speech
from drafts.numbering import UNNUMBERED
from drafts.structure import KIND_NAMES, blank_speech
from tests.factories import make_speech

JSON = {"HTTP_ACCEPT": "application/json"}
NOTE = "已去掉手工输入的编号“{}”，编号由系统生成"


def skeleton(owner) -> Speech:
    return make_speech(owner=owner, data=blank_speech())


def achievements(speech) -> list[Item]:
    return list(Item.objects.filter(part__speech=speech, kind="achievement").order_by("position"))


def save_item(client, item, headers=None, **fields):
    stored = Item.objects.get(pk=item.pk)
    data = {"version": stored.version, "lead": "", "body": "", **fields}
    data.update({"base_lead": stored.lead, "base_body": stored.body})
    return client.post(reverse("drafts:item-edit", args=[item.pk]), data, **(headers or {}))


def shown_names(html: str, items) -> list[str]:
    """The names the editing page shows in each item's header, in list order."""
    names = []
    for item in items:
        match = re.search(rf'id="item-{item.pk}-label"[^>]*>([^<]*)<', html)
        names.append(match.group(1))
    return names


@pytest.mark.django_db
def test_only_the_third_achievement_filled_is_one_in_the_editor_the_lists_preview_and_word(
    drafter_client, drafter
):
    speech = skeleton(drafter)
    first, second, third = achievements(speech)
    response = save_item(drafter_client, third, lead="第三条先写好了。", body="共办理XX件。")
    assert response.status_code == 302

    editor = drafter_client.get(reverse("drafts:speech-edit", args=[speech.pk])).content.decode()
    assert shown_names(editor, [first, second, third]) == [
        f"成绩{UNNUMBERED}",
        f"成绩{UNNUMBERED}",
        "成绩（一）",
    ]
    assert "第一部分 成绩（一） 正文" in editor  # the sidebar's placeholder list
    assert "成绩（三）" not in editor

    preview = drafter_client.get(reverse("drafts:speech-preview", args=[speech.pk]))
    assert "（一）第三条先写好了。" in preview.content.decode()

    export = drafter_client.get(reverse("drafts:speech-export", args=[speech.pk]))
    assert "第一部分 成绩（一） 正文" in export.content.decode()
    assert "成绩（三）" not in export.content.decode()

    text = drafter_client.get(reverse("drafts:speech-export-txt", args=[speech.pk]))
    assert "（一）第三条先写好了。共办理XX件。\n" in text.content.decode()

    word = drafter_client.get(reverse("drafts:speech-export-docx", args=[speech.pk]))
    paragraphs = [p.text for p in docx.Document(io.BytesIO(word.content)).paragraphs]
    assert "（一）第三条先写好了。共办理XX件。" in paragraphs
    assert not any("（三）" in p for p in paragraphs)

    names = Speech.objects.with_structure().get(pk=speech.pk).item_names()
    assert [names[f"item-{item.pk}"] for item in (first, second, third)] == [
        f"成绩{UNNUMBERED}",
        f"成绩{UNNUMBERED}",
        "成绩（一）",
    ]
    assert [item.label for item in achievements(speech)] == [UNNUMBERED, UNNUMBERED, "（一）"]


@pytest.mark.django_db
def test_the_history_names_the_item_as_it_is_after_the_save(drafter_client, drafter):
    speech = skeleton(drafter)
    third = achievements(speech)[2]
    save_item(drafter_client, third, lead="第三条先写好了。")
    assert speech.revisions.get().label == "成绩（一）"


@pytest.mark.django_db
def test_the_answer_to_a_save_names_every_item_as_renumbered(drafter_client, drafter):
    speech = skeleton(drafter)
    first, second, third = achievements(speech)
    answer = save_item(drafter_client, third, JSON, lead="第三条。").json()
    assert answer["labels"][f"item-{third.pk}"] == "成绩（一）"
    answer = save_item(drafter_client, first, JSON, lead="第一条。").json()
    # Writing into an earlier empty item renumbers the later one: the page updates it.
    assert [answer["labels"][f"item-{item.pk}"] for item in (first, second, third)] == [
        "成绩（一）",
        f"成绩{UNNUMBERED}",
        "成绩（二）",
    ]
    assert len(answer["labels"]) == Item.objects.filter(part__speech=speech).count()


def test_item_buttons_are_named_after_the_item_label_the_page_updates(drafter_client, speech):
    html = drafter_client.get(reverse("drafts:speech-edit", args=[speech.pk])).content.decode()
    item = achievements(speech)[0]
    key = f"item-{item.pk}"
    assert f'aria-labelledby="{key}-down {key}-label"' in html
    assert f'id="{key}-label"' in html


@pytest.mark.django_db
def test_an_empty_item_is_named_in_the_add_and_delete_audit(drafter_client, drafter):
    speech = skeleton(drafter)
    part = Part.objects.get(speech=speech, kind="achievements")
    drafter_client.post(reverse("drafts:item-add", args=[part.pk, "achievement"]))
    third = achievements(speech)[2]
    save_item(drafter_client, third, lead="第三条。")
    drafter_client.post(reverse("drafts:item-delete", args=[third.pk]))
    details = list(speech_events(speech))
    assert f"添加成绩{UNNUMBERED}" in details
    assert "删除成绩（一）（移入回收站）" in details


@pytest.mark.django_db
def test_the_trash_names_an_item_as_it_was_called_when_deleted(drafter_client, drafter):
    speech = skeleton(drafter)
    first, _, third = achievements(speech)
    save_item(drafter_client, third, lead="第三条。")
    entry = Item.objects.get(pk=third.pk).remove(drafter)
    assert entry.label == "成绩（一）"
    # Renumbering the list afterwards does not rename what is in the trash.
    save_item(drafter_client, first, lead="第一条。")
    entry.refresh_from_db()
    assert entry.label == "成绩（一）"
    assert "成绩（一）" in drafter_client.get(reverse("drafts:trash")).content.decode()
    restore = reverse("drafts:item-restore", args=[entry.item_id])
    drafter_client.post(restore)
    assert AuditEvent.objects.filter(speech_id=speech.pk).first().detail == "成绩（二）"


def speech_events(speech):
    return AuditEvent.objects.filter(speech_id=speech.pk).values_list("detail", flat=True)


# --- Typed numbers are stripped on save, with a note


@pytest.mark.django_db
def test_a_typed_number_in_a_part_heading_is_stripped_with_a_note(drafter_client, speech):
    part = Part.objects.get(speech=speech, kind="achievements")
    url = reverse("drafts:part-text-edit", args=[part.pk, "heading"])
    data = {"text": "一、加强理论学习", "base_text": part.heading, "version": part.version}
    answer = drafter_client.post(url, data, **JSON).json()
    assert answer["status"] == "saved"
    part.refresh_from_db()
    assert part.heading == "加强理论学习"
    assert answer["fields"] == {"text": "加强理论学习"}
    assert answer["notes"] == [NOTE.format("一、")]
    preview = drafter_client.get(reverse("drafts:speech-preview", args=[speech.pk]))
    assert "一、加强理论学习" in preview.content.decode()
    assert "一、一、" not in preview.content.decode()


@pytest.mark.django_db
def test_a_plain_post_shows_the_note_on_the_reloaded_page(drafter_client, speech):
    item = achievements(speech)[0]
    response = save_item(drafter_client, item, lead="（一）在学习上发力。", body="正文。")
    assert response.status_code == 302
    page = drafter_client.get(response["Location"]).content.decode()
    # In the unit's status area, where the page lands; not again at the top.
    unit = page[page.index(f'id="item-{item.pk}"') :]
    assert NOTE.format("（一）") in unit[: unit.index('class="unit-comments')]
    assert page.count(NOTE.format("（一）")) == 1
    item.refresh_from_db()
    assert (item.lead, item.body) == ("在学习上发力。", "正文。")


@pytest.mark.django_db
def test_a_typed_number_in_a_lesson_is_stripped(drafter_client, speech):
    lesson = Item.objects.get(part__speech=speech, kind="lesson", position=1)
    answer = save_item(drafter_client, lesson, JSON, body="一是必须坚持学习").json()
    lesson.refresh_from_db()
    assert lesson.body == "必须坚持学习"
    assert answer["notes"] == [NOTE.format("一是")]
    text = drafter_client.get(reverse("drafts:speech-export-txt", args=[speech.pk]))
    assert "一是必须坚持学习。" in text.content.decode()
    assert "一是一是" not in text.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "fields"),
    [
        ("achievement", {"lead": "一、二季度任务全部完成。", "body": ""}),
        ("achievement", {"lead": "十分重要的一年。", "body": ""}),
        # An enumeration inside an achievement's body is not the item's number.
        ("achievement", {"lead": "抓好三件事。", "body": "一是学习，二是落实。"}),
        ("shortcoming", {"body": "一是一、二是二的作风还没有养成"}),
    ],
)
def test_words_that_look_like_numbers_are_kept_without_a_note(drafter_client, speech, kind, fields):
    item = Item.objects.get(part__speech=speech, kind=kind, position=1)
    answer = save_item(drafter_client, item, JSON, **fields).json()
    item.refresh_from_db()
    assert {name: getattr(item, name) for name in fields} == fields
    assert answer["notes"] == []


@pytest.mark.django_db
def test_forms_expose_their_notes():
    item = Item(kind="measure", position=1)
    form = ItemForm({"lead": "一是要落实。", "body": "", "version": 1}, instance=item, action="/")
    assert form.is_valid()
    assert form.cleaned_data["lead"] == "要落实。"
    assert form.notes == [NOTE.format("一是")]
    heading = TextForm(
        {"text": "（二）正视不足", "version": 1}, action="/", label="", numbered=True
    )
    assert heading.is_valid() and heading.cleaned_data["text"] == "正视不足"
    assert heading.notes == [NOTE.format("（二）")]
    opening = TextForm({"text": "一、二季度开局良好。", "version": 1}, action="/", label="")
    assert opening.is_valid() and opening.notes == []
    intro = TextForm({"text": "一是开场", "version": 1}, action="/", label="")
    assert intro.is_valid() and intro.cleaned_data["text"] == "一是开场"


def test_items_are_called_the_same_in_the_models_and_the_plain_speech():
    assert dict(Item.Kind.choices) == KIND_NAMES
