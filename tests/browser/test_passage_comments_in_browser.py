"""Comments on a selected passage (issue 14), as people make them: a drafter selects
words in a field's box, a leader selects words in the preview; the text before them is
edited and saved; after a reload the comments still point at the same words."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from drafts.access import REVIEWER_GROUP
from drafts.models import Comment, Item

pytestmark = pytest.mark.django_db(transaction=True)

OPENING = "今天召开会议，回顾一年的工作。下面，我讲两个方面的意见。"


def select_in_box(box, words: str) -> None:
    """Select ``words`` in a text box with the keyboard, as a user does."""
    value = box.input_value()
    start = value.index(words)
    box.click()
    box.press("Control+Home")
    for _ in range(start):
        box.press("ArrowRight")
    for _ in range(len(words)):
        box.press("Shift+ArrowRight")


def drag_over(page, paragraph_id: str, words: str) -> None:
    """Select ``words`` of a preview paragraph with the mouse, from their first
    character to their last."""
    box = page.evaluate(
        """([id, words]) => {
            const p = document.getElementById(id);
            p.scrollIntoView({block: "center"});
            const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
            while (walker.nextNode()) {
                const node = walker.currentNode;
                const at = node.data.indexOf(words);
                if (at < 0) continue;
                const rect = (from, to) => {
                    const range = document.createRange();
                    range.setStart(node, from);
                    range.setEnd(node, to);
                    return range.getBoundingClientRect();
                };
                const first = rect(at, at + 1), last = rect(at + words.length - 1, at + words.length);
                return {x1: first.left + 1, y1: first.top + first.height / 2,
                        x2: last.right - 1, y2: last.top + last.height / 2};
            }
            return null;
        }""",
        [paragraph_id, words],
    )
    assert box, f"{words} not in #{paragraph_id}"
    page.mouse.move(box["x1"], box["y1"])
    page.mouse.down()
    page.mouse.move(box["x2"], box["y2"], steps=5)
    page.mouse.up()


def selected_in(box) -> str:
    return box.evaluate("b => b.value.slice(b.selectionStart, b.selectionEnd)")


def marks(page) -> list[str]:
    return page.locator(".paper mark.passage").all_inner_texts()


def test_a_drafter_s_comment_on_selected_words_keeps_to_them_after_an_edit_before_them(
    new_page, log_in, live_server, speech, screenshot, axe_violations
):
    editor_url = live_server.url + reverse("drafts:speech-edit", args=[speech.pk])
    page = new_page()
    log_in(page, "drafter1")
    page.goto(editor_url)
    unit = page.locator("#text-opening")
    box = unit.locator("form.unit-form textarea[name=text]")

    select_in_box(box, "回顾一年的工作")
    button = unit.locator(".passage-button")
    # The button follows selectionchange, which fires after the last key press returns.
    expect(button).to_contain_text("回顾一年的工作")
    button.click()
    form = unit.locator("form.comment-form")
    assert "批注所选文字：「回顾一年的工作」" in form.locator(".comment-passage").inner_text()
    form.locator("textarea[name=text]").fill("这一句要具体些。")
    screenshot(page, "passage-selected")
    form.get_by_role("button", name="添加批注").click()
    page.wait_for_url(re.compile(r"#comment-\d+$"))
    quote = unit.locator(".comment-quote")
    assert quote.inner_text() == "「回顾一年的工作」"

    # Text typed before the words, saved as the editor saves.
    box.fill("同志们好！" + OPENING)
    unit.locator("form.unit-form").get_by_role("button", name="保存").click()
    unit.locator(".save-status").get_by_text(re.compile(r"已保存 \d\d:\d\d")).wait_for()

    page.goto(editor_url)
    quote = page.locator("#text-opening .comment-quote")
    assert quote.inner_text() == "「回顾一年的工作」"
    quote.click()  # selects its words in the box
    assert selected_in(page.locator("#text-opening-text")) == "回顾一年的工作"
    assert axe_violations(page) == []
    comment = Comment.objects.get()
    assert comment.passage == ("opening", 5 + OPENING.index("回顾"), 5 + OPENING.index("回顾") + 7)
    page.goto(live_server.url + reverse("drafts:speech-preview", args=[speech.pk]))
    assert marks(page) == ["回顾一年的工作"]
    screenshot(page, "preview-marked")


def test_a_leader_s_comment_on_words_selected_in_the_preview_keeps_to_them(
    new_page, log_in, live_server, make_person, speech, screenshot, axe_violations
):
    make_person("leader1", REVIEWER_GROUP, first_name="李领导")
    item = Item.objects.get(part__speech=speech, kind="measure", position=2)
    preview_url = live_server.url + reverse("drafts:speech-preview", args=[speech.pk])
    reviewer = new_page()
    log_in(reviewer, "leader1")
    reviewer.goto(preview_url)

    drag_over(reviewer, "p-part_two.measures.1", "第2项措施的正文")
    row = reviewer.locator(".preview-row").filter(
        has=reviewer.locator("#p-part_two\\.measures\\.1")
    )
    row.locator(".passage-button").click()
    form = row.locator("form.comment-form")
    assert "「第2项措施的正文」" in form.locator(".comment-passage").inner_text()
    form.locator("textarea[name=text]").fill("正文要写实。")
    form.get_by_role("button", name="添加批注").click()
    reviewer.wait_for_url(re.compile(r"#comment-\d+$"))
    assert marks(reviewer) == ["第2项措施的正文"]
    assert axe_violations(reviewer) == []
    screenshot(reviewer, "leader-marked")

    # The drafter writes a sentence before those words and saves.
    writer = new_page()
    log_in(writer, "drafter1")
    writer.goto(live_server.url + reverse("drafts:speech-edit", args=[speech.pk]))
    body = writer.locator(f"#item-{item.pk} textarea[name=body]")
    body.fill("年内完成。" + item.body)
    writer.locator(f"#item-{item.pk} form.unit-form").get_by_role("button", name="保存").click()
    writer.locator(f"#item-{item.pk} .save-status").get_by_text(re.compile("已保存")).wait_for()

    reviewer.goto(preview_url)
    assert marks(reviewer) == ["第2项措施的正文"]
    assert reviewer.locator(".comment-quote").inner_text() == "「第2项措施的正文」"
    reviewer.locator(".comment-quote").click()  # leads to the mark
    assert "passage-flash" in (reviewer.locator("mark.passage").get_attribute("class") or "")
    screenshot(reviewer, "leader-after-edit")


def test_a_comment_too_long_is_refused_in_the_page_and_keeps_its_text(
    new_page, log_in, live_server, make_person, speech
):
    make_person("leader1", REVIEWER_GROUP, first_name="李领导")
    preview_url = live_server.url + reverse("drafts:speech-preview", args=[speech.pk])
    reviewer = new_page()
    log_in(reviewer, "leader1")
    reviewer.goto(preview_url)
    form = reviewer.locator("form.comment-form").first
    form.locator("xpath=ancestor::details").locator("summary").click()
    typed = "批" * 2001
    form.locator("textarea[name=text]").fill(typed)
    form.get_by_role("button", name="添加批注").click()
    expect(form.locator(".budget-notice")).to_have_text(
        "批注超过上限：最多 2000 字，现有 2001 字。"
    )
    assert reviewer.url == preview_url  # not the POST address a reload would post again
    assert form.locator("textarea[name=text]").input_value() == typed
    assert not Comment.objects.exists()


def test_words_on_the_title_s_second_line_and_words_not_saved_yet(
    new_page, log_in, live_server, make_person, speech
):
    # The title reads in two lines (a <br> in the preview, "\n" in the field).
    make_person("leader1", REVIEWER_GROUP, first_name="李领导")
    reviewer = new_page()
    log_in(reviewer, "leader1")
    reviewer.goto(live_server.url + reverse("drafts:speech-preview", args=[speech.pk]))
    drag_over(reviewer, "p-title", "总结会议")
    row = reviewer.locator(".preview-row").filter(has=reviewer.locator("#p-title"))
    row.locator(".passage-button").click()
    row.locator("form.comment-form textarea[name=text]").fill("会议名称要写全。")
    row.locator("form.comment-form").get_by_role("button", name="添加批注").click()
    reviewer.wait_for_url(re.compile(r"#comment-\d+$"))
    title = speech.title
    assert Comment.objects.get().passage == (
        "title",
        title.index("总结会议"),
        title.index("总结会议") + 4,
    )
    assert marks(reviewer) == ["总结会议"]

    # The drafter types a sentence and comments on it at once, before the autosave:
    # the unit is saved first, then the comment goes.
    writer = new_page()
    log_in(writer, "drafter1")
    writer.goto(live_server.url + reverse("drafts:speech-edit", args=[speech.pk]))
    unit = writer.locator("#text-closing")
    box = unit.locator("form.unit-form textarea[name=text]")
    box.fill("再补一句新的话。" + box.input_value())
    select_in_box(box, "新的话")
    unit.locator(".passage-button").click()
    unit.locator("form.comment-form textarea[name=text]").fill("这句新加的要斟酌。")
    unit.locator("form.comment-form").get_by_role("button", name="添加批注").click()
    writer.wait_for_url(re.compile(r"#comment-\d+$"))
    comment = Comment.objects.get(field="closing")
    assert comment.passage == ("closing", 4, 7) and comment.quote == "新的话"
    assert writer.locator("#text-closing .comment-quote").inner_text() == "「新的话」"
