import json
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from drafts import speech_json
from drafts.demo import DEMO_TITLE, demo_speech
from drafts.models import Speech
from tests.factories import make_speech


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_load_demo_is_idempotent_and_prints_the_accounts():
    first = run("load_demo")
    second = run("load_demo")
    assert "drafter / " in first and "leader / " in first and "admin / " in first
    assert Speech.objects.filter(title=DEMO_TITLE).count() == 1
    assert get_user_model().objects.count() == 3
    assert get_user_model().objects.get(username="admin").is_superuser
    assert "已添加演示讲话稿" not in second
    assert (
        get_user_model()
        .objects.get(username="drafter")
        .check_password(first.split("drafter / ")[1].split()[0])
    )


@pytest.mark.django_db
def test_export_then_import_then_export_gives_the_same_json(tmp_path, drafter):
    speech = Speech.create_from_structure(demo_speech(), drafter)
    first = tmp_path / "first.json"
    run("export_speech", str(speech.pk), "--format", "json", "-o", str(first))
    output = run("import_speech", str(first), "--owner", drafter.username)
    new_id = int(output.strip().splitlines()[-1])
    second = tmp_path / "second.json"
    run("export_speech", str(new_id), "--format", "json", "-o", str(second))
    assert first.read_bytes() == second.read_bytes()
    assert json.loads(first.read_text("utf-8")) == speech_json.to_document(demo_speech())


@pytest.mark.django_db
def test_export_as_text(tmp_path, drafter):
    speech = make_speech(owner=drafter)
    target = tmp_path / "speech.txt"
    run("export_speech", str(speech.pk), "--format", "txt", "-o", str(target))
    assert target.read_text("utf-8").splitlines()[:3] == [
        "在测试局年度工作",
        "总结会议上的讲话",
        "同志们：",
    ]


@pytest.mark.django_db
def test_export_of_a_missing_speech_says_so():
    with pytest.raises(CommandError, match="没有编号为 42 的讲话稿"):
        run("export_speech", "42")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"format": "speechdraft/1", "title": "x"}', "缺少字段"),
        ("不是 JSON", "不是有效的 JSON"),
    ],
)
def test_import_of_a_faulty_json_file_writes_nothing(tmp_path, drafter, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        run("import_speech", str(path), "--owner", drafter.username)
    assert not Speech.objects.exists()


@pytest.mark.django_db
def test_import_with_a_wrong_key_names_it(tmp_path, drafter):
    document = speech_json.to_document(demo_speech())
    document["part_two"]["measure"] = document["part_two"].pop("measures")
    path = tmp_path / "wrong.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError, match="part_two.measure"):
        run("import_speech", str(path), "--owner", drafter.username)
    assert not Speech.objects.exists()
