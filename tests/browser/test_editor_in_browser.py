"""The editing page in a real browser: nothing typed is lost, and the aids work."""

import re
import subprocess
from pathlib import Path

import pytest
from django.db import DatabaseError
from django.urls import reverse
from playwright.sync_api import expect

from drafts.models import Item, Speech
from drafts.structure import blank_speech
from tests.factories import make_speech

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
pytestmark = pytest.mark.django_db(transaction=True)

SAVE = "保存"
SAVED = re.compile(r"^已保存 \d\d:\d\d$")


@pytest.fixture
def editor(new_page, log_in, live_server, drafter, speech):
    page = new_page()
    log_in(page, "drafter1")
    page.goto(live_server.url + reverse("drafts:speech-edit", args=[speech.pk]))
    return page


def opening(page):
    return page.locator("#text-opening form.unit-form textarea")


@pytest.fixture
def saves_fail(monkeypatch, watch):
    """The server fails every save with a 500 until ``saves_fail.undo()``; pages still
    load. (Cut in the server: a save sent with keepalive as a tab closes outlives the
    tab's network emulation and its request routing.)"""

    def broken(*args, **kwargs):
        raise DatabaseError("数据库维护中")

    watch.expected_statuses.add(500)
    monkeypatch.setattr(Speech, "save_unit", broken)
    return monkeypatch


def test_unsaved_text_asks_before_leaving_and_comes_back_after_the_tab_is_closed(
    editor, live_server, speech, saves_fail, screenshot
):
    opening(editor).fill("这段开场白还没保存，关掉标签页也不能丢。")
    status = editor.locator("#text-opening .save-status")
    expect(status).to_have_text(re.compile(r"^未保存（服务器出错 500，\d+ 秒后自动重试）$"))

    # Closing the tab asks first; staying keeps the text where it was.
    with editor.expect_event("dialog") as asked:
        editor.close(run_before_unload=True)
    assert asked.value.type == "beforeunload"
    asked.value.dismiss()
    assert opening(editor).input_value() == "这段开场白还没保存，关掉标签页也不能丢。"

    # Closed after all: a new tab of the same browser offers the text back.
    context = editor.context
    editor.close()
    page = context.new_page()
    page.goto(live_server.url + reverse("drafts:speech-edit", args=[speech.pk]))
    offer = page.locator("#text-opening .draft-offer")
    assert "恢复未保存的内容？" in offer.inner_text()
    assert opening(page).input_value() == speech.opening  # the server's text until asked
    screenshot(page.locator("#text-opening"), "draft-offered")
    saves_fail.undo()
    offer.get_by_role("button", name="恢复", exact=True).click()
    assert opening(page).input_value() == "这段开场白还没保存，关掉标签页也不能丢。"
    # Restored, it saves by itself; the stored copy goes once the server has the text.
    expect(page.locator("#text-opening .save-status")).to_have_text(SAVED)
    speech.refresh_from_db()
    assert speech.opening == "这段开场白还没保存，关掉标签页也不能丢。"

    # Ctrl+S saves the unit being edited at once.
    opening(page).press_sequentially("再补一句。")
    page.keyboard.press("Control+s")
    expect(page.locator("#text-opening .save-status")).to_have_text(SAVED)
    speech.refresh_from_db()
    assert speech.opening == "这段开场白还没保存，关掉标签页也不能丢。再补一句。"
    assert (
        page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('speechdraft:'))") == []
    )
    page.reload()
    assert page.locator(".draft-offer").count() == 0


def test_a_draft_typed_before_someone_else_saved_meets_the_conflict_view(
    editor, live_server, speech, watch, saves_fail, screenshot
):
    opening(editor).fill("我离开前写的开场白。")
    expect(editor.locator("#text-opening .save-status")).to_have_text(re.compile("^未保存"))
    editor.reload()  # the page reloads; the draft stays in the browser
    # Meanwhile a colleague saves the opening.
    Speech.objects.filter(pk=speech.pk).update(opening="同事保存的开场白。", opening_version=2)
    editor.reload()
    offer = editor.locator("#text-opening .draft-offer")
    assert "他人保存过" in offer.inner_text()
    saves_fail.undo()
    watch.expected_statuses.add(409)
    offer.get_by_role("button", name="恢复", exact=True).click()
    conflict = editor.locator("#text-opening .field-conflict")
    expect(conflict.locator(".conflict-theirs")).to_have_text("同事保存的开场白。")
    assert opening(editor).input_value() == "我离开前写的开场白。"
    for choice in ("保留我的", "采用对方的", "手动合并"):
        expect(conflict.get_by_role("button", name=choice)).to_be_visible()
    speech.refresh_from_db()
    assert speech.opening == "同事保存的开场白。"
    screenshot(editor.locator("#text-opening"), "draft-conflict")


def test_unsaved_items_keep_their_text_when_the_list_is_reordered(editor, speech, saves_fail):
    items = list(Item.objects.filter(part__speech=speech, kind="achievement").order_by("position"))
    second = editor.locator(f"#item-{items[1].pk}")
    second.locator("form.unit-form textarea[name=body]").fill("第二条正文改了一半，还没保存。")
    first = editor.locator(f"#item-{items[0].pk}")
    first.get_by_role("button", name="下移 成绩（一）").click()
    # The list came back renumbered: the edited item is now first and still unsaved.
    moved = editor.locator(f"#item-{items[1].pk}")
    moved.locator(".item-label").get_by_text("（一）").wait_for()
    assert (
        moved.locator("form.unit-form textarea[name=body]").input_value()
        == "第二条正文改了一半，还没保存。"
    )
    expect(moved).to_have_class(re.compile(r"\bis-dirty\b"))
    # The keyboard stays on the button that was pressed, in the item that moved.
    # Its name ends in the item's new number (aria-labelledby: 下移 + .item-label).
    assert editor.evaluate("document.activeElement.id") == f"item-{items[0].pk}-down"
    assert editor.locator(f"#item-{items[0].pk} .item-label").inner_text() == "成绩（二）"
    assert first.get_by_role("button", name="下移 成绩（二）").count() == 1


def test_outline_lists_every_part_and_item_and_follows_the_speaking_time_target(
    editor, speech, screenshot
):
    outline = editor.locator("nav.outline")
    items = Item.objects.filter(part__speech=speech)
    for item in items:
        assert outline.locator(f'a[href="#item-{item.pk}"]').count() == 1, item.label
    for section in ("开头", "第一部分", "第二部分", "结束语"):
        assert outline.get_by_role("link", name=section, exact=True).count() == 1
    # A slot of one minute: the sample speech runs over it.
    editor.get_by_label("时长目标（分钟）").fill("1")
    editor.locator("#header").get_by_role("button", name=SAVE).click()
    gap = editor.locator("#speech-sidebar .target-gap")
    gap.wait_for()
    assert gap.inner_text().startswith("目标 1 分钟：超出")
    # Jumping from the outline lands on the item.
    last = items.filter(kind="measure").order_by("-position").first()
    outline.locator(f'a[href="#item-{last.pk}"]').click()
    assert editor.evaluate("location.hash") == f"#item-{last.pk}"
    assert editor.locator(f"#item-{last.pk}").is_visible()
    screenshot(editor, "outline-jump")
    screenshot(outline, "outline")


def test_preview_prints_as_paper_without_the_pages_controls(editor, live_server, speech):
    editor.goto(live_server.url + reverse("drafts:speech-preview", args=[speech.pk]))
    pdf = SCREENSHOTS / "preview-print.pdf"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    editor.pdf(path=str(pdf), format="A4")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "在测试局年度工作" in text and "完成好全年任务" in text
    for control in ("讲话稿列表", "审核流程", "待填占位符", "返回编辑", "添加批注", "大纲"):
        assert control not in text, control
    # A picture of the first page, to look at.
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(pdf.with_suffix(""))],
        check=True,
    )


def test_an_empty_item_takes_no_number_until_it_has_text_and_typed_numbers_are_removed(
    new_page, log_in, live_server, drafter, screenshot
):
    # Issue 11, points 8 and 9, on a blank skeleton.
    speech = make_speech(owner=drafter, data=blank_speech())
    page = new_page()
    log_in(page, "drafter1")
    page.goto(live_server.url + reverse("drafts:speech-edit", args=[speech.pk]))
    first, second, third = (
        f"#item-{pk}"
        for pk in Item.objects.filter(part__speech=speech, kind="achievement")
        .order_by("position")
        .values_list("pk", flat=True)
    )
    assert page.locator(f"{third} .item-label").inner_text() == "成绩（未填写，不编号）"

    # Only the third written, a number typed in front: it is （一）, as Word will print it.
    page.locator(f"{third} textarea[name=lead]").fill("（三）先写第三条。")
    page.locator(f"{third} form.unit-form").get_by_role("button", name=SAVE).click()
    page.locator(f"{third} .unit-note").get_by_text("已去掉手工输入的编号“（三）”").wait_for()
    assert page.locator(f"{third} textarea[name=lead]").input_value() == "先写第三条。"
    assert page.locator(f"{third} .item-label").inner_text() == "成绩（一）"
    placeholders = page.locator("#speech-sidebar")
    assert "（三）" not in placeholders.inner_text()
    screenshot(page.locator(third), "third-is-one")

    # Writing the first renumbers the third in place, without a reload.
    page.locator(f"{first} textarea[name=lead]").fill("再写第一条。")
    page.locator(f"{first} form.unit-form").get_by_role("button", name=SAVE).click()
    page.locator(f"{third} .item-label").get_by_text("成绩（二）").wait_for()
    assert page.locator(f"{first} .item-label").inner_text() == "成绩（一）"
    assert page.locator(f"{second} .item-label").inner_text() == "成绩（未填写，不编号）"
    assert page.locator(f"{third}").get_by_role("button", name="上移 成绩（二）").count() == 1

    # A heading typed with its 一、 is stored without it: the preview says 一、 once.
    part = speech.parts.get(position=1)
    heading = page.locator(f"#part-{part.pk}-heading")
    heading.locator("form.unit-form textarea").fill("一、回顾一年工作")
    heading.locator("form.unit-form").get_by_role("button", name=SAVE).click()
    heading.locator(".unit-note").get_by_text("已去掉手工输入的编号“一、”").wait_for()
    page.goto(live_server.url + reverse("drafts:speech-preview", args=[speech.pk]))
    paper = page.locator("article.paper").inner_text()
    assert "一、回顾一年工作" in paper and "一、一、" not in paper
    assert "（一）再写第一条。" in paper and "（二）先写第三条。" in paper
