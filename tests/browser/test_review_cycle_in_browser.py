"""Issue 7's scenarios, as people do them: write, review, return, resubmit, approve,
download; and two people saving the same item at once."""

import io
import re

import docx
import pytest
from django.urls import reverse
from playwright.sync_api import expect

from drafts.access import DRAFTER_GROUP, REVIEWER_GROUP
from drafts.models import Item, Speech
from tests.factories import make_speech

pytestmark = pytest.mark.django_db(transaction=True)

SAVE = "保存"

# Our own sample text for a blank speech (never the seed speech's sentences).
FILL = {
    "header": {"会议名称": "县档案馆年度工作总结会", "单位": "县档案馆", "讲话人": "馆长 李明"},
    "opening": "这次会议的任务，是把一年的工作捋一捋，把明年的打算说一说。",
    "heading-1": "盘点一年工作，馆藏管理迈上新台阶",
    "intro": "一年来，全馆围绕“存得住、管得好、用得上”三件事，做了大量扎实细致的工作。",
    "achievements": [
        ("数字化加工提速。", "全年完成馆藏档案数字化X万页，比上年多出两成。"),
        ("库房条件改善。", "新建恒温恒湿库房X间，消防设施全部更新。"),
        ("利用服务更便民。", "开通查档预约，全年接待群众查档X人次。"),
        ("征集工作有突破。", "接收重点单位移交档案，补齐了多年的空缺。"),
        ("安全管理无事故。", "每月一次检查，全年没有发生一起安全事故。"),
        ("队伍素质有提高。", "组织业务培训四期，人人都能独立上手。"),
    ],
    "lessons_intro": "回头来看，有几点体会值得记住：",
    "lessons": ["规划要先行", "制度要管用", "队伍要稳定"],
    "heading-2": "看清差距短板，把明年的事情办得更好",
    "shortcomings_intro": "也要看到，工作中还有一些不足：",
    "shortcomings": ["库房面积仍然偏紧", "数字化标准还不统一", "专业人才留不住"],
    "transition": "明年，重点抓好三件事。",
    "measures": [
        ("抓规划落地。", "把扩建库房纳入年度计划，争取年内开工。"),
        ("抓标准统一。", "出台数字化加工细则，老数据分批改造。"),
        ("抓人才培养。", "与高校合作设立实习基地，留住年轻人。"),
    ],
    "closing": "同志们，档案工作功在当代、利在千秋，让我们一起把它做好。",
}


def unit_form(unit):
    return unit.locator("form.unit-form")


def save(unit):
    """Press the unit's 保存 and wait for "已保存 HH:MM" in the swapped-in unit."""
    unit_form(unit).get_by_role("button", name=SAVE).click()
    unit.locator(".save-status").get_by_text(re.compile(r"已保存 \d\d:\d\d")).wait_for()


def fill_unit(page, unit_id: str, **fields):
    unit = page.locator(f"#{unit_id}")
    for name, text in fields.items():
        unit_form(unit).locator(f"[name={name}]").fill(text)
    save(unit)


def placeholder_count(page) -> int:
    return int(page.locator("#speech-sidebar .placeholder-count").inner_text())


def item_ids(speech: Speech, kind: str) -> list[str]:
    return [
        f"item-{pk}"
        for pk in Item.objects.filter(part__speech=speech, kind=kind)
        .order_by("position")
        .values_list("pk", flat=True)
    ]


def part_unit(speech: Speech, number: int, name: str) -> str:
    return f"part-{speech.parts.get(position=number).pk}-{name}"


def submit_action(page, label: str, note: str | None = None):
    form = page.locator(".review-panel form").filter(has=page.get_by_role("button", name=label))
    if note is not None:
        form.locator("textarea").fill(note)
    form.get_by_role("button", name=label).click()
    page.locator(".messages").get_by_text(f"已{label}").wait_for()


def download_docx(page, base_url: str, speech: Speech) -> list[str]:
    page.goto(base_url + reverse("drafts:speech-preview", args=[speech.pk]))
    page.get_by_role("link", name="Word 下载").click()
    with page.expect_download() as download:
        page.get_by_role("button", name="下载 Word 文件").click()
    data = download.value.path().read_bytes()
    return [p.text for p in docx.Document(io.BytesIO(data)).paragraphs if p.text.strip()]


def preview_paragraphs(page, base_url: str, speech: Speech) -> list[str]:
    page.goto(base_url + reverse("drafts:speech-preview", args=[speech.pk]))
    return page.locator(".paper p.sp").all_inner_texts()


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_a_speech_goes_from_blank_to_approved_and_downloads_as_word(
    new_page, log_in, live_server, make_person, screenshot, axe_violations
):
    make_person("drafter1", DRAFTER_GROUP, first_name="王起草")
    make_person("leader1", REVIEWER_GROUP, first_name="李领导")
    base = live_server.url

    # --- The drafter starts from the blank skeleton.
    writer = new_page()
    log_in(writer, "drafter1")
    writer.get_by_role("navigation", name="主导航").get_by_role("link", name="新建讲话稿").click()
    writer.get_by_label("标题").fill("在县档案馆2026年度\n工作总结会上的讲话")
    assert writer.get_by_label("空白模板").is_checked()
    writer.get_by_role("button", name="创建讲话稿").click()
    writer.get_by_role(
        "heading", name=re.compile("在县档案馆2026年度工作总结会上的讲话")
    ).wait_for()
    speech = Speech.objects.get()
    screenshot(writer, "blank-editor")
    assert placeholder_count(writer) == 0

    # --- Every part filled in, unit by unit.
    header = writer.locator("#header")
    for label, text in FILL["header"].items():
        header.get_by_label(label, exact=True).fill(text)
    header.get_by_label("时长目标（分钟）").fill("5")
    save(header)
    fill_unit(writer, "text-opening", text=FILL["opening"])
    fill_unit(writer, part_unit(speech, 1, "heading"), text=FILL["heading-1"])
    fill_unit(writer, part_unit(speech, 1, "intro"), text=FILL["intro"])

    # Three more achievements on top of the skeleton's three, all written out; the
    # X placeholders show in the sidebar as they are typed.
    achievements = writer.locator(f"#items-{speech.parts.get(position=1).pk}-achievement")
    for count in (4, 5, 6):
        achievements.get_by_role("button", name="＋ 添加成绩").click()
        expect(achievements.locator(".item-card")).to_have_count(count)
    ids = item_ids(speech, "achievement")
    assert len(ids) == 6
    expected_placeholders = 0
    for unit_id, (lead, body) in zip(ids, FILL["achievements"], strict=True):
        fill_unit(writer, unit_id, lead=lead, body=body)
        expected_placeholders += body.count("X")
        assert placeholder_count(writer) == expected_placeholders
    assert expected_placeholders == 3

    # The third goes to the top by drag and drop; the numbering follows on screen.
    # A tall window keeps both cards on screen: Playwright's drag does not scroll midway.
    writer.set_viewport_size({"width": 1400, "height": 2400})
    writer.locator(f"#{ids[0]}").scroll_into_view_if_needed()
    third = writer.locator(f"#{ids[2]}")
    third.locator(".drag-handle").drag_to(writer.locator(f"#{ids[0]} .card-header"))
    writer.locator(f"#{ids[2]} .item-label").get_by_text("（一）").wait_for()
    labels = achievements.locator(".item-card .item-label").all_inner_texts()
    assert labels == [f"成绩（{n}）" for n in "一二三四五六"]
    assert [card.get_attribute("id") for card in achievements.locator(".item-card").all()] == [
        ids[2],
        ids[0],
        ids[1],
        *ids[3:],
    ]
    screenshot(achievements, "achievements-reordered")
    writer.set_viewport_size({"width": 1400, "height": 900})

    fill_unit(writer, part_unit(speech, 1, "lessons_intro"), text=FILL["lessons_intro"])
    for unit_id, text in zip(item_ids(speech, "lesson"), FILL["lessons"], strict=True):
        fill_unit(writer, unit_id, body=text)
    fill_unit(writer, part_unit(speech, 2, "heading"), text=FILL["heading-2"])
    fill_unit(writer, part_unit(speech, 2, "shortcomings_intro"), text=FILL["shortcomings_intro"])
    for unit_id, text in zip(item_ids(speech, "shortcoming"), FILL["shortcomings"], strict=True):
        fill_unit(writer, unit_id, body=text)
    fill_unit(writer, part_unit(speech, 2, "transition"), text=FILL["transition"])
    for unit_id, (lead, body) in zip(item_ids(speech, "measure"), FILL["measures"], strict=True):
        fill_unit(writer, unit_id, lead=lead, body=body)
    fill_unit(writer, "text-closing", text=FILL["closing"])

    # The placeholders are filled one by one and the list shrinks with them.
    for index, number in zip((0, 1, 2), ("12", "3", "5800"), strict=True):
        lead, body = FILL["achievements"][index]
        fill_unit(writer, ids[index], body=body.replace("X", number))
        assert placeholder_count(writer) == 2 - index
    assert "没有剩余的占位符" in writer.locator("#speech-sidebar").inner_text()
    assert writer.locator("#speech-sidebar .target-gap").inner_text().startswith("目标 5 分钟：")
    screenshot(writer, "editor-filled")
    assert axe_violations(writer) == []

    # --- Submitted with a note.
    writer.get_by_role("link", name="预览全文").click()
    screenshot(writer, "preview-draft")
    assert axe_violations(writer) == []
    submit_action(writer, "提交审核", "初稿已写完，请领导审阅。")

    # --- The reviewer finds it in 我的待办, comments on an item, returns it.
    reviewer = new_page()
    log_in(reviewer, "leader1")
    todo = reviewer.locator(".todo-review")
    todo.get_by_role("link", name="在县档案馆2026年度工作总结会上的讲话").click()
    first_measure = Item.objects.get(part__speech=speech, kind="measure", position=1)
    paragraph = reviewer.locator(f'[id="p-part_two.measures.{first_measure.position - 1}"]')
    row = reviewer.locator(".preview-row").filter(has=paragraph)
    row.locator(".comment-new summary").click()
    row.get_by_label("批注内容").fill("扩建库房要写清楚资金从哪里来。")
    row.get_by_role("button", name="添加批注").click()
    reviewer.get_by_text("扩建库房要写清楚资金从哪里来。").first.wait_for()
    screenshot(reviewer, "preview-commented")
    submit_action(reviewer, "退回修改", "措施部分再具体一些。")

    # --- The drafter sees the comment, edits the item, resubmits.
    writer.goto(base + reverse("drafts:home"))
    assert "在县档案馆2026年度工作总结会上的讲话" in writer.locator(".todo-returned").inner_text()
    writer.locator(".todo-comments").get_by_role("link").first.click()
    measure = writer.locator(f"#item-{first_measure.pk}")
    assert "扩建库房要写清楚资金从哪里来。" in measure.locator(".unit-comments").inner_text()
    fill_unit(
        writer,
        f"item-{first_measure.pk}",
        body="把扩建库房纳入年度计划，争取县财政专项资金，年内开工。",
    )
    writer.get_by_role("link", name="预览全文").click()
    submit_action(writer, "提交审核", "已按意见补充资金来源。")

    # --- The reviewer sees what changed since the return, then approves.
    reviewer.goto(base + reverse("drafts:home"))
    reviewer.locator(".todo-review").get_by_role("link", name="看改动").click()
    assert reviewer.locator(".changed-count").inner_text() == "1"
    assert "县财政专项资金" in reviewer.locator(".diff-unit ins").first.inner_text()
    screenshot(reviewer, "diff-since-return")
    assert axe_violations(reviewer) == []
    reviewer.get_by_role("link", name="返回预览").click()
    submit_action(reviewer, "审定通过")
    speech.refresh_from_db()
    assert speech.status == Speech.Status.APPROVED

    # --- Both download the Word file; it reads as the preview does.
    shown = [squeeze(text) for text in preview_paragraphs(reviewer, base, speech)]
    screenshot(reviewer, "preview-approved")
    for page in (writer, reviewer):
        assert [squeeze(text) for text in download_docx(page, base, speech)] == shown


def test_the_second_of_two_people_saving_one_item_gets_the_conflict_view(
    new_page, log_in, live_server, make_person, watch, screenshot, axe_violations
):
    first_user = make_person("drafter1", DRAFTER_GROUP)
    make_person("drafter2", DRAFTER_GROUP)
    speech = make_speech(owner=first_user)
    item = Item.objects.get(part__speech=speech, kind="achievement", position=2)
    url = live_server.url + reverse("drafts:speech-edit", args=[speech.pk])
    pages = []
    for username in ("drafter1", "drafter2"):
        page = new_page()
        log_in(page, username)
        page.goto(url)
        pages.append(page)
    first, second = (page.locator(f"#item-{item.pk}") for page in pages)
    unit_form(first).locator("[name=body]").fill("甲先保存的正文。")
    unit_form(second).locator("[name=body]").fill("乙后保存的正文，一个字也不能丢。")
    save(first)

    watch.expected_statuses.add(409)
    unit_form(second).get_by_role("button", name=SAVE).click()
    conflict = second.locator(".field-conflict")
    conflict.wait_for()
    assert (
        unit_form(second).locator("[name=body]").input_value() == "乙后保存的正文，一个字也不能丢。"
    )
    assert "甲先保存的正文。" in conflict.locator(".conflict-theirs").inner_text()
    inserted = "".join(conflict.locator(".conflict-diff ins").all_inner_texts())
    assert "一个字也不能丢" in inserted
    item.refresh_from_db()
    assert item.body == "甲先保存的正文。"
    screenshot(second, "conflict-item")
    screenshot(pages[1], "conflict-page")
    assert axe_violations(pages[1]) == []

    # Keeping mine, now knowingly, puts the second person's text in.
    conflict.get_by_role("button", name="保留我的").click()
    second.locator(".save-status").get_by_text(re.compile(r"已保存 \d\d:\d\d")).wait_for()
    item.refresh_from_db()
    assert item.body == "乙后保存的正文，一个字也不能丢。"
