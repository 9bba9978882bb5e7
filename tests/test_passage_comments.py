"""Comments on a passage of a field (issue 14): made in the editor or the preview, kept
on their words through every save (``Speech.save_unit`` re-anchors them), marked in the
preview, and kept on the field with a note when their words are gone."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from drafts.models import Comment, Item, Part, Speech, Suggestion
from tests.factories import make_speech, make_user

JSON = {"HTTP_ACCEPT": "application/json"}
OPENING = "今天召开会议，回顾一年的工作。下面，我讲两个方面的意见。"


def save(speech, anchor, texts, user):
    """A save as the editor makes it: typed on the stored text."""
    located = Speech.objects.get(pk=speech.pk).unit_for(anchor)
    bases = {name: getattr(located[0], name) for name in texts}
    return Speech.save_unit(
        speech.pk, anchor, texts=texts, bases=bases, version=None, user=user, label="测试"
    )


def on_passage(speech, anchor, field, quote, author, text="这里要改"):
    stored = getattr(Speech.objects.get(pk=speech.pk).unit_for(anchor)[0], field)
    return Comment.objects.create(
        speech=speech,
        anchor=anchor,
        field=field,
        start=stored.index(quote),
        quote=quote,
        author=author,
        text=text,
    )


def fresh(comment) -> Comment:
    return Comment.objects.get(pk=comment.pk)


def measure(speech) -> Item:
    return Item.objects.get(part__speech=speech, kind="measure", position=1)


def lesson(speech) -> Item:
    return Item.objects.get(part__speech=speech, kind="lesson", position=2)


# --- The model: every save moves the passages of the fields it changed

# (unit, field, the passage's words, the field after the save, the words after or None)
EDITS = [
    ("opening", "opening", "回顾一年的工作", "同志们好！" + OPENING, "回顾一年的工作"),
    ("opening", "opening", "回顾一年的工作", OPENING.replace("召开", "召开全局"), "回顾一年的工作"),
    (
        "opening",
        "opening",
        "回顾一年的工作",
        OPENING.replace("一年的", "一年来的"),
        "回顾一年来的工作",
    ),
    ("opening", "opening", "回顾一年的工作", OPENING.replace("意见", "看法"), "回顾一年的工作"),
    ("opening", "opening", "回顾一年的工作", "下面，我讲两个方面的意见。", None),
    ("measure", "body", "第1项措施", "按计划推进。这是第1项措施的正文。", "第1项措施"),
    ("measure", "body", "第1项措施", "这是第1项重点措施的正文。", "第1项重点措施"),
    ("measure", "body", "第1项措施", "这是正文。", None),
    ("measure", "lead", "要落实", "第1项措施要抓紧落实。", "要抓紧落实"),
    ("lesson", "body", "第2条经验", "始终必须坚持第2条经验", "第2条经验"),
    ("heading", "heading", "问题不足", "正视存在的问题不足，扎实做好下一步工作", "问题不足"),
    ("header", "title", "年度工作", "在测试局二〇二六年度工作\n总结会议上的讲话", "年度工作"),
]
EDIT_IDS = [
    "opening-before",
    "opening-before-near",
    "opening-inside",
    "opening-after",
    "opening-deleted",
    "body-before",
    "body-inside",
    "body-deleted",
    "lead-inside",
    "inline-item-before",
    "heading-before",
    "title-before",
]


def unit_of(speech, unit: str) -> str:
    if unit == "measure":
        return measure(speech).anchor
    if unit == "lesson":
        return lesson(speech).anchor
    if unit == "heading":
        return "part_two.heading"
    return unit


@pytest.mark.django_db
@pytest.mark.parametrize(("unit", "field", "quote", "after", "words"), EDITS, ids=EDIT_IDS)
def test_a_passage_comment_survives_edits_before_inside_and_after_its_words(
    speech, drafter, leader, unit, field, quote, after, words
):
    anchor = unit_of(speech, unit)
    comment = on_passage(speech, anchor, field, quote, leader)
    save(speech, anchor, {field: after}, drafter)
    comment = fresh(comment)
    if words is None:
        assert comment.passage is None and comment.passage_lost
        assert comment.passage_note == f"原批注的文字已被删改：「{quote}」"
        assert (comment.anchor, comment.field) == (anchor, field)  # still on the field
        return
    stored = getattr(Speech.objects.get(pk=speech.pk).unit_for(anchor)[0], field)
    name, start, end = comment.passage
    assert name == field and stored[start:end] == words == comment.quote
    assert not comment.passage_lost


@pytest.mark.django_db
def test_the_passage_follows_through_several_saves(speech, drafter, leader):
    comment = on_passage(speech, "opening", "opening", "回顾一年的工作", leader)
    text = OPENING
    edits = [
        ("今天", "今天上午"),
        ("一年的", "一年来的"),
        ("工作。", "工作情况。"),
        ("。下面", "。接下来"),
    ]
    for before, after in edits:
        text = text.replace(before, after)
        save(speech, "opening", {"opening": text}, drafter)
    comment = fresh(comment)
    # 情况 was typed right after its last character: outside it.
    assert comment.quote == "回顾一年来的工作"
    assert text[comment.start : comment.passage[2]] == comment.quote


@pytest.mark.django_db
def test_only_the_changed_field_s_open_passage_comments_move(speech, drafter, leader):
    item = measure(speech)
    on_body = on_passage(speech, item.anchor, "body", "第1项措施", leader)
    on_lead = on_passage(speech, item.anchor, "lead", "要落实", leader)
    resolved = on_passage(speech, item.anchor, "body", "的正文", leader)
    Comment.objects.filter(pk=resolved.pk).update(resolved_at=on_body.created_at)
    whole = Comment.objects.create(speech=speech, anchor=item.anchor, author=leader, text="整条")
    save(speech, item.anchor, {"lead": item.lead, "body": "补充一句。" + item.body}, drafter)
    assert fresh(on_body).start == on_body.start + len("补充一句。")
    assert fresh(on_lead).start == on_lead.start  # the lead did not change
    assert fresh(resolved).start == resolved.start  # resolved: not followed
    assert fresh(whole).passage is None and not fresh(whole).passage_lost


@pytest.mark.django_db
def test_re_anchoring_costs_one_query_and_one_bulk_update(speech, drafter, leader):
    for quote in ("今天", "召开会议", "回顾一年的工作", "两个方面"):
        on_passage(speech, "opening", "opening", quote, leader)
    with CaptureQueriesContext(connection) as queries:
        save(speech, "opening", {"opening": "同志们：" + OPENING}, drafter)
    table = Comment._meta.db_table
    touching = [q["sql"] for q in queries if table in q["sql"]]
    assert len(touching) == 2, touching
    assert touching[0].startswith("SELECT") and touching[1].startswith("UPDATE")
    assert Comment.objects.filter(start__isnull=False).count() == 4


@pytest.mark.django_db
def test_a_save_that_writes_nothing_leaves_the_passages_alone(speech, drafter, leader):
    comment = on_passage(speech, "opening", "opening", "回顾一年的工作", leader)
    with CaptureQueriesContext(connection) as queries:
        save(speech, "opening", {"opening": OPENING}, drafter)
    assert not [q for q in queries if Comment._meta.db_table in q["sql"]]
    assert fresh(comment).start == comment.start


@pytest.mark.django_db
def test_a_merged_save_moves_the_passage_with_both_changes(speech, drafter, leader):
    colleague = make_user("drafter2", role="起草人员")
    comment = on_passage(speech, "opening", "opening", "回顾一年的工作", leader)
    typed_on = {"opening": OPENING}
    mine = {"opening": "同志们：" + OPENING}
    theirs = {"opening": OPENING.replace("意见", "看法")}
    for texts, user in ((theirs, colleague), (mine, drafter)):
        Speech.save_unit(
            speech.pk, "opening", texts=texts, bases=typed_on, version=1, user=user, label="测试"
        )
    stored = Speech.objects.get(pk=speech.pk).opening
    assert stored == "同志们：" + OPENING.replace("意见", "看法")
    comment = fresh(comment)
    assert stored[comment.start : comment.passage[2]] == "回顾一年的工作"


@pytest.mark.django_db
def test_restoring_a_revision_moves_the_passage_back(client, speech, drafter, leader):
    save(speech, "opening", {"opening": "开场先说明。" + OPENING}, drafter)
    comment = on_passage(speech, "opening", "opening", "回顾一年的工作", leader)
    with_sentence = speech.revisions.get()
    save(speech, "opening", {"opening": OPENING}, drafter)
    assert fresh(comment).start == OPENING.index("回顾")
    client.force_login(drafter)
    version = Speech.objects.get(pk=speech.pk).opening_version
    client.post(reverse("drafts:revision-restore", args=[with_sentence.pk]), {"version": version})
    assert Speech.objects.get(pk=speech.pk).opening.startswith("开场先说明。")
    assert fresh(comment).start == len("开场先说明。") + OPENING.index("回顾")


@pytest.mark.django_db
def test_accepting_a_suggestion_moves_the_passage(speech, drafter, leader):
    comment = on_passage(speech, "opening", "opening", "回顾一年的工作", leader)
    proposed = "同志们好！" + OPENING.replace("一年的", "一年来的")
    suggestion = Suggestion.propose(
        speech.pk, "opening", "opening", base=OPENING, proposed=proposed, user=leader
    )
    suggestion.accept(drafter)
    comment = fresh(comment)
    assert comment.quote == "回顾一年来的工作"
    assert proposed[comment.start : comment.passage[2]] == comment.quote


@pytest.mark.django_db
def test_a_refused_save_moves_no_passage(speech, drafter, leader, settings):
    comment = on_passage(speech, "opening", "opening", "回顾一年的工作", leader)
    too_long = "长" * (settings.BUDGETS["field_chars"] + 1)
    with pytest.raises(Exception, match="过长"):
        save(speech, "opening", {"opening": too_long + OPENING}, drafter)
    assert fresh(comment).start == comment.start


@pytest.mark.django_db
def test_the_passage_accessor_for_the_word_export(speech, leader):
    comment = on_passage(speech, "opening", "opening", "回顾一年的工作", leader)
    start = OPENING.index("回顾")
    assert comment.passage == ("opening", start, start + len("回顾一年的工作"))
    whole = Comment.objects.create(speech=speech, anchor="opening", author=leader, text="整段")
    assert whole.passage is None and whole.passage_note == ""


# --- The pages


def comment_url(speech):
    return reverse("drafts:comment-add", args=[speech.pk])


def passage_post(anchor, field, quote, start, text="这里要改", **extra):
    return {"anchor": anchor, "field": field, "quote": quote, "start": start, "text": text, **extra}


def paper(html: str) -> str:
    return html[html.index("<article") : html.index("</article>")]


def marked(html: str) -> list[str]:
    """The words the preview marks as a comment's passage, tags inside them left out."""
    found = re.findall(r'<mark class="passage"[^>]*>(.*?)</mark>', paper(html), re.S)
    return [re.sub(r"<[^>]+>", "", words) for words in found]


def save_opening(client, speech, text):
    stored = Speech.objects.get(pk=speech.pk)
    url = reverse("drafts:speech-text-edit", args=[speech.pk, "opening"])
    data = {"text": text, "base_text": stored.opening, "version": stored.opening_version}
    return client.post(url, data, **JSON)


@pytest.mark.django_db
def test_a_drafter_comments_on_a_selection_in_the_editor(drafter_client, speech):
    start = OPENING.index("回顾")
    next_url = reverse("drafts:speech-edit", args=[speech.pk])
    response = drafter_client.post(
        comment_url(speech), passage_post("opening", "opening", "回顾一年", start, next=next_url)
    )
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{next_url}#comment-{comment.pk}"
    assert comment.passage == ("opening", start, start + 4)
    editor = drafter_client.get(next_url).content.decode()
    assert "「回顾一年」" in editor and 'data-text-field="opening"' in editor


@pytest.mark.django_db
def test_a_leader_comments_on_words_selected_in_the_preview(client, leader, speech):
    client.force_login(leader)
    item = measure(speech)
    # The selection in the delivered text: its field's offsets, start and end.
    quote = "第1项措施的正文"
    start = item.body.index(quote)
    data = passage_post(item.anchor, "body", quote, start, end=start + len(quote))
    assert client.post(comment_url(speech), data).status_code == 302
    comment = Comment.objects.get()
    assert comment.passage == ("body", start, start + len(quote))
    preview = client.get(reverse("drafts:speech-preview", args=[speech.pk])).content.decode()
    assert marked(preview) == [quote]
    assert f'data-comments="{comment.pk}"' in preview
    assert "「第1项措施的正文」" in preview


@pytest.mark.django_db
def test_the_preview_gives_each_paragraph_its_fields_offsets(leader_client, speech):
    html = leader_client.get(reverse("drafts:speech-preview", args=[speech.pk])).content.decode()
    opening = re.search(r'id="p-opening".*?data-pieces="([^"]+)"', html).group(1)
    assert opening.replace("&quot;", '"') == f'[[0, {len(OPENING)}, "opening", "opening", 0]]'


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("edit", "words"),
    [
        (lambda text: "同志们好。" + text, "回顾一年的工作"),  # before the passage
        (lambda text: text.replace("一年的", "一年来的"), "回顾一年来的工作"),  # inside it
        (lambda text: text + "请大家认真讨论。", "回顾一年的工作"),  # after it
    ],
    ids=["before", "inside", "after"],
)
def test_the_preview_marks_the_same_words_after_the_drafter_s_edit(
    client, drafter, leader, speech, edit, words
):
    client.force_login(leader)
    start = OPENING.index("回顾一年的工作")
    client.post(comment_url(speech), passage_post("opening", "opening", "回顾一年的工作", start))
    client.force_login(drafter)
    assert save_opening(client, speech, edit(OPENING)).status_code == 200
    preview = client.get(reverse("drafts:speech-preview", args=[speech.pk])).content.decode()
    assert marked(preview) == [words]
    assert (
        f"「{words}」"
        in client.get(reverse("drafts:speech-edit", args=[speech.pk])).content.decode()
    )


@pytest.mark.django_db
def test_words_deleted_leave_the_comment_on_the_field_with_a_note(client, drafter, leader, speech):
    client.force_login(leader)
    start = OPENING.index("回顾一年的工作")
    client.post(comment_url(speech), passage_post("opening", "opening", "回顾一年的工作", start))
    client.force_login(drafter)
    save_opening(client, speech, "今天召开会议。下面，我讲两个方面的意见。")
    for page in ("drafts:speech-preview", "drafts:speech-edit"):
        html = client.get(reverse(page, args=[speech.pk])).content.decode()
        assert "原批注的文字已被删改：「回顾一年的工作」" in html
        assert "这里要改" in html
    preview = client.get(reverse("drafts:speech-preview", args=[speech.pk])).content.decode()
    assert marked(preview) == []


@pytest.mark.django_db
def test_a_lesson_s_passage_is_marked_on_its_own_words_among_its_siblings(leader_client, speech):
    # Every lesson reads 必须坚持第N条经验 in one paragraph: the mark is on the second's.
    item = lesson(speech)
    start = item.body.index("坚持")
    leader_client.post(comment_url(speech), passage_post(item.anchor, "body", "坚持", start))
    html = leader_client.get(reverse("drafts:speech-preview", args=[speech.pk])).content.decode()
    assert marked(html) == ["坚持"]
    lessons = paper(html)[paper(html).index('id="p-part_one.lessons"') :]
    before_mark = re.sub(r"<[^>]+>", "", lessons[: lessons.index('<mark class="passage"')])
    assert before_mark.endswith("二是必须")


@pytest.mark.django_db
def test_a_resolved_passage_comment_is_not_marked_and_finds_its_words_when_reopened(
    client, drafter, leader, speech
):
    client.force_login(leader)
    start = OPENING.index("回顾一年的工作")
    client.post(comment_url(speech), passage_post("opening", "opening", "回顾一年的工作", start))
    comment = Comment.objects.get()
    client.post(reverse("drafts:comment-resolve", args=[comment.pk]))
    client.force_login(drafter)
    save_opening(client, speech, "同志们好。" + OPENING)
    preview = client.get(reverse("drafts:speech-preview", args=[speech.pk])).content.decode()
    assert marked(preview) == []
    client.post(reverse("drafts:comment-resolve", args=[comment.pk]))  # reopened
    comment = fresh(comment)
    assert comment.is_open and comment.start == start + len("同志们好。")
    preview = client.get(reverse("drafts:speech-preview", args=[speech.pk])).content.decode()
    assert marked(preview) == ["回顾一年的工作"]


@pytest.mark.django_db
def test_a_stale_position_is_corrected_from_the_words(leader_client, speech):
    # A page made before a colleague's edit: the words are found where they are now.
    Speech.objects.filter(pk=speech.pk).update(opening="同志们好。" + OPENING)
    leader_client.post(
        comment_url(speech),
        passage_post("opening", "opening", "回顾一年的工作", OPENING.index("回顾")),
    )
    assert Comment.objects.get().start == len("同志们好。") + OPENING.index("回顾")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"quote": "没有这句话", "start": "3"}, "所选文字「没有这句话」在当前内容中找不到"),
        ({"quote": "  \n ", "start": "3"}, "所选的只有空白"),
        ({"field": "pace", "quote": "180"}, "所选文字的位置有误"),
        ({"field": "closing", "quote": "共同努力"}, "所选文字的位置有误"),
        ({"field": "", "quote": "回顾"}, "所选文字的位置有误"),
        ({"field": "opening" * 10, "quote": "回顾"}, "内容过长"),
        ({"quote": "回" * 30_000}, "内容过长"),
        ({"quote": "回顾\x00"}, "空字符"),
    ],
    ids=["not-there", "blank", "not-a-text", "other-unit", "no-field", "long-field", "huge", "nul"],
)
def test_a_passage_that_is_not_in_the_field_is_refused_and_the_comment_kept(
    leader_client, speech, data, message
):
    post = {"anchor": "opening", "field": "opening", "text": "这条批注不能丢", **data}
    response = leader_client.post(comment_url(speech), post)
    html = response.content.decode()
    assert response.status_code == 422
    assert message in html
    assert ">这条批注不能丢</textarea>" in html
    assert not Comment.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("start", ["abc", "²", "-1", "99999999999", "100000"])
def test_a_position_that_is_no_position_is_only_no_hint(leader_client, speech, start):
    post = passage_post("opening", "opening", "回顾一年", start)
    assert leader_client.post(comment_url(speech), post).status_code == 302
    assert Comment.objects.get().start == OPENING.index("回顾")


@pytest.mark.django_db
def test_a_refused_comment_on_a_passage_comes_back_with_its_passage(leader_client, speech):
    start = OPENING.index("回顾")
    response = leader_client.post(
        comment_url(speech), passage_post("opening", "opening", "回顾一年", start, text="")
    )
    html = response.content.decode()
    assert response.status_code == 422 and "批注内容不能为空" in html
    assert 'name="quote" value="回顾一年"' in html and f'name="start" value="{start}"' in html
    assert "批注所选文字：「" in html


@pytest.mark.django_db
def test_a_reply_is_on_the_comment_not_on_a_passage(leader_client, speech, leader):
    parent = on_passage(speech, "opening", "opening", "回顾一年的工作", leader)
    post = passage_post("opening", "opening", "今天", 0, text="同意", parent=parent.pk)
    assert leader_client.post(comment_url(speech), post).status_code == 302
    reply = Comment.objects.get(parent=parent)
    assert reply.passage is None and reply.field == ""


@pytest.mark.django_db
def test_whole_field_comments_work_as_before(leader_client, speech):
    response = leader_client.post(comment_url(speech), {"anchor": "opening", "text": "整段再压缩"})
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert (comment.field, comment.start, comment.quote, comment.passage) == ("", None, "", None)
    html = leader_client.get(reverse("drafts:speech-preview", args=[speech.pk])).content.decode()
    assert "整段再压缩" in html and marked(html) == [] and "comment-quote" not in html


@pytest.mark.django_db
def test_passage_comments_by_role(client, drafter, leader, outsider, speech):
    data = passage_post("opening", "opening", "回顾一年", OPENING.index("回顾"))
    response = client.post(comment_url(speech), data)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(outsider)
    assert client.post(comment_url(speech), data).status_code == 404
    other = make_speech(owner=make_user("elsewhere", role="起草人员", agency="另一个局"))
    client.force_login(drafter)
    assert client.post(comment_url(other), data).status_code == 404
    for user in (drafter, leader):
        client.force_login(user)
        assert client.post(comment_url(speech), data).status_code == 302
    assert Comment.objects.filter(start__isnull=False).count() == 2


@pytest.mark.django_db
def test_the_preview_runs_as_many_queries_with_passage_comments(
    leader_client, leader, speech, settings
):
    settings.PAGE_CACHE = False  # every request renders the page
    url = reverse("drafts:speech-preview", args=[speech.pk])
    leader_client.get(url)
    with CaptureQueriesContext(connection) as without:
        leader_client.get(url)
    for quote in ("今天", "回顾", "两个方面"):
        on_passage(speech, "opening", "opening", quote, leader)
    for item in Item.objects.filter(part__speech=speech):
        on_passage(speech, item.anchor, "body", item.body[:2], leader)
    part = Part.objects.get(speech=speech, kind="shortcomings")
    on_passage(speech, "part_two.heading", "heading", part.heading[:2], leader)
    with CaptureQueriesContext(connection) as with_comments:
        html = leader_client.get(url).content.decode()
    assert len(with_comments) <= len(without)
    assert len(marked(html)) == 3 + Item.objects.filter(part__speech=speech).count() + 1
