"""Issue 14's browser test: a leader suggests in two fields of a submitted speech in
建议模式, the drafter accepts one and rejects the other, and the preview and the Word
file show exactly that: the accepted text, not the rejected one, the rest unchanged."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from drafts import marking
from drafts.access import DRAFTER_GROUP, REVIEWER_GROUP
from drafts.assembly import assemble
from drafts.models import Item, Speech, Suggestion
from tests.browser.test_review_cycle_in_browser import (
    download_docx,
    preview_paragraphs,
    squeeze,
    submit_action,
)
from tests.factories import make_speech

pytestmark = pytest.mark.django_db(transaction=True)

OPENING_ADDED = "今年的成绩来之不易，"
MEASURE_OLD, MEASURE_NEW = "措施的正文", "措施的具体安排"
CLOSING_TYPED = "同志们，让我们共同努力，完成好全年任务，再创佳绩。"


def test_a_leader_suggests_the_drafter_accepts_one_and_rejects_one(
    new_page, log_in, live_server, make_person, screenshot, axe_violations
):
    drafter = make_person("drafter1", DRAFTER_GROUP, first_name="王起草")
    make_person("leader1", REVIEWER_GROUP, first_name="李局长")
    speech = make_speech(owner=drafter)
    speech.take_action("submit", drafter, {"drafter"}, "请领导审阅。")
    before = Speech.objects.with_structure().get(pk=speech.pk).as_structure()
    measure = Item.objects.get(part__speech=speech, kind="measure", position=1)
    assert MEASURE_OLD in measure.body
    base = live_server.url

    # --- The leader reads the submitted speech and switches to 建议模式 in the editor.
    leader = new_page()
    log_in(leader, "leader1")
    leader.goto(base + reverse("drafts:speech-preview", args=[speech.pk]))
    leader.get_by_role("link", name="提出修改建议").click()
    opening = leader.locator("#text-opening-text")
    expect(opening).to_have_attribute("readonly", "")
    screenshot(leader, "leader-read-only")
    leader.get_by_label("建议模式").check()
    expect(opening).not_to_have_attribute("readonly", "")
    # Typing proposes, on leaving the box: nothing is saved into the speech.
    text = opening.input_value()
    opening.fill(text.replace("下面，", OPENING_ADDED + "下面，"))
    body = leader.locator(f"#item-{measure.pk} textarea[name=body]")
    body.click()  # leaving the opening sends its suggestion
    leader.locator("#text-opening .save-status").get_by_text(re.compile("已提交建议")).wait_for()
    body.fill(body.input_value().replace(MEASURE_OLD, MEASURE_NEW))
    leader.locator(f"#item-{measure.pk} .suggest-reason").fill("正文要写具体安排。")
    leader.locator(f"#item-{measure.pk}").get_by_role("button", name="提交建议").click()
    leader.locator(f"#item-{measure.pk} .save-status").get_by_text(
        re.compile("已提交建议")
    ).wait_for()
    assert leader.locator("#suggestion-panel .suggestion-count").inner_text() == "2"
    screenshot(leader, "leader-suggested")
    assert axe_violations(leader) == []
    assert Speech.objects.with_structure().get(pk=speech.pk).as_structure() == before
    assert Suggestion.objects.open().count() == 2

    # The preview marks both, with who suggests them; then the leader returns it.
    leader.goto(base + reverse("drafts:speech-preview", args=[speech.pk]))
    inserted = leader.locator(".paper ins").all_inner_texts()
    assert OPENING_ADDED in "".join(inserted) and "具体安排" in "".join(inserted)
    assert "李局长 建议增加" in leader.locator(".paper ins").first.get_attribute("title")
    assert "2" in leader.locator(".suggestion-warning").inner_text()
    screenshot(leader, "preview-marked")
    assert axe_violations(leader) == []
    submit_action(leader, "退回修改", "请按修改建议处理。")

    # --- The drafter, typing in the closing, accepts the opening's suggestion: the
    # opening's box gets the text, the closing keeps what is being typed.
    writer = new_page()
    log_in(writer, "drafter1")
    writer.goto(base + reverse("drafts:speech-edit", args=[speech.pk]))
    closing = writer.locator("#text-closing-text")
    closing.fill(CLOSING_TYPED)
    writer.locator("#text-opening").get_by_role("button", name="接受").click()
    expect(writer.locator("#text-opening .suggestion-notice")).to_contain_text("已接受")
    assert OPENING_ADDED in writer.locator("#text-opening-text").input_value()
    assert closing.input_value() == CLOSING_TYPED
    writer.locator("#text-closing .save-status").get_by_text(re.compile("已保存")).wait_for()
    card = writer.locator(f"#item-{measure.pk} .suggestion")
    assert "正文要写具体安排。" in card.inner_text()
    screenshot(writer, "drafter-accepted-one")
    assert axe_violations(writer) == []
    card.get_by_role("button", name="拒绝").click()
    expect(writer.locator(f"#item-{measure.pk} .suggestion-notice")).to_contain_text("已拒绝")
    expect(writer.locator(f"#item-{measure.pk} .suggestion")).to_have_count(0)
    assert MEASURE_OLD in writer.locator(f"#item-{measure.pk} textarea[name=body]").input_value()
    assert writer.locator("#suggestion-panel .suggestion-count").inner_text() == "0"
    screenshot(writer, "drafter-decided")

    # --- The preview and the Word file read exactly that.
    accepted = before.opening.replace("下面，", OPENING_ADDED + "下面，")
    expected = marking.with_text(before, "opening", "opening", accepted)
    expected = marking.with_text(expected, "closing", "closing", CLOSING_TYPED)
    expected = [squeeze(paragraph.text) for paragraph in assemble(expected)]
    shown = [squeeze(text) for text in preview_paragraphs(writer, base, speech)]
    assert shown == expected
    assert not any(MEASURE_NEW in text for text in shown)
    screenshot(writer, "preview-after")
    assert [squeeze(text) for text in download_docx(writer, base, speech)] == expected

    # --- The history lists both decisions.
    writer.goto(base + reverse("drafts:speech-history", args=[speech.pk]))
    rows = writer.locator(".decided-suggestions tbody tr")
    expect(rows).to_have_count(2)
    assert "已接受" in rows.nth(1).inner_text() or "已接受" in rows.nth(0).inner_text()
    assert "已拒绝" in writer.locator(".decided-suggestions").inner_text()
    screenshot(writer, "history")
    assert axe_violations(writer) == []


def test_suggestion_mode_says_what_was_sent_by_the_servers_clock_and_the_badge_follows(
    new_page, log_in, live_server, make_person, screenshot
):
    drafter = make_person("drafter1", DRAFTER_GROUP, first_name="王起草")
    make_person("leader1", REVIEWER_GROUP, first_name="李局长")
    speech = make_speech(owner=drafter)
    url = live_server.url + reverse("drafts:speech-edit", args=[speech.pk])

    # A leader at a desk on another clock than the server's reads the editor, 1400 px wide.
    leader = new_page(timezone_id="America/New_York")
    log_in(leader, "leader1")
    leader.goto(url)
    header = leader.locator("#header")
    screenshot(header, "read-only-header")
    card_right = header.evaluate("card => card.getBoundingClientRect().right")
    rights = header.locator("label").evaluate_all(
        "labels => labels.map(label => label.getBoundingClientRect().right)"
    )
    assert rights and max(rights) <= card_right  # 时长目标 stays inside its card

    leader.get_by_label("建议模式").check()
    opening = leader.locator("#text-opening-text")
    opening.fill(opening.input_value() + "再补一句。")
    leader.locator("#text-closing-text").click()  # leaving the box sends it
    status = leader.locator("#text-opening .save-status")
    expect(status).to_contain_text("已提交建议")
    card = leader.locator("#text-opening .suggestion")
    expect(card.locator(".suggestion-field")).to_have_text(" · 开场白")
    # The status and the card tell the same minute: the server's, not the desk's.
    card_time = re.search(r"\d\d-\d\d (\d\d:\d\d)", card.inner_text()).group(1)
    assert re.search(r"已提交建议 (\d\d:\d\d)", status.inner_text()).group(1) == card_time
    # Sent: nothing is left to give up.
    expect(leader.locator("#text-opening .suggest-discard")).to_be_hidden()
    screenshot(leader.locator("#text-opening"), "sent")
    opening.fill(opening.input_value() + "又一句。")
    expect(leader.locator("#text-opening .suggest-discard")).to_be_visible()
    leader.locator("#text-opening .suggest-discard").click()
    expect(leader.locator("#text-opening .suggest-discard")).to_be_hidden()

    # The drafter accepts it in place: the menu's 我的待办 badge follows without a reload.
    writer = new_page()
    log_in(writer, "drafter1")
    writer.goto(url)
    badge = writer.locator(".todo-badge")
    expect(badge).to_have_text("1")
    writer.locator("#text-opening").get_by_role("button", name="接受").click()
    expect(writer.locator("#text-opening .suggestion-notice")).to_contain_text("已接受")
    expect(badge).to_have_text("")
    expect(badge).to_be_hidden()
