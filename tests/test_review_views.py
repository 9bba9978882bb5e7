import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from drafts.models import AuditEvent, Comment, Item, Revision, Snapshot, Speech, Transition
from tests.factories import make_speech

HTMX = {"HTTP_HX_REQUEST": "true"}


def act(client, speech, name, note="说明文字"):
    return client.post(
        reverse("drafts:speech-action", args=[speech.pk, name]),
        # The sample speech's placeholders are proofreading errors: submitting confirms them.
        {f"{name}-note": note, f"{name}-proof_confirmed": "on"},
    )


def status(speech):
    return Speech.objects.get(pk=speech.pk).status


@pytest.fixture
def submitted(client, drafter, speech):
    client.force_login(drafter)
    act(client, speech, "submit", "请审核")
    client.logout()
    return speech


@pytest.mark.django_db
def test_the_whole_cycle_with_timeline_and_snapshots(client, drafter, leader, speech):
    client.force_login(drafter)
    assert act(client, speech, "submit", "第一稿").status_code == 302
    client.force_login(leader)
    assert act(client, speech, "return", "数字待核实").status_code == 302
    assert status(speech) == "returned"
    client.force_login(drafter)
    assert act(client, speech, "submit", "已修改").status_code == 302
    client.force_login(leader)
    assert act(client, speech, "approve", "").status_code == 302
    assert status(speech) == "approved"
    steps = list(
        Transition.objects.filter(speech=speech).values_list("action", "actor__username", "note")
    )
    assert steps == [
        ("submit", "drafter1", "第一稿"),
        ("return", "leader1", "数字待核实"),
        ("submit", "drafter1", "已修改"),
        ("approve", "leader1", ""),
    ]
    assert (
        Snapshot.objects.filter(speech=speech).count() == 4
    )  # two submissions, the return, the approval
    html = client.get(reverse("drafts:speech-preview", args=[speech.pk])).content.decode()
    assert "数字待核实" in html and "审定通过" in html
    assert set(AuditEvent.objects.values_list("action", flat=True)) >= {
        "submit",
        "return",
        "approve",
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "name", "allowed"),
    [
        ("drafter", "submit", True),
        ("leader", "submit", False),
        ("drafter", "approve", False),
        ("drafter", "return", False),
        ("leader", "reopen", False),
    ],
)
def test_actions_on_a_draft_by_role(client, drafter, leader, speech, who, name, allowed):
    client.force_login({"drafter": drafter, "leader": leader}[who])
    response = act(client, speech, name)
    assert (status(speech) != "draft") is allowed
    if not allowed:
        assert response.status_code == 422
        assert "说明文字" in response.content.decode()  # the note typed is kept


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "name", "expected"),
    [
        ("leader", "return", "returned"),
        ("leader", "approve", "approved"),
        ("drafter", "approve", "submitted"),
        ("drafter", "return", "submitted"),
        ("drafter", "submit", "submitted"),
        ("leader", "reopen", "submitted"),
    ],
)
def test_actions_on_a_submitted_speech_by_role(
    client, drafter, leader, submitted, who, name, expected
):
    client.force_login({"drafter": drafter, "leader": leader}[who])
    act(client, submitted, name)
    assert status(submitted) == expected


@pytest.mark.django_db
def test_a_return_without_a_reason_is_refused_with_a_message(client, leader, submitted):
    client.force_login(leader)
    response = act(client, submitted, "return", "")
    assert response.status_code == 422
    assert "请填写退回理由" in response.content.decode()
    assert status(submitted) == "submitted"


@pytest.mark.django_db
def test_someone_without_a_role_sees_nothing(client, outsider, speech):
    client.force_login(outsider)
    assert client.get(reverse("drafts:speech-preview", args=[speech.pk])).status_code == 404
    assert speech.display_title not in client.get(reverse("drafts:speech-list")).content.decode()
    assert act(client, speech, "submit").status_code == 404
    assert client.get(reverse("drafts:speech-create")).status_code == 403


@pytest.mark.django_db
def test_reviewers_read_but_do_not_edit(client, leader, speech):
    # They see the editor read-only, to make suggestions in 建议模式 (issue 14).
    client.force_login(leader)
    response = client.get(reverse("drafts:speech-edit", args=[speech.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="suggest-mode"' in html and "readonly" in html
    assert ">保存<" not in html and 'value="保存"' not in html and "删除讲话稿" not in html
    url = reverse("drafts:speech-text-edit", args=[speech.pk, "opening"])
    assert client.post(url, {"text": "改写", "version": 1}).status_code == 403


def approved_speech(client, drafter, leader, speech):
    client.force_login(drafter)
    act(client, speech, "submit")
    client.force_login(leader)
    act(client, speech, "approve")
    return speech


@pytest.mark.django_db
def test_an_approved_speech_is_read_only_for_everyone_in_pages_and_posts(
    client, drafter, leader, speech
):
    approved_speech(client, drafter, leader, speech)
    item = Item.objects.filter(part__speech=speech).first()
    part = item.part
    writes = [
        (
            reverse("drafts:speech-text-edit", args=[speech.pk, "opening"]),
            {"text": "改", "version": 1},
        ),
        (
            reverse("drafts:speech-header-edit", args=[speech.pk]),
            {"title": "改", "version": 1, "pace": 180},
        ),
        (reverse("drafts:part-text-edit", args=[part.pk, "heading"]), {"text": "改", "version": 1}),
        (reverse("drafts:item-edit", args=[item.pk]), {"lead": "改", "body": "改", "version": 1}),
        (reverse("drafts:item-add", args=[part.pk, "achievement"]), {}),
        (reverse("drafts:item-move", args=[item.pk]), {"direction": "down"}),
        (reverse("drafts:item-delete", args=[item.pk]), {}),
        (reverse("drafts:speech-delete", args=[speech.pk]), {}),
        (reverse("drafts:comment-add", args=[speech.pk]), {"anchor": "opening", "text": "批注"}),
    ]
    before = speech.as_structure()
    for user in (drafter, leader):
        client.force_login(user)
        for url, data in writes:
            assert client.post(url, data).status_code == 403, url
        page = client.get(reverse("drafts:speech-edit", args=[speech.pk]), follow=True)
        assert "不能修改" in page.content.decode()
    after = Speech.objects.with_structure().get(pk=speech.pk).as_structure()
    assert after == before
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_reopening_starts_a_new_round(client, drafter, leader, speech):
    approved_speech(client, drafter, leader, speech)
    client.force_login(leader)
    assert act(client, speech, "reopen", "需补充新内容").status_code == 302
    assert status(speech) == "draft"
    client.force_login(drafter)
    url = reverse("drafts:speech-text-edit", args=[speech.pk, "opening"])
    assert client.post(url, {"text": "新一轮的开场白。", "version": 1}).status_code == 302


@pytest.mark.django_db
def test_comments_stay_with_their_item_when_items_move(client, drafter, leader, speech):
    third = Item.objects.get(part__speech=speech, kind="achievement", position=3)
    client.force_login(leader)
    response = client.post(
        reverse("drafts:comment-add", args=[speech.pk]),
        {
            "anchor": third.anchor,
            "text": "这条要压缩",
            "next": reverse("drafts:speech-preview", args=[speech.pk]),
        },
    )
    assert response.status_code == 302
    client.force_login(drafter)
    client.post(reverse("drafts:item-move", args=[third.pk]), {"position": "1"})
    html = client.get(reverse("drafts:speech-edit", args=[speech.pk])).content.decode()
    card_start = html.index(f'id="item-{third.pk}"')
    next_card = html.index('class="unit card item-card', card_start + 10)
    assert "这条要压缩" in html[card_start:next_card]
    assert html[card_start:next_card].count("（一）") >= 1
    preview = client.get(reverse("drafts:speech-preview", args=[speech.pk])).content.decode()
    paper = preview[preview.index("<article") :]
    assert paper.index("（一）第3方面工作有新进展") < paper.index("这条要压缩")
    assert paper.index("这条要压缩") < paper.index("（二）第1方面工作有新进展")


@pytest.mark.django_db
def test_replies_and_resolving(client, drafter, leader, speech):
    client.force_login(leader)
    client.post(
        reverse("drafts:comment-add", args=[speech.pk]), {"anchor": "opening", "text": "开头太长"}
    )
    comment = Comment.objects.get()
    client.force_login(drafter)
    client.post(
        reverse("drafts:comment-add", args=[speech.pk]),
        {"anchor": "opening", "text": "已压缩", "parent": comment.pk},
    )
    client.post(reverse("drafts:comment-resolve", args=[comment.pk]))
    comment.refresh_from_db()
    assert comment.resolved_by == drafter
    assert comment.replies.get().text == "已压缩"
    assert list(Comment.objects.open()) == []


@pytest.mark.django_db
def test_a_comment_on_the_header_shows_once_beside_its_first_paragraph(client, leader, speech):
    client.force_login(leader)
    client.post(
        reverse("drafts:comment-add", args=[speech.pk]), {"anchor": "header", "text": "标题再斟酌"}
    )
    comment = Comment.objects.get()
    html = client.get(reverse("drafts:speech-preview", args=[speech.pk])).content.decode()
    # The title, the speaker and the date all come from the header: one thread, one form.
    assert html.count("标题再斟酌") == 1
    assert html.count(f'id="comment-{comment.pk}"') == 1
    rows = html.split('<div class="preview-row">')[1:]
    assert [i for i, row in enumerate(rows) if 'name="anchor" value="header"' in row] == [0]
    assert "标题再斟酌" in rows[0]
    assert "comment-new" not in rows[1]  # the speaker's line: nothing of its own to comment


@pytest.mark.django_db
def test_deleting_an_item_resolves_its_open_comments(client, drafter, leader, speech):
    item = Item.objects.filter(part__speech=speech, kind="measure").first()
    client.force_login(leader)
    for text in ("这条可以删去", "别的批注"):
        anchor = item.anchor if text == "这条可以删去" else "opening"
        client.post(
            reverse("drafts:comment-add", args=[speech.pk]), {"anchor": anchor, "text": text}
        )
    client.force_login(drafter)
    assert "这条可以删去" in client.get(reverse("drafts:home")).content.decode()
    client.post(reverse("drafts:item-delete", args=[item.pk]))
    on_item = Comment.objects.get(text="这条可以删去")
    assert on_item.resolved_by == drafter and on_item.resolved_at is not None
    assert Comment.objects.get(text="别的批注").resolved_at is None
    html = client.get(reverse("drafts:home")).content.decode()
    assert "这条可以删去" not in html and "别的批注" in html


@pytest.mark.django_db
def test_a_comment_on_a_deleted_item_or_an_empty_comment_is_refused(client, leader, speech):
    client.force_login(leader)
    url = reverse("drafts:comment-add", args=[speech.pk])
    page = client.post(
        url, {"anchor": "item:00000000-0000-0000-0000-000000000000", "text": "x"}, follow=True
    )
    assert "批注的位置已不存在" in page.content.decode()
    page = client.post(url, {"anchor": "opening", "text": ""}, follow=True)
    assert "批注内容不能为空" in page.content.decode()
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_list_shows_open_comment_counts(client, drafter, leader, speech):
    client.force_login(leader)
    for text in ("一", "二"):
        client.post(
            reverse("drafts:comment-add", args=[speech.pk]), {"anchor": "closing", "text": text}
        )
    html = client.get(reverse("drafts:speech-list")).content.decode()
    assert 'class="open-comments' in html and ">2<" in html


@pytest.mark.django_db
def test_every_save_records_a_revision_and_a_unit_can_be_restored(client, drafter, speech):
    client.force_login(drafter)
    item = Item.objects.get(part__speech=speech, kind="measure", position=1)
    url = reverse("drafts:item-edit", args=[item.pk])
    client.post(url, {"lead": "第一次的领句。", "body": "第一次的正文。", "version": 1})
    client.post(url, {"lead": "第二次的领句。", "body": "第二次的正文。", "version": 2})
    revisions = list(Revision.objects.filter(anchor=item.anchor).order_by("created_at", "pk"))
    assert [r.fields["body"] for r in revisions] == ["第一次的正文。", "第二次的正文。"]
    assert revisions[0].author == drafter
    history = client.get(reverse("drafts:speech-history", args=[speech.pk])).content.decode()
    assert 'name="version" value="3"' in history  # the version the restore is made over
    client.post(reverse("drafts:revision-restore", args=[revisions[0].pk]), {"version": 3})
    item.refresh_from_db()
    assert (item.lead, item.body) == ("第一次的领句。", "第一次的正文。")
    assert Revision.objects.filter(anchor=item.anchor).count() == 3
    assert AuditEvent.objects.filter(action="restore").exists()


@pytest.mark.django_db
def test_restoring_a_deleted_item_says_so(client, drafter, speech):
    client.force_login(drafter)
    item = Item.objects.get(part__speech=speech, kind="lesson", position=1)
    client.post(reverse("drafts:item-edit", args=[item.pk]), {"body": "新的体会", "version": 1})
    revision = Revision.objects.get()
    client.post(reverse("drafts:item-delete", args=[item.pk]))
    page = client.post(reverse("drafts:revision-restore", args=[revision.pk]), follow=True)
    assert "该条目已被删除" in page.content.decode()


@pytest.mark.django_db
def test_reviewer_sees_what_changed_since_the_return(client, drafter, leader, speech):
    item = Item.objects.get(part__speech=speech, kind="achievement", position=2)
    client.force_login(drafter)
    act(client, speech, "submit")
    client.force_login(leader)
    act(client, speech, "return", "请补数字")
    client.force_login(drafter)
    client.post(
        reverse("drafts:item-edit", args=[item.pk]),
        {"lead": item.lead, "body": "这是第2项成绩的正文，共办理审批事项36件。", "version": 1},
    )
    act(client, speech, "submit", "已补")
    client.force_login(leader)
    html = client.get(reverse("drafts:speech-compare", args=[speech.pk])).content.decode()
    assert '<span class="changed-count">1</span>' in html
    assert "<del>XX事项X</del><ins>审批事项36</ins>" in html
    assert "成绩（二） 正文" in html


@pytest.mark.django_db
def test_past_the_comparison_s_budget_changed_paragraphs_are_shown_whole(
    client, drafter, speech, settings
):
    # Issue 13, case 3: 30 items of 19,000 changed characters took 60 s. With the
    # characters of one comparison used up by the first changed text, the next ones are
    # shown whole under the notice; the page answers, whatever the size.
    client.force_login(drafter)
    snapshot = Snapshot.take(speech)
    items = Item.objects.filter(part__speech=speech, kind="achievement").order_by("position")
    for n, item in enumerate(items):
        Item.objects.filter(pk=item.pk).update(body=f"全新的第{n}段正文，与原来的完全不同。" * 300)
    settings.BUDGETS = {**settings.BUDGETS, "compare_chars": 10_000}
    url = reverse("drafts:speech-compare", args=[speech.pk])
    html = client.get(url, {"old": snapshot.pk, "new": "current"}).content.decode()
    assert "差异过大，已按段落显示" in html
    assert html.count("按段落显示</span>") == 2  # the first text was diffed by character
    assert "<del>这是第3项成绩的正文，共办理XX事项X件。</del>" in html
    settings.BUDGETS = {**settings.BUDGETS, "compare_chars": 200_000}
    html = client.get(url, {"old": snapshot.pk, "new": "current"}).content.decode()
    assert "差异过大" not in html


@pytest.mark.django_db
def test_comparing_two_snapshots_and_a_missing_one(client, drafter, speech):
    client.force_login(drafter)
    act(client, speech, "submit")
    snapshot = Snapshot.objects.get()
    html = client.get(
        reverse("drafts:speech-compare", args=[speech.pk]), {"old": snapshot.pk, "new": snapshot.pk}
    ).content.decode()
    assert "两个版本完全相同" in html
    response = client.get(reverse("drafts:speech-compare", args=[speech.pk]), {"old": "999"})
    assert response.status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["drafts:speech-history", "drafts:speech-compare"])
def test_history_and_compare_run_a_constant_number_of_queries(client, drafter, name):
    counts = []
    for saves in (3, 30):
        speech = make_speech(owner=drafter, achievements=saves)
        client.force_login(drafter)
        for item in Item.objects.filter(part__speech=speech, kind="achievement"):
            client.post(
                reverse("drafts:item-edit", args=[item.pk]),
                {"lead": "改。", "body": "改正文。", "version": 1},
            )
        act(client, speech, "submit")
        client.get(reverse("drafts:home"))  # the session renewal, at most once a minute
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(name, args=[speech.pk])).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


@pytest.mark.django_db
def test_my_todo_by_role(client, drafter, leader, speech):
    client.force_login(drafter)
    act(client, speech, "submit")
    client.force_login(leader)
    html = client.get(reverse("drafts:home")).content.decode()
    assert "待我审核" in html and speech.display_title in html
    client.post(
        reverse("drafts:comment-add", args=[speech.pk]),
        {"anchor": "opening", "text": "开头再精炼些"},
    )
    act(client, speech, "return", "请修改")
    client.force_login(drafter)
    html = client.get(reverse("drafts:home")).content.decode()
    assert "退回待修改" in html and speech.display_title in html
    assert "开头再精炼些" in html
    assert "待我审核" not in html


@pytest.mark.django_db
def test_a_refused_comment_comes_back_where_it_was_typed(client, leader, speech):
    client.force_login(leader)
    too_long = "批" * 2001
    response = client.post(
        reverse("drafts:comment-add", args=[speech.pk]),
        {
            "anchor": "closing",
            "text": too_long,
            "next": reverse("drafts:speech-preview", args=[speech.pk]),
        },
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert html.count(too_long) == 1
    assert "2000" in html
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_comment_boxes_carry_their_limit_for_the_page_to_refuse_before_sending(
    leader_client, speech
):
    # speechdraft.js refuses past data-max-chars in the page: no refused POST, whose
    # address a reload would post again, and the text stays in its box.
    html = leader_client.get(reverse("drafts:speech-preview", args=[speech.pk])).content.decode()
    assert 'placeholder="写下批注……" data-max-chars="2000" data-what="批注"' in html


@pytest.mark.django_db
def test_a_comment_sent_after_approval_comes_back_to_copy(client, drafter, leader, speech):
    # The page was opened before a colleague approved the speech: the words typed there
    # are shown with the reason, not lost behind a bare 403 page.
    approved_speech(client, drafter, leader, speech)
    typed = "第二部分的数字请再核实一遍"
    response = client.post(
        reverse("drafts:comment-add", args=[speech.pk]), {"anchor": "closing", "text": typed}
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert "讲话稿已审定，不能再添加或处理批注。" in html
    assert html.count(typed) == 1
    assert not Comment.objects.exists()


@pytest.mark.django_db
def test_preview_sidebar_links_lead_to_the_place_on_the_editing_page(client, drafter, speech):
    client.force_login(drafter)
    html = client.get(reverse("drafts:speech-preview", args=[speech.pk])).content.decode()
    item = Item.objects.get(part__speech=speech, kind="achievement", position=1)
    assert f'href="{reverse("drafts:speech-edit", args=[speech.pk])}#item-{item.pk}"' in html


@pytest.mark.django_db
def test_the_return_reason_shows_where_the_drafter_works(client, drafter, leader, speech):
    client.force_login(drafter)
    act(client, speech, "submit")
    client.force_login(leader)
    act(client, speech, "return", "第二部分的措施要更具体")
    client.force_login(drafter)
    assert (
        "第二部分的措施要更具体"
        in client.get(reverse("drafts:speech-edit", args=[speech.pk])).content.decode()
    )
    assert "退回理由：第二部分的措施要更具体" in client.get(reverse("drafts:home")).content.decode()


@pytest.mark.django_db
def test_reviewers_are_told_how_many_placeholders_are_left_before_approving(
    client, drafter, leader, speech
):
    client.force_login(drafter)
    act(client, speech, "submit")
    client.force_login(leader)
    html = client.get(reverse("drafts:speech-preview", args=[speech.pk])).content.decode()
    assert "placeholder-warning" in html and "审定前请确认已补全" in html
    assert "新建讲话稿" not in html  # reviewers do not create speeches


@pytest.mark.django_db
def test_what_is_left_to_fix_is_said_only_beside_the_step_it_is_for(
    client, drafter, leader, speech
):
    def panel(person):
        client.force_login(person)
        html = client.get(reverse("drafts:speech-preview", args=[speech.pk])).content.decode()
        return html[html.index('id="review"') : html.index("流转记录")]

    # The sample speech's errors are its placeholders: said once, with the advice.
    html = panel(drafter)
    assert "proof-warning" not in html and "提交前请补全，或勾选确认后提交" in html
    client.force_login(drafter)
    act(client, speech, "submit")
    # Submitted: the drafter may only withdraw, which fixes nothing; the leader approves.
    assert "placeholder-warning" not in panel(drafter) and "proof-warning" not in panel(drafter)
    assert "审定前请确认已补全" in panel(leader)
    act(client, speech, "approve")
    # Approved: 重新打开 is the leader's one action, and nothing is to be fixed before it.
    html = panel(leader)
    assert "action-reopen" in html
    assert "proof-warning" not in html and "placeholder-warning" not in html
    assert "提交前" not in html and "审定前" not in html


@pytest.mark.django_db
def test_a_drafter_can_withdraw_a_submission_to_edit_again(client, drafter, leader, speech):
    client.force_login(drafter)
    act(client, speech, "submit", "请审")
    assert act(client, speech, "withdraw", "").status_code == 302
    assert status(speech) == "draft"
    url = reverse("drafts:speech-text-edit", args=[speech.pk, "opening"])
    assert client.post(url, {"text": "撤回后改的开场白。", "version": 1}).status_code == 302
    assert AuditEvent.objects.filter(action="withdraw").exists()
    act(client, speech, "submit", "再次提交")
    client.force_login(leader)
    act(client, speech, "withdraw", "")
    assert status(speech) == "submitted"  # only drafters withdraw


@pytest.mark.django_db
def test_the_sidebar_links_lead_somewhere_for_those_who_may_not_edit(client, leader, speech):
    client.force_login(leader)
    html = client.get(reverse("drafts:speech-preview", args=[speech.pk])).content.decode()
    sidebar = html[html.index('id="speech-sidebar"') :]
    links = set(re.findall(r'href="#([^"]+)"', sidebar))
    assert {"header", "part_one", "part_two"} <= links and any(
        link.startswith("item-") for link in links
    )
    ids = re.findall(r'id="([^"]+)"', html)
    assert links <= set(ids), links - set(ids)
    assert len(ids) == len(set(ids))  # and no id twice
    # The Word download page's placeholder list leads to the same places in the preview.
    export = client.get(reverse("drafts:speech-export", args=[speech.pk])).content.decode()
    preview = reverse("drafts:speech-preview", args=[speech.pk])
    targets = re.findall(r'<li><a href="([^"#]*)#([^"]+)"', export)
    assert targets and all(page == preview and id_ in ids for page, id_ in targets)
