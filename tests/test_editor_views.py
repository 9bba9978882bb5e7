import pytest
from django.urls import reverse

from drafts.models import Comment, Item, Part, Speech
from tests.factories import make_speech, make_user

HTMX = {"HTTP_HX_REQUEST": "true"}
JSON = {"HTTP_ACCEPT": "application/json"}


def edit_url(speech):
    return reverse("drafts:speech-edit", args=[speech.pk])


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    ["drafts:speech-list", "drafts:speech-create"],
)
def test_anonymous_users_are_sent_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_anonymous_users_cannot_read_or_change_a_speech(client, speech):
    item = Item.objects.filter(part__speech=speech).first()
    for url in [
        edit_url(speech),
        reverse("drafts:speech-preview", args=[speech.pk]),
        reverse("drafts:speech-export-txt", args=[speech.pk]),
    ]:
        assert client.get(url).status_code == 302
    response = client.post(reverse("drafts:item-delete", args=[item.pk]))
    assert response.status_code == 302
    assert Item.objects.filter(pk=item.pk).exists()


@pytest.mark.django_db
def test_unknown_speech_is_404(drafter_client):
    assert drafter_client.get(reverse("drafts:speech-edit", args=[999])).status_code == 404


@pytest.mark.django_db
def test_list_shows_title_status_editor_and_length(drafter_client, speech):
    response = drafter_client.get(reverse("drafts:speech-list"))
    html = response.content.decode()
    assert "在测试局年度工作总结会议上的讲话" in html
    assert "起草中" in html
    assert "drafter1" in html
    assert " 字" in html


@pytest.mark.django_db
def test_create_from_the_blank_skeleton(drafter_client, drafter):
    response = drafter_client.post(
        reverse("drafts:speech-create"), {"title": "在年度会议上的讲话", "start": "blank"}
    )
    speech = Speech.objects.get()
    assert response.status_code == 302
    assert response["Location"] == edit_url(speech)
    assert speech.owner == drafter
    assert speech.salutation == "同志们："
    assert Item.objects.filter(part__speech=speech).count() == 12
    assert [p.kind for p in speech.parts.order_by("position")] == ["achievements", "shortcomings"]


@pytest.mark.django_db
def test_create_as_a_copy_keeps_every_text(drafter_client, speech):
    drafter_client.post(
        reverse("drafts:speech-create"),
        {"title": "副本标题", "start": "copy", "source": speech.pk},
    )
    copy = Speech.objects.exclude(pk=speech.pk).get()
    assert copy.title == "副本标题"
    original, copied = speech.as_structure(), copy.as_structure()
    assert [i.lead for i in copied.part_one.achievements] == [
        i.lead for i in original.part_one.achievements
    ]
    assert copied.closing == original.closing


@pytest.mark.django_db
def test_create_without_a_title_says_so_and_keeps_the_input(drafter_client):
    response = drafter_client.post(reverse("drafts:speech-create"), {"title": "", "start": "copy"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "这个字段是必填项" in html or "必填" in html
    assert "请选择要复制的讲话稿" in html
    assert not Speech.objects.exists()


@pytest.mark.django_db
def test_editing_page_shows_every_unit_with_generated_numbers(drafter_client, speech):
    html = drafter_client.get(edit_url(speech)).content.decode()
    assert 'id="header"' in html and 'id="text-opening"' in html and 'id="text-closing"' in html
    assert "（三）" in html and "三是" in html
    assert "待填占位符" in html


def header_data(speech, **changes):
    data = {
        "title": speech.title,
        "occasion": speech.occasion,
        "organization": speech.organization,
        "speaker": speech.speaker,
        "date": "",
        "salutation": speech.salutation,
        "pace": speech.pace,
        "version": speech.version,
    }
    data.update(changes)
    return data


@pytest.mark.django_db
def test_saving_the_header_keeps_the_title_break(drafter_client, speech):
    url = reverse("drafts:speech-header-edit", args=[speech.pk])
    response = drafter_client.post(
        url, header_data(speech, title=" 上行 \r\n\r\n下行 ", date="2026-12-01"), **JSON
    )
    assert response.status_code == 200
    speech.refresh_from_db()
    assert speech.title == "上行\n下行"
    assert str(speech.date) == "2026-12-01"
    assert speech.version == 2
    answer = response.json()
    assert answer["message"].startswith("已保存")
    assert answer["fields"]["title"] == "上行\n下行" and answer["fields"]["date"] == "2026-12-01"


@pytest.mark.django_db
def test_an_empty_title_is_refused_with_a_message_and_nothing_is_lost(drafter_client, speech):
    url = reverse("drafts:speech-header-edit", args=[speech.pk])
    response = drafter_client.post(
        url, header_data(speech, title="", occasion="新的会议名称"), **JSON
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {"title": ["请填写标题。"]}
    speech.refresh_from_db()
    # Nothing of the unit is written (the page keeps the user's text in its boxes).
    assert speech.title == "在测试局年度工作\n总结会议上的讲话"
    assert speech.occasion != "新的会议名称"


@pytest.mark.django_db
def test_a_one_megabyte_paste_is_refused_and_the_stored_text_stays(drafter_client, speech):
    url = reverse("drafts:speech-text-edit", args=[speech.pk, "opening"])
    paste = "很长的粘贴内容。" * 131072
    response = drafter_client.post(url, {"text": paste, "version": 1}, **HTMX)
    assert response.status_code == 422
    assert "20000" in response.content.decode()
    speech.refresh_from_db()
    assert speech.opening == "今天召开会议，回顾一年的工作。下面，我讲两个方面的意见。"


@pytest.mark.django_db
def test_an_invalid_save_without_htmx_renders_the_whole_page_with_the_input(drafter_client, speech):
    url = reverse("drafts:speech-header-edit", args=[speech.pk])
    response = drafter_client.post(url, header_data(speech, title="", occasion="保留的会议名"))
    assert response.status_code == 422
    html = response.content.decode()
    assert "保留的会议名" in html and 'id="text-closing"' in html


@pytest.mark.django_db
def test_a_saved_opening_redirects_without_javascript_and_answers_the_sidebar_with_it(
    drafter_client, speech
):
    url = reverse("drafts:speech-text-edit", args=[speech.pk, "opening"])
    response = drafter_client.post(url, {"text": "新的开场白，召开X次会议。", "version": 1})
    assert response.status_code == 302
    assert response["Location"].endswith("#text-opening")
    response = drafter_client.post(url, {"text": "再改一次开场白。", "version": 2}, **JSON)
    assert 'id="speech-sidebar"' in response.json()["sidebar"]
    speech.refresh_from_db()
    assert speech.opening == "再改一次开场白。"
    assert speech.opening_version == 3


@pytest.mark.django_db
def test_a_stale_save_of_the_same_field_is_a_conflict_with_both_texts(drafter_client, speech):
    item = Item.objects.get(part__speech=speech, kind="measure", position=1)
    url = reverse("drafts:item-edit", args=[item.pk])
    loaded = {"base_lead": item.lead, "base_body": item.body, "version": 1}
    drafter_client.post(url, {"lead": item.lead, "body": "先保存的正文。", **loaded}, **JSON)
    response = drafter_client.post(
        url, {"lead": item.lead, "body": "后来者的正文。", **loaded}, **JSON
    )
    assert response.status_code == 409
    answer = response.json()
    assert "保存冲突" in answer["message"]
    conflict = answer["conflicts"]["body"]
    assert (conflict["theirs"], conflict["mine"]) == ("先保存的正文。", "后来者的正文。")
    assert "lead" not in answer["conflicts"]
    item.refresh_from_db()
    assert item.body == "先保存的正文。"
    assert item.version == 2
    # Keeping mine, having seen theirs, is a save typed on theirs: a deliberate overwrite.
    response = drafter_client.post(
        url,
        {
            "lead": item.lead,
            "body": "后来者的正文。",
            "base_lead": item.lead,
            "base_body": "先保存的正文。",
            "version": 2,
        },
        **JSON,
    )
    assert response.status_code == 200
    item.refresh_from_db()
    assert item.body == "后来者的正文。"


@pytest.mark.django_db
def test_a_conflict_without_javascript_shows_both_texts_on_the_page(drafter_client, speech):
    item = Item.objects.get(part__speech=speech, kind="measure", position=1)
    url = reverse("drafts:item-edit", args=[item.pk])
    loaded = {"base_lead": item.lead, "base_body": item.body, "version": 1}
    drafter_client.post(url, {"lead": item.lead, "body": "先保存的正文。", **loaded})
    response = drafter_client.post(url, {"lead": item.lead, "body": "后来者的正文。", **loaded})
    assert response.status_code == 409
    html = response.content.decode()
    assert "后来者的正文。" in html and "先保存的正文。" in html and "保存冲突" in html


@pytest.mark.django_db
def test_the_conflict_diff_of_a_text_shows_the_users_words_as_inserted(drafter_client, speech):
    # A text unit's form field is "text" while the column is "opening": the diff must
    # still be made against what the user typed, not against nothing.
    url = reverse("drafts:speech-text-edit", args=[speech.pk, "opening"])
    loaded = {"base_text": speech.opening, "version": 1}
    drafter_client.post(url, {"text": "同事的开场白。", **loaded}, **JSON)
    response = drafter_client.post(url, {"text": "我的开场白。", **loaded}, **JSON)
    assert response.status_code == 409
    ops = response.json()["conflicts"]["text"]["ops"]
    assert [1, "我"] in ops and [-1, "同事"] in ops


@pytest.mark.django_db
def test_two_texts_of_one_part_saved_from_the_same_page_never_conflict(drafter_client, speech):
    part = Part.objects.get(speech=speech, kind="shortcomings")
    heading_url = reverse("drafts:part-text-edit", args=[part.pk, "heading"])
    transition_url = reverse("drafts:part-text-edit", args=[part.pk, "transition"])
    heading = {"text": "新的第二部分标题", "base_text": part.heading, "version": 1}
    assert drafter_client.post(heading_url, heading, **JSON).status_code == 200
    transition = {"text": "新的过渡语。", "base_text": part.transition, "version": 1}
    response = drafter_client.post(transition_url, transition, **JSON)
    assert response.status_code == 200
    part.refresh_from_db()
    assert (part.heading, part.transition) == ("新的第二部分标题", "新的过渡语。")


@pytest.mark.django_db
def test_two_saves_of_one_part_text_on_the_same_version_conflict(drafter_client, speech):
    # Issue 11, case 3: the second save used to overwrite the first silently.
    part = Part.objects.get(speech=speech, kind="shortcomings")
    url = reverse("drafts:part-text-edit", args=[part.pk, "heading"])
    loaded = {"base_text": part.heading, "version": 1}
    assert drafter_client.post(url, {"text": "甲的标题", **loaded}, **JSON).status_code == 200
    response = drafter_client.post(url, {"text": "乙的标题", **loaded}, **JSON)
    assert response.status_code == 409
    part.refresh_from_db()
    assert part.heading == "甲的标题"


@pytest.mark.django_db
def test_a_part_has_only_its_own_texts(drafter_client, speech):
    part = Part.objects.get(speech=speech, kind="achievements")
    url = reverse("drafts:part-text-edit", args=[part.pk, "transition"])
    assert drafter_client.post(url, {"text": "x", "version": 1}).status_code == 404


@pytest.mark.django_db
def test_inline_items_save_only_their_text(drafter_client, speech):
    lesson = Item.objects.get(part__speech=speech, kind="lesson", position=2)
    url = reverse("drafts:item-edit", args=[lesson.pk])
    response = drafter_client.post(
        url, {"body": "必须坚持新的经验", "lead": "忽略", "version": 1}, **JSON
    )
    assert response.status_code == 200
    assert "lead" not in response.json()["fields"]
    lesson.refresh_from_db()
    assert (lesson.lead, lesson.body) == ("", "必须坚持新的经验")


@pytest.mark.django_db
def test_add_move_and_delete_renumber_the_list_on_screen(drafter_client, speech):
    part = Part.objects.get(speech=speech, kind="achievements")
    response = drafter_client.post(
        reverse("drafts:item-add", args=[part.pk, "achievement"]), **HTMX
    )
    html = response.content.decode()
    # The new item is empty: named, but not numbered until it has text.
    assert "成绩（未填写，不编号）" in html and 'hx-swap-oob="true"' in html
    assert "（三）" in html and "（四）" not in html
    third = Item.objects.get(part=part, kind="achievement", position=3)
    response = drafter_client.post(
        reverse("drafts:item-move", args=[third.pk]), {"position": "1"}, **HTMX
    )
    html = response.content.decode()
    assert html.index("第3方面工作有新进展") < html.index("第1方面工作有新进展")
    drafter_client.post(reverse("drafts:item-move", args=[third.pk]), {"direction": "down"}, **HTMX)
    third.refresh_from_db()
    assert third.position == 2
    response = drafter_client.post(reverse("drafts:item-delete", args=[third.pk]), **HTMX)
    assert response.status_code == 200
    assert list(
        Item.objects.filter(part=part, kind="achievement")
        .values_list("position", flat=True)
        .order_by("position")
    ) == [1, 2, 3]


@pytest.mark.django_db
def test_adding_after_an_item_inserts_right_behind_it(drafter_client, speech):
    part = Part.objects.get(speech=speech, kind="shortcomings")
    first = Item.objects.get(part=part, kind="measure", position=1)
    drafter_client.post(
        reverse("drafts:item-add", args=[part.pk, "measure"]), {"after": str(first.pk)}
    )
    assert Item.objects.get(part=part, kind="measure", position=2).lead == ""
    assert Item.objects.get(part=part, kind="measure", position=3).lead == "第2项措施要落实。"


@pytest.mark.django_db
def test_an_item_kind_of_the_other_part_is_404(drafter_client, speech):
    part = Part.objects.get(speech=speech, kind="achievements")
    assert (
        drafter_client.post(reverse("drafts:item-add", args=[part.pk, "measure"])).status_code
        == 404
    )


@pytest.mark.django_db
def test_deleting_a_speech_moves_it_to_the_trash(drafter_client, drafter, speech):
    response = drafter_client.post(reverse("drafts:speech-delete", args=[speech.pk]), follow=True)
    assert "已移入回收站，30 天内可恢复" in response.content.decode()
    speech.refresh_from_db()
    assert speech.deleted_by == drafter and speech.deleted_at is not None
    assert not Speech.objects.alive().exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    [
        "drafts:speech-edit",
        "drafts:speech-preview",
        "drafts:speech-export-txt",
        "drafts:speech-export-json",
    ],
)
def test_pages_run_a_constant_number_of_queries(
    drafter_client, drafter, name, django_assert_max_num_queries
):
    small = make_speech(owner=drafter, achievements=3, lessons=3, shortcomings=3, measures=3)
    large = make_speech(owner=drafter, achievements=30, lessons=30, shortcomings=30, measures=30)
    counts = []
    # A first request renews the session (a write at most once a minute): not measured.
    drafter_client.get(reverse("drafts:home"))
    for speech in (small, large):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert drafter_client.get(reverse(name, args=[speech.pk])).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(12):
        drafter_client.get(reverse(name, args=[large.pk]))


@pytest.mark.django_db
def test_list_runs_a_constant_number_of_queries(
    drafter_client, drafter, django_assert_max_num_queries
):
    for _ in range(5):
        make_speech(owner=drafter, achievements=12)
    with django_assert_max_num_queries(12):
        assert drafter_client.get(reverse("drafts:speech-list")).status_code == 200


@pytest.mark.django_db
def test_editing_an_item_shows_as_the_speech_s_last_edit_in_the_list(
    drafter_client, drafter, speech
):
    other = make_user("colleague", role="起草人员")
    Speech.objects.filter(pk=speech.pk).update(updated_by=other)
    before = Speech.objects.get(pk=speech.pk).updated_at
    item = Item.objects.filter(part__speech=speech, kind="lesson").first()
    drafter_client.post(
        reverse("drafts:item-edit", args=[item.pk]), {"body": "新的体会", "version": 1}
    )
    speech.refresh_from_db()
    assert speech.updated_by == drafter
    assert speech.updated_at > before


@pytest.mark.django_db
def test_text_boxes_do_not_cut_a_long_paste_and_the_server_says_how_long_it_is(
    drafter_client, speech
):
    html = drafter_client.get(edit_url(speech)).content.decode()
    assert "maxlength" not in html
    url = reverse("drafts:speech-text-edit", args=[speech.pk, "opening"])
    response = drafter_client.post(url, {"text": "长" * 20_001, "version": 1}, **JSON)
    assert response.status_code == 422
    assert "内容过长：最多 20000 字，现有 20001 字" in response.json()["errors"]["text"][0]


@pytest.mark.django_db
def test_a_list_swapped_after_a_move_still_shows_its_comments(drafter_client, drafter, speech):
    first = Item.objects.get(part__speech=speech, kind="measure", position=1)
    Comment.objects.create(speech=speech, anchor=first.anchor, author=drafter, text="措施要量化")
    response = drafter_client.post(
        reverse("drafts:item-move", args=[first.pk]), {"direction": "down"}, **HTMX
    )
    assert "措施要量化" in response.content.decode()
