"""A Word file returned with 修订 and 批注 → suggestions and comments on the stored speech
(drafts/review_import.py, issue 14 "Word in").

The files are our own exports of a stored speech, reviewed as Word writes its XML
(tests/tracked_edits.py), and the hand-written and LibreOffice-made fixtures of
tests/resources. Accepting every suggestion must give the text Word's 全部接受 shows
(tests/tracked_views.py, our own OOXML reader).
"""

import datetime
import io
import shutil
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drafts import workflow
from drafts.assembly import assemble
from drafts.budgets import configured
from drafts.docx_changes import redline_docx
from drafts.docx_export import ExportOptions, render_docx
from drafts.export_origin import origin_of
from drafts.models import AuditEvent, Comment, Item, Speech, Suggestion
from drafts.reading import ImportRefused
from drafts.review_import import (
    APPROVED,
    UNTRACKED_UNKNOWN_BASE,
    accept_changes_by,
    import_review,
    shown,
    stored_form,
)
from drafts.speech_json import from_document, to_document
from drafts.structure import text_fields
from drafts.word_review import BETWEEN_FIELDS, IN_LABELS, map_review, read_review
from tests.factories import make_speech, make_user
from tests.test_docx_changes import phrases
from tests.test_fuzz_imports import undone
from tests.test_word_review import REPEATED, WHEN, localised_lead_style_id, rewritten
from tests.tracked_edits import Reviewer
from tests.tracked_views import accepted

RESOURCES = Path(__file__).parent / "resources"
WANG = ("王局长", "2026-12-01T09:12:00Z")
ZHAO = ("赵主任", "2026-12-01T10:40:00Z")
LI = ("李科长", "2026-12-01T11:05:00Z")


@pytest.fixture
def wang(db):
    # Django keeps 名 and 姓 apart; a Word user name writes them together, 姓 first.
    return make_user("wangjz", role="审核领导", first_name="局长", last_name="王")


@pytest.fixture
def li(db):
    return make_user("李科长", role="起草人员")


def stored(speech):
    return Speech.objects.with_structure().get(pk=speech.pk).as_structure()


def export(speech, **options) -> bytes:
    """The speech's Word download, as the export page writes it."""
    data = stored(speech)
    options = ExportOptions(author=data.organization, origin=origin_of(speech.pk, data), **options)
    return render_docx(assemble(data), options)


def at(speech, anchor: str, index: int = 0) -> int:
    """The number of the export's paragraph ``anchor`` (a field of the assembled speech)."""
    paragraphs = assemble(stored(speech))
    return next(n for n, p in enumerate(paragraphs) if p.anchor == anchor and p.index == index)


def item(speech, kind: str, position: int) -> Item:
    return Item.objects.get(part__speech=speech, kind=kind, position=position)


def suggestions():
    return [
        (s.anchor, s.field, s.base, s.proposed, s.author, s.author_name, s.reason, s.source)
        for s in Suggestion.objects.order_by("pk")
    ]


def comments():
    return [
        (c.anchor, c.author.username, c.text, c.parent.text if c.parent else None)
        for c in Comment.objects.order_by("pk")
    ]


def speech_paragraphs(speech) -> list[str]:
    return [
        p.text.replace("\n", "") if p.role in ("title", "subtitle") else p.text
        for p in assemble(stored(speech))
    ]


def word_accepted(docx: bytes) -> list[str]:
    # The export balances a long title over lines of its own: compared without them.
    texts = accepted(docx)
    return [texts[0].replace("\n", ""), *texts[1:]]


def accept_all(speech, user):
    for suggestion in Suggestion.objects.open().filter(speech=speech).order_by("pk"):
        suggestion.accept(user)


# --- A file exported from the speech, reviewed in Word


def reviewed(speech) -> bytes:
    """Three people's 修订 on every kind of field, two comments with a reply, and a
    new paragraph between two fields and a changed number, which no field holds."""
    reviewer = Reviewer(export(speech))
    reviewer.replace(at(speech, "title"), "年度", "全年", *WANG)
    reviewer.replace(at(speech, "opening"), "回顾一年的工作", "回顾全年的工作", *WANG)
    reviewer.replace(at(speech, "part_one.achievements.0"), "新进展", "新突破", *LI)
    second = at(speech, "part_one.achievements.1")
    reviewer.replace(second, "共办理", "累计办理", *ZHAO)
    reviewer.delete(second, "事项", *WANG)
    reviewer.insert_after(at(speech, "part_one.lessons"), "必须坚持第2条经验", "不动摇", *WANG)
    shortcomings = at(speech, "part_two.shortcomings")
    reviewer.replace(shortcomings, "还没有解决", "尚待解决", *ZHAO, occurrence=2)
    reviewer.replace(shortcomings, "着力抓好", "重点抓好", *WANG)
    reviewer.delete(at(speech, "part_two.measures.2"), "三是", *LI)
    closing = at(speech, "closing")
    reviewer.comment(closing, "共同努力", "再鼓鼓劲。", *WANG, initials="王", name="q")
    reviewer.comment(closing, "共同努力", "同意。", *ZHAO, reply_to="q")
    reviewer.comment(at(speech, "part_one.achievements.0"), "第1项成绩", "请补充数字。", *LI)
    # Last: a new paragraph moves the numbers of those after it.
    reviewer.add_paragraph(at(speech, "opening"), "另起一段新的话。", *ZHAO)
    return reviewer.save(last_editor="王局长")


@pytest.mark.django_db
def test_each_changed_field_is_one_suggestion_by_the_person_who_made_it(speech, drafter, wang, li):
    report = import_review(speech, reviewed(speech), drafter)
    first, second = item(speech, "achievement", 1), item(speech, "achievement", 2)
    lesson, shortcoming = item(speech, "lesson", 2), item(speech, "shortcoming", 3)
    assert report.exact
    assert suggestions() == [
        (
            "header",
            "title",
            "在测试局年度工作\n总结会议上的讲话",
            "在测试局全年工作\n总结会议上的讲话",
            wang,
            "",
            "",
            "word",
        ),
        (
            "opening",
            "opening",
            "今天召开会议，回顾一年的工作。下面，我讲两个方面的意见。",
            "今天召开会议，回顾全年的工作。下面，我讲两个方面的意见。",
            wang,
            "",
            "",
            "word",
        ),
        (
            first.anchor,
            "lead",
            "第1方面工作有新进展。",
            "第1方面工作有新突破。",
            li,
            "",
            "",
            "word",
        ),
        (
            second.anchor,
            "body",
            "这是第2项成绩的正文，共办理XX事项X件。",
            "这是第2项成绩的正文，累计办理XXX件。",
            None,
            "赵主任",
            "Word 修订：赵主任、王局长修改了这一处。",
            "word",
        ),
        (
            lesson.anchor,
            "body",
            "必须坚持第2条经验",
            "必须坚持第2条经验不动摇",
            wang,
            "",
            "",
            "word",
        ),
        (
            shortcoming.anchor,
            "body",
            "第3个问题还没有解决",
            "第3个问题尚待解决",
            None,
            "赵主任",
            "",
            "word",
        ),
        (
            "part_two.transition",
            "transition",
            "下一步，我们要着力抓好以下工作。",
            "下一步，我们要重点抓好以下工作。",
            wang,
            "",
            "",
            "word",
        ),
    ]
    assert [(r.label, r.author, r.note) for r in report.suggestions][3] == (
        "第一部分 成绩（二） 正文",
        "赵主任",
        "赵主任、王局长都修改了这一处，合为一条，记为赵主任的建议",
    )
    assert [(n.reason, n.old, n.new, n.authors) for n in report.not_placed] == [
        (BETWEEN_FIELDS, "", "另起一段新的话。", "赵主任"),
        (
            IN_LABELS,
            "三是第3项措施要落实。这是第3项措施的正文。",
            "第3项措施要落实。这是第3项措施的正文。",
            "李科长",
        ),
    ]


@pytest.mark.django_db
def test_comments_go_on_their_passage_by_their_author(speech, drafter, wang, li):
    report = import_review(speech, reviewed(speech), drafter)
    first = item(speech, "achievement", 1)
    assert comments() == [
        ("closing", "wangjz", "再鼓鼓劲。", None),
        # 赵主任 is no user: the importing user stores it, and the text says whose it is.
        ("closing", "drafter1", "（赵主任在 Word 中批注）同意。", "再鼓鼓劲。"),
        (first.anchor, "李科长", "请补充数字。", None),
    ]
    # Each points at the words it was made on, in the field as stored (a reply at none).
    stored_texts = {c.pk: getattr(c.speech.unit_for(c.anchor)[0], c.field or "pk", "") for c in
                    Comment.objects.all()}  # fmt: skip
    assert [
        (c.field, c.quote, stored_texts[c.pk][c.start : c.start + len(c.quote)] if c.field else "")
        for c in Comment.objects.order_by("pk")
    ] == [("closing", "共同努力", "共同努力"), ("", "", ""), ("body", "第1项成绩", "第1项成绩")]
    assert [(r.kind, r.label, r.author) for r in report.comments] == [
        ("批注", "结束语", "局长 王"),
        ("回复", "结束语", "赵主任"),
        ("批注", "第一部分 成绩（一） 正文", "李科长"),
    ]
    assert report.summary() == "导入 7 条修改建议、3 条批注，2 处无法对应"
    audit = AuditEvent.objects.get(action="import", speech_id=speech.pk)
    assert audit.detail == "Word 审阅稿：导入 7 条修改建议、3 条批注，2 处无法对应"


def placeable(speech) -> bytes:
    """Changes every one of which a field holds: insertions, deletions, replacements,
    several people in one field, a paragraph added inside a field, one deleted whole."""
    reviewer = Reviewer(export(speech))
    reviewer.replace(at(speech, "title"), "年度", "全年", *WANG)
    reviewer.replace(at(speech, "opening"), "两个方面", "三个方面", *WANG)
    reviewer.insert_after(at(speech, "part_one.intro"), "扎实工作", "、奋发有为", *LI)
    second = at(speech, "part_one.achievements.1")
    reviewer.replace(second, "共办理", "累计办理", *ZHAO)
    reviewer.delete(second, "事项", *WANG)
    reviewer.replace(at(speech, "part_one.achievements.2"), "第3方面", "第三方面", *ZHAO)
    reviewer.insert_after(at(speech, "part_one.lessons"), "必须坚持第2条经验", "不动摇", *WANG)
    shortcomings = at(speech, "part_two.shortcomings")
    reviewer.replace(shortcomings, "还没有解决", "尚未解决", *ZHAO)
    reviewer.replace(shortcomings, "以下工作", "以下几项工作", *WANG)
    reviewer.replace(at(speech, "part_two.measures.0"), "正文", "具体内容", *LI)
    reviewer.delete_paragraph(at(speech, "closing"), *WANG)
    return reviewer.save(last_editor="王局长")


@pytest.mark.django_db
def test_accepting_every_suggestion_gives_the_text_word_shows_after_accept_all(
    speech, drafter, wang, li
):
    docx = placeable(speech)
    report = import_review(speech, docx, drafter)
    assert report.not_placed == []
    assert len(report.suggestions) == 10
    accept_all(speech, drafter)
    assert speech_paragraphs(speech) == word_accepted(docx)
    assert not Suggestion.objects.open().exists()


@pytest.mark.django_db
def test_a_paragraph_added_inside_a_field_is_that_fields(speech, drafter, wang):
    Speech.objects.filter(pk=speech.pk).update(closing="第一段结束语。\n第二段结束语。")
    reviewer = Reviewer(export(speech))
    reviewer.add_paragraph(at(speech, "closing"), "中间加的一段。", *WANG)
    docx = reviewer.save()
    import_review(speech, docx, drafter)
    ((anchor, field, _, proposed, author, *_),) = suggestions()
    assert (anchor, field, proposed, author) == (
        "closing",
        "closing",
        "第一段结束语。\n中间加的一段。\n第二段结束语。",
        wang,
    )
    accept_all(speech, drafter)
    assert speech_paragraphs(speech) == word_accepted(docx)


# --- The version the reviewer saw


@pytest.mark.django_db
def test_a_suggestion_is_made_on_the_text_exported_and_merges_with_later_edits(
    speech, drafter, wang
):
    exported_opening = stored(speech).opening
    reviewer = Reviewer(export(speech))
    reviewer.replace(at(speech, "opening"), "两个方面", "三个方面", *WANG)
    docx = reviewer.save()
    # After the export the drafter typed on in another passage of the opening.
    later = exported_opening.replace("今天召开会议", "今天召开全体会议")
    Speech.save_unit(
        speech.pk,
        "opening",
        texts={"opening": later},
        bases={"opening": exported_opening},
        version=None,
        user=drafter,
        label="开场白",
    )
    report = import_review(speech, docx, drafter)
    assert report.exact
    suggestion = Suggestion.objects.get()
    assert suggestion.base == exported_opening
    assert suggestion.proposed == exported_opening.replace("两个方面", "三个方面")
    suggestion.accept(drafter)
    assert stored(speech).opening == later.replace("两个方面", "三个方面")


@pytest.mark.django_db
def test_items_are_found_by_their_id_after_moves_and_a_deleted_one_is_listed(speech, drafter, wang):
    reviewer = Reviewer(export(speech))
    reviewer.replace(at(speech, "part_two.measures.0"), "第1项措施的正文", "首项措施的正文", *WANG)
    reviewer.replace(at(speech, "part_two.measures.1"), "第2项措施的正文", "次项措施的正文", *WANG)
    docx = reviewer.save()
    first, second = item(speech, "measure", 1), item(speech, "measure", 2)
    first.move_to(3)
    second.remove(drafter)
    report = import_review(speech, docx, drafter)
    assert [(s.anchor, s.proposed) for s in Suggestion.objects.all()] == [
        (first.anchor, "这是首项措施的正文。")
    ]
    (gone,) = report.not_placed
    assert gone.reason == "第二部分 措施二是 正文：这一处所在的条目已被删除"
    assert (gone.old, gone.new) == ("这是第2项措施的正文。", "这是次项措施的正文。")


@pytest.mark.django_db
def test_a_stored_version_exported_is_read_against_that_version(client, speech, drafter, wang):
    client.force_login(drafter)
    speech.take_action("submit", drafter, {workflow.DRAFTER}, "请审核")
    snapshot = speech.snapshots.get()
    speech.take_action("return", wang, {workflow.REVIEWER}, "再改改")
    Speech.objects.filter(pk=speech.pk).update(opening="完全改写过的开场白。")
    url = reverse("drafts:version-export-docx", args=[speech.pk, snapshot.pk])
    reviewer = Reviewer(client.get(url).content)
    reviewer.replace(at(speech, "closing"), "共同努力", "齐心协力", *WANG)
    import_review(speech, reviewer.save(), drafter)
    ((anchor, _, base, proposed, *_),) = suggestions()
    assert (anchor, base) == ("closing", snapshot.as_structure().closing)
    assert proposed == base.replace("共同努力", "齐心协力")


@pytest.mark.django_db
def test_without_an_origin_untracked_differences_are_not_taken_for_the_reviewers(
    speech, drafter, wang
):
    # A file from before origins were written: read against the speech as it is now.
    data = stored(speech)
    reviewer = Reviewer(render_docx(assemble(data), ExportOptions(author=data.organization)))
    reviewer.replace(at(speech, "opening"), "两个方面", "三个方面", *WANG)
    docx = reviewer.save(last_editor="王局长")
    # The drafter edited the closing since: the file's closing is the old one.
    Speech.objects.filter(pk=speech.pk).update(closing=data.closing.replace("全年", "年度"))
    report = import_review(speech, docx, drafter)
    assert not report.exact and "没有注明导出时的版本" in report.base
    assert [(s.anchor, s.author) for s in Suggestion.objects.all()] == [("opening", wang)]
    (closing,) = report.not_placed
    assert closing.reason == f"结束语：{UNTRACKED_UNKNOWN_BASE}"
    assert (closing.old, closing.new) == (data.closing.replace("全年", "年度"), data.closing)


@pytest.mark.django_db
def test_with_its_origin_an_edit_made_with_track_changes_off_is_the_last_editors(
    speech, drafter, wang
):
    reviewer = Reviewer(export(speech))
    reviewer.untracked(at(speech, "closing"), "共同努力", "齐心协力")
    report = import_review(speech, reviewer.save(last_editor="王局长"), drafter)
    suggestion = Suggestion.objects.get()
    assert (suggestion.anchor, suggestion.author) == ("closing", wang)
    assert report.suggestions[0].note == "未开启修订的改动，按文件的最后修改者“王局长”记录"


@pytest.mark.django_db
def test_a_reviewed_redline_gives_only_the_reviewers_changes_on_the_new_text(speech, drafter, wang):
    old = to_document(stored(speech))
    Speech.objects.filter(pk=speech.pk).update(opening="新写的开场白，讲两个方面。")
    new = stored(speech)
    options = ExportOptions(origin=origin_of(speech.pk, new))
    when = datetime.datetime(2026, 11, 30, 8, 0)
    docx = redline_docx(old, to_document(new), author="起草人", date=when, options=options)
    reviewer = Reviewer(docx)
    opening = next(n for n, text in enumerate(accepted(docx)) if text.startswith("新写的"))
    reviewer.insert_after(opening, "新写的开场白，", "简要", *WANG)
    reviewer.replace(at(speech, "closing"), "共同努力", "齐心协力", *WANG)
    report = import_review(speech, reviewer.save(), drafter)
    assert report.not_placed == []
    assert [(s.anchor, s.base, s.proposed, s.author) for s in Suggestion.objects.all()] == [
        ("opening", "新写的开场白，讲两个方面。", "新写的开场白，简要讲两个方面。", wang),
        ("closing", new.closing, new.closing.replace("共同努力", "齐心协力"), wang),
    ]


# --- The review fixtures (hand-written Word XML, LibreOffice's own conversion)


@pytest.fixture
def review_speech(drafter):
    import json

    base = json.loads((RESOURCES / "review_base.json").read_text(encoding="utf-8"))
    return make_speech(owner=drafter, data=from_document(base)), base


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["review_word.docx", "review_libreoffice.docx", "review_libreoffice_moves.docx"]
)
def test_the_review_fixtures_import_as_their_mapping_says(review_speech, drafter, wang, name):
    speech, base = review_speech
    docx = (RESOURCES / name).read_bytes()
    mapping = map_review(base, read_review(docx))
    report = import_review(speech, docx, drafter)
    # Exported before origins: read against the speech as it is, which is the base.
    assert not report.exact
    expected = [(f.label, f.proposed, f.authors[0]) for f in mapping.fields]
    got = [(r.label, r.text, r.author) for r in report.suggestions]
    assert [(label, author) for label, _, author in got] == [
        (label, "局长 王" if author == "王局长" else author) for label, _, author in expected
    ]
    assert [shown("opening/opening", t) for _, t, _ in got] == [
        shown("opening/opening", t) for _, t, _ in expected
    ]
    assert len(report.not_placed) == len(mapping.unplaced)
    assert Comment.objects.count() == len(mapping.comments)


# --- Names, twice, and the texts as stored


@pytest.mark.django_db
def test_a_name_two_users_share_is_kept_as_written(speech, drafter):
    for username in ("wang1", "wang2"):
        make_user(username, role="审核领导", first_name="局长", last_name="王")
    make_user("wang3", role="审核领导", first_name="局长", last_name="王", agency="别的局")
    reviewer = Reviewer(export(speech))
    reviewer.replace(at(speech, "closing"), "共同努力", "齐心协力", *WANG)
    report = import_review(speech, reviewer.save(), drafter)
    suggestion = Suggestion.objects.get()
    assert (suggestion.author, suggestion.author_name) == (None, "王局长")
    assert report.suggestions[0].note == "有多个用户名为“王局长”，按文件中的名字记录"


@pytest.mark.django_db
def test_a_user_of_another_agency_is_not_matched(speech, drafter):
    make_user("wangjz", role="审核领导", first_name="局长", last_name="王", agency="别的局")
    reviewer = Reviewer(export(speech))
    reviewer.replace(at(speech, "closing"), "共同努力", "齐心协力", *WANG)
    import_review(speech, reviewer.save(), drafter)
    assert Suggestion.objects.get().author_name == "王局长"


@pytest.mark.django_db
def test_importing_the_same_file_twice_records_everything_once(speech, drafter, wang, li):
    docx = reviewed(speech)
    import_review(speech, docx, drafter)
    before = (suggestions(), comments())
    again = import_review(speech, docx, drafter)
    assert (suggestions(), comments()) == before
    assert [r.note for r in again.comments] == [
        "已导入过，未重复记录；批注于“共同努力”",
        "已导入过，未重复记录",
        "已导入过，未重复记录；批注于“第1项成绩”",
    ]
    # The seven suggestions come back as they are in the speech: nothing is new.
    assert {r.note for r in again.suggestions} == {"已在系统中，未重复记录"}
    assert (
        again.summary()
        == "导入 0 条修改建议、0 条批注，另有 10 条已在系统中（未重复记录），2 处无法对应"
    )


@pytest.mark.parametrize(
    ("key", "base", "proposed", "stored"),
    [
        # What the export does not show of the base stays around the change.
        ("part_one.lessons.0/text", "坚持学习。", "坚持认真学习", "坚持认真学习。"),
        ("opening/opening", "甲。\n\n乙。", "甲。\n乙好。", "甲。\n\n乙好。"),
        (
            "header/title",
            "在年度工作\n会议上的讲话",
            "在全年工作会议上的讲话",
            "在全年工作\n会议上的讲话",
        ),
        # A change where the hidden part is: the proposal as read.
        ("part_one.lessons.0/text", "坚持学习。", "坚持学习好", "坚持学习好"),
    ],
)
def test_a_proposal_keeps_what_the_export_does_not_show(key, base, proposed, stored):
    assert stored_form(key, base, proposed) == stored
    assert shown(key, stored) == shown(key, proposed)


# --- Refusals: nothing is recorded


@pytest.mark.django_db
def test_an_approved_speech_takes_no_review(speech, drafter, wang):
    docx = reviewed(speech)
    speech.take_action("submit", drafter, {workflow.DRAFTER}, "请审核")
    speech.take_action("approve", wang, {workflow.REVIEWER}, "")
    with pytest.raises(ImportRefused, match="已审定") as refusal:
        import_review(speech, docx, drafter)
    assert refusal.value.message == APPROVED
    assert not Suggestion.objects.exists() and not Comment.objects.exists()


@pytest.mark.django_db
def test_a_file_exported_from_another_speech_is_refused(speech, drafter, wang):
    other = make_speech(owner=drafter)
    with pytest.raises(ImportRefused, match=f"另一篇讲话稿（编号 {other.pk}）"):
        import_review(speech, export(other), drafter)


def zipped(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


BAD_FILES = {
    "empty": (b"", "文件是空的"),
    "old Word": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504, "旧版 Word"),
    "text": ("同志们：今天开会。".encode(), "不是有效的 .docx"),
    "broken zip": (b"PK\x03\x04" + b"\0" * 64, "已损坏"),
    "zip without a document": (zipped({"word/other.xml": b"<x/>"}), "无法读取"),
    "not XML": (
        zipped(
            {
                "_rels/.rels": b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="r" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
                "word/document.xml": b"<w:document",
            }
        ),
        "无法读取",
    ),
    "entity expansion": (
        zipped(
            {
                "_rels/.rels": b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="r" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
                "word/document.xml": b'<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">]><d>&a;&a;</d>',
            }
        ),
        "无法读取",
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_a_bad_file_is_refused_with_a_message(speech, drafter, name):
    data, message = BAD_FILES[name]
    with pytest.raises(ImportRefused, match=message):
        import_review(speech, data, drafter)
    assert not Suggestion.objects.exists() and not Comment.objects.exists()


@pytest.mark.django_db
def test_the_budgets_refuse_a_large_file_and_large_parts(speech, drafter, wang):
    docx = reviewed(speech)
    small = replace(configured(), upload_bytes=len(docx) - 1)
    with pytest.raises(ImportRefused, match="文件超过上限"):
        import_review(speech, docx, drafter, budgets=small)
    tight = replace(configured(), docx_xml_bytes=2_000)
    with pytest.raises(ImportRefused, match="解压后超过上限"):
        import_review(speech, docx, drafter, budgets=tight)
    few = replace(configured(), docx_parts=5)
    with pytest.raises(ImportRefused, match="部件"):
        import_review(speech, docx, drafter, budgets=few)
    assert not Suggestion.objects.exists()


@pytest.mark.django_db
def test_a_comment_longer_than_a_comment_holds_is_listed_not_stored(speech, drafter, wang):
    reviewer = Reviewer(export(speech))
    reviewer.comment(at(speech, "closing"), "共同努力", "长" * 3000, *WANG)
    report = import_review(speech, reviewer.save(), drafter)
    assert not Comment.objects.exists()
    (listed,) = report.not_placed
    assert listed.comment and listed.new == "长" * 3000
    assert listed.reason.startswith("批注过长：最多 2000 字")


@pytest.mark.django_db
def test_a_speech_approved_meanwhile_is_refused_under_its_lock(speech, drafter, wang):
    docx = reviewed(speech)
    Speech.objects.filter(pk=speech.pk).update(status=Speech.Status.APPROVED)
    # The instance read before still says draft: the check under the lock refuses.
    with pytest.raises(ImportRefused, match="已审定"):
        import_review(speech, docx, drafter)
    assert not Suggestion.objects.exists()


@pytest.mark.django_db
def test_suggestions_wait_for_the_drafter_while_the_speech_is_submitted(speech, drafter, wang):
    speech.take_action("submit", drafter, {workflow.DRAFTER}, "请审核")
    reviewer = Reviewer(export(speech))
    reviewer.replace(at(speech, "closing"), "共同努力", "齐心协力", *WANG)
    import_review(speech, reviewer.save(), wang)
    suggestion = Suggestion.objects.get()
    with pytest.raises(PermissionDenied):
        suggestion.accept(drafter)


# --- LibreOffice opens the reviewed file and saves it again


@pytest.mark.render
@pytest.mark.skipif(not shutil.which("soffice"), reason="needs LibreOffice (soffice) on PATH")
@pytest.mark.django_db
def test_a_reviewed_file_saved_again_by_libreoffice_imports_the_same(
    tmp_path, speech, drafter, wang, li
):
    from tests.test_export_origin import libreoffice_docx

    docx = placeable(speech)
    (tmp_path / "reviewed.docx").write_bytes(docx)
    saved = libreoffice_docx(tmp_path, tmp_path / "reviewed.docx").read_bytes()
    report = import_review(speech, saved, drafter)
    assert report.exact and report.not_placed == []
    assert len(report.suggestions) == 10
    accept_all(speech, drafter)
    assert speech_paragraphs(speech) == word_accepted(docx)


# --- Any edits made inside the fields, the Word way


FIELDS = [
    "opening/opening",
    "part_one.heading/heading",
    "part_one.intro/intro",
    "part_one.achievements.0/lead",
    "part_one.achievements.1/body",
    "part_one.lessons_intro/lessons_intro",
    "part_one.lessons.2/text",
    "part_two.shortcomings.0/text",
    "part_two.transition/transition",
    "part_two.measures.1/lead",
    "part_two.measures.2/body",
    "closing/closing",
]


@st.composite
def edits(draw):
    """Edits strictly inside the texts of a few fields (never at a field's edge, where
    text typed belongs to either side), each by one of three people."""
    chosen = draw(st.lists(st.sampled_from(FIELDS), min_size=1, max_size=5, unique=True))
    result = []
    for key in chosen:
        start = draw(st.integers(1, 6))
        length = draw(st.integers(0, 4))
        new = draw(phrases(0, 2))
        if not length and not new:
            new = "补充"
        result.append((key, start, length, new, draw(st.sampled_from([WANG, ZHAO, LI]))))
    return result


def apply_edits(speech, chosen) -> bytes:
    data = stored(speech)
    texts = {f"{f.anchor}/{f.name}": f.text for f in text_fields(from_document(to_document(data)))}
    paragraphs = assemble(data)
    reviewer = Reviewer(export(speech))
    for key, start, length, new, person in chosen:
        visible = shown(key, texts[key])
        number = next(n for n, p in enumerate(paragraphs) if p.anchor == paragraph_of(key))
        paragraph = paragraphs[number].text
        offset = paragraph.find(visible) + min(start, len(visible) - 1)
        end = min(offset + length, paragraph.find(visible) + len(visible) - 1)
        passage = paragraph[offset:end]
        if passage:
            occurrence = _occurrence(paragraph, passage, offset)
            reviewer.replace(number, passage, new, *person, occurrence=occurrence)
        else:
            reviewer.insert_after(number, paragraph[:offset], new, *person)
    return reviewer.save()


def paragraph_of(key: str) -> str:
    """The anchor of the export's paragraph that shows the field ``key``."""
    anchor = key.partition("/")[0]
    if anchor.startswith(("part_one.lessons_intro", "part_one.lessons.")):
        return "part_one.lessons"
    if anchor.startswith(("part_two.shortcomings", "part_two.transition")):
        return "part_two.shortcomings"
    return anchor


def _occurrence(text: str, passage: str, offset: int) -> int:
    """Which occurrence of ``passage`` (counting as tracked_edits finds them) is at ``offset``."""
    count, at = 0, text.find(passage)
    while at != offset:
        count, at = count + 1, text.find(passage, at + 1)
    return count


@pytest.mark.django_db
def test_any_edits_inside_fields_become_suggestions_that_accepted_give_words_text(drafter):
    make_user("wangjz", role="审核领导", first_name="局长", last_name="王")
    make_user("李科长", role="起草人员")

    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
    @given(chosen=edits())
    def check(chosen):
        with undone():
            speech = make_speech(owner=drafter)
            docx = apply_edits(speech, chosen)
            report = import_review(speech, docx, drafter)
            assert report.not_placed == [], report.not_placed
            authors = {s.author_label for s in Suggestion.objects.filter(speech=speech)}
            assert authors <= {"局长 王", "赵主任", "李科长"}
            accept_all(speech, drafter)
            assert speech_paragraphs(speech) == word_accepted(docx)

    check()


@pytest.mark.django_db
def test_a_comment_on_words_the_field_does_not_hold_quotes_them_on_the_unit(speech, drafter):
    from drafts.review_import import record_comment

    comment, existed = record_comment(
        speech, "closing", "closing", text="这句是新加的吗？", passage="审阅时新加的话",
        start=3, end=10, author=drafter, author_name="", importer=drafter,
    )  # fmt: skip
    assert not existed and comment.passage is None
    assert comment.text == "针对“审阅时新加的话”：这句是新加的吗？"


# --- 下载修订稿 (the speech's open suggestions and comments in it) imported back


REASON = "补充责任落实的表述"


def review_download(speech) -> bytes:
    """下载修订稿 as the export page writes it (``?review=1``): the open suggestions as
    their authors' tracked changes, the open comments as Word comments."""
    from drafts.review_export import review_docx

    speech = Speech.objects.with_structure().get(pk=speech.pk)
    data = speech.as_structure()
    options = ExportOptions(author=data.organization, origin=origin_of(speech.pk, data))
    return review_docx(speech, options=options).content


def with_parts(docx: bytes, change) -> bytes:
    """``docx`` with ``change(name, root)`` run on each XML part it returns True for
    (the part written back), and the parts ``change`` returns None for left out."""
    from lxml import etree

    source = zipfile.ZipFile(io.BytesIO(docx))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for entry in source.infolist():
            data = source.read(entry.filename)
            if entry.filename.endswith(".xml"):
                root = etree.fromstring(data)
                done = change(entry.filename, root)
                if done is None:
                    continue
                if done:
                    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
            archive.writestr(entry, data)
    return buffer.getvalue()


def retyped(docx: bytes, author: str, old: str, new: str) -> bytes:
    """``author`` edits inside their own tracked insertion, as Word keeps it: the
    insertion simply holds the new words (deleting one's own insertion leaves no
    trace, typing in it extends it)."""
    W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

    def change(name, root):
        if name != "word/document.xml":
            return False
        for inserted in root.iter(W + "ins"):
            for text in inserted.iter(W + "t"):
                if inserted.get(W + "author") == author and old in (text.text or ""):
                    text.text = text.text.replace(old, new)
                    return True
        raise AssertionError(f"no insertion of {author} holds {old!r}")

    return with_parts(docx, change)


def inserted_after(docx: bytes, passage: str, new: str, author: str, date: str) -> bytes:
    """``new`` typed with 修订 on right after ``passage`` (the words of one plain run),
    as Word writes it: the run split, a w:ins of ``author`` between its halves."""
    from copy import deepcopy

    from lxml import etree

    W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

    def change(name, root):
        if name != "word/document.xml":
            return False
        for text in root.iter(W + "t"):
            run = text.getparent()
            if passage not in (text.text or "") or run.getparent().tag != W + "p":
                continue
            cut = text.text.index(passage) + len(passage)
            tail = deepcopy(run)
            text.text, tail.find(W + "t").text = text.text[:cut], text.text[cut:]
            for piece in (text, tail.find(W + "t")):
                piece.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            inserted = etree.Element(W + "ins", {W + "id": "900", W + "author": author,
                                                 W + "date": date})  # fmt: skip
            typed = deepcopy(run)
            typed.find(W + "t").text = new
            inserted.append(typed)
            run.addnext(inserted)
            inserted.addnext(tail)
            return True
        raise AssertionError(f"{passage!r} is in no plain run")

    return with_parts(docx, change)


def without_threads(docx: bytes) -> bytes:
    """``docx`` without commentsExtended.xml, the part that threads replies (what
    LibreOffice writes when it saves: every reply a comment of its own)."""
    return with_parts(docx, lambda name, root: None if "commentsExtended" in name else False)


@pytest.fixture
def under_review(speech, drafter, leader):
    """The leader's suggestion on 成绩（二）正文 with a reason, the drafter's answer to
    it; the leader's comment on the opening and the drafter's reply."""
    second = item(speech, "achievement", 2)
    suggestion = Suggestion.propose(
        speech.pk, second.anchor, "body", base=second.body,
        proposed=second.body.replace("共办理", "共督促办理"), user=leader, reason=REASON,
    )  # fmt: skip
    suggestion.replies.create(author=drafter, text="同意，稍后统一改。")
    thread = Comment.objects.create(
        speech=speech, anchor="opening", author=leader, text="开头再短些"
    )
    Comment.objects.create(
        speech=speech, anchor="opening", author=drafter, text="好的", parent=thread
    )
    return speech


def review_state(speech):
    return (
        [
            (s.pk, s.anchor, s.field, s.base, s.proposed, s.author_id, s.reason, s.source,
             s.status, s.created_at, [(r.author_id, r.text) for r in s.replies.all()])
            for s in Suggestion.objects.filter(speech=speech).order_by("pk")
        ],
        comments(),
    )  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("threads", ["word", "unthreaded"])
def test_the_review_download_imported_back_records_nothing_new(
    under_review, drafter, leader, threads
):
    docx = review_download(under_review)
    if threads == "unthreaded":
        docx = without_threads(docx)
    before = review_state(under_review)
    report = import_review(under_review, docx, drafter)
    # The suggestion keeps its reason, time, source and answer; no comment is added.
    assert review_state(under_review) == before
    assert [(r.kind, r.label, r.author, r.existed) for r in report.suggestions] == [
        ("修改建议", "第一部分 成绩（二） 正文", "leader1", True)
    ]
    assert report.suggestions[0].note == "已在系统中，未重复记录"
    assert sorted((r.author, r.text, r.existed) for r in report.comments) == sorted(
        [
            ("leader1", f"理由：{REASON}", True),
            ("drafter1", "同意，稍后统一改。", True),
            ("leader1", "开头再短些", True),
            ("drafter1", "好的", True),
        ]
    )
    assert report.summary() == "导入 0 条修改建议、0 条批注，另有 5 条已在系统中（未重复记录）"


@pytest.mark.django_db
@pytest.mark.parametrize(("reason_comment", "reason"), [("kept", REASON), ("rewritten", "")])
def test_a_leader_who_rewrites_their_suggestion_in_word_supersedes_it(
    under_review, drafter, leader, reason_comment, reason
):
    docx = retyped(review_download(under_review), "leader1", "督促", "督促检查")
    if reason_comment == "rewritten":
        W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

        def rewrite(name, root):
            if name != "word/comments.xml":
                return False
            for text in root.iter(W + "t"):
                text.text = (text.text or "").replace(REASON, "理由另议")
            return True

        docx = with_parts(docx, rewrite)
    second = item(under_review, "achievement", 2)
    report = import_review(under_review, docx, drafter)
    (suggestion,) = Suggestion.objects.open().filter(speech=under_review)
    assert (suggestion.author, suggestion.base, suggestion.proposed, suggestion.reason) == (
        leader,
        second.body,
        second.body.replace("共办理", "共督促检查办理"),
        reason,
    )
    assert [(r.author, r.text, r.existed) for r in report.suggestions] == [
        ("leader1", suggestion.proposed, False)
    ]
    new_comments = [r.text for r in report.comments if not r.existed]
    assert new_comments == ([] if reason else ["理由：理由另议"])
    assert report.summary().startswith(f"导入 1 条修改建议、{len(new_comments)} 条批注")


@pytest.mark.django_db
def test_another_persons_change_beside_an_open_suggestion_is_theirs_alone(
    under_review, drafter, leader, wang
):
    docx = review_download(under_review)
    # Words apart from the leader's (a change touching them changes their proposal too).
    docx = inserted_after(docx, "第2项成绩的", "主要", *WANG)
    second = item(under_review, "achievement", 2)
    before = Suggestion.objects.get()
    report = import_review(under_review, docx, drafter)
    leaders, wangs = Suggestion.objects.open().filter(speech=under_review).order_by("pk")
    assert (leaders.pk, leaders.reason, leaders.created_at) == (
        before.pk, REASON, before.created_at
    )  # fmt: skip
    # Made on the text the file showed: the leader's suggestion in it.
    assert (wangs.author, wangs.base, wangs.proposed) == (
        wang,
        before.proposed,
        before.proposed.replace("成绩的", "成绩的主要"),
    )
    assert [(r.author, r.existed) for r in report.suggestions] == [
        ("leader1", True),
        ("局长 王", False),
    ]
    assert report.summary().startswith("导入 1 条修改建议、0 条批注，另有 ")
    # Either may be accepted first: together they give what Word's 全部接受 shows.
    wangs.accept(drafter)
    leaders.accept(drafter)
    assert item(under_review, "achievement", 2).body == second.body.replace(
        "成绩的", "成绩的主要"
    ).replace("共办理", "共督促办理")
    assert speech_paragraphs(under_review) == word_accepted(docx)


@pytest.mark.django_db
def test_a_reply_out_of_its_thread_is_the_reply_already_there(under_review, drafter):
    from drafts.review_import import record_comment

    reply = Comment.objects.get(text="好的")
    comment, existed = record_comment(
        under_review, "opening", "opening", text="好的", passage="今天召开会议",
        start=0, end=6, author=drafter, author_name="", importer=drafter,
    )  # fmt: skip
    assert existed and comment == reply


@pytest.mark.render
@pytest.mark.skipif(not shutil.which("soffice"), reason="needs LibreOffice (soffice) on PATH")
@pytest.mark.django_db
def test_the_review_download_saved_again_by_libreoffice_records_nothing_new(
    tmp_path, under_review, drafter
):
    from tests.test_export_origin import libreoffice_docx

    (tmp_path / "review.docx").write_bytes(review_download(under_review))
    saved = libreoffice_docx(tmp_path, tmp_path / "review.docx").read_bytes()
    assert "word/commentsExtended.xml" not in zipfile.ZipFile(io.BytesIO(saved)).namelist()
    before = review_state(under_review)
    report = import_review(under_review, saved, drafter)
    assert review_state(under_review) == before
    assert all(r.existed for r in report.recorded) and len(report.recorded) == 5
    assert report.summary() == "导入 0 条修改建议、0 条批注，另有 5 条已在系统中（未重复记录）"


@pytest.mark.django_db
def test_a_suggestion_rejected_in_word_stays_open_and_the_other_is_there(
    under_review, drafter, second_leader
):
    second = item(under_review, "achievement", 2)
    Suggestion.propose(
        under_review.pk, second.anchor, "body", base=second.body,
        proposed=second.body.replace("X件", "X件以上"), user=second_leader,
    )  # fmt: skip
    W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

    def reject(name, root):
        if name != "word/document.xml":
            return False
        # 拒绝 on an insertion takes it out of the text.
        for inserted in list(root.iter(W + "ins")):
            if inserted.get(W + "author") == "副局长":
                inserted.getparent().remove(inserted)
        return True

    before = review_state(under_review)
    report = import_review(under_review, with_parts(review_download(under_review), reject), drafter)
    assert review_state(under_review) == before
    assert [(r.author, r.existed) for r in report.suggestions] == [("leader1", True)]
    assert report.not_placed == []


def test_accepting_the_exports_own_changes_keeps_the_names_of_the_styles():
    # A redline export reviewed in Chinese Word (领句 saved as a5): with the export's own
    # changes accepted, a change the lead's style places is placed as in the file.
    from drafts.structure import LeadItem, PartOne

    new = replace(REPEATED, part_one=PartOne(achievements=[LeadItem("巩固。台账。", "巩固")]))
    docx = redline_docx(to_document(REPEATED), to_document(new), author="王局长", date=WHEN)
    docx = rewritten(docx, localised_lead_style_id, localised_lead_style_id)
    kept = accept_changes_by(docx, "办公室", "2026-12-01T08:00:00Z", configured())
    mapping = map_review(to_document(REPEATED), read_review(kept))
    assert [(f.key, f.proposed) for f in mapping.fields] == [
        ("part_one.achievements.0/lead", "巩固。台账。")
    ]
