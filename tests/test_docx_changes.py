"""Two versions → a .docx with tracked changes (drafts/docx_changes.py).

Read with our own accept-all / reject-all reader (tests/tracked_views.py), never with
the exporter's data: accept all must give exactly the new version's paragraphs and
reject all exactly the old, for edits of every kind hypothesis makes up.
"""

import copy
import datetime
import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from drafts.assembly import assemble
from drafts.budgets import configured
from drafts.docx_changes import (
    Change,
    PassageComment,
    Version,
    align,
    apply_changes,
    changes_between,
    redline_docx,
)
from drafts.docx_export import ExportOptions, render_docx
from drafts.speech_json import from_document, to_document
from drafts.structure import InlineItem, LeadItem, PartOne, PartTwo, Speech
from tests.test_docx_schema import XSD_DIR, order_errors, parts, schema, without_extensions
from tests.tracked_views import W, accepted, document_root, rejected, revisions

WHEN = datetime.datetime(2026, 12, 1, 9, 30, tzinfo=datetime.UTC)
WORDS = (
    "巩固", "台账", "核查", "网格", "巡查", "整改", "清单", "考核", "联动", "闭环",
    "夯实", "基层", "队伍", "服务", "窗口", "数据", "共享", "规范", "XX", "“双报”",
)  # fmt: skip
PUNCTUATION = ("", "", "，", "、", "。")


def texts_of(speech: Speech) -> list[str]:
    """The paragraphs a reader sees, the title's line breaks (回行, and the ones the
    layout adds to balance a long title) read as nothing."""
    return [paragraph.text.replace("\n", "") for paragraph in assemble(speech)]


def flat(paragraphs: list[str]) -> list[str]:
    return [text.replace("\n", "") for text in paragraphs]


def same_paragraphs(read: list[str], expected: list[str]) -> bool:
    # A body keeps its last paragraph mark: a version with no paragraph reads as one empty.
    return read == expected or (expected == [] and read == [""])


@st.composite
def phrases(draw, low=1, high=6) -> str:
    words = draw(st.lists(st.sampled_from(WORDS), min_size=low, max_size=high))
    return "".join(word + draw(st.sampled_from(PUNCTUATION)) for word in words)


@st.composite
def texts(draw, paragraphs=2) -> str:
    pieces = draw(st.lists(phrases(), min_size=0, max_size=paragraphs))
    return "\n".join(pieces)


@st.composite
def speeches(draw) -> Speech:
    lead_items = st.builds(LeadItem, phrases(1, 3), texts())
    inline_items = st.builds(InlineItem, phrases(1, 4))
    return Speech(
        title=draw(phrases(1, 12)),
        speaker=draw(st.sampled_from(["", "局长 某某"])),
        date=draw(st.sampled_from([None, datetime.date(2026, 12, 1)])),
        salutation=draw(st.sampled_from(["同志们：", ""])),
        opening=draw(texts(3)),
        part_one=PartOne(
            heading=draw(phrases(0, 3)),
            intro=draw(texts()),
            achievements=draw(st.lists(lead_items, max_size=4)),
            lessons_intro=draw(st.sampled_from(["", "几点体会："])),
            lessons=draw(st.lists(inline_items, max_size=3)),
        ),
        part_two=PartTwo(
            heading=draw(phrases(0, 3)),
            shortcomings_intro=draw(st.sampled_from(["", "不足是："])),
            shortcomings=draw(st.lists(inline_items, max_size=3)),
            transition=draw(phrases(0, 3)),
            measures=draw(st.lists(lead_items, max_size=3)),
        ),
        closing=draw(texts()),
    )


TEXT_FIELDS = (
    "title", "opening", "closing", "part_one.heading", "part_one.intro",
    "part_two.heading", "part_two.transition",
)  # fmt: skip
LISTS = ("part_one.achievements", "part_one.lessons", "part_two.shortcomings", "part_two.measures")


def _owner(speech: Speech, path: str):
    *parents, name = path.split(".")
    owner = speech
    for parent in parents:
        owner = getattr(owner, parent)
    return owner, name


def _edit_text(draw, text: str) -> str:
    kind = draw(st.sampled_from(["insert", "delete", "replace", "paragraph", "clear"]))
    start = draw(st.integers(0, len(text)))
    end = draw(st.integers(start, len(text)))
    if kind == "insert":
        return text[:start] + draw(phrases(1, 3)) + text[start:]
    if kind == "delete":
        return text[:start] + text[end:]
    if kind == "replace":
        return text[:start] + draw(phrases(1, 2)) + text[end:]
    if kind == "paragraph":
        return text[:start] + "\n" + draw(phrases()) + "\n" + text[start:]
    return ""


@st.composite
def edited(draw, speech: Speech) -> Speech:
    """The speech after a few random edits: text changed, items moved, added, removed."""
    speech = copy.deepcopy(speech)
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["text", "text", "item text", "move", "add", "remove"]))
        if kind == "text":
            owner, name = _owner(speech, draw(st.sampled_from(TEXT_FIELDS)))
            setattr(owner, name, _edit_text(draw, getattr(owner, name)))
            continue
        owner, name = _owner(speech, draw(st.sampled_from(LISTS)))
        items = getattr(owner, name)
        lead = name in ("achievements", "measures")
        if kind == "add":
            item = (
                LeadItem(draw(phrases(1, 3)), draw(texts()))
                if lead
                else InlineItem(draw(phrases()))
            )
            items.insert(draw(st.integers(0, len(items))), item)
        elif not items:
            continue
        elif kind == "remove":
            items.pop(draw(st.integers(0, len(items) - 1)))
        elif kind == "move":
            item = items.pop(draw(st.integers(0, len(items) - 1)))
            items.insert(draw(st.integers(0, len(items))), item)
        else:
            item = items[draw(st.integers(0, len(items) - 1))]
            field = draw(st.sampled_from(["lead", "body"])) if lead else "text"
            setattr(item, field, _edit_text(draw, getattr(item, field)))
    return speech


def redline(old: Speech, new: Speech, **keywords) -> bytes:
    keywords.setdefault("author", "李处长")
    keywords.setdefault("date", WHEN)
    return redline_docx(to_document(old), to_document(new), **keywords)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_accept_all_gives_the_new_version_and_reject_all_the_old(data):
    old = data.draw(speeches())
    new = data.draw(edited(old))
    docx = redline(old, new)
    assert same_paragraphs(flat(accepted(docx)), texts_of(new))
    assert same_paragraphs(flat(rejected(docx)), texts_of(old))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_both_views_equal_the_plain_exports_line_breaks_included(data):
    old = data.draw(speeches())
    new = data.draw(edited(old))
    docx = redline(old, new)
    assert same_paragraphs(accepted(docx), accepted(render_docx(assemble(new))))
    assert same_paragraphs(rejected(docx), accepted(render_docx(assemble(old))))


SPEECH = Speech(
    title="在全区基层治理推进会上的讲话",
    speaker="局长 某某",
    opening="今天召开会议，主要是总结前段工作。\n下面我讲三点意见。",
    part_one=PartOne(
        heading="回顾前段工作",
        achievements=[
            LeadItem("网格巡查全面铺开", "全年巡查点位一千二百个。"),
            LeadItem("台账管理更加规范", "清单逐项销号。"),
        ],
        lessons_intro="几点体会：",
        lessons=[InlineItem("坚持问题导向"), InlineItem("坚持闭环管理")],
    ),
    part_two=PartTwo(
        heading="部署下步工作",
        shortcomings=[InlineItem("基层力量不足")],
        transition="对此要高度重视。",
        measures=[LeadItem("要夯实基层基础", "人员向一线倾斜。")],
    ),
    closing="同志们，任务艰巨，希望大家再接再厉。",
)


def edited_speech() -> Speech:
    new = copy.deepcopy(SPEECH)
    new.opening = "今天召开全体会议，主要是总结前段工作。\n下面我讲三点意见。"
    new.part_one.achievements[1].body = "清单逐项销号，按月通报。"
    new.part_one.achievements.insert(0, LeadItem("联动机制初步建立", "部门会商每月一次。"))
    new.part_two.measures.append(LeadItem("要强化考核", "考核结果与评优挂钩。"))
    new.closing = ""
    return new


def test_changes_are_word_sized_and_carry_author_date_and_unique_ids():
    docx = redline(SPEECH, edited_speech())
    marks = revisions(docx)
    assert marks
    for mark in marks:
        assert mark.get(W + "author") == "李处长"
        assert mark.get(W + "date") == "2026-12-01T09:30:00Z"
    ids = [element.get(W + "id") for element in document_root(docx).iter() if element.get(W + "id")]
    assert len(ids) == len(set(ids))
    inserted = [
        "".join(t.text for t in ins.iter(W + "t")) for ins in document_root(docx).iter(W + "ins")
    ]
    assert "全体" in inserted  # the two characters, not the whole opening again
    assert "，按月通报" in inserted


def inserted_texts(docx: bytes) -> list[str]:
    root = document_root(docx)
    return ["".join(t.text for t in ins.iter(W + "t")) for ins in root.iter(W + "ins")]


def deleted_texts(docx: bytes) -> list[str]:
    root = document_root(docx)
    return ["".join(t.text for t in d.iter(W + "delText")) for d in root.iter(W + "del")]


def test_a_list_paragraphs_changes_stay_inside_their_fields():
    # One diff of the whole paragraph would keep 网格巩固 and mark 。网格巩固。 around it,
    # pairing the shortcoming's words with the transition's: each field is diffed alone.
    old = Speech(part_two=PartTwo(shortcomings=[InlineItem("网格巩固")], transition="台账"))
    new = Speech(
        part_two=PartTwo(shortcomings=[InlineItem("巩固。网格巩固")], transition="巩固台账")
    )
    docx = redline(old, new)
    assert inserted_texts(docx) == ["巩固。", "巩固"]
    assert deleted_texts(docx) == []
    assert flat(accepted(docx)) == texts_of(new) and flat(rejected(docx)) == texts_of(old)


def test_a_lesson_removed_is_deleted_whole_and_the_next_renumbered():
    old = Speech(
        part_one=PartOne(
            lessons_intro="几点体会：",
            lessons=[
                InlineItem("台账要清", "l1"),
                InlineItem("底数要明", "l2"),
                InlineItem("责任要实", "l3"),
            ],
        )
    )
    new = copy.deepcopy(old)
    del new.part_one.lessons[1]
    # The items keep their ids (a stored speech's versions do): they pair by them.
    docx = redline_docx(old, new, author="李处长", date=WHEN)
    assert deleted_texts(docx) == ["二是底数要明。三"]
    assert inserted_texts(docx) == ["二"]
    assert flat(accepted(docx)) == texts_of(new) and flat(rejected(docx)) == texts_of(old)


def test_a_new_paragraph_is_inserted_whole_mark_included_and_a_removed_one_deleted():
    new = copy.deepcopy(SPEECH)
    new.part_two.measures.append(LeadItem("要强化考核", "考核结果与评优挂钩。"))
    new.opening = "今天召开会议，主要是总结前段工作。"
    docx = redline(SPEECH, new)
    body = document_root(docx).find(W + "body")
    by_text = {"".join(p.itertext()): p for p in body.iter(W + "p")}
    added = by_text["二是要强化考核。考核结果与评优挂钩。"]
    assert added.find(f"{W}pPr/{W}rPr/{W}ins") is not None
    assert all(run.getparent().tag == W + "ins" for run in added.iter(W + "r"))
    removed = by_text["下面我讲三点意见。"]
    assert removed.find(f"{W}pPr/{W}rPr/{W}del") is not None
    assert removed.find(f".//{W}delText") is not None and removed.find(f".//{W}t") is None


def test_at_the_end_the_body_keeps_its_last_mark_and_the_one_before_goes():
    new = copy.deepcopy(SPEECH)
    new.closing = ""
    docx = redline(SPEECH, new)
    paragraphs = list(document_root(docx).find(W + "body").iter(W + "p"))
    assert paragraphs[-1].find(f"{W}pPr/{W}rPr") is None
    assert paragraphs[-1].find(f".//{W}t") is None  # the closing, all of it deleted
    assert paragraphs[-2].find(f"{W}pPr/{W}rPr/{W}del") is not None
    assert flat(accepted(docx)) == texts_of(new)
    assert flat(rejected(docx)) == texts_of(SPEECH)


def test_a_moved_item_keeps_its_lead_bold_on_both_sides():
    new = copy.deepcopy(SPEECH)
    new.part_one.achievements.reverse()
    docx = redline(SPEECH, new)
    root = document_root(docx)
    lead_runs = [
        run
        for run in root.iter(W + "r")
        if run.find(f"{W}rPr/{W}rStyle") is not None and "台账管理" in "".join(run.itertext())
    ]
    sides = {run.getparent().tag for run in lead_runs}
    assert W + "p" in sides or {W + "ins", W + "del"} <= sides


def test_text_that_becomes_the_lead_carries_the_run_property_change():
    old = Speech(part_one=PartOne(achievements=[LeadItem("推进", "网格化管理。")]))
    new = Speech(part_one=PartOne(achievements=[LeadItem("推进网格化管理", "")]))
    docx = redline(old, new)
    changes = list(document_root(docx).iter(W + "rPrChange"))
    assert changes and all(c.get(W + "author") == "李处长" for c in changes)
    assert flat(accepted(docx)) == texts_of(new)
    assert flat(rejected(docx)) == texts_of(old)


def test_a_changed_paragraph_layout_carries_the_paragraph_property_change():
    # A date under the speaker: the blank line after the speaker moves under the date.
    old = Speech(speaker="局长 某某", opening="开场。")
    new = Speech(speaker="局长 某某", date=datetime.date(2026, 12, 1), opening="开场。")
    docx = redline(old, new)
    (change,) = document_root(docx).iter(W + "pPrChange")
    assert change.find(f"{W}pPr/{W}spacing").get(W + "after") == "579"
    assert change.getparent().find(W + "spacing") is None
    assert flat(accepted(docx)) == texts_of(new)
    assert flat(rejected(docx)) == texts_of(old)


def test_changes_given_per_person_are_written_by_their_authors():
    old = Speech(opening="今天召开会议，总结工作。")
    new = Speech(opening="今天上午召开会议，总结全年工作。")
    index = next(k for k, p in enumerate(assemble(old)) if p.anchor == "opening")
    text = assemble(old)[index].text
    changes = [
        Change(2, 2, "上午", "王局长", WHEN),
        Change(text.index("工作"), text.index("工作"), "全年", "赵主任", WHEN),
    ]
    assert apply_changes(text, changes) == assemble(new)[index].text
    docx = redline(old, new, changes={index: changes})
    authors = {
        ins.get(W + "author"): "".join(ins.itertext())
        for ins in document_root(docx).iter(W + "ins")
    }
    assert authors == {"王局长": "上午", "赵主任": "全年"}
    assert flat(accepted(docx)) == texts_of(new)


def test_changes_that_do_not_make_the_new_text_fall_back_to_the_diff():
    old, new = Speech(opening="今天开会。"), Speech(opening="明天开会。")
    index = [p.anchor for p in assemble(old)].index("opening")
    docx = redline(old, new, changes={index: [Change(0, 1, "后", "王局长", WHEN)]})
    assert {m.get(W + "author") for m in revisions(docx)} == {"李处长"}
    assert flat(accepted(docx)) == texts_of(new)


def test_changes_between_and_apply_changes_are_inverse():
    old, new = "加强基层网格巡查，做到台账清晰。", "加强网格巡查和考核，做到台账清晰、销号及时。"
    changes = changes_between(old, new, "甲", WHEN)
    assert len(changes) >= 2
    assert apply_changes(old, changes) == new


def test_past_the_compare_budget_a_changed_paragraph_is_replaced_whole():
    from dataclasses import replace

    old = Speech(opening="今天召开会议，总结工作。")
    new = Speech(opening="今天召开全体会议，总结工作。")
    docx = redline(old, new, budgets=replace(configured(), compare_chars=10))
    deleted = ["".join(d.itertext()) for d in document_root(docx).iter(W + "del")]
    assert "今天召开会议，总结工作。" in deleted
    assert flat(accepted(docx)) == texts_of(new)


def test_comments_anchor_their_passage_by_author_and_date():
    new = edited_speech()
    index = [p.anchor for p in assemble(new)].index("opening")
    comment = PassageComment(index, 4, 8, "会议名称请核实", "王局长", WHEN, "王")
    docx = redline(SPEECH, new, comments=[comment])
    root = document_root(docx)
    paragraph = next(root.iter(W + "commentRangeStart")).getparent()
    texts, inside = [], False
    for element in paragraph.iter():
        if element.tag == W + "commentRangeStart":
            inside = True
        elif element.tag == W + "commentRangeEnd":
            inside = False
        elif element.tag == W + "t" and inside:
            texts.append(element.text)
    assert "".join(texts) == assemble(new)[index].text[4:8]
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        comments = etree.fromstring(archive.read("word/comments.xml"))
    (made,) = comments.iter(W + "comment")
    assert made.get(W + "author") == "王局长" and made.get(W + "initials") == "王"
    assert made.get(W + "date").startswith("2026-12-01T09:30:00")
    assert "".join(made.itertext()) == "会议名称请核实"


def test_paragraphs_pair_by_source_then_text():
    old = assemble(SPEECH)
    new = assemble(edited_speech())
    rows = align(old, new)
    assert sorted(r.old for r in rows if r.old is not None) == list(range(len(old)))
    assert sorted(r.new for r in rows if r.new is not None) == list(range(len(new)))
    # The second achievement is the third now, its body edited: still one paragraph.
    shifted = next(i for i, p in enumerate(old) if p.text.startswith("（二）台账管理"))
    (row,) = [r for r in rows if r.old == shifted]
    assert new[row.new].text.startswith("（三）台账管理")


def test_the_redline_export_looks_like_the_plain_one():
    docx = redline(SPEECH, SPEECH, options=ExportOptions(author="市统计局"))
    plain = render_docx(assemble(SPEECH), ExportOptions(author="市统计局"))
    assert revisions(docx) == []
    assert etree.tostring(document_root(docx)) == etree.tostring(document_root(plain))


@pytest.mark.parametrize("document", [{}, {"format": "x"}])
def test_a_bad_document_is_refused_with_the_format_message(document):
    from drafts.speech_json import SpeechFormatError

    with pytest.raises(SpeechFormatError):
        redline_docx(document, to_document(SPEECH), author="甲", date=WHEN)


def test_from_document_roundtrip_of_the_fixture_speech():
    assert from_document(to_document(SPEECH)) == SPEECH


def schema_errors(docx: bytes) -> list[str]:
    errors = []
    for name, xml in parts(docx).items():
        if not (name.startswith("word/") and name.count("/") == 1 and name.endswith(".xml")):
            continue
        if name == "word/commentsExtended.xml":
            continue  # Microsoft's part, not ECMA-376's: see MS_DOCX_COMMENTS_EX
        root = without_extensions(xml)
        validator = schema("wml.xsd")
        if not validator.validate(root):
            errors.append(f"{name}: {validator.error_log.last_error}")
        errors += [f"{name}: {error}" for error in order_errors(etree.fromstring(xml))]
    return errors


@pytest.mark.skipif(not (XSD_DIR / "wml.xsd").is_file(), reason="OOXML schemas not found")
def test_every_part_validates_and_keeps_the_canonical_order():
    new = edited_speech()
    new.part_one.achievements[1].lead = "台账管理更加规范有序"
    index = [p.anchor for p in assemble(new)].index("opening")
    comments = [PassageComment(index, 0, 4, "请核实", "王局长", WHEN, "王")]
    docx = redline(SPEECH, new, comments=comments, options=ExportOptions(author="市统计局"))
    names = parts(docx)
    assert "word/comments.xml" in names
    assert schema_errors(docx) == []
    # The lead that became body text and the role change of a paragraph are in it too.
    old = Speech(speaker="某某", part_one=PartOne(achievements=[LeadItem("推进", "网格化管理。")]))
    new = Speech(
        speaker="某某",
        date=datetime.date(2026, 12, 1),
        part_one=PartOne(achievements=[LeadItem("推进网格化管理", "")]),
    )
    docx = redline(old, new)
    assert list(document_root(docx).iter(W + "rPrChange"))
    assert list(document_root(docx).iter(W + "pPrChange"))  # the speaker's space moves to the date
    assert schema_errors(docx) == []


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
@pytest.mark.skipif(not (XSD_DIR / "wml.xsd").is_file(), reason="OOXML schemas not found")
def test_generated_redlines_validate(data):
    old = data.draw(speeches())
    docx = redline(old, data.draw(edited(old)))
    assert schema_errors(docx) == []


# --- Later versions on top of the new one (open suggestions, issue 14)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_later_versions_accept_to_the_last_and_reject_to_the_first(data):
    old = data.draw(speeches())
    chain = [data.draw(edited(old))]
    for _ in range(data.draw(st.integers(1, 3))):
        chain.append(data.draw(edited(chain[-1])))
    # Some versions before the new one (saves by their people), the rest after it.
    cut = data.draw(st.integers(0, len(chain) - 1))
    versions = [Version(speech, f"第{k}人", WHEN) for k, speech in enumerate(chain)]
    new, between, then = chain[cut], versions[:cut], versions[cut + 1 :]
    docx = redline(old, new, between=between, then=then)
    assert same_paragraphs(flat(accepted(docx)), texts_of(chain[-1]))
    assert same_paragraphs(flat(rejected(docx)), texts_of(old))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
@pytest.mark.skipif(not (XSD_DIR / "wml.xsd").is_file(), reason="OOXML schemas not found")
def test_generated_later_versions_validate(data):
    old = data.draw(speeches())
    new = data.draw(edited(old))
    then = [Version(data.draw(edited(new)), "建议人", WHEN, note="理由")]
    docx = redline(old, new, then=then)
    assert schema_errors(docx) == []


def opening_index(speech: Speech) -> int:
    return [p.anchor for p in assemble(speech)].index("opening")


def test_each_later_version_is_written_by_its_author():
    old = Speech(opening="今天召开会议，总结工作。")
    new = Speech(opening="今天上午召开会议，总结工作。")
    first = Speech(opening="今天上午召开全体会议，总结工作。")
    second = Speech(opening="今天召开全体会议，总结全年工作。")
    then = [Version(first, "王局长", WHEN), Version(second, "赵主任", WHEN)]
    docx = redline(old, new, then=then)
    inserted = {
        "".join(t.text for t in ins.iter(W + "t")): ins.get(W + "author")
        for ins in document_root(docx).iter(W + "ins")
        if ins.find(W + "del") is None
    }
    assert inserted == {"全体": "王局长", "全年": "赵主任"}
    # What the new version inserted and the second suggestion takes out: a deletion
    # inside the insertion, each by its own author.
    undone = [i for i in document_root(docx).iter(W + "ins") if i.find(W + "del") is not None]
    (undone,) = undone
    assert undone.get(W + "author") == "李处长"
    assert undone.find(W + "del").get(W + "author") == "赵主任"
    assert "".join(undone.itertext()) == "上午"
    assert flat(accepted(docx)) == texts_of(second)
    assert flat(rejected(docx)) == texts_of(old)


def test_a_later_version_that_removes_the_last_paragraph_moves_the_mark_by_its_author():
    new = Speech(opening="开场。", closing="结束。")
    later = Speech(opening="开场。")
    docx = redline(new, new, then=[Version(later, "王局长", WHEN)])
    paragraphs = list(document_root(docx).find(W + "body").iter(W + "p"))
    mark = paragraphs[-2].find(f"{W}pPr/{W}rPr/{W}del")
    assert mark is not None and mark.get(W + "author") == "王局长"
    assert flat(accepted(docx)) == texts_of(later)
    assert flat(rejected(docx)) == texts_of(new)


def comment_texts(docx: bytes) -> dict[str, tuple[str, str]]:
    """Word id → (author, text) of every comment."""
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        root = etree.fromstring(archive.read("word/comments.xml"))
    return {
        c.get(W + "id"): (c.get(W + "author"), "".join(c.itertext()))
        for c in root.iter(W + "comment")
    }


def commented_text(docx: bytes, comment_id: str) -> str:
    """The body's text inside one comment's range, as accepting all reads it."""
    inside, texts = False, []
    for element in document_root(docx).iter():
        if element.tag == W + "commentRangeStart" and element.get(W + "id") == comment_id:
            inside = True
        elif element.tag == W + "commentRangeEnd" and element.get(W + "id") == comment_id:
            inside = False
        elif inside and element.tag == W + "t":
            texts.append(element.text)
    return "".join(texts)


def test_versions_between_are_each_by_their_author_and_comments_count_the_new_one():
    old = Speech(opening="今天召开会议，总结工作。")
    saved = Speech(opening="今天上午召开会议，总结工作。")
    new = Speech(opening="今天上午召开会议，总结全年工作。")
    comment = PassageComment(opening_index(new), 0, 4, "请核实", "王局长", WHEN)
    docx = redline(old, new, between=[Version(saved, "赵主任", WHEN)], comments=[comment])
    inserted = {
        "".join(t.text for t in ins.iter(W + "t")): ins.get(W + "author")
        for ins in document_root(docx).iter(W + "ins")
    }
    assert inserted == {"上午": "赵主任", "全年": "李处长"}
    (comment_id,) = comment_texts(docx)
    assert commented_text(docx, comment_id) == "今天上午"
    assert flat(accepted(docx)) == texts_of(new)
    assert flat(rejected(docx)) == texts_of(old)


def test_a_later_versions_note_is_a_comment_by_its_author_on_its_changes():
    new = Speech(opening="今天召开会议，总结工作。")
    later = Speech(opening="今天召开会议，认真总结工作。")
    docx = redline(new, new, then=[Version(later, "王局长", WHEN, note="理由：语气更重")])
    ((comment_id, (author, text)),) = comment_texts(docx).items()
    assert (author, text) == ("王局长", "理由：语气更重")
    assert commented_text(docx, comment_id) == "认真"


def test_replies_are_word_replies_read_back_as_answers():
    from drafts.docx_changes import CommentReply
    from drafts.word_review import read_review

    index = opening_index(SPEECH)
    replies = (CommentReply("已核实", "赵主任", WHEN, "赵"), CommentReply("好", "王局长", WHEN))
    comment = PassageComment(index, 0, 4, "请核实", "王局长", WHEN, "王", replies)
    docx = redline(SPEECH, SPEECH, comments=[comment])
    texts = comment_texts(docx)
    assert sorted(texts.values()) == sorted(
        [("王局长", "请核实"), ("赵主任", "已核实"), ("王局长", "好")]
    )
    for comment_id in texts:
        assert commented_text(docx, comment_id) == assemble(SPEECH)[index].text[:4]
    review = read_review(docx)
    by_text = {c.text: c for c in review.comments}
    assert by_text["请核实"].parent is None
    assert by_text["已核实"].parent == by_text["请核实"].id
    assert by_text["好"].parent == by_text["请核实"].id


MS_DOCX_COMMENTS_EX = """<?xml version="1.0"?>
<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema"
    xmlns="http://schemas.microsoft.com/office/word/2012/wordml"
    targetNamespace="http://schemas.microsoft.com/office/word/2012/wordml"
    elementFormDefault="qualified" attributeFormDefault="qualified">
  <!-- [MS-DOCX] 2.6.1 commentsEx, 2.6.3 CT_CommentsEx, 2.6.2 CT_CommentEx; ST_LongHexNumber
       and ST_OnOff as in wml.xsd. -->
  <xsd:simpleType name="ST_LongHexNumber">
    <xsd:restriction base="xsd:hexBinary"><xsd:length value="4"/></xsd:restriction>
  </xsd:simpleType>
  <xsd:simpleType name="ST_OnOff">
    <xsd:restriction base="xsd:string">
      <xsd:enumeration value="true"/><xsd:enumeration value="false"/>
      <xsd:enumeration value="on"/><xsd:enumeration value="off"/>
      <xsd:enumeration value="0"/><xsd:enumeration value="1"/>
    </xsd:restriction>
  </xsd:simpleType>
  <xsd:complexType name="CT_CommentEx">
    <xsd:attribute name="paraId" type="ST_LongHexNumber" use="required"/>
    <xsd:attribute name="paraIdParent" type="ST_LongHexNumber" use="optional"/>
    <xsd:attribute name="done" type="ST_OnOff" use="optional"/>
  </xsd:complexType>
  <xsd:complexType name="CT_CommentsEx">
    <xsd:sequence>
      <xsd:element name="commentEx" type="CT_CommentEx" minOccurs="0" maxOccurs="unbounded"/>
    </xsd:sequence>
  </xsd:complexType>
  <xsd:element name="commentsEx" type="CT_CommentsEx"/>
</xsd:schema>
"""


@pytest.mark.skipif(not (XSD_DIR / "wml.xsd").is_file(), reason="OOXML schemas not found")
def test_comments_with_replies_and_notes_validate():
    from drafts.docx_changes import CommentReply

    later = copy.deepcopy(SPEECH)
    later.opening = later.opening.replace("总结", "认真总结")
    index = opening_index(SPEECH)
    comment = PassageComment(
        index, 0, 4, "请核实", "王局长", WHEN, "王", (CommentReply("已核实", "赵主任", WHEN),)
    )
    then = [Version(later, "王局长", WHEN, "理由", (CommentReply("同意", "赵主任", WHEN),))]
    docx = redline(SPEECH, SPEECH, then=then, comments=[comment])
    names = parts(docx)
    assert {"word/comments.xml", "word/commentsExtended.xml"} <= set(names)
    assert schema_errors(docx) == []
    extended = etree.fromstring(names["word/commentsExtended.xml"])
    # Markup Compatibility processing drops mc:Ignorable before a schema is applied.
    extended.attrib.pop("{http://schemas.openxmlformats.org/markup-compatibility/2006}Ignorable")
    validator = etree.XMLSchema(etree.fromstring(MS_DOCX_COMMENTS_EX.encode()))
    assert validator.validate(extended), str(validator.error_log.last_error)
    assert len(extended) == 4  # two threads of two
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        types = archive.read("[Content_Types].xml").decode()
        relations = archive.read("word/_rels/document.xml.rels").decode()
    assert "commentsExtended+xml" in types and "commentsExtended.xml" in relations
