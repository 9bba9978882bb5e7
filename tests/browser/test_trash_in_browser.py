"""Deleting an item in a real browser, and getting it back: in place, and from the 回收站."""

import pytest
from django.urls import reverse

from drafts.access import REVIEWER_GROUP
from drafts.models import Comment, Item
from tests.factories import make_speech

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def speech(drafter, make_person):
    speech = make_speech(owner=drafter)
    leader = make_person("leader1", REVIEWER_GROUP, first_name="王局长")
    second = Item.objects.get(part__speech=speech, kind="achievement", position=2)
    Comment.objects.create(speech=speech, anchor=second.anchor, author=leader, text="数字要核实")
    return speech


def delete(page, label: str) -> None:
    """Press ✕ on the item labelled ``label`` and say yes to the question."""
    asked = []

    def accept(dialog):
        asked.append(dialog.message)
        dialog.accept()

    page.once("dialog", accept)
    page.get_by_role("button", name=f"删除 {label}", exact=True).click()
    page.locator(".trash-notice").wait_for()
    assert asked == [f"确定删除 {label} 吗？删除后可在回收站恢复。"]


def test_a_deleted_item_comes_back_with_its_text_and_comment(
    new_page, log_in, live_server, drafter, speech, screenshot
):
    second = Item.objects.get(part__speech=speech, kind="achievement", position=2)
    card = f"#item-{second.pk}"
    page = new_page()
    log_in(page, "drafter1")
    page.goto(live_server.url + reverse("drafts:speech-edit", args=[speech.pk]))
    assert "数字要核实" in page.locator(card).inner_text()

    # Deleted: gone from the list, which says where it went and offers 撤销, focused.
    delete(page, "成绩（二）")
    assert page.locator(card).count() == 0
    notice = page.locator(".trash-notice")
    assert "已删除成绩（二），已移入回收站，30 天内可恢复。" in notice.inner_text()
    assert page.evaluate("document.activeElement.textContent") == "撤销"
    screenshot(notice, "deleted")

    # 撤销: back in its place with its text and its comment, still open.
    notice.get_by_role("button", name="撤销删除成绩（二）").click()
    page.locator(card).wait_for()
    assert page.locator(".trash-notice").count() == 0
    assert page.locator(f"{card} .item-label").inner_text() == "成绩（二）"
    lead = page.locator(f"{card} form.unit-form textarea[name=lead]")
    assert lead.input_value() == "第2方面工作有新进展。"
    assert "数字要核实" in page.locator(card).inner_text()
    screenshot(page.locator(card), "undone")

    # Deleted again and left: the 回收站 page gives it back, and leads to it.
    delete(page, "成绩（二）")
    page.get_by_role("link", name="打开回收站").click()
    row = page.locator(f"#trash-item-{second.pk}")
    assert "第2方面工作有新进展。" in row.inner_text() and "成绩（二）" in row.inner_text()
    screenshot(page, "trash")
    row.get_by_role("button", name="恢复成绩（二）（在测试局年度工作总结会议上的讲话）").click()
    page.wait_for_url(f"**{reverse('drafts:speech-edit', args=[speech.pk])}#item-{second.pk}")
    assert "已从回收站恢复成绩（二）。" in page.locator(".messages").inner_text()
    assert "数字要核实" in page.locator(card).inner_text()
    assert page.locator(f"{card} textarea[name=lead]").input_value() == "第2方面工作有新进展。"
    assert Comment.objects.get(text="数字要核实").is_open
