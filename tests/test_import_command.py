"""`import_speech` with text and Word files: findings printed, the id on the last line."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from drafts.models import Comment, Speech, Suggestion
from tests.factories import make_user

RESOURCES = Path(__file__).parent / "resources"


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue().splitlines()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "summary"),
    [
        ("speech_farmland_gb18030.txt", "已导入：成绩 12 条，启示 4 条，不足 4 条，措施 4 条。"),
        (
            "speech_emergency_libreoffice.docx",
            "已导入：成绩 5 条，启示 3 条，不足 3 条，措施 3 条。",
        ),
    ],
)
def test_a_text_or_word_file_is_imported_and_its_id_printed_last(drafter, name, summary):
    lines = run("import_speech", str(RESOURCES / name), "--owner", drafter.username)
    speech = Speech.objects.get(pk=int(lines[-1]))
    assert lines[-2] == summary
    assert speech.owner == drafter
    assert speech.title.endswith("上的讲话")


@pytest.mark.django_db
def test_findings_are_printed_before_the_id(tmp_path, drafter):
    path = tmp_path / "gap.txt"
    text = (RESOURCES / "speech_farmland.txt").read_text(encoding="utf-8")
    path.write_text(text.replace("（三）工程质量", "（四）工程质量"), encoding="utf-8")
    lines = run("import_speech", str(path), "--owner", drafter.username)
    assert any(line.startswith("提示：第9段：成绩编号不连续") for line in lines)
    assert Speech.objects.filter(pk=int(lines[-1])).exists()


@pytest.mark.django_db
def test_an_old_word_file_is_refused_and_nothing_is_written(tmp_path, drafter):
    path = tmp_path / "old.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    with pytest.raises(CommandError, match="另存为"):
        run("import_speech", str(path), "--owner", drafter.username)
    assert not Speech.objects.exists()


@pytest.mark.django_db
def test_a_heading_too_long_to_store_is_refused_and_nothing_is_written(tmp_path, drafter):
    path = tmp_path / "long.txt"
    text = (RESOURCES / "speech_farmland.txt").read_text(encoding="utf-8")
    path.write_text(
        text.replace("二、正视差距补短板", "二、" + "很长的标题" * 50), encoding="utf-8"
    )
    with pytest.raises(CommandError, match="第二部分 标题超过上限：最多 200 字"):
        run("import_speech", str(path), "--owner", drafter.username)
    assert not Speech.objects.exists()


# --- --review-of: a reviewed Word copy of a stored speech


@pytest.mark.django_db
def test_a_reviewed_copy_is_recorded_and_the_report_printed(tmp_path, drafter, speech):
    from tests.test_review_import import reviewed

    make_user("wangjz", role="审核领导", first_name="局长", last_name="王")
    path = tmp_path / "审阅稿.docx"
    path.write_bytes(reviewed(speech))
    lines = run("import_speech", "--review-of", str(speech.pk), str(path))
    assert lines[0] == "已按文件导出时的文字（导出时的讲话稿）对照审阅人的修改。"
    assert "文件中的修改建议 7 条：" in lines
    assert "  第一部分 启示二是｜局长 王｜必须坚持第2条经验不动摇" in lines
    assert "文件中的批注 3 条：" in lines
    assert "  结束语｜赵主任｜回复：同意。" in lines
    at = lines.index("无法对应 2 处，请在系统中手动处理：")
    assert lines[at + 1 : at + 4] == [
        "  新增的段落在两个字段之间，无法确定属于哪一个（赵主任）",
        "    原文：",
        "    改为：另起一段新的话。",
    ]
    assert lines[-1] == "导入 7 条修改建议、3 条批注，2 处无法对应。"
    assert Suggestion.objects.filter(speech=speech).count() == 7
    # The importing user is the speech's owner unless --user names another.
    unknown = Comment.objects.get(text__startswith="（赵主任在 Word 中批注）")
    assert unknown.author == drafter


@pytest.mark.django_db
def test_the_importing_user_may_be_named(tmp_path, drafter, leader, speech):
    from tests.test_review_import import reviewed

    path = tmp_path / "审阅稿.docx"
    path.write_bytes(reviewed(speech))
    run("import_speech", "--review-of", str(speech.pk), str(path), "--user", leader.username)
    assert Comment.objects.filter(author=leader).count() == 3


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("approved", "讲话稿已审定，不能再导入审阅意见"),
        ("no speech", "没有编号为 999999 的讲话稿"),
        ("no user", "没有用户名为 nobody 的用户"),
        ("outsider", "不能查看这篇讲话稿"),
        ("text file", "审阅稿只能是 Word 的 .docx 文件"),
        ("broken", "已损坏"),
    ],
)
def test_a_refused_review_says_why_and_records_nothing(
    tmp_path, drafter, leader, speech, case, message
):
    from tests.test_review_import import reviewed

    path = tmp_path / "审阅稿.docx"
    path.write_bytes(reviewed(speech))
    args = ["import_speech", "--review-of", str(speech.pk), str(path)]
    if case == "approved":
        speech.take_action("submit", drafter, {"drafter"}, "请审核")
        speech.take_action("approve", leader, {"reviewer"}, "")
    elif case == "no speech":
        args[2] = "999999"
    elif case == "no user":
        args += ["--user", "nobody"]
    elif case == "outsider":
        args += ["--user", make_user("other", role="审核领导", agency="别的局").username]
    elif case == "text file":
        args[3] = str(tmp_path / "审阅稿.txt")
        (tmp_path / "审阅稿.txt").write_text("同志们：", encoding="utf-8")
    else:
        path.write_bytes(b"PK\x03\x04" + b"\0" * 64)
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert not Suggestion.objects.exists() and not Comment.objects.exists()
