"""The backup format ``speechdraft-backup/1`` as plain data: no database."""

import datetime
import json
import re

import pytest

from drafts import backup
from drafts.structure import InlineItem, LeadItem, PartOne, PartTwo, Speech

MOMENT = datetime.datetime(2026, 3, 2, 9, 30, 15, 123456, tzinfo=datetime.UTC)
IDS = [f"00000000-0000-4000-8000-00000000000{n}" for n in range(1, 5)]


def sample_backup() -> backup.SpeechBackup:
    speech = Speech(
        title="在备份测试会议上的讲话",
        part_one=PartOne(
            achievements=[LeadItem("领句一。", "正文一。", IDS[0])],
            lessons=[InlineItem("体会一", IDS[1])],
        ),
        part_two=PartTwo(
            shortcomings=[InlineItem("不足一", IDS[2])], measures=[LeadItem("措施。", "", IDS[3])]
        ),
    )
    return backup.SpeechBackup(
        speech=speech,
        agency="备份局",
        owner="writer",
        updated_by="writer",
        status="returned",
        pace=200,
        target_minutes=30,
        created_at=MOMENT,
        updated_at=MOMENT + datetime.timedelta(hours=1),
        comments=[
            backup.CommentRecord(
                anchor=f"item:{IDS[0]}",
                author="chief",
                text="这一条要补数字。",
                created_at=MOMENT,
                resolved_at=MOMENT + datetime.timedelta(minutes=5),
                resolved_by="chief",
                replies=[backup.CommentRecord(f"item:{IDS[0]}", "writer", "已补。", MOMENT)],
            ),
            backup.CommentRecord(
                anchor=f"item:{IDS[0]}",
                author="chief",
                text="“正文”二字不要。",
                created_at=MOMENT,
                field="body",
                start=0,
                quote="正文",
            ),
            backup.CommentRecord(
                anchor="opening",
                author="chief",
                text="这句删了就算了。",
                created_at=MOMENT,
                field="opening",
                quote="一句被删的话",
                passage_lost=True,
            ),
        ],
        timeline=[
            backup.TransitionRecord("submit", "draft", "submitted", "writer", "请审核", MOMENT, []),
            backup.TransitionRecord("return", "submitted", "returned", "chief", "再改改", MOMENT),
        ],
        revisions=[
            backup.RevisionRecord("opening", "开场白", {"opening": "新的"}, "writer", MOMENT),
            backup.RevisionRecord(
                f"item:{IDS[0]}", "成绩一", {"body": "正文一，有数字。"}, "writer", MOMENT, 2
            ),
        ],
        suggestions=[
            backup.SuggestionRecord(
                anchor=f"item:{IDS[3]}",
                field="lead",
                label="第二部分 措施一是 领句",
                author="chief",
                base="措施。",
                proposed="措施要具体。",
                created_at=MOMENT,
                status="rejected",
                reason="太笼统",
                decided_by="writer",
                decided_at=MOMENT + datetime.timedelta(minutes=9),
                replies=[backup.ReplyRecord("writer", "原文已够。", MOMENT)],
            ),
            backup.SuggestionRecord(
                anchor="opening",
                field="opening",
                label="开场白",
                author=None,
                author_name="审阅稿里的名字",
                base="",
                proposed="新加的开场白。",
                created_at=MOMENT,
                source="word",
            ),
            backup.SuggestionRecord(
                anchor=f"item:{IDS[0]}",
                field="body",
                label="成绩一 正文",
                author="chief",
                base="正文一。",
                proposed="正文一，有数字。",
                created_at=MOMENT,
                status="accepted",
                decided_by="writer",
                decided_at=MOMENT + datetime.timedelta(minutes=3),
            ),
        ],
    )


def test_a_backup_reads_back_to_the_same_data_with_item_ids():
    original = sample_backup()
    again = backup.loads(backup.dumps(original))
    assert again == original
    assert again.speech.part_two.measures[0].id == IDS[3]


def test_the_speech_inside_is_the_foundations_document():
    document = json.loads(backup.dumps(sample_backup()))
    assert document["format"] == "speechdraft-backup/1"
    assert document["speech"]["format"] == "speechdraft/1"
    assert document["item_ids"]["lessons"] == [IDS[1]]
    assert "id" not in document["speech"]["part_one"]["achievements"][0]


def test_usernames_lists_everyone_the_backup_names():
    assert backup.usernames(sample_backup()) == {"writer", "chief"}


def test_a_file_from_before_suggestions_still_reads():
    document = backup.to_document(sample_backup())
    del document["suggestions"]
    del document["revisions"][1]["suggestion"]  # no suggestions, none accepted
    assert backup.from_document(document).suggestions == []


def test_a_revision_names_the_suggestion_it_accepted_by_its_place_and_one_typed_has_none():
    typed, accepted = backup.to_document(sample_backup())["revisions"]
    assert "suggestion" not in typed and accepted["suggestion"] == 2


def test_a_file_from_before_accepted_suggestions_were_named_still_reads():
    document = backup.to_document(sample_backup())
    for revision in document["revisions"]:
        revision.pop("suggestion", None)
    assert [r.suggestion for r in backup.from_document(document).revisions] == [None, None]


def test_a_revision_s_suggestion_may_be_null():
    document = broken(lambda d: d["revisions"][1].update(suggestion=None))
    assert backup.from_document(document).revisions[1].suggestion is None


def test_a_comment_on_a_passage_keeps_it_and_one_on_a_whole_unit_has_none():
    document = backup.to_document(sample_backup())
    whole, on_words, lost = document["comments"]
    assert "passage" not in whole and "passage" not in whole["replies"][0]
    assert on_words["passage"] == {"field": "body", "start": 0, "quote": "正文", "lost": False}
    assert lost["passage"] == {
        "field": "opening",
        "start": None,
        "quote": "一句被删的话",
        "lost": True,
    }


def test_a_file_from_before_passages_still_reads():
    document = backup.to_document(sample_backup())
    for comment in document["comments"]:
        comment.pop("passage", None)
    comments = backup.from_document(document).comments
    assert [(c.field, c.start, c.quote, c.passage_lost) for c in comments] == [
        ("", None, "", False)
    ] * 3


def broken(change) -> dict:
    document = backup.to_document(sample_backup())
    change(document)
    return document


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ([], "文件内容 应为 JSON 对象"),
        ({"format": "speechdraft/1"}, "应为 “speechdraft-backup/1”，实际为 “speechdraft/1”"),
        (broken(lambda d: d.pop("timeline")), "缺少字段 “timeline”"),
        (broken(lambda d: d.update(extra=1)), "不认识的字段 “extra”"),
        (broken(lambda d: d.update(status="lost")), "不认识的状态 “lost”"),
        (broken(lambda d: d.update(pace="fast")), "“pace” 应为整数"),
        (broken(lambda d: d.update(created_at="2026-03-02")), "带时区的 ISO 8601"),
        (
            broken(lambda d: d["item_ids"]["lessons"].append(IDS[0])),
            "有 2 个编号，讲话稿中却有 1 条",
        ),
        (broken(lambda d: d["item_ids"].update(lessons=["xyz"])), "“item_ids.lessons[0]” 不是有效"),
        (broken(lambda d: d["item_ids"].update(lessons=[IDS[0]])), "出现了不止一次"),
        (broken(lambda d: d["speech"].update(format="x")), "“speech” 有误"),
        (broken(lambda d: d["timeline"][0].update(action="burn")), "不认识的操作 “burn”"),
        (broken(lambda d: d["timeline"][0].update(snapshot="x")), "snapshot” 应为对象的列表"),
        (
            broken(lambda d: d["comments"][0]["replies"][0]["replies"].append({})),
            "回复下不能再有回复",
        ),
        (broken(lambda d: d["comments"][1]["passage"].pop("quote")), "“comments[1].passage.quote”"),
        (
            broken(lambda d: d["comments"][1]["passage"].update(start=-1)),
            "passage.start” 应为 0 到",
        ),
        (
            broken(lambda d: d["comments"][1]["passage"].update(start="1")),
            "passage.start” 应为整数",
        ),
        (broken(lambda d: d["comments"][1]["passage"].update(lost="no")), "应为 true 或 false"),
        (broken(lambda d: d["comments"][1]["passage"].update(field="")), "应为 1 到 40 个字符"),
        (
            broken(lambda d: d["comments"][1].update(passage=[])),
            "“comments[1].passage” 应为 JSON 对象",
        ),
        (broken(lambda d: d["suggestions"][0].update(status="lost")), "不认识的建议状态"),
        (broken(lambda d: d["suggestions"][1].update(source="fax")), "不认识的建议来源"),
        (broken(lambda d: d["suggestions"][0]["replies"][0].pop("text")), "replies[0].text"),
        (
            broken(lambda d: d["revisions"][0].update(fields=[])),
            "“revisions[0].fields” 应为 JSON 对象",
        ),
        (
            broken(lambda d: d["revisions"][1].update(suggestion="2")),
            "“revisions[1].suggestion” 应为整数",
        ),
        (
            broken(lambda d: d["revisions"][1].update(suggestion=True)),
            "“revisions[1].suggestion” 应为整数",
        ),
        (
            broken(lambda d: d["revisions"][1].update(suggestion=3)),
            "指向第 3 条修改建议，但 “suggestions” 中只有 3 条",
        ),
        (
            broken(lambda d: d["revisions"][1].update(suggestion=-1)),
            "指向第 -1 条修改建议",
        ),
        (
            broken(lambda d: d.pop("suggestions")),
            "“revisions[1].suggestion” 指向第 2 条修改建议，但 “suggestions” 中只有 0 条",
        ),
        (
            broken(lambda d: d["revisions"][1].update(suggestion=0)),
            "“suggestions[0]” 未被接受（状态为 “rejected”）",
        ),
        (
            broken(lambda d: d["suggestions"][2].update(anchor="opening")),
            "在 “opening”，不在这条修改记录的位置",
        ),
    ],
)
def test_a_faulty_document_is_refused_with_a_message_naming_the_fault(document, message):
    with pytest.raises(backup.BackupFormatError, match=re.escape(message)):
        backup.from_document(document)


def test_text_that_is_not_json_is_refused_with_where_it_broke():
    with pytest.raises(backup.BackupFormatError, match="不是有效的 JSON（第 1 行"):
        backup.loads("{not json")
