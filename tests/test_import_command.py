"""`import_speech` with text and Word files: findings printed, the id on the last line."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from drafts.models import Speech

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
