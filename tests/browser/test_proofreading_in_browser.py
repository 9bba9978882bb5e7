"""校对 in a real browser (issue 15): a drafter types an error, sees it marked within a
second, fixes it with 一键修改 (saved by the ordinary save) and the count drops; 忽略
survives a reload; the reviewer sees the marks in the preview."""

import re
import time

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from drafts.access import REVIEWER_GROUP
from drafts.models import IgnoredFinding, Speech, WordingRule

pytestmark = pytest.mark.django_db(transaction=True)

SAVED = re.compile(r"^已保存 \d\d:\d\d$")
TYPED = "我们要推动推动工作,做为重点。"


@pytest.fixture
def editor(new_page, log_in, live_server, drafter, speech):
    # A live-server test empties the tables after itself: the house list is put back.
    WordingRule.objects.get_or_create(wrong="做为", defaults={"right": "作为"})
    page = new_page()
    log_in(page, "drafter1")
    page.goto(live_server.url + reverse("drafts:speech-edit", args=[speech.pk]))
    return page


def opening(page):
    return page.locator("#text-opening-text")


def findings(page):
    return page.locator("#text-opening .proof-items .proof-item")


def sidebar_errors(page) -> int:
    return int(page.locator("#speech-sidebar .proof-error-count").inner_text())


def test_an_error_typed_is_marked_within_a_second_and_fixed_in_one_click(
    editor, speech, screenshot, axe_violations
):
    before = sidebar_errors(editor)
    assert before == 7  # the sample speech's placeholders
    box = opening(editor)
    box.click()
    box.press("End")
    box.press_sequentially(TYPED)
    typed = time.monotonic()
    mark = editor.locator("#text-opening .proof-mirror mark.proof-error", has_text=",")
    mark.wait_for(state="attached", timeout=1000)
    seen = time.monotonic() - typed
    assert seen < 1.0, f"marked after {seen:.2f} s"
    # The mark lies under the comma itself: the mirror wraps the text as the box does.
    comma = editor.evaluate(
        """() => {
            const box = document.getElementById("text-opening-text");
            const mark = [...document.querySelectorAll("#text-opening .proof-mirror mark")]
                .find((node) => node.textContent === ",");
            return {box: box.getBoundingClientRect().toJSON(), mark: mark.getBoundingClientRect().toJSON()};
        }"""
    )
    assert comma["box"]["left"] < comma["mark"]["left"] < comma["box"]["right"]
    assert comma["box"]["top"] < comma["mark"]["top"] < comma["box"]["bottom"]
    expect(findings(editor)).to_have_count(3)  # 推动推动, the comma, 做为
    expect(editor.locator("#speech-sidebar .proof-error-count")).to_have_text(str(before + 3))
    screenshot(editor.locator("#text-opening"), "error-marked")

    # The message on hover: the box's tooltip while the pointer is over the mark.
    box_bounds = box.bounding_box()
    mark_bounds = mark.bounding_box()
    editor.mouse.move(mark_bounds["x"] + mark_bounds["width"] / 2, mark_bounds["y"] + 4)
    expect(box).to_have_attribute("title", re.compile("半角“,”"))
    # ... and on focus: the caret in the finding reads out its message.
    editor.mouse.click(mark_bounds["x"] + 1, mark_bounds["y"] + 4)
    expect(editor.locator("#text-opening .proof-here")).to_contain_text("半角“,”")
    assert box_bounds is not None
    assert axe_violations(editor) == []

    # 一键修改: made in the box, saved by the unit's ordinary save, the count drops.
    expect(editor.locator("#text-opening .save-status")).to_have_text(SAVED)  # the typing
    version = Speech.objects.get(pk=speech.pk).opening_version
    row = findings(editor).filter(has_text="中文句子中用了半角")
    row.get_by_role("button", name=re.compile("^一键修改")).click()
    assert box.input_value().endswith("我们要推动推动工作，做为重点。")
    expect(findings(editor)).to_have_count(2)
    expect(editor.locator("#speech-sidebar .proof-error-count")).to_have_text(str(before + 2))
    expect(editor.locator("#text-opening .save-status")).to_have_text(SAVED)
    stored = Speech.objects.get(pk=speech.pk)
    assert stored.opening.endswith("我们要推动推动工作，做为重点。")
    assert stored.opening_version == version + 1  # one save, the ordinary one
    expect(editor.locator("#text-opening .proof-here")).to_have_text("已改为“，”。")
    screenshot(editor.locator("#text-opening"), "fixed")

    # The fix was made as typing is: the browser's undo takes it back (and it saves).
    box.press("Control+z")
    assert box.input_value().endswith("我们要推动推动工作,做为重点。")
    expect(findings(editor)).to_have_count(3)
    expect(editor.locator("#text-opening .save-status")).to_have_text(SAVED)


def test_an_ignored_finding_stays_ignored_after_a_reload(editor, speech, screenshot):
    Speech.objects.filter(pk=speech.pk).update(opening=TYPED, opening_version=2)
    editor.reload()
    before = sidebar_errors(editor)
    expect(findings(editor)).to_have_count(3)
    row = findings(editor).filter(has_text="“做为”应为“作为”")
    row.get_by_role("button", name=re.compile("^忽略")).click()
    expect(findings(editor)).to_have_count(2)
    expect(editor.locator("#speech-sidebar .proof-error-count")).to_have_text(str(before - 1))
    expect(editor.locator("#text-opening .proof-ignored summary")).to_have_text("已忽略 1 处")
    assert [key.split("|")[2] for key in IgnoredFinding.objects.values_list("key", flat=True)] == [
        "做为"
    ]
    # Focus stays in the field's list, not lost with the row.
    assert editor.evaluate("document.activeElement.className") == "proof-summary small"

    editor.reload()
    expect(findings(editor)).to_have_count(2)
    assert sidebar_errors(editor) == before - 1
    expect(editor.locator("#text-opening .proof-ignored summary")).to_have_text("已忽略 1 处")
    assert editor.locator("#text-opening .proof-mirror mark", has_text="做为").count() == 0
    # Typing elsewhere in the field does not bring it back.
    box = opening(editor)
    box.click()
    box.press("Home")
    box.press_sequentially("今天，")
    expect(findings(editor)).to_have_count(2)
    editor.locator("#text-opening .proof-ignored summary").click()
    screenshot(editor.locator("#text-opening"), "ignored")
    # And it can be shown again.
    editor.get_by_role("button", name="取消忽略“做为”").click()
    expect(findings(editor)).to_have_count(3)
    assert not IgnoredFinding.objects.exists()


def test_the_reviewer_sees_the_findings_marked_in_the_preview(
    new_page, log_in, live_server, make_person, speech, screenshot, axe_violations
):
    make_person("leader1", REVIEWER_GROUP)
    Speech.objects.filter(pk=speech.pk).update(opening=TYPED, opening_version=2)
    page = new_page()
    log_in(page, "leader1")
    page.goto(live_server.url + reverse("drafts:speech-preview", args=[speech.pk]))
    marks = page.locator(".paper mark.proof")
    assert marks.all_inner_texts()[:2] == ["推动推动", ","]
    assert "应为全角" in marks.nth(1).get_attribute("title")
    card = page.locator("#proof-card")
    assert "开场白" in card.inner_text() and "“推动”重复了" in card.inner_text()
    screenshot(page, "preview")
    assert axe_violations(page) == []


def test_an_item_added_by_htmx_is_proofread_too(editor, speech):
    before = sidebar_errors(editor)
    part = speech.parts.get(position=1)
    lessons = editor.locator(f"#items-{part.pk}-lesson")
    lessons.get_by_role("button", name="＋ 添加启示").click()
    expect(lessons.locator(".item-card")).to_have_count(4)
    card = lessons.locator(".item-card").last
    box = card.locator("textarea[name=body]")
    box.click()
    box.press_sequentially("必须坚持问题导向,抓好落实")
    expect(card.locator(".proof-mirror mark.proof-error")).to_have_text(",")
    expect(editor.locator("#speech-sidebar .proof-error-count")).to_have_text(str(before + 1))
    # Saved, the sidebar comes back from the server; the count stays the live one.
    expect(card.locator(".save-status")).to_have_text(SAVED)
    expect(editor.locator("#speech-sidebar .proof-error-count")).to_have_text(str(before + 1))
