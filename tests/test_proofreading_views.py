"""校对 on the pages (issue 15): a field checked as typed, 忽略 remembered per speech, the
marks and counts of the editing page and the preview, their caches, and the submit that
asks to confirm errors left."""

import json
import re
from html import unescape

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from drafts.access import DRAFTER_GROUP, REVIEWER_GROUP
from drafts.models import IgnoredFinding, Item, Speech, WordingRule
from drafts.pages import proofread
from tests.factories import make_speech, make_user

JSON = {"HTTP_ACCEPT": "application/json"}
TYPED = "我们要推动推动工作,做为重点。。"


def check_url(speech):
    return reverse("drafts:speech-proof-check", args=[speech.pk])


def ignore_url(speech):
    return reverse("drafts:speech-proof-ignore", args=[speech.pk])


def check(client, speech, address, text, **headers):
    return client.post(check_url(speech), {"address": address, "text": text}, **JSON, **headers)


def codes(answer) -> list[str]:
    return [finding["code"] for finding in answer["findings"]]


def unit_proof(html: str, key: str) -> dict:
    """The data-proof of the unit with the DOM id ``key`` on the editing page."""
    match = re.search(rf'id="{re.escape(key)}"[^>]*data-proof="([^"]*)"', html)
    assert match, key
    return json.loads(unescape(match.group(1)))


def edit_page(client, speech) -> str:
    response = client.get(reverse("drafts:speech-edit", args=[speech.pk]))
    assert response.status_code == 200
    return response.content.decode()


def preview(client, speech) -> str:
    response = client.get(reverse("drafts:speech-preview", args=[speech.pk]))
    assert response.status_code == 200
    return response.content.decode()


# --- Checking a field as typed


@pytest.mark.django_db
def test_a_typed_text_comes_back_with_its_findings_and_nothing_is_written(drafter_client, speech):
    before = Speech.objects.get(pk=speech.pk)
    response = check(drafter_client, speech, "opening/opening", TYPED)
    assert response.status_code == 200
    answer = response.json()
    assert answer["status"] == "checked" and answer["address"] == "opening/opening"
    assert codes(answer) == [
        "repeated-word",
        "halfwidth-punctuation",
        "house-wording",  # the starter list the migration loads: 做为 → 作为
        "doubled-punctuation",
    ]
    for finding in answer["findings"]:
        assert TYPED[finding["start"] : finding["end"]] == finding["text"]
    fixes = [(f["text"], f["suggestion"], f["fix"]) for f in answer["findings"]]
    assert fixes[1] == (",", "，", "改为“，”") and fixes[2] == ("做为", "作为", "改为“作为”")
    assert answer["errors"] == 4 and answer["suggestions"] == 0
    after = Speech.objects.get(pk=speech.pk)
    assert (after.opening, after.opening_version) == (before.opening, before.opening_version)


@pytest.mark.django_db
def test_an_items_field_is_checked_with_its_siblings(drafter_client, speech):
    first, second = Item.objects.filter(part__speech=speech, kind="achievement").order_by(
        "position"
    )[:2]
    # The same sentence as the first achievement's body, typed into the second's.
    answer = check(drafter_client, speech, f"item:{second.pk}/body", first.body).json()
    repeated = [f for f in answer["findings"] if f["code"] == "repeated-sentence"]
    assert repeated and "成绩（一）" in repeated[0]["message"]
    assert repeated[0]["severity"] == "建议"


@pytest.mark.django_db
def test_a_lesson_is_checked_as_the_text_of_an_inline_item(drafter_client, speech):
    lesson = Item.objects.filter(part__speech=speech, kind="lesson").first()
    answer = check(drafter_client, speech, f"item:{lesson.pk}/text", "必须坚持,第一条").json()
    assert codes(answer) == ["halfwidth-punctuation"]


@pytest.mark.django_db
def test_the_house_list_as_it_stands_is_used(drafter_client, speech):
    WordingRule.objects.create(wrong="抓手", right="着力点", severity="suggestion")
    answer = check(drafter_client, speech, "opening/opening", "找准抓手。").json()
    assert [(f["code"], f["severity"], f["suggestion"]) for f in answer["findings"]] == [
        ("house-wording", "建议", "着力点")
    ]
    # As the admin saves it (a script's update must set updated_at, as for every row the
    # pages' stamp reads).
    WordingRule.objects.filter(wrong="抓手").update(enabled=False, updated_at=timezone.now())
    assert check(drafter_client, speech, "opening/opening", "找准抓手。").json()["findings"] == []


@pytest.mark.django_db
def test_offsets_count_characters_as_the_browser_does(drafter_client, speech):
    text = "𠀀𠀁推动推动"
    answer = check(drafter_client, speech, "closing/closing", text).json()
    finding = next(f for f in answer["findings"] if f["code"] == "repeated-word")
    assert (finding["start"], finding["end"]) == (4, 8)  # two characters past U+FFFF before it


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data, status, message",
    [
        ({"address": "opening/opening", "text": "甲" * 200_001}, 422, "内容过长"),
        ({"address": "opening/opening", "text": "前\x00后"}, 422, "空"),
        ({"text": "甲"}, 422, "缺少要校对的栏目"),
        (
            {"address": "item:00000000-0000-0000-0000-000000000000/lead", "text": "甲"},
            404,
            "不存在",
        ),
        ({"address": "nowhere", "text": "甲"}, 404, "不存在"),
        ({"address": "x" * 201, "text": "甲"}, 422, ""),
    ],
)
def test_bad_input_is_refused_in_chinese(drafter_client, speech, data, status, message):
    response = drafter_client.post(check_url(speech), data, **JSON)
    assert response.status_code == status
    assert response.json()["status"] in ("invalid", "gone")
    assert message in response.json()["message"]


@pytest.mark.django_db
def test_the_check_asks_a_fixed_number_of_queries(
    drafter_client, drafter, django_assert_max_num_queries
):
    speech = make_speech(owner=drafter, achievements=12, measures=12)
    check(drafter_client, speech, "opening/opening", TYPED)  # sessions and the like warm up
    with django_assert_max_num_queries(10):
        assert check(drafter_client, speech, "opening/opening", TYPED).status_code == 200


# --- Who may check and ignore


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["drafts:speech-proof-check", "drafts:speech-proof-ignore"])
def test_the_permission_ladder(client, speech, name):
    url = reverse(name, args=[speech.pk])
    data = {"address": "opening/opening", "text": "甲", "key": "x"}
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    client.force_login(make_user("stranger", role=DRAFTER_GROUP, agency="别的单位"))
    assert client.post(url, data, **JSON).status_code == 404
    client.force_login(make_user("reviewer", role=REVIEWER_GROUP))
    assert client.post(url, data, **JSON).status_code == 403
    Speech.objects.filter(pk=speech.pk).update(status=Speech.Status.SUBMITTED)
    client.force_login(speech.owner)
    assert client.post(url, data, **JSON).status_code == 403
    assert client.get(url).status_code == 405


# --- 忽略


def opening_finding(client, speech, code="halfwidth-punctuation") -> dict:
    Speech.objects.filter(pk=speech.pk).update(opening=TYPED)
    answer = check(client, speech, "opening/opening", TYPED).json()
    return next(f for f in answer["findings"] if f["code"] == code)


@pytest.mark.django_db
def test_an_ignored_finding_is_remembered_for_the_speech_and_can_come_back(
    drafter_client, drafter, speech
):
    finding = opening_finding(drafter_client, speech)
    response = drafter_client.post(ignore_url(speech), {"key": finding["key"]}, **JSON)
    assert response.json() == {"status": "ignored", "key": finding["key"]}
    drafter_client.post(ignore_url(speech), {"key": finding["key"]}, **JSON)  # again: once
    stored = IgnoredFinding.objects.get()
    assert (stored.speech_id, stored.key, stored.ignored_by) == (speech.pk, finding["key"], drafter)

    answer = check(drafter_client, speech, "opening/opening", TYPED).json()
    assert [f["ignored"] for f in answer["findings"] if f["key"] == finding["key"]] == [True]
    assert answer["errors"] == 3
    # An edit elsewhere in the field does not bring it back.
    answer = check(drafter_client, speech, "opening/opening", "前面加了字。" + TYPED).json()
    assert [f["ignored"] for f in answer["findings"] if f["code"] == finding["code"]] == [True]

    # Remembered for this speech only.
    other = make_speech(owner=drafter)
    assert IgnoredFinding.objects.keys_of(other.pk) == set()

    response = drafter_client.post(ignore_url(speech), {"key": finding["key"], "undo": "1"}, **JSON)
    assert response.json()["status"] == "restored"
    assert not IgnoredFinding.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "key",
    [
        "",
        "not a key",
        "halfwidth-punctuation|item:00000000-0000-0000-0000-000000000000/lead|,|1",
        "no-such-rule|opening/opening|,|1",
        "halfwidth-punctuation|opening/opening|" + "甲" * 200_500 + "|1",
        "placeholder|part_one.intro/intro|X|1",  # filled in, never ignored
    ],
)
def test_a_key_that_names_no_field_of_the_speech_is_refused(drafter_client, speech, key):
    response = drafter_client.post(ignore_url(speech), {"key": key}, **JSON)
    assert response.status_code == 422
    assert response.json()["message"]
    assert not IgnoredFinding.objects.exists()


@pytest.mark.django_db
def test_a_key_of_another_speechs_item_is_refused(drafter_client, drafter, speech):
    other = make_speech(owner=drafter)
    item = Item.objects.filter(part__speech=other, kind="achievement").first()
    key = f"halfwidth-punctuation|item:{item.pk}/lead|,|1"
    assert drafter_client.post(ignore_url(speech), {"key": key}, **JSON).status_code == 422


@pytest.mark.django_db
def test_without_javascript_an_ignore_goes_back_to_the_editor(drafter_client, speech):
    finding = opening_finding(drafter_client, speech)
    response = drafter_client.post(ignore_url(speech), {"key": finding["key"]})
    assert response.status_code == 302
    assert response["Location"] == reverse("drafts:speech-edit", args=[speech.pk])


# --- The editing page and the preview


@pytest.mark.django_db
def test_the_editing_page_gives_each_field_its_address_and_findings(drafter_client, speech):
    Speech.objects.filter(pk=speech.pk).update(opening=TYPED)
    html = edit_page(drafter_client, speech)
    opening = unit_proof(html, "text-opening")
    assert opening["fields"] == {"text": "opening/opening"}
    assert [f["code"] for f in opening["findings"]["text"]][:2] == [
        "repeated-word",
        "halfwidth-punctuation",
    ]
    achievement = Item.objects.filter(part__speech=speech, kind="achievement").first()
    lesson = Item.objects.filter(part__speech=speech, kind="lesson").first()
    assert unit_proof(html, f"item-{achievement.pk}")["fields"] == {
        "lead": f"item:{achievement.pk}/lead",
        "body": f"item:{achievement.pk}/body",
    }
    assert unit_proof(html, f"item-{lesson.pk}")["fields"] == {"body": f"item:{lesson.pk}/text"}
    assert set(unit_proof(html, "header")["fields"]) == {
        "title",
        "occasion",
        "organization",
        "speaker",
        "salutation",
    }
    assert "drafts/proofreading.js" in html and "data-proof-check-url" in html


@pytest.mark.django_db
def test_the_sidebar_counts_what_is_left(drafter_client, speech):
    Speech.objects.filter(pk=speech.pk).update(opening=TYPED)
    counts = proofread(Speech.objects.get(pk=speech.pk)).counts
    assert counts.errors == 7 + 4  # the sample's placeholders and the four typed in
    html = edit_page(drafter_client, speech)
    assert re.search(rf'proof-error-count">{counts.errors}<', html)
    assert '错误中有 <span class="proof-placeholder-count">7</span> 处是占位符' in html


@pytest.mark.django_db
def test_a_saves_sidebar_leaves_the_counts_to_the_page(drafter_client, speech, monkeypatch):
    # The page's script counts every field's findings as they are typed; a whole check
    # of the speech at every save would be paid for nothing.
    checked = []
    monkeypatch.setattr("drafts.pages.check_speech", lambda *a, **k: checked.append(a) or [])
    response = drafter_client.post(
        reverse("drafts:speech-text-edit", args=[speech.pk, "opening"]),
        {"text": TYPED, "version": 1, "base_text": speech.opening},
        **JSON,
    )
    assert response.status_code == 200
    assert 'proof-error-count">…<' in response.json()["sidebar"]
    assert checked == []


@pytest.mark.django_db
def test_an_item_list_swap_brings_its_items_findings(drafter_client, speech):
    lesson = Item.objects.filter(part__speech=speech, kind="lesson").first()
    Item.objects.filter(pk=lesson.pk).update(body="必须坚持,第一条")
    response = drafter_client.post(
        reverse("drafts:item-move", args=[lesson.pk]), {"direction": "down"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    proof = unit_proof(html, f"item-{lesson.pk}")
    assert [f["code"] for f in proof["findings"]["body"]] == ["halfwidth-punctuation"]
    assert 'proof-error-count">…<' in html


@pytest.mark.django_db
def test_the_preview_marks_findings_for_the_reviewer(leader_client, drafter, leader):
    speech = make_speech(owner=drafter, opening=TYPED)
    html = preview(leader_client, speech)
    marks = re.findall(r'<mark class="proof proof-(\w+)[^"]*" title="([^"]*)">([^<]*)</mark>', html)
    assert [(tone, text) for tone, _, text in marks][:4] == [
        ("error", "推动推动"),
        ("error", ","),
        ("error", "做为"),
        ("error", "。。"),
    ]
    assert "应为全角" in unescape(marks[1][1])
    # Listed beside the text with where they are; the placeholders in their own card.
    card = html[html.index('id="proof-card"') :]
    assert "开场白" in card and "“做为”应为“作为”" in unescape(card)
    assert "占位符“X”还没有填写" not in unescape(card.split("</ol>")[0])


@pytest.mark.django_db
def test_ignoring_changes_the_cached_pages_at_once(drafter_client, drafter, speech):
    finding = opening_finding(drafter_client, speech)
    before_preview, before_edit = preview(drafter_client, speech), edit_page(drafter_client, speech)
    assert '<mark class="proof proof-error" title="〔错误〕中文句子中用了半角' in before_preview
    drafter_client.post(ignore_url(speech), {"key": finding["key"]}, **JSON)
    after = preview(drafter_client, speech)
    assert '<mark class="proof proof-error" title="〔错误〕中文句子中用了半角' not in after
    assert re.search(r'proof-error-count">10<', after)
    assert unit_proof(edit_page(drafter_client, speech), "text-opening")["findings"]["text"][1][
        "ignored"
    ]
    assert before_edit != edit_page(drafter_client, speech)
    drafter_client.post(ignore_url(speech), {"key": finding["key"], "undo": "1"}, **JSON)
    assert re.search(r'proof-error-count">11<', preview(drafter_client, speech))


@pytest.mark.django_db
def test_a_change_to_the_house_list_changes_the_cached_preview(drafter_client, speech):
    Speech.objects.filter(pk=speech.pk).update(opening="找准抓手，推进工作。")
    assert "抓手</mark>" not in preview(drafter_client, speech)
    rule = WordingRule.objects.create(wrong="抓手", right="着力点")
    assert "抓手</mark>" in preview(drafter_client, speech)
    rule.enabled = False
    rule.save()
    assert "抓手</mark>" not in preview(drafter_client, speech)
    rule.delete()
    WordingRule.objects.create(wrong="抓手", right="着力点")
    assert "抓手</mark>" in preview(drafter_client, speech)
    cache.clear()


# --- Submitting with errors left


def submit(client, speech, **extra):
    data = {"submit-note": "请审核", **extra}
    return client.post(reverse("drafts:speech-action", args=[speech.pk, "submit"]), data)


@pytest.mark.django_db
def test_submitting_with_errors_left_asks_to_confirm(drafter_client, speech):
    # The sample speech's 7 errors are all placeholders: they are named so, not as 校对错误.
    html = preview(drafter_client, speech)
    assert "仍有 7 处占位符未填写，确认提交" in html and "处校对错误" not in html
    response = submit(drafter_client, speech)
    assert response.status_code == 422
    page = response.content.decode()
    assert "讲话稿还有 7 处占位符未填写。" in page and "请审核" in page  # the note as typed
    assert Speech.objects.get(pk=speech.pk).status == Speech.Status.DRAFT
    assert submit(drafter_client, speech, **{"submit-proof_confirmed": "on"}).status_code == 302
    assert Speech.objects.get(pk=speech.pk).status == Speech.Status.SUBMITTED


@pytest.mark.django_db
def test_the_confirmation_names_placeholders_apart_from_the_other_errors(drafter_client, speech):
    Speech.objects.filter(pk=speech.pk).update(opening="今天开会,回顾工作。")
    html = preview(drafter_client, speech)
    assert "仍有 1 处校对错误未改正、7 处占位符未填写，确认提交" in html
    assert "除占位符外，校对发现 <strong>1</strong> 处错误" in html
    page = submit(drafter_client, speech).content.decode()
    assert "讲话稿还有 1 处校对错误未改正、7 处占位符未填写。请先处理" in page


@pytest.mark.django_db
def test_the_errors_are_counted_when_submitting_not_when_the_page_was_shown(
    drafter_client, drafter
):
    speech = make_speech(owner=drafter, data=clean_structure())
    assert "确认提交" not in preview(drafter_client, speech)
    # A colleague types an error in after the page was shown.
    Speech.objects.filter(pk=speech.pk).update(opening="今天开会,回顾工作。")
    response = submit(drafter_client, speech)
    assert response.status_code == 422
    assert "讲话稿还有 1 处校对错误" in response.content.decode()


@pytest.mark.django_db
def test_a_speech_without_errors_submits_at_once(drafter_client, drafter):
    speech = make_speech(owner=drafter, data=clean_structure())
    assert proofread(speech).counts.errors == 0
    assert submit(drafter_client, speech).status_code == 302


@pytest.mark.django_db
def test_ignored_errors_need_no_confirmation(drafter_client, drafter):
    speech = make_speech(owner=drafter, data=clean_structure(opening="今天开会,回顾工作。"))
    finding = opening_finding_of(drafter_client, speech)
    drafter_client.post(ignore_url(speech), {"key": finding["key"]}, **JSON)
    assert submit(drafter_client, speech).status_code == 302


def opening_finding_of(client, speech) -> dict:
    stored = Speech.objects.get(pk=speech.pk).opening
    return check(client, speech, "opening/opening", stored).json()["findings"][0]


def clean_structure(**overrides):
    """The sample speech with its placeholders filled in: no errors left."""
    from tests.factories import sample_structure

    data = sample_structure(**overrides)
    data.part_one.intro = data.part_one.intro.replace("X", "5")
    for item in data.part_one.achievements:
        item.body = item.body.replace("XX", "统计").replace("X", "3")
    return data
