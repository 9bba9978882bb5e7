"""Open suggestions marked on the assembled speech (the preview), without the database."""

import pytest

from drafts import marking
from drafts.assembly import LEAD, TEXT, assemble
from drafts.structure import InlineItem, LeadItem, PartOne, PartTwo, Speech


def speech(**overrides) -> Speech:
    fields = {
        "title": "在年度工作会议上的讲话",
        "opening": "今天开会，总结工作。\n下面讲两点。",
        "part_one": PartOne(
            heading="工作回顾",
            achievements=[LeadItem("学习抓得紧。", "全年组织学习十次。", id="a1")],
            lessons_intro="几点体会：",
            lessons=[InlineItem("必须坚持学习", id="l1"), InlineItem("必须狠抓落实", id="l2")],
        ),
        "part_two": PartTwo(heading="下步打算", measures=[LeadItem("要抓落实。", "", id="m1")]),
        "closing": "让我们共同努力。",
    }
    fields.update(overrides)
    return Speech(**fields)


def proposal(data: Speech, anchor: str, name: str, text: str):
    return assemble(marking.with_text(data, anchor, name, text))


def shown(row) -> tuple[str, str]:
    """A marked row as (text after, text before): what accepting and rejecting give."""
    after = "".join(m.text for m in row.marks if m.op != -1)
    before = "".join(m.text for m in row.marks if m.op != 1)
    return after, before


def marked_rows(result):
    return [row for row in result.rows if row.marks]


def test_one_suggestion_is_marked_where_it_changes_the_paragraph():
    data = speech()
    now = assemble(data)
    result = marking.mark(now, [("甲", proposal(data, "closing", "closing", "让我们一起努力。"))])
    (row,) = marked_rows(result)
    assert shown(row) == ("让我们一起努力。", "让我们共同努力。")
    assert {(m.op, m.text, m.by) for m in row.marks if m.op} == {
        (-1, "共同", "甲"),
        (1, "一起", "甲"),
    }
    assert result.marked == ["甲"]
    # Every other paragraph is as it was.
    assert [r.paragraph for r in result.rows] == now


def test_a_lesson_is_marked_inside_the_paragraph_that_joins_them():
    data = speech()
    result = marking.mark(
        assemble(data), [("甲", proposal(data, "item:l2", "body", "必须狠抓工作落实"))]
    )
    (row,) = marked_rows(result)
    assert shown(row) == (
        "几点体会：一是必须坚持学习。二是必须狠抓工作落实。",
        "几点体会：一是必须坚持学习。二是必须狠抓落实。",
    )


def test_marks_keep_the_role_of_their_run():
    data = speech()
    result = marking.mark(
        assemble(data), [("甲", proposal(data, "item:a1", "lead", "学习抓得很紧。"))]
    )
    (row,) = marked_rows(result)
    inserted = [m for m in row.marks if m.op == 1]
    assert [(m.text, m.role) for m in inserted] == [("很", LEAD)]
    assert row.marks[-1].role == TEXT  # the body after the lead


def test_suggestions_on_different_passages_are_all_marked():
    data = speech()
    first = proposal(data, "closing", "closing", "同志们，让我们共同努力。")
    second = proposal(data, "closing", "closing", "让我们共同努力奋斗。")
    result = marking.mark(assemble(data), [("甲", first), ("乙", second)])
    (row,) = marked_rows(result)
    assert result.marked == ["甲", "乙"]
    assert [(m.text, m.by) for m in row.marks if m.op == 1] == [("同志们，", "甲"), ("奋斗", "乙")]


def test_a_suggestion_overlapping_an_earlier_one_is_left_unmarked():
    data = speech()
    first = proposal(data, "closing", "closing", "让我们一起努力。")
    second = proposal(data, "closing", "closing", "让大家共同奋斗。")
    result = marking.mark(assemble(data), [("甲", first), ("乙", second)])
    assert result.marked == ["甲"]
    (row,) = marked_rows(result)
    assert {m.by for m in row.marks} == {None, "甲"}


def test_a_field_empty_now_gets_its_paragraph_as_an_insertion_in_its_place():
    data = speech(closing="")
    result = marking.mark(assemble(data), [("甲", proposal(data, "closing", "closing", "散会。"))])
    new = [row for row in result.rows if row.new]
    assert [shown(row) for row in new] == [("散会。", "")]
    assert result.rows[-1] is new[0]  # where the closing goes: last
    data = speech(opening="")
    result = marking.mark(assemble(data), [("甲", proposal(data, "opening", "opening", "开会。"))])
    anchors = [row.paragraph.anchor for row in result.rows]
    assert anchors.index("opening") == anchors.index("salutation") + 1


def test_emptying_a_field_deletes_its_paragraphs_and_a_new_line_shows():
    data = speech()
    result = marking.mark(assemble(data), [("甲", proposal(data, "closing", "closing", ""))])
    (row,) = marked_rows(result)
    assert shown(row) == ("", "让我们共同努力。")
    result = marking.mark(
        assemble(data),
        [("甲", proposal(data, "opening", "opening", "今天开会，总结工作。下面讲两点。"))],
    )
    rows = marked_rows(result)
    # Two paragraphs now, joined by the suggestion: the break is marked as deleted.
    assert len(rows) == 2 and (-1, marking.BREAK_MARK) in [(m.op, m.text) for m in rows[0].marks]


def test_filling_an_empty_item_renumbers_and_shows_the_numbers_changing():
    data = speech()
    data.part_one.achievements.insert(0, LeadItem(id="a0"))
    result = marking.mark(assemble(data), [("甲", proposal(data, "item:a0", "lead", "新增一条。"))])
    texts = [shown(row) for row in result.rows if row.marks or row.new]
    assert ("（一）新增一条。", "") in texts
    assert ("（二）学习抓得紧。全年组织学习十次。", "（一）学习抓得紧。全年组织学习十次。") in texts


def test_a_suggestion_that_reads_the_same_marks_nothing():
    data = speech()
    # The joiner replaces a lesson's own full stop: 。 or not, it reads the same.
    result = marking.mark(
        assemble(data), [("甲", proposal(data, "item:l1", "body", "必须坚持学习。"))]
    )
    assert result.marked == [] and marked_rows(result) == []


@pytest.mark.parametrize(
    ("anchor", "name", "read"),
    [
        ("header", "title", lambda s: s.title),
        ("opening", "opening", lambda s: s.opening),
        ("part_one.lessons_intro", "lessons_intro", lambda s: s.part_one.lessons_intro),
        ("part_two.heading", "heading", lambda s: s.part_two.heading),
        ("item:a1", "body", lambda s: s.part_one.achievements[0].body),
        ("item:l2", "body", lambda s: s.part_one.lessons[1].text),
    ],
)
def test_with_text_changes_one_field_of_a_copy(anchor, name, read):
    data = speech()
    changed = marking.with_text(data, anchor, name, "新文字")
    assert read(changed) == "新文字" and read(data) != "新文字"


def test_with_text_refuses_a_place_the_speech_has_not():
    with pytest.raises(KeyError):
        marking.with_text(speech(), "item:nope", "body", "甲")
    with pytest.raises(KeyError):
        marking.with_text(speech(), "part_one.nothing", "nothing", "甲")
