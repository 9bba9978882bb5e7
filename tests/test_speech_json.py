import json

import pytest

from drafts.demo import demo_speech
from drafts.speech_json import FORMAT, SpeechFormatError, dumps, from_document, loads, to_document


def test_a_document_read_and_written_again_is_the_same():
    document = to_document(demo_speech())
    assert to_document(from_document(document)) == document
    assert loads(dumps(demo_speech())) == demo_speech()


def test_document_has_the_documented_shape():
    document = to_document(demo_speech())
    assert document["format"] == FORMAT
    assert document["date"] == "2026-12-18"
    assert set(document["part_one"]) == {
        "heading",
        "intro",
        "achievements",
        "lessons_intro",
        "lessons",
    }
    assert document["part_one"]["achievements"][0] == {
        "lead": "在夯实基层基础上用力，源头数据更加规范。",
        "body": demo_speech().part_one.achievements[0].body,
    }
    assert isinstance(document["part_two"]["shortcomings"][0], str)
    # Numbering is never in the text.
    assert not document["part_two"]["measures"][0]["lead"].startswith("一是")


def _document(**changes):
    document = to_document(demo_speech())
    for path, value in changes.items():
        target = document
        *parents, key = path.split("__")
        for parent in parents:
            target = target[int(parent)] if parent.isdigit() else target[parent]
        if value is KeyError:
            del target[key]
        else:
            target[key] = value
    return document


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"format": "other/2"}, "“format” 应为 “speechdraft/1”"),
        ({"extra": "x"}, "不认识的字段 “extra”"),
        ({"closing": KeyError}, "缺少字段 “closing”"),
        ({"part_one__lesson": []}, "不认识的字段 “part_one.lesson”"),
        ({"part_two__measures": "x"}, "“part_two.measures” 应为列表"),
        ({"part_one__achievements__0__lead": 3}, "“part_one.achievements[0].lead” 应为文字"),
        ({"part_one__lessons": [1]}, "“part_one.lessons[0]” 应为文字"),
        ({"date": "2026/1/1"}, "“date” 应为 YYYY-MM-DD"),
        ({"part_two": []}, "“part_two” 应为 JSON 对象"),
    ],
)
def test_a_faulty_document_is_refused_with_the_key_named(changes, message):
    with pytest.raises(SpeechFormatError, match=message.replace("(", r"\(").replace("[", r"\[")):
        from_document(_document(**changes))


def test_text_that_is_not_json_is_refused_in_chinese():
    with pytest.raises(SpeechFormatError, match="不是有效的 JSON"):
        loads("title: 这不是 JSON")
    with pytest.raises(SpeechFormatError, match="文件内容 应为 JSON 对象"):
        loads(json.dumps([1, 2]))
