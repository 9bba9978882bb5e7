"""导入 Word 审阅稿 in the browser: a file past the budget is refused before it is sent;
a reviewed file is recorded and the page lists what went where (issue 14)."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.factories import make_speech, make_user
from tests.test_review_import import reviewed


@pytest.fixture
def small_upload(settings):
    settings.BUDGETS = {**settings.BUDGETS, "upload_bytes": 1024 * 1024}


def test_a_reviewed_file_is_checked_before_sending_then_imported(
    new_page, log_in, live_server, drafter, small_upload, tmp_path, screenshot
):
    make_user("wangjz", role="审核领导", first_name="局长", last_name="王")
    speech = make_speech(owner=drafter)
    page = new_page()
    log_in(page, drafter.username)
    page.goto(live_server.url + reverse("drafts:speech-preview", args=[speech.pk]))
    page.get_by_role("link", name="导入 Word 审阅稿").click()
    expect(page.get_by_role("heading", name="导入 Word 审阅稿")).to_be_visible()

    large = tmp_path / "太大的审阅稿.docx"
    large.write_bytes(b"PK\x03\x04" + b"\0" * (1536 * 1024))
    sent = []
    page.on("request", lambda request: sent.append(request) if request.method == "POST" else None)
    page.get_by_label("审阅后的 Word 文件").set_input_files(str(large))
    page.get_by_role("button", name="导入审阅稿").click()
    expect(page.get_by_role("alert")).to_have_text("上传的文件超过上限：最多 1 MB，现有 1.5 MB。")
    assert sent == []
    screenshot(page, "refused")

    good = tmp_path / "审阅稿.docx"
    good.write_bytes(reviewed(speech))
    page.get_by_label("审阅后的 Word 文件").set_input_files(str(good))
    page.get_by_role("button", name="导入审阅稿").click()
    expect(page.get_by_role("heading", name="Word 审阅稿导入结果")).to_be_visible()
    expect(page.get_by_text("导入 7 条修改建议、3 条批注，2 处无法对应")).to_be_visible()
    expect(page.locator(".review-import-unplaced")).to_have_count(2)
    screenshot(page, "result")
