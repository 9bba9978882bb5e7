"""The editing page never loses a word (issue 11), in a real browser: autosave, ended
sessions, refused saves, a cut network, two people in one item, presence."""

import re
import threading

import pytest
from django.db import DatabaseError
from django.urls import reverse
from playwright.sync_api import expect

from drafts.models import Item, Speech

pytestmark = pytest.mark.django_db(transaction=True)

SAVED = re.compile(r"^已保存 \d\d:\d\d$")
SAVE_URLS = re.compile(r"/(speeches/\d+/(header|text)|parts/\d+/text|items/[0-9a-f-]{36})/")


@pytest.fixture
def open_editor(new_page, log_in, live_server, speech):
    """``open_editor(username)``: a fresh browser of that person on the editing page."""

    def open_as(username: str = "drafter1"):
        page = new_page()
        log_in(page, username)
        page.goto(live_server.url + reverse("drafts:speech-edit", args=[speech.pk]))
        return page

    return open_as


def achievements(speech) -> list[Item]:
    return list(Item.objects.filter(part__speech=speech, kind="achievement").order_by("position"))


def box(page, key: str, name: str = "text"):
    return page.locator(f"#{key} form.unit-form [name={name}]")


def status(page, key: str):
    return page.locator(f"#{key} .save-status")


def local_copies(page) -> dict:
    return page.evaluate(
        """Object.fromEntries(Object.keys(localStorage)
             .filter(k => k.startsWith('speechdraft:'))
             .map(k => [k, JSON.parse(localStorage.getItem(k)).fields]))"""
    )


def test_a_field_saves_itself_after_typing_stops_without_pressing_save(
    open_editor, speech, screenshot
):
    page = open_editor()
    box(page, "text-opening").fill("开场白改了，没有按保存。")
    expect(status(page, "text-opening")).to_have_text("有未保存的修改")
    assert list(local_copies(page).values()) == [{"text": "开场白改了，没有按保存。"}]
    expect(status(page, "text-opening")).to_have_text(SAVED)
    speech.refresh_from_db()
    assert speech.opening == "开场白改了，没有按保存。"
    # Acknowledged exactly that text: the local copy is gone, nothing is offered back.
    assert local_copies(page) == {}
    screenshot(page.locator("#text-opening"), "saved-by-itself")
    page.reload()
    assert page.locator(".draft-offer").count() == 0


def test_leaving_a_field_saves_it_at_once(open_editor, speech):
    page = open_editor()
    item = achievements(speech)[0]
    box(page, f"item-{item.pk}", "lead").fill("离开这一栏就保存。")
    box(page, f"item-{item.pk}", "body").focus()
    expect(status(page, f"item-{item.pk}")).to_have_text(SAVED)
    item.refresh_from_db()
    assert item.lead == "离开这一栏就保存。"


def test_an_ended_session_keeps_the_text_and_saves_it_after_logging_in_again(
    open_editor, live_server, speech, watch, screenshot
):
    watch.expected_statuses |= {401, 403}
    page = open_editor()
    item = achievements(speech)[1]
    key = f"item-{item.pk}"
    # The session ends: the drafter logs out in another tab of the same browser.
    other = page.context.new_page()
    other.goto(live_server.url + reverse("drafts:home"))
    other.get_by_role("button", name="退出登录").click()
    other.wait_for_url(re.compile(r"/accounts/login/"))
    other.close()

    box(page, key, "body").fill("会话过期后写的正文，一个字也不能丢。")
    banner = page.locator(".session-banner")
    expect(banner).to_contain_text("登录已过期，请重新登录")
    expect(status(page, key)).to_have_text("未保存（登录已过期，重新登录后自动保存）")
    assert box(page, key, "body").input_value() == "会话过期后写的正文，一个字也不能丢。"
    assert page.locator("#main input[name=password]").count() == 0  # no login page swapped in
    assert {"lead": item.lead, "body": "会话过期后写的正文，一个字也不能丢。"} in local_copies(
        page
    ).values()
    screenshot(page, "session-ended")

    # The login opens in a new tab and comes back to a page that says to return.
    with page.context.expect_page() as opened:
        banner.get_by_role("link", name="在新标签页中登录").click()
    login = opened.value
    login.get_by_label("用户名").fill("drafter1")
    login.get_by_label("密码").fill("pw-someone-123")
    login.get_by_role("button", name="登录").click()
    login.wait_for_url(re.compile(r"/session/done/$"))
    expect(login.locator("main")).to_contain_text("已重新登录，请关闭此页，回到编辑页面")
    screenshot(login, "session-done")
    login.close()

    # Back on the editing page the pending save goes through with the fresh token.
    page.bring_to_front()
    expect(status(page, key)).to_have_text(SAVED)
    expect(banner).to_have_count(0)
    item.refresh_from_db()
    assert item.body == "会话过期后写的正文，一个字也不能丢。"
    assert local_copies(page) == {}


def test_a_save_refused_because_the_speech_was_submitted_says_why_and_keeps_the_text(
    open_editor, speech, watch, screenshot
):
    watch.expected_statuses.add(403)
    page = open_editor()
    # Submitted from another tab meanwhile.
    Speech.objects.filter(pk=speech.pk).update(status=Speech.Status.SUBMITTED)
    box(page, "text-closing").fill("提交之后才写的结束语。")
    notice = page.locator("#text-closing .unit-refused")
    expect(notice).to_contain_text("讲话稿当前为“待审核”，不能修改。")
    expect(status(page, "text-closing")).to_have_text("未保存（讲话稿当前为“待审核”，不能修改）")
    assert box(page, "text-closing").input_value() == "提交之后才写的结束语。"
    assert {"text": "提交之后才写的结束语。"} in local_copies(page).values()
    screenshot(page.locator("#text-closing"), "refused")

    # Withdrawn again: the text saves when asked.
    Speech.objects.filter(pk=speech.pk).update(status=Speech.Status.DRAFT)
    notice.get_by_role("button", name="重试保存").click()
    expect(status(page, "text-closing")).to_have_text(SAVED)
    speech.refresh_from_db()
    assert speech.closing == "提交之后才写的结束语。"


def test_a_save_of_an_item_a_colleague_deleted_offers_to_keep_it_as_a_new_item(
    open_editor, speech, watch, screenshot
):
    watch.expected_statuses.add(404)
    page = open_editor()
    first, second, third = achievements(speech)
    key = f"item-{second.pk}"
    second.delete()  # by a colleague, while the page is open
    box(page, key, "body").fill("同事删掉的那一条，我还在写。")
    notice = page.locator(f"#{key} .unit-gone")
    expect(notice).to_contain_text("已被他人删除")
    expect(status(page, key)).to_have_text("未保存（这一条已被他人删除）")
    assert box(page, key, "body").input_value() == "同事删掉的那一条，我还在写。"
    expect(notice.get_by_role("button", name="复制")).to_be_visible()
    screenshot(page.locator(f"#{key}"), "gone")

    notice.get_by_role("button", name="另存为新条目").click()
    new = Item.objects.filter(
        part=first.part, kind="achievement", body="同事删掉的那一条，我还在写。"
    )
    page.locator(".item-card", has_text="同事删掉的那一条，我还在写。").wait_for()
    expect(page.locator(f"#{key}")).to_have_count(0)
    assert new.count() == 1
    assert new.get().lead == second.lead
    assert local_copies(page) == {}


def test_copying_the_text_of_a_deleted_item(open_editor, speech, watch):
    watch.expected_statuses.add(404)
    page = open_editor()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    item = achievements(speech)[0]
    key = f"item-{item.pk}"
    item.delete()
    box(page, key, "body").fill("先复制出来再说。")
    copy = page.locator(f"#{key} .unit-gone").get_by_role("button", name="复制")
    copy.click()
    expect(copy).to_have_text("已复制")
    assert page.evaluate("navigator.clipboard.readText()") == f"{item.lead}\n先复制出来再说。"


def test_typing_through_a_network_cut_of_30_seconds_loses_nothing(
    open_editor, speech, watch, screenshot
):
    watch.expected_failures |= {"ERR_INTERNET_DISCONNECTED", "ERR_NETWORK_CHANGED"}
    page = open_editor()
    item = achievements(speech)[2]
    key = f"item-{item.pk}"
    page.context.set_offline(True)
    box(page, "text-opening").fill("断网时写的开场白")
    expect(status(page, "text-opening")).to_have_text(
        re.compile(r"^未保存（网络中断，\d+ 秒后自动重试）$")
    )
    screenshot(page.locator("#text-opening"), "offline")
    for second in range(3):  # typing on, ten seconds apart, thirty in all
        page.wait_for_timeout(10_000)
        box(page, "text-opening").press_sequentially(f"，第{second + 1}句")
        box(page, key, "body").fill(f"断网时改的正文，第{second + 1}遍。")
    assert (
        local_copies(page)[f"speechdraft:draft:{speech.pk}:{key}"]["body"]
        == "断网时改的正文，第3遍。"
    )
    page.context.set_offline(False)
    expect(status(page, "text-opening")).to_have_text(SAVED, timeout=40_000)
    expect(status(page, key)).to_have_text(SAVED, timeout=40_000)
    speech.refresh_from_db()
    item.refresh_from_db()
    assert speech.opening == "断网时写的开场白，第1句，第2句，第3句"
    assert item.body == "断网时改的正文，第3遍。"
    assert local_copies(page) == {}


def test_two_people_editing_different_fields_of_one_item_both_end_saved(
    open_editor, speech, colleague, screenshot
):
    mine, theirs = open_editor("drafter1"), open_editor("drafter2")
    item = achievements(speech)[0]
    key = f"item-{item.pk}"
    box(theirs, key, "lead").fill("张三改的领句。")
    expect(status(theirs, key)).to_have_text(SAVED)
    box(mine, key, "body").fill("我改的正文。")
    expect(status(mine, key)).to_have_text(SAVED)
    item.refresh_from_db()
    assert (item.lead, item.body) == ("张三改的领句。", "我改的正文。")
    # My page now shows the colleague's lead too; no conflict was raised anywhere.
    expect(box(mine, key, "lead")).to_have_value("张三改的领句。")
    assert mine.locator(".field-conflict").count() == 0
    assert theirs.locator(".field-conflict").count() == 0
    screenshot(mine.locator(f"#{key}"), "merged")


@pytest.mark.parametrize("choice", ["保留我的", "采用对方的", "手动合并"])
def test_the_same_field_changed_by_both_asks_for_an_explicit_choice(
    open_editor, speech, colleague, watch, screenshot, choice
):
    watch.expected_statuses.add(409)
    mine, theirs = open_editor("drafter1"), open_editor("drafter2")
    item = achievements(speech)[0]
    key = f"item-{item.pk}"
    box(theirs, key, "body").fill("张三写的正文。")
    expect(status(theirs, key)).to_have_text(SAVED)
    box(mine, key, "body").fill("我写的正文。")
    panel = mine.locator(f"#{key} .field-conflict")
    expect(panel).to_contain_text("张三")
    expect(panel.locator(".conflict-theirs")).to_have_text("张三写的正文。")
    expect(status(mine, key)).to_have_text("未保存（与他人的修改冲突，请在下方选择）")
    # Nothing is overwritten while the choice is open, and my text stays in the box.
    assert box(mine, key, "body").input_value() == "我写的正文。"
    item.refresh_from_db()
    assert item.body == "张三写的正文。"
    assert "直接保存" not in panel.inner_text()
    screenshot(mine.locator(f"#{key}"), "conflict")

    panel.get_by_role("button", name=choice).click()
    if choice == "手动合并":
        box(mine, key, "body").fill("张三和我一起写的正文。")
        screenshot(mine.locator(f"#{key}"), "merging")
        mine.locator(f"#{key} .field-conflict").get_by_role("button", name="合并完成，保存").click()
    wanted = {
        "保留我的": "我写的正文。",
        "采用对方的": "张三写的正文。",
        "手动合并": "张三和我一起写的正文。",
    }
    expect(mine.locator(f"#{key} .field-conflict")).to_have_count(0)
    expect(status(mine, key)).to_have_text(SAVED)
    expect(box(mine, key, "body")).to_have_value(wanted[choice])
    item.refresh_from_db()
    assert item.body == wanted[choice]
    assert local_copies(mine) == {}


def test_presence_shows_who_else_is_in_the_speech_and_in_which_unit(
    open_editor, speech, colleague, screenshot
):
    mine, theirs = open_editor("drafter1"), open_editor("drafter2")
    second = achievements(speech)[1]
    box(theirs, f"item-{second.pk}", "body").focus()
    box(mine, "text-opening").focus()  # moving to a unit beats at once
    line = mine.locator("#presence-line")
    expect(line).to_have_text("正在编辑：张三（成绩（二））", timeout=25_000)
    expect(mine.locator(f"#item-{second.pk} .presence-badge")).to_have_text("张三 正在编辑")
    screenshot(mine, "presence")
    # The colleague sees me too, in the opening.
    box(theirs, f"item-{second.pk}", "lead").focus()
    box(theirs, "text-closing").focus()
    expect(theirs.locator("#presence-line")).to_have_text(
        "正在编辑：小起草（开场白）", timeout=25_000
    )


def test_a_refused_list_operation_says_why_beside_the_list(open_editor, speech, watch, screenshot):
    watch.expected_statuses |= {404}
    page = open_editor()
    first = achievements(speech)[0]
    first.delete()  # by a colleague
    page.get_by_role("button", name="下移 成绩（一）").click()
    notice = page.locator(f"#items-{first.part_id}-achievement .request-notice")
    expect(notice).to_contain_text("已不存在")
    screenshot(page.locator(f"#items-{first.part_id}-achievement"), "list-refused")


def test_a_list_operation_after_the_session_ended_offers_the_login(
    open_editor, live_server, speech, watch
):
    watch.expected_statuses |= {401}
    page = open_editor()
    page.context.clear_cookies(name="sessionid")
    part = achievements(speech)[0].part
    page.get_by_role("button", name="＋ 添加成绩").click()
    expect(page.locator(f"#items-{part.pk}-achievement .request-notice")).to_contain_text(
        "登录已过期"
    )
    expect(page.locator(".session-banner")).to_contain_text("登录已过期，请重新登录")
    assert page.locator("#main input[name=password]").count() == 0


def test_a_save_with_a_stale_security_token_fetches_a_fresh_one_and_goes_through(
    open_editor, speech, watch
):
    watch.expected_statuses.add(403)
    page = open_editor()
    # As after a login in another tab, which rotates the CSRF token.
    page.evaluate(
        """document.querySelectorAll('input[name=csrfmiddlewaretoken]')
             .forEach(input => { input.value = 'x'.repeat(64); })"""
    )
    box(page, "text-opening").fill("令牌过期也要保存上。")
    expect(status(page, "text-opening")).to_have_text(SAVED)
    speech.refresh_from_db()
    assert speech.opening == "令牌过期也要保存上。"
    assert page.locator("input[name=csrfmiddlewaretoken]").first.input_value() != "x" * 64


def test_a_list_operation_with_a_stale_security_token_asks_to_do_it_again(
    open_editor, speech, watch
):
    watch.expected_statuses.add(403)
    page = open_editor()
    page.evaluate(
        """document.querySelectorAll('input[name=csrfmiddlewaretoken]')
             .forEach(input => { input.value = 'x'.repeat(64); })"""
    )
    part = achievements(speech)[0].part
    page.get_by_role("button", name="＋ 添加成绩").click()
    notice = page.locator(f"#items-{part.pk}-achievement .request-notice")
    expect(notice).to_contain_text("请再操作一次")
    expect(page.locator("input[name=csrfmiddlewaretoken]").first).not_to_have_value("x" * 64)
    page.get_by_role("button", name="＋ 添加成绩").click()
    expect(page.locator(f"#items-{part.pk}-achievement .item-card")).to_have_count(4)


def test_typing_while_a_save_is_on_its_way_is_saved_after_it(open_editor, speech, monkeypatch):
    save_unit = Speech.save_unit
    arrived, go_on = threading.Event(), threading.Event()

    def held(*args, **kwargs):
        # A slow intranet: the first save waits on the server while the drafter types on.
        if not arrived.is_set():
            arrived.set()
            go_on.wait(30)
        return save_unit(*args, **kwargs)

    monkeypatch.setattr(Speech, "save_unit", held)
    page = open_editor()
    box(page, "text-closing").fill("先写的半句")
    expect(status(page, "text-closing")).to_have_text("正在保存…")
    box(page, "text-closing").press_sequentially("，后写的半句。")
    go_on.set()
    expect(status(page, "text-closing")).to_have_text(SAVED, timeout=20_000)
    assert arrived.is_set()
    speech.refresh_from_db()
    assert speech.closing == "先写的半句，后写的半句。"
    expect(box(page, "text-closing")).to_have_value("先写的半句，后写的半句。")
    assert local_copies(page) == {}


def test_an_invalid_field_says_why_under_it_and_saves_once_mended(open_editor, speech, watch):
    watch.expected_statuses.add(422)
    page = open_editor()
    title = box(page, "header", "title")
    title.fill("")
    expect(status(page, "header")).to_have_text("未保存（内容有误，请按提示修改）")
    expect(page.locator("#header .sd-invalid")).to_have_text("请填写标题。")
    assert {"title": ""}.items() <= next(iter(local_copies(page).values())).items()
    title.fill("改过的标题")
    expect(status(page, "header")).to_have_text(SAVED)
    expect(page.locator("#header .sd-invalid")).to_have_count(0)
    speech.refresh_from_db()
    assert speech.title == "改过的标题"


def test_unsaved_text_of_an_item_deleted_before_the_reload_is_offered_at_the_top(
    open_editor, speech, monkeypatch, watch, screenshot
):
    def broken(*args, **kwargs):
        raise DatabaseError("数据库维护中")

    watch.expected_statuses.add(500)
    monkeypatch.setattr(Speech, "save_unit", broken)
    page = open_editor()
    item = achievements(speech)[2]
    box(page, f"item-{item.pk}", "body").fill("没存上的正文，条目随后被同事删了。")
    expect(status(page, f"item-{item.pk}")).to_have_text(re.compile(r"^未保存（服务器出错"))
    monkeypatch.undo()
    Item.objects.filter(pk=item.pk).delete()  # by a colleague, while the text sat here
    page.reload()
    orphan = page.locator("#orphan-drafts .orphan-draft")
    expect(orphan).to_contain_text("没存上的正文，条目随后被同事删了。")
    expect(orphan).to_contain_text("它所在的条目已不在本页")
    screenshot(orphan, "orphan")
    orphan.get_by_role("button", name="另存为新条目").click()
    page.locator(".item-card", has_text="没存上的正文，条目随后被同事删了。").wait_for()
    expect(orphan).to_have_count(0)
    kept = Item.objects.get(
        part=item.part, kind="achievement", body="没存上的正文，条目随后被同事删了。"
    )
    assert kept.lead == item.lead
    assert local_copies(page) == {}


def test_two_saves_of_one_part_heading_never_overwrite_silently(
    open_editor, speech, colleague, watch, screenshot
):
    # Issue 11, case 3: part texts were never checked, the second save won silently.
    watch.expected_statuses.add(409)
    part = speech.parts.get(kind="shortcomings")
    key = f"part-{part.pk}-heading"
    mine, theirs = open_editor("drafter1"), open_editor("drafter2")
    box(theirs, key).fill("张三拟的第二部分标题")
    expect(status(theirs, key)).to_have_text(SAVED)
    box(mine, key).fill("我拟的第二部分标题")
    panel = mine.locator(f"#{key} .field-conflict")
    expect(panel.locator(".conflict-theirs")).to_have_text("张三拟的第二部分标题")
    part.refresh_from_db()
    assert part.heading == "张三拟的第二部分标题"
    screenshot(mine.locator(f"#{key}"), "heading-conflict")
    panel.get_by_role("button", name="保留我的").click()
    expect(status(mine, key)).to_have_text(SAVED)
    part.refresh_from_db()
    assert part.heading == "我拟的第二部分标题"


def test_taking_the_colleagues_title_keeps_their_other_header_fields(
    open_editor, speech, colleague, watch
):
    # Issue 11, case 5: "改用当前内容" in the header filled only the title, and saving
    # then wiped the colleague's occasion, unit, speaker, date and pace.
    watch.expected_statuses.add(409)
    mine, theirs = open_editor("drafter1"), open_editor("drafter2")
    box(theirs, "header", "occasion").fill("张三改的会议名称")
    box(theirs, "header", "speaker").fill("张局长")
    box(theirs, "header", "title").fill("张三改的标题")
    expect(status(theirs, "header")).to_have_text(SAVED)
    box(mine, "header", "title").fill("我改的标题")
    panel = mine.locator("#header .field-conflict")
    expect(panel.locator(".conflict-theirs")).to_have_text("张三改的标题")
    # The colleague's other fields reached my page without any conflict.
    expect(box(mine, "header", "occasion")).to_have_value("张三改的会议名称")
    panel.get_by_role("button", name="采用对方的").click()
    expect(mine.locator("#header .field-conflict")).to_have_count(0)
    speech.refresh_from_db()
    assert (speech.title, speech.occasion, speech.speaker) == (
        "张三改的标题",
        "张三改的会议名称",
        "张局长",
    )
    expect(box(mine, "header", "speaker")).to_have_value("张局长")
