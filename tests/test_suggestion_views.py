"""The pages and posts of suggestions (修改建议, issue 14): proposing in 建议模式, the
drafter's accept / reject / 全部接受 / reply, the author's withdrawal, and how the
editor, the preview and the history show them."""

import json
import re
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from drafts.models import Agency, AuditEvent, Item, Part, Revision, Speech, Suggestion
from tests.factories import MEASURE_BODY as BODY
from tests.factories import body_of, make_speech, make_user, propose, type_on

JSON = {"HTTP_ACCEPT": "application/json"}


def propose_url(speech):
    return reverse("drafts:suggestion-add", args=[speech.pk])


def proposal(item, proposed, field="body", base=BODY, **extra):
    return {"anchor": item.anchor, "field": field, "base": base, "proposed": proposed, **extra}


def submit(speech, drafter):
    speech.take_action("submit", drafter, {"drafter"}, "请审核")


def editor(client, speech) -> str:
    response = client.get(reverse("drafts:speech-edit", args=[speech.pk]))
    assert response.status_code == 200
    return response.content.decode()


# --- Proposing


@pytest.mark.django_db
def test_a_reviewer_proposes_and_the_text_stays_as_it_was(leader_client, speech, measure):
    proposed = BODY.replace("学习", "理论学习")
    response = leader_client.post(
        propose_url(speech), proposal(measure, proposed, reason="更准确"), **JSON
    )
    assert response.status_code == 200
    answer = response.json()
    assert answer["status"] == "proposed" and "原文未改动" in answer["message"]
    html = answer["units"][f"item-{measure.pk}"]["suggestions"]
    assert "<ins>理论</ins>" in html and "更准确" in html and "leader1" in html
    assert "fields" not in answer["units"][f"item-{measure.pk}"]  # nothing was written
    assert 'id="suggestion-panel"' in answer["panel"]
    assert body_of(measure) == BODY
    stored = Suggestion.objects.get()
    assert (stored.base, stored.proposed, stored.reason) == (BODY, proposed, "更准确")
    assert AuditEvent.objects.filter(action="suggest").count() == 1


@pytest.mark.django_db
def test_the_base_is_what_the_page_sent_not_what_is_stored_now(
    leader_client, drafter, speech, measure
):
    # The drafter typed on after the leader's page loaded.
    type_on(measure, drafter, BODY.replace("成效", "实效"))
    proposed = BODY.replace("学习", "理论学习")
    leader_client.post(propose_url(speech), proposal(measure, proposed), **JSON)
    assert Suggestion.objects.get().base == BODY
    # Shown re-based: the leader's change on the drafter's text.
    html = editor(leader_client, speech)
    assert "<ins>理论</ins>" in html and "实效" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"proposed": BODY}, "与原文相同"),
        ({"proposed": "甲" * 20_001}, "过长"),
        ({"reason": "理" * 2_001}, "理由过长"),
        ({"field": "version"}, "不是可以提出修改建议的文字"),
        ({"anchor": "item:00000000-0000-0000-0000-000000000000"}, "已不存在"),
        ({"anchor": "nowhere"}, "已不存在"),
        ({"anchor": ""}, "没有指明要修改的位置"),
        ({"proposed": "前\x00后"}, "空字符"),
    ],
)
def test_a_refused_proposal_says_why_and_changes_nothing(
    leader_client, speech, measure, change, message
):
    data = {**proposal(measure, BODY + "补充。"), **change}
    response = leader_client.post(propose_url(speech), data, **JSON)
    assert response.status_code == 422
    assert message in response.json()["message"]
    assert not Suggestion.objects.exists() and body_of(measure) == BODY


@pytest.mark.django_db
def test_a_proposal_longer_than_its_column_is_refused_with_the_figure(leader_client, speech):
    part = Part.objects.get(speech=speech, kind="achievements")
    data = {"anchor": "part_one.heading", "field": "heading", "base": part.heading}
    response = leader_client.post(propose_url(speech), {**data, "proposed": "甲" * 201}, **JSON)
    assert response.status_code == 422
    assert "最多 200 字，现有 201 字" in response.json()["message"]


@pytest.mark.django_db
def test_a_proposal_posted_without_javascript_comes_back_with_its_text(
    leader_client, speech, measure
):
    typed = "甲" * 20_001
    response = leader_client.post(propose_url(speech), proposal(measure, typed, reason="我的理由"))
    assert response.status_code == 422
    html = response.content.decode()
    assert "未提交建议" in html and html.count(typed) >= 2  # the notice and its form
    assert "我的理由" in html
    ok = leader_client.post(propose_url(speech), proposal(measure, BODY + "补充。"))
    assert ok.status_code == 302 and ok["Location"].startswith(
        reverse("drafts:speech-edit", args=[speech.pk])
    )
    assert Suggestion.objects.count() == 1


@pytest.mark.django_db
def test_drafters_suggest_only_where_their_agency_lets_them(
    drafter_client, drafter, speech, measure
):
    response = drafter_client.post(propose_url(speech), proposal(measure, BODY + "补充。"), **JSON)
    assert response.status_code == 403 and "本单位未允许" in response.json()["message"]
    assert 'id="suggest-mode"' not in editor(drafter_client, speech)
    Agency.objects.filter(pk=speech.agency_id).update(drafters_suggest=True)
    response = drafter_client.post(propose_url(speech), proposal(measure, BODY + "补充。"), **JSON)
    assert response.status_code == 200
    assert 'id="suggest-mode"' in editor(drafter_client, speech)


@pytest.mark.django_db
def test_an_approved_speech_takes_no_suggestion(client, drafter, leader, speech, measure):
    submit(speech, drafter)
    speech.take_action("approve", leader, {"reviewer"}, "")
    client.force_login(leader)
    response = client.post(propose_url(speech), proposal(measure, BODY + "补充。"), **JSON)
    assert response.status_code == 403 and "已审定" in response.json()["message"]
    # Nor does the page offer 建议模式: it sends them to the preview.
    page = client.get(reverse("drafts:speech-edit", args=[speech.pk]))
    assert page.status_code == 302


@pytest.mark.django_db
def test_outsiders_and_other_agencies_see_no_suggestion(client, speech, measure, leader):
    suggestion = propose(speech, measure, leader, BODY + "补充。")
    client.force_login(make_user("elsewhere", role="审核领导", agency="别的局"))
    for url in (
        propose_url(speech),
        reverse("drafts:suggestion-accept", args=[suggestion.pk]),
        reverse("drafts:suggestion-withdraw", args=[suggestion.pk]),
        reverse("drafts:suggestion-reply", args=[suggestion.pk]),
    ):
        assert client.post(url, {"text": "看看"}).status_code == 404
        assert client.post(url, {"text": "看看"}, **JSON).status_code == 404
    assert Suggestion.objects.get().is_open


# --- Deciding


@pytest.mark.django_db
def test_accepting_answers_the_new_text_and_version(client, drafter, leader, speech, measure):
    suggestion = propose(speech, measure, leader, BODY.replace("学习", "理论学习"))
    client.force_login(drafter)
    url = reverse("drafts:suggestion-accept", args=[suggestion.pk])
    answer = client.post(url, **JSON).json()
    assert answer["status"] == "accepted"
    unit = answer["units"][f"item-{measure.pk}"]
    assert unit["fields"]["body"] == BODY.replace("学习", "理论学习")
    assert unit["version"] == 2
    assert "suggestion-" not in unit["suggestions"].replace("suggestions-", "")
    assert "sidebar" in answer and f"item-{measure.pk}" in answer["labels"]
    assert body_of(measure) == BODY.replace("学习", "理论学习")
    assert Revision.objects.filter(anchor=measure.anchor, author=drafter).exists()
    assert Suggestion.objects.get().status == "accepted"


@pytest.mark.django_db
def test_accepting_on_a_submitted_speech_waits_for_the_return(
    client, drafter, leader, speech, measure
):
    suggestion = propose(speech, measure, leader, BODY + "补充。")
    submit(speech, drafter)
    client.force_login(drafter)
    url = reverse("drafts:suggestion-accept", args=[suggestion.pk])
    response = client.post(url, **JSON)
    assert response.status_code == 403 and "待审核" in response.json()["message"]
    assert Suggestion.objects.get().is_open and body_of(measure) == BODY


@pytest.mark.django_db
def test_a_stale_suggestion_is_not_accepted_and_shows_both_texts(
    client, drafter, leader, speech, measure
):
    suggestion = propose(speech, measure, leader, BODY.replace("学习", "理论学习"))
    type_on(measure, drafter, BODY.replace("学习", "业务学习"))
    client.force_login(drafter)
    html = editor(client, speech)
    card = html[html.index(f'id="suggestion-{suggestion.pk}"') :]
    card = card[: card.index("</details>")]
    assert "已过期" in card and BODY.replace("学习", "业务学习") in card
    assert "<ins>理论</ins>" in card  # the proposal, against the text it was made on
    assert "接受</button>" not in card and "拒绝</button>" in card
    response = client.post(reverse("drafts:suggestion-accept", args=[suggestion.pk]), **JSON)
    assert response.status_code == 409 and "已过期" in response.json()["message"]
    assert body_of(measure) == BODY.replace("学习", "业务学习")


@pytest.mark.django_db
def test_rejecting_keeps_the_text_and_lists_it_in_the_history(
    client, drafter, leader, speech, measure
):
    suggestion = propose(speech, measure, leader, BODY.replace("学习", "理论学习"))
    client.force_login(drafter)
    response = client.post(
        reverse("drafts:suggestion-reject", args=[suggestion.pk]),
        {"next": reverse("drafts:speech-preview", args=[speech.pk])},
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("drafts:speech-preview", args=[speech.pk]))
    assert body_of(measure) == BODY and Suggestion.objects.get().status == "rejected"
    history = client.get(reverse("drafts:speech-history", args=[speech.pk])).content.decode()
    assert "已处理的修改建议" in history and "<ins>理论</ins>" in history
    assert "已拒绝" in history and "drafter1" in history
    # Decided: not again.
    again = client.post(reverse("drafts:suggestion-accept", args=[suggestion.pk]), **JSON)
    assert again.status_code == 409 and "已拒绝" in again.json()["message"]


@pytest.mark.django_db
def test_reviewers_do_not_decide(leader_client, leader, speech, measure):
    suggestion = propose(speech, measure, leader, BODY + "补充。")
    for name in ("drafts:suggestion-accept", "drafts:suggestion-reject"):
        response = leader_client.post(reverse(name, args=[suggestion.pk]), **JSON)
        assert response.status_code == 403 and "只有起草人员" in response.json()["message"]
    assert Suggestion.objects.get().is_open


@pytest.mark.django_db
def test_all_of_one_person_and_what_could_not_be_accepted(
    client, drafter, leader, second_leader, speech, measure
):
    propose(speech, measure, leader, "措施领句改过。", field="lead", base=measure.lead)
    propose(speech, measure, leader, BODY.replace("落实", "抓落实"))
    other = propose(speech, measure, second_leader, BODY.replace("落实", "促落实"))
    client.force_login(drafter)
    url = reverse("drafts:suggestion-accept-all", args=[speech.pk])
    answer = client.post(url, {"author": f"user:{leader.pk}"}, **JSON).json()
    assert answer["status"] == "accepted" and "2 条" in answer["message"]
    measure.refresh_from_db()
    assert (measure.lead, measure.body) == ("措施领句改过。", BODY.replace("落实", "抓落实"))
    assert answer["units"][f"item-{measure.pk}"]["fields"]["lead"] == "措施领句改过。"
    # The other leader's touched the same passage: stale now, kept open, said so.
    answer = client.post(url, {"author": f"user:{second_leader.pk}"}, **JSON).json()
    assert "未能接受" in answer["message"] and "已过期" in answer["message"]
    assert Suggestion.objects.get(pk=other.pk).is_open
    nobody = client.post(url, {"author": "user:999"}, **JSON)
    assert nobody.status_code == 409 and "没有待处理" in nobody.json()["message"]


@pytest.mark.django_db
def test_only_the_author_withdraws(client, leader, second_leader, speech, measure):
    suggestion = propose(speech, measure, leader, BODY + "补充。")
    client.force_login(second_leader)
    url = reverse("drafts:suggestion-withdraw", args=[suggestion.pk])
    assert client.post(url, **JSON).status_code == 403
    assert f'action="{url}"' not in editor(client, speech)
    client.force_login(leader)
    assert f'action="{url}"' in editor(client, speech)
    assert client.post(url, **JSON).json()["status"] == "withdrawn"
    assert Suggestion.objects.get().status == "withdrawn"


@pytest.mark.django_db
def test_a_reply_is_shown_and_a_refused_one_keeps_its_text(
    client, drafter, leader, speech, measure
):
    suggestion = propose(speech, measure, leader, BODY + "补充。")
    client.force_login(drafter)
    url = reverse("drafts:suggestion-reply", args=[suggestion.pk])
    empty = client.post(url, {"text": "  "}, **JSON)
    assert empty.status_code == 422 and "不能为空" in empty.json()["message"]
    long = "回" * 2_001
    page = client.post(url, {"text": long})
    assert page.status_code == 422 and long in page.content.decode()
    answer = client.post(url, {"text": "同意，下一稿改。"}, **JSON).json()
    assert "同意，下一稿改。" in answer["units"][f"item-{measure.pk}"]["suggestions"]
    assert suggestion.replies.get().author == drafter


# --- The pages


@pytest.mark.django_db
def test_a_leader_reviewing_a_submitted_speech_gets_the_editor_to_suggest(
    client, drafter, leader, speech, measure
):
    submit(speech, drafter)
    client.force_login(leader)
    preview = client.get(reverse("drafts:speech-preview", args=[speech.pk])).content.decode()
    assert "提出修改建议" in preview
    html = editor(client, speech)
    assert 'id="suggest-mode"' in html and "data-suggest-url" in html
    assert "data-editable" not in html and "data-presence-url" not in html
    assert f'data-anchor="{measure.anchor}" data-column="body"' in html
    assert "删除讲话稿" not in html and "＋ 添加" not in html
    response = client.post(propose_url(speech), proposal(measure, BODY + "补充。"), **JSON)
    assert response.status_code == 200


@pytest.mark.django_db
def test_the_drafter_sees_each_suggestion_with_its_buttons_and_the_count_per_author(
    client, drafter, leader, second_leader, speech, measure
):
    propose(speech, measure, leader, BODY.replace("学习", "理论学习"))
    propose(speech, measure, leader, "新的领句。", field="lead", base=measure.lead)
    propose(speech, measure, second_leader, BODY.replace("成效", "实效"))
    client.force_login(drafter)
    html = editor(client, speech)
    assert html.count('class="btn btn-sm btn-success suggestion-accept"') == 3
    assert html.count("suggestion-reject") == 3
    assert "leader1</span>：2 条" in html and "副局长</span>：1 条" in html
    assert html.count("全部接受</button>") == 2
    assert "suggestion-withdraw" not in html  # none of them is the drafter's


@pytest.mark.django_db
def test_the_preview_marks_open_suggestions_and_approving_asks_to_confirm(
    client, drafter, leader, speech, measure
):
    propose(speech, measure, leader, BODY.replace("学习", "理论学习"))
    submit(speech, drafter)
    client.force_login(leader)
    html = client.get(reverse("drafts:speech-preview", args=[speech.pk])).content.decode()
    assert 'title="leader1 建议增加' in html and ">理论</ins>" in html
    assert "还有 <strong>1</strong> 条修改建议待处理" in html
    assert "确认不处理未决建议" in html
    url = reverse("drafts:speech-action", args=[speech.pk, "approve"])
    refused = client.post(url, {"approve-note": "同意"})
    assert refused.status_code == 422
    assert "1 条修改建议未处理" in refused.content.decode()
    assert Speech.objects.get(pk=speech.pk).status == "submitted"
    client.post(url, {"approve-note": "同意", "approve-confirmed": "on"})
    assert Speech.objects.get(pk=speech.pk).status == "approved"
    assert Suggestion.objects.get().is_open  # left for a later round


@pytest.mark.django_db
def test_the_pages_show_who_may_do_what_though_they_are_cached(
    client, drafter, leader, speech, measure
):
    propose(speech, measure, leader, BODY + "补充。")
    client.force_login(drafter)
    assert "suggestion-accept" in editor(client, speech)
    client.force_login(leader)
    html = editor(client, speech)
    assert "suggestion-accept" not in html and "suggestion-withdraw" in html
    client.force_login(drafter)
    assert "suggest-mode" not in editor(client, speech)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["drafts:speech-edit", "drafts:speech-preview"])
def test_pages_with_suggestions_run_a_constant_number_of_queries(
    client, drafter, leader, name, django_assert_max_num_queries
):
    counts = []
    client.force_login(drafter)
    client.get(reverse("drafts:home"))  # the session's renewal, not measured
    for suggestions in (1, 12):
        speech = make_speech(owner=drafter, measures=12)
        for item in Item.objects.filter(part__speech=speech, kind="measure")[:suggestions]:
            suggestion = propose(speech, item, leader, item.body + "补充。", base=item.body)
            suggestion.replies.create(author=drafter, text="收到。")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(name, args=[speech.pk])).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(16):
        client.get(reverse(name, args=[speech.pk]) + "?again")


@pytest.mark.django_db
def test_the_answer_is_json_the_editor_reads(client, drafter, leader, speech, measure):
    suggestion = propose(speech, measure, leader, BODY + "补充。")
    client.force_login(drafter)
    response = client.post(reverse("drafts:suggestion-reject", args=[suggestion.pk]), **JSON)
    assert response["Content-Type"] == "application/json"
    answer = json.loads(response.content)
    assert set(answer) >= {"status", "message", "units", "panel"}
    assert "没有待处理的修改建议" in answer["panel"]


@pytest.mark.django_db
def test_each_step_answers_the_menus_todo_badge_as_it_is_now(
    client, drafter, leader, speech, measure
):
    first = propose(speech, measure, leader, BODY + "补充。")
    propose(speech, measure, leader, measure.lead + "补充。", base=measure.lead, field="lead")
    client.force_login(drafter)
    assert re.search(r'todo-badge"[^>]*>2<', editor(client, speech))
    answer = client.post(reverse("drafts:suggestion-reject", args=[first.pk]), **JSON).json()
    assert answer["todo"] == "1"
    # Refused as decided already: the badge is still told as it stands.
    again = client.post(reverse("drafts:suggestion-accept", args=[first.pk]), **JSON)
    assert again.status_code == 409 and again.json()["todo"] == "1"
    last = Suggestion.objects.open().get()
    answer = client.post(reverse("drafts:suggestion-accept", args=[last.pk]), **JSON).json()
    assert answer["todo"] == ""  # none left: the badge is empty, so not shown


@pytest.mark.django_db
def test_a_proposal_answers_its_time_by_the_servers_clock(leader_client, speech, measure, settings):
    assert settings.TIME_ZONE == "Asia/Shanghai"
    response = leader_client.post(propose_url(speech), proposal(measure, BODY + "补充。"), **JSON)
    stored = Suggestion.objects.get()
    shanghai = stored.created_at.astimezone(zoneinfo.ZoneInfo("Asia/Shanghai"))
    assert response.json()["at"] == f"{shanghai:%H:%M}"
    # The card of the suggestion says the same minute.
    html = response.json()["units"][f"item-{measure.pk}"]["suggestions"]
    assert f"{shanghai:%m-%d %H:%M}" in html


@pytest.mark.django_db
def test_every_card_names_the_field_it_changes(leader_client, leader, speech, measure):
    opening = Speech.objects.get(pk=speech.pk).opening
    Suggestion.propose(
        speech.pk, "opening", "opening", base=opening, proposed=opening + "补充。", user=leader
    )
    propose(speech, measure, leader, BODY + "补充。")
    html = editor(leader_client, speech)
    cards = [html[i : html.index("</div>", i)] for i in find_all(html, 'class="suggestion-head')]
    assert [card.split('suggestion-field"> · ')[1].split("<")[0] for card in cards] == [
        "开场白",
        "正文",
    ]


def find_all(text: str, part: str) -> list[int]:
    places, at = [], text.find(part)
    while at != -1:
        places.append(at)
        at = text.find(part, at + 1)
    return places


# --- The history


def history_rows(client, speech) -> list[str]:
    html = client.get(reverse("drafts:speech-history", args=[speech.pk])).content.decode()
    table = html[html.index('class="table table-sm align-middle revisions"') :]
    table = table[: table.index("</table>")]
    return [re.sub(r"\s+", " ", row) for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]]


@pytest.mark.django_db
def test_the_history_names_whose_suggestion_an_accepted_save_wrote(
    client, drafter, second_leader, speech, measure
):
    propose(speech, measure, second_leader, BODY.replace("学习", "理论学习")).accept(drafter)
    client.force_login(drafter)
    lesson = Item.objects.get(part__speech=speech, kind="lesson", position=1)
    client.post(reverse("drafts:item-edit", args=[lesson.pk]), {"body": "新的体会", "version": 1})
    typed, accepted = history_rows(client, speech)  # latest first
    assert "采纳了" not in typed and "drafter1" in typed
    assert "drafter1 采纳了 副局长 的修改建议" in accepted


@pytest.mark.django_db
def test_the_history_names_suggestions_without_a_query_a_row(client, drafter, leader):
    counts = []
    for accepted in (1, 4):
        speech = make_speech(owner=drafter, measures=accepted)
        for item in Item.objects.filter(part__speech=speech, kind="measure"):
            propose(speech, item, leader, item.body + "补充。", base=item.body).accept(drafter)
        client.force_login(drafter)
        client.get(reverse("drafts:home"))  # the session renewal, at most once a minute
        with CaptureQueriesContext(connection) as queries:
            assert len(history_rows(client, speech)) == accepted
        counts.append(len(queries))
    assert counts[0] == counts[1]
