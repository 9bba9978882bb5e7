"""backup_speeches and restore_speeches: a full round trip, and refusals that write nothing."""

import datetime
import json
import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from drafts import review_export, workflow
from drafts.access import DRAFTER_GROUP, REVIEWER_GROUP
from drafts.models import Agency, Comment, Item, Revision, Speech, Suggestion, SuggestionReply
from tests.factories import make_speech, make_user

MOMENT = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def backup_documents(directory) -> list[dict]:
    """The backup files of ``directory`` parsed, in a stable order (ids change on restore)."""
    documents = [json.loads(path.read_text("utf-8")) for path in directory.glob("*.json")]
    return sorted(documents, key=lambda d: (d["unit"], d["speech"]["title"]))


def reviewed_speech(drafter, leader, title: str) -> Speech:
    """A speech that went through a whole round: comments, a reply, one resolved, edits."""
    speech = make_speech(owner=drafter, title=title)
    Speech.objects.filter(pk=speech.pk).update(pace=210, target_minutes=25)
    item = Item.objects.get(part__speech=speech, kind="achievement", position=2)
    Revision.objects.create(
        speech=speech,
        anchor=item.anchor,
        label="成绩（二）",
        fields={"body": "改过"},
        author=drafter,
    )
    drafter_roles, leader_roles = {workflow.DRAFTER}, {workflow.REVIEWER}
    speech.take_action("submit", drafter, drafter_roles, "请审核。")
    question = Comment.objects.create(
        speech=speech, anchor=item.anchor, author=leader, text="这里的数字要核实。"
    )
    Comment.objects.create(
        speech=speech, anchor=item.anchor, parent=question, author=drafter, text="已核实。"
    )
    Comment.objects.create(
        speech=speech, anchor=item.anchor, field="body", start=2, quote="第2项成绩",
        author=leader, text="这几个字要改。",
    )  # fmt: skip
    # On the opening, which the accepted suggestion below rewrites whole: its words go.
    Comment.objects.create(
        speech=speech, anchor="opening", field="opening", start=0, quote=speech.opening[:4],
        author=leader, text="开头这几个字。",
    )  # fmt: skip
    resolved = Comment.objects.create(
        speech=speech, anchor="part_one.heading", author=leader, text="标题再短一些。"
    )
    Comment.objects.filter(pk=resolved.pk).update(
        resolved_at=resolved.created_at, resolved_by=leader
    )
    wording = Suggestion.propose(
        speech.pk, "opening", "opening", base=speech.opening, proposed="开场白按建议改写。",
        user=leader, reason="更简洁",
    )  # fmt: skip
    SuggestionReply.objects.create(suggestion=wording, author=drafter, text="好的。")
    Suggestion.propose(
        speech.pk, item.anchor, "lead", base=item.lead, proposed="来自审阅稿的领句。",
        user=None, author_name="审阅稿中的名字", source="word",
    )  # fmt: skip
    speech.take_action("return", leader, leader_roles, "请按批注修改。")
    wording.accept(drafter)
    speech.take_action("submit", drafter, drafter_roles, "已修改。")
    speech.take_action("approve", leader, leader_roles, "", confirmed=True)
    return speech


@pytest.mark.django_db
def test_backup_restore_backup_gives_the_same_files_and_comments_stay_on_their_items(tmp_path):
    writer = make_user("writer_a", role=DRAFTER_GROUP, agency="甲局")
    chief = make_user("chief_a", role=REVIEWER_GROUP, agency="甲局")
    other_writer = make_user("writer_b", role=DRAFTER_GROUP, agency="乙局")
    other_chief = make_user("chief_b", role=REVIEWER_GROUP, agency="乙局")
    reviewed_speech(writer, chief, "甲局的讲话")
    reviewed_speech(other_writer, other_chief, "乙局的讲话")
    make_speech(owner=writer, title="甲局的草稿")
    first = tmp_path / "first"
    assert "已备份 3 篇" in run("backup_speeches", str(first))

    # An empty database as far as speeches go; unit 乙局 and its people are gone too.
    Speech.objects.all().delete()
    get_user_model().objects.filter(username__in=["writer_b", "chief_b"]).delete()
    Agency.objects.filter(name="乙局").delete()
    output = run("restore_speeches", str(first))
    assert "已恢复 3 篇讲话稿，共 2 个机构" in output
    assert "已新建停用账号：chief_b、writer_b" in output
    recreated = get_user_model().objects.get(username="writer_b")
    assert not recreated.is_active and not recreated.has_usable_password()
    assert recreated.membership.agency.name == "乙局"

    second = tmp_path / "second"
    run("backup_speeches", str(second))
    assert backup_documents(second) == backup_documents(first)
    assert sorted(p.read_bytes() for p in second.iterdir()) == sorted(
        p.read_bytes() for p in first.iterdir()
    )

    for speech in Speech.objects.filter(status=Speech.Status.APPROVED):
        question = speech.comments.get(text="这里的数字要核实。")
        item, _, _ = speech.unit_for(question.anchor)
        assert (item.kind, item.position) == ("achievement", 2)
        assert question.replies.get().text == "已核实。"
        on_words = speech.comments.get(text="这几个字要改。")
        assert (on_words.anchor, on_words.passage) == (question.anchor, ("body", 2, 7))
        gone = speech.comments.get(text="开头这几个字。")
        assert gone.passage is None and gone.passage_lost and gone.field == "opening"
        assert speech.comments.get(text="标题再短一些。").resolved_by.username.startswith("chief")
        assert [t.action for t in speech.transitions.all()] == [
            "submit",
            "return",
            "submit",
            "approve",
        ]
        suggestions = list(speech.suggestions.order_by("created_at"))
        assert [(s.anchor, s.status, s.source) for s in suggestions] == [
            ("opening", "accepted", "browser"),
            (question.anchor, "open", "word"),
        ]
        assert suggestions[0].author.username.startswith("chief")
        assert suggestions[0].decided_by.username.startswith("writer")
        assert (suggestions[1].author, suggestions[1].author_name) == (None, "审阅稿中的名字")
        assert suggestions[0].reason == "更简洁"
        assert [r.text for r in suggestions[0].replies.all()] == ["好的。"]
        assert speech.opening == "开场白按建议改写。"
        # The accepted suggestion's save still names it: the 修订稿 credits its author.
        (accepting,) = speech.revisions.filter(anchor="opening")
        assert accepting.suggestion == suggestions[0]
        assert accepting.author.username.startswith("writer")
        (save,) = [s for s in review_export.saves_since(speech, MOMENT) if s.anchor == "opening"]
        assert save.author.startswith("chief") and save.saved_by.startswith("writer")
        assert not speech.revisions.exclude(anchor="opening").filter(suggestion__isnull=False)
        assert speech.snapshots.count() == 4  # each submission, the return and the approval
        assert (speech.pace, speech.target_minutes) == (210, 25)


@pytest.mark.django_db
def test_restore_refuses_a_database_that_already_has_speeches(tmp_path, drafter):
    make_speech(owner=drafter)
    run("backup_speeches", str(tmp_path))
    with pytest.raises(CommandError, match="已有 1 篇讲话稿，不能恢复"):
        run("restore_speeches", str(tmp_path))
    assert Speech.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("这不是 JSON", "bad.json：不是有效的 JSON"),
        ('{"format": "speechdraft/1"}', "bad.json：“format” 应为 “speechdraft-backup/1”"),
    ],
)
def test_a_bad_file_is_refused_in_chinese_and_nothing_is_restored(
    tmp_path, drafter, content, message
):
    make_speech(owner=drafter)
    run("backup_speeches", str(tmp_path))
    Speech.objects.all().delete()
    (tmp_path / "bad.json").write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        run("restore_speeches", str(tmp_path))
    assert not Speech.objects.exists() and not Item.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("suggestion", "message"),
    [
        (5, "“revisions[0].suggestion” 指向第 5 条修改建议，但 “suggestions” 中只有 1 条"),
        ("0", "“revisions[0].suggestion” 应为整数"),
        (1.0, "“revisions[0].suggestion” 应为整数"),
    ],
)
def test_a_revision_naming_no_suggestion_of_the_file_is_refused_and_nothing_is_restored(
    tmp_path, drafter, leader, suggestion, message
):
    reviewed_speech(drafter, leader, "讲话")
    run("backup_speeches", str(tmp_path))
    Speech.objects.all().delete()
    (path,) = tmp_path.glob("*.json")
    document = json.loads(path.read_text("utf-8"))
    document["suggestions"] = document["suggestions"][:1]
    (accepting,) = [r for r in document["revisions"] if "suggestion" in r]
    document["revisions"] = [{**accepting, "suggestion": suggestion}]
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError, match=re.escape(message)):
        run("restore_speeches", str(tmp_path))
    assert not Speech.objects.exists() and not Revision.objects.exists()


@pytest.mark.django_db
def test_a_backup_from_before_revisions_named_suggestions_restores_them_unnamed(
    tmp_path, drafter, leader
):
    reviewed_speech(drafter, leader, "讲话")
    run("backup_speeches", str(tmp_path))
    Speech.objects.all().delete()
    (path,) = tmp_path.glob("*.json")
    document = json.loads(path.read_text("utf-8"))
    for revision in document["revisions"]:
        revision.pop("suggestion", None)
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    assert "已恢复 1 篇" in run("restore_speeches", str(tmp_path))
    assert Revision.objects.filter(anchor="opening").get().suggestion is None
    assert Suggestion.objects.filter(status="accepted").count() == 1


@pytest.mark.django_db
def test_backup_refuses_a_directory_that_already_holds_a_backup(tmp_path, drafter):
    make_speech(owner=drafter)
    run("backup_speeches", str(tmp_path))
    with pytest.raises(CommandError, match="已有 .json 文件"):
        run("backup_speeches", str(tmp_path))


@pytest.mark.django_db
def test_speeches_in_the_trash_are_left_out_of_a_backup(tmp_path, drafter):
    make_speech(owner=drafter, title="留下的讲话")
    make_speech(owner=drafter, title="删掉的讲话").move_to_trash(drafter)
    assert "已备份 1 篇讲话稿" in run("backup_speeches", str(tmp_path / "backup"))
    titles = [d["speech"]["title"] for d in backup_documents(tmp_path / "backup")]
    assert titles == ["留下的讲话"]
