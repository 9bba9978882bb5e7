"""The import page in the browser: a paste past its budget is refused before it is
sent, and stays in the box (issue 13: a paste past the request size was a bare 400 and
the paste was lost with the page)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect


@pytest.fixture
def small_budgets(settings):
    settings.BUDGETS = {**settings.BUDGETS, "import_chars": 20_000}
    return settings.BUDGETS


def test_a_paste_past_its_budget_is_refused_before_sending_and_kept(
    new_page, log_in, live_server, drafter, small_budgets, screenshot
):
    page = new_page()
    log_in(page, drafter.username)
    page.goto(live_server.url + reverse("drafts:speech-import"))
    pasted = "同志们：\n" + "今年的工作扎实推进。" * 2_000  # 20,005 characters, 1 line break
    box = page.get_by_label("粘贴讲话稿全文")
    box.fill(pasted)
    sent = []
    page.on("request", lambda request: sent.append(request) if request.method == "POST" else None)
    page.get_by_role("button", name="识别结构").click()

    expect(page.get_by_role("alert")).to_have_text(
        "粘贴的文字超过上限：最多 20000 字，现有 20006 字。"
    )
    screenshot(page, "refused")
    assert sent == []
    assert box.input_value() == pasted

    # Cut to the budget, the same paste goes to the server and previews.
    box.fill(pasted[:19_990])
    page.get_by_role("button", name="识别结构").click()
    expect(page.get_by_role("heading", name="识别结果")).to_be_visible()
