"""Hostile imports: every one answers quickly with a finding or a Chinese refusal.

Issue 13. The same input goes through the parser, the file reader, the import page and
the ``import_speech`` command; none of them may hang, answer 500 or print a traceback.
"""

import codecs
import io
import json
import re
import zipfile
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from drafts import speech_json
from drafts.budgets import configured
from drafts.importing import speech_errors
from drafts.models import Speech
from drafts.numbering import chinese_number
from drafts.parsing import ImportRefused, ParseResult, parse_text
from drafts.reading import read_upload
from tests.factories import sample_structure
from tests.test_reading import docx_bytes, zip_bytes

IMPORT = reverse("drafts:speech-import")
HUGE = "九九九九九九九九"

# -- 1. a numbering gap is one finding with its two ends ---------------------------------

GAPS = {
    "heading": (f"同志们：\n开场。\n一、甲\n{HUGE}、乙\n", "一级标题", "一、", f"{HUGE}、"),
    "achievement": (
        f"同志们：\n开场。\n一、甲\n（一）甲。\n（{HUGE}）乙。\n二、乙\n",
        "成绩",
        "（一）",
        f"（{HUGE}）",
    ),
    "measure": (
        f"同志们：\n开场。\n一、甲\n（一）甲。\n二、乙\n一是甲。\n{HUGE}是乙。\n",
        "整改措施",
        "一是",
        f"{HUGE}是",
    ),
    "lesson": (
        f"同志们：\n开场。\n一、甲\n（一）甲。\n一是甲。\n{HUGE}是乙。\n二、乙\n",
        "启示",
        "一是",
        f"{HUGE}是",
    ),
}


def gap_findings(result, what):
    return [f.message for f in result.findings if f.message.startswith(f"{what}编号")]


@pytest.mark.parametrize("case", GAPS)
def test_a_huge_gap_in_the_numbering_is_one_finding_naming_both_ends(case):
    text, what, before, after = GAPS[case]
    found = gap_findings(parse_text(text), what)
    assert found == [
        f"{what}编号不连续：“{before}”之后是“{after}”，中间缺少 99999997 个编号，已按顺序重新编号。"
    ]


def test_a_gap_of_one_names_the_missing_number():
    text = "同志们：\n开场。\n一、甲\n（一）甲。\n（三）丙。\n二、乙\n"
    assert gap_findings(parse_text(text), "成绩") == [
        "成绩编号不连续：“（一）”之后是“（三）”，中间缺少“（二）”，已按顺序重新编号。"
    ]


def test_numbering_that_does_not_start_at_one_names_its_first_number():
    text = f"同志们：\n开场。\n{HUGE}、甲\n"
    assert gap_findings(parse_text(text), "一级标题") == [
        f"一级标题编号不连续：第一个是“{HUGE}、”，前面缺少 99999998 个编号，已按顺序重新编号。"
    ]


def test_a_repeat_and_a_step_back_name_both_ends():
    text = "同志们：\n开场。\n一、甲\n（二）甲。\n（二）乙。\n（一）丙。\n二、乙\n"
    assert gap_findings(parse_text(text), "成绩") == [
        "成绩编号不连续：第一个是“（二）”，前面缺少“（一）”，已按顺序重新编号。",
        "成绩编号重复：“（二）”之后又是“（二）”，已按顺序重新编号。",
        "成绩编号倒序：“（二）”之后是“（一）”，已按顺序重新编号。",
    ]


@pytest.mark.parametrize("numeral", ["九" * 100_000, "十" * 100_000, "一百" * 50_000, "零" * 5000])
def test_a_numeral_too_long_to_be_a_label_is_no_number(numeral):
    assert chinese_number(numeral) is None


def test_a_heading_opening_with_a_huge_numeral_is_read_as_words():
    result = parse_text("同志们：\n开场。\n一、甲\n" + "九" * 100_000 + "、乙\n二、丙\n")
    assert result.speech.part_two.heading == "丙"
    assert gap_findings(result, "一级标题") == []


@pytest.mark.parametrize("kind", ["txt", "docx"])
def test_a_huge_gap_in_a_file_is_one_finding(kind):
    text, what, before, after = GAPS["heading"]
    data = text.encode() if kind == "txt" else docx_bytes(text.splitlines())
    found = gap_findings(read_upload(f"讲话.{kind}", data), what)
    assert len(found) == 1 and f"“{before}”之后是“{after}”" in found[0]


@pytest.mark.django_db
def test_a_huge_gap_pasted_into_the_page_is_previewed_with_its_finding(drafter_client):
    response = drafter_client.post(IMPORT, {"text": GAPS["achievement"][0]})
    assert response.status_code == 200
    assert f"“（一）”之后是“（{HUGE}）”" in response.content.decode()
    assert not Speech.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["txt", "docx"])
def test_a_huge_gap_uploaded_is_previewed_with_its_finding(drafter_client, kind):
    text = GAPS["measure"][0]
    data = text.encode() if kind == "txt" else docx_bytes(text.splitlines())
    response = drafter_client.post(IMPORT, {"upload": SimpleUploadedFile(f"讲话.{kind}", data)})
    assert response.status_code == 200
    assert f"“一是”之后是“{HUGE}是”" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("case", GAPS)
def test_import_speech_reports_a_huge_gap_once_and_imports(tmp_path, drafter, capsys, case):
    text, what, before, after = GAPS[case]
    path = tmp_path / "gap.txt"
    path.write_text(text, encoding="utf-8")
    call_command("import_speech", str(path), "--owner", drafter.username)
    lines = capsys.readouterr().out.splitlines()
    assert [line for line in lines if "之后是" in line] == [
        next(line for line in lines if f"“{before}”之后是“{after}”" in line)
    ]
    assert Speech.objects.filter(pk=int(lines[-1])).exists()


# -- hostile files: a result within the budgets or a Chinese refusal, never a crash -----

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="word/document.xml" Type="http://schemas.openxmlformats'
    '.org/officeDocument/2006/relationships/officeDocument"/></Relationships>'
)


def document_xml(body: str, prolog: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}'
        f'<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>'
    ).encode()


def paragraphs_xml(lines) -> str:
    return "".join(f"<w:p><w:r><w:t>{line}</w:t></w:r></w:p>" for line in lines)


def package(document: bytes | None, method=zipfile.ZIP_DEFLATED, **extra) -> bytes:
    """A minimal .docx: the package relationships and the main part (if any)."""
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", method) as archive:
        archive.writestr("_rels/.rels", RELS)
        if document is not None:
            archive.writestr("word/document.xml", document)
        for name, content in extra.items():
            archive.writestr(name, content)
    return stream.getvalue()


def lying_zip(real: bytes, declared: int) -> bytes:
    """A .docx whose central directory declares ``declared`` bytes for document.xml."""
    data = bytearray(package(real))
    at = data.rfind(b"PK\x01\x02", 0, data.rfind(b"word/document.xml"))
    data[at + 24 : at + 28] = declared.to_bytes(4, "little")
    return bytes(data)


def future_zip(real: bytes) -> bytes:
    """A .docx whose document.xml needs a later zip version than Python reads."""
    data = bytearray(package(real))
    at = data.rfind(b"PK\x01\x02", 0, data.rfind(b"word/document.xml"))
    data[at + 6 : at + 8] = (69).to_bytes(2, "little")
    return bytes(data)


BILLION_LAUGHS = (
    '<!DOCTYPE w:document [<!ENTITY a "哈哈哈哈哈哈哈哈哈哈">'
    + "".join(f'<!ENTITY {chr(98 + n)} "{("&" + chr(97 + n) + ";") * 10}">' for n in range(8))
    + "]>"
)
SPEECH_LINES = ["关于工作的讲话", "同志们：", "开场。", "一、甲", "（一）甲。", "二、乙"]
BUDGETS = configured()


def deep_runs(depth: int) -> str:
    return "<w:p>" + "<w:r>" * depth + "<w:t>甲</w:t>" + "</w:r>" * depth + "</w:p>"


def json_document(**changes) -> dict:
    document = speech_json.to_document(sample_structure())
    document.update(changes)
    return document


def json_bytes(document) -> bytes:
    return json.dumps(document, ensure_ascii=False).encode()


HOSTILE = {
    # text files
    "empty.txt": b"",
    "whitespace.txt": " \r\n\t\u3000\n".encode() * 1000,
    "nul.txt": "同志们：\x00开场。".encode(),
    "controls.txt": "同志们：\n开\x01场\x1b。\x7f\n一、甲\x0c乙\n".encode(),
    "utf16_bom.txt": "同志们：\n开场。\n一、甲 2026\n".encode("utf-16"),
    "utf16_no_bom.txt": "同志们：\n开场 2026。\n".encode("utf-16-le"),
    "utf16_be_no_bom.txt": "同志们：\n开场 2026。\n".encode("utf-16-be"),
    "utf16_lone_surrogate.txt": codecs.BOM_UTF16_LE + b"\x00\xd8\x41\x00",
    "utf32.txt": "同志们：开场。".encode("utf-32"),
    "invalid_utf8.txt": b"\xff\xfe\xfd\xc3\x28\xa0\xa1" * 100,
    "latin1.txt": "Grüße, Ansprache über das Jahr".encode("latin-1"),
    "one_long_line.txt": ("同志们：" + "甲" * (BUDGETS.import_chars - 10)).encode(),
    "too_many_chars.txt": "（一）x。\n".encode() * 700_000,
    "one_char_paragraphs.txt": "甲\n".encode() * 200_000,
    "too_many_paragraphs.txt": "甲\n".encode() * (BUDGETS.import_paragraphs + 1),
    "inline_markers.txt": ("同志们：\n一、甲\n（一）甲。\n" + "一是甲；" * 40_000).encode(),
    "huge_numeral.txt": ("同志们：\n一、甲\n" + "九" * 150_000 + "、乙\n").encode(),
    "too_big.txt": b"a" * (BUDGETS.upload_bytes + 1),
    "binary.txt": bytes(range(256)) * 10,
    # Word documents
    "not_a_zip.docx": "同志们：这其实是文本。".encode(),
    "zip_not_docx.docx": zip_bytes({"readme.txt": "hello"}),
    "no_document_xml.docx": package(None),
    "no_rels.docx": zip_bytes({"word/document.xml": document_xml(paragraphs_xml(["甲"]))}),
    "truncated.docx": package(document_xml(paragraphs_xml(SPEECH_LINES)))[:300],
    "billion_laughs.docx": package(
        document_xml("<w:p><w:r><w:t>&i;</w:t></w:r></w:p>", BILLION_LAUGHS)
    ),
    "external_entity.docx": package(
        document_xml(
            "<w:p><w:r><w:t>&x;</w:t></w:r></w:p>",
            '<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
        )
    ),
    "utf16_part.docx": package(
        document_xml(paragraphs_xml(SPEECH_LINES))
        .decode()
        .replace("UTF-8", "UTF-16")
        .encode("utf-16")
    ),
    "too_deep.docx": package(document_xml(deep_runs(300))),
    "too_many_tags.docx": package(document_xml("<w:p/>" * (BUDGETS.docx_xml_tags + 1))),
    "unpacks_too_big.docx": package(document_xml("<w:p/>" * (BUDGETS.docx_xml_bytes // 6))),
    "lies_about_its_size.docx": lying_zip(document_xml(paragraphs_xml(["甲" * 3000] * 300)), 1000),
    "utf7_part.docx": package(
        document_xml(paragraphs_xml(SPEECH_LINES)).replace(b"UTF-8", b"UTF-7", 1)
    ),
    "huge_attribute.docx": package(document_xml('<w:p w:x="' + "a" * 11_000_000 + '"/>')),
    "xinclude.docx": package(
        document_xml(
            '<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="/etc/passwd"/>'
            + paragraphs_xml(SPEECH_LINES)
        )
    ),
    "rels_outside.docx": zip_bytes(
        {
            "_rels/.rels": RELS.replace("word/document.xml", "/../../etc/passwd"),
            "word/document.xml": document_xml(paragraphs_xml(SPEECH_LINES)),
        }
    ),
    "many_parts.docx": package(
        document_xml(paragraphs_xml(SPEECH_LINES)),
        **{f"media/{n}.bin": b"" for n in range(BUDGETS.docx_parts)},
    ),
    "future_zip_version.docx": future_zip(document_xml(paragraphs_xml(SPEECH_LINES))),
    "bzip2.docx": package(document_xml(paragraphs_xml(SPEECH_LINES)), zipfile.ZIP_BZIP2),
    "spreadsheet.docx": package(b'<?xml version="1.0"?><workbook xmlns="urn:x"/>'),
    "many_text_boxes.docx": package(
        document_xml(
            paragraphs_xml(SPEECH_LINES)
            + "<w:p><w:r><w:txbxContent><w:p><w:r><w:t>框</w:t></w:r></w:p></w:txbxContent></w:r></w:p>"
            * 2000
        )
    ),
    "nul_entity.docx": package(document_xml("<w:p><w:r><w:t>甲&#0;乙</w:t></w:r></w:p>")),
    "control_chars.docx": package(document_xml(paragraphs_xml([*SPEECH_LINES, "乙&#x1b;丙"]))),
    "heading_too_long.docx": package(
        document_xml(paragraphs_xml([*SPEECH_LINES[:-1], "二、" + "长" * 300]))
    ),
    # JSON documents
    "deep.json": b"[" * 100_000,
    "deep_closed.json": b"[" * 5000 + b"]" * 5000,
    "long_number.json": json_bytes(json_document(title=0)).replace(
        b'"title": 0', b'"title": ' + b"1" * 5000
    ),
    "float.json": b'{"title": 1e999999}',
    "nan.json": b'{"title": NaN}',
    "surrogate.json": json.dumps(json_document(opening="\ud800")).encode(),
    "surrogate_key.json": json.dumps({"\ud800": 1}).encode(),
    "nul.json": json.dumps(json_document(closing="甲\x00乙")).encode(),
    "invalid_utf8.json": json_bytes(json_document()).replace("开".encode(), b"\xff\xfe", 1),
    "ten_thousand_items.json": json_bytes(
        json_document(part_one={**json_document()["part_one"], "lessons": ["甲"] * 10_000})
    ),
    "many_values.json": b"[" + b"0," * 3_000_000 + b"0]",
    "nine_megabyte_string.json": json_bytes(json_document(opening="甲" * 3_000_000)),
    "huge_key.json": json_bytes({"k" * 1_000_000: 1, **json_document()}),
    "huge_format.json": json_bytes(json_document(format="x" * 1_000_000)),
    "wrong_types.json": json_bytes(json_document(part_one=[], part_two="x")),
    "not_an_object.json": b'"speech"',
    "heading_too_long.json": json_bytes(
        json_document(part_one={**json_document()["part_one"], "heading": "长" * 201})
    ),
    "too_many_chars.json": json_bytes(
        json_document(
            **{name: "甲" * BUDGETS.field_chars for name in ("opening", "closing")},
            part_one={
                **json_document()["part_one"],
                "achievements": [{"lead": "甲", "body": "乙" * BUDGETS.field_chars}] * 9,
            },
        )
    ),
}


def outcome(name: str, data: bytes) -> str | ParseResult:
    """What importing ``data`` gives: a refusal's message, or a result the budgets allow."""
    try:
        result = read_upload(name, data)
    except ImportRefused as refused:
        return refused.message
    errors = speech_errors(result.speech)
    return "".join(errors) if errors else result


def is_chinese_message(message: str) -> bool:
    return bool(message) and len(message) < 2000 and any("\u4e00" <= c <= "\u9fff" for c in message)


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_file_is_read_within_the_budgets_or_refused_in_chinese(name):
    found = outcome(name, HOSTILE[name])
    if isinstance(found, str):
        assert is_chinese_message(found), found
    else:
        assert all(len(f.message) < 1000 for f in found.findings)
        assert len(found.findings) <= BUDGETS.import_paragraphs + 50
        document = speech_json.dumps(found.speech)
        document.encode("utf-8")  # no lone surrogate can reach a page or the database
        assert "\x00" not in document and "\\u0000" not in document


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("nul.txt", "这个文件不是纯文本（.txt）文件。"),
        ("utf32.txt", "UTF-32"),
        ("utf16_lone_surrogate.txt", "文件的编码有误"),
        ("too_many_chars.txt", "文件中的文字超过上限：最多 200000 字，现有 4200000 字。"),
        ("one_char_paragraphs.txt", "文件中的文字超过上限：最多 200000 字，现有 400000 字。"),
        ("too_many_paragraphs.txt", "段落数超过上限：最多 3000 段，现有 3001 段。"),
        ("one_long_line.txt", "开场白超过上限：最多 20000 字，现有 199990 字。"),
        ("inline_markers.txt", "第一部分 启示超过上限：最多 50 条，现有 40000 条。"),
        ("too_big.txt", "文件超过上限：最多 10 MB，现有 10485761 字节。"),
        ("no_document_xml.docx", "无法读取这个 .docx 文件"),
        ("billion_laughs.docx", "无法读取这个 .docx 文件"),
        ("external_entity.docx", "无法读取这个 .docx 文件"),
        ("too_deep.docx", "无法读取这个 .docx 文件"),
        ("too_many_tags.docx", "Word 文档中的标记超过上限：最多 400000 个，现有 400006 个。"),
        (
            "unpacks_too_big.docx",
            "这个 .docx 文件解压后超过上限：最多 16 MB，现有至少 16777643 字节。",
        ),
        ("lies_about_its_size.docx", "这个 .docx 文件已损坏"),
        ("bzip2.docx", "不常见的压缩方式"),
        ("future_zip_version.docx", "这个 .docx 文件已损坏，无法打开。"),
        ("many_parts.docx", "Word 文档中的部件超过上限：最多 1000 个，现有 1002 个。"),
        ("heading_too_long.docx", "第二部分 标题超过上限：最多 200 字，现有 300 字。"),
        ("deep.json", "JSON 的嵌套层数超过上限：最多 32 层，现有 100000 层。"),
        ("deep_closed.json", "JSON 的嵌套层数超过上限：最多 32 层，现有 5000 层。"),
        ("long_number.json", "JSON 中的数字超过上限：最多 20 位，现有 5000 位。"),
        ("surrogate.json", "字段 “opening” 中有无法保存的字符（不成对的代理码 U+D800）"),
        ("nul.json", "字段 “closing” 中有无法保存的字符（空字符 NUL）"),
        ("invalid_utf8.json", "JSON 文件应为 UTF-8 编码。"),
        ("ten_thousand_items.json", "第一部分 启示超过上限：最多 50 条，现有 10000 条。"),
        ("many_values.json", "JSON 中的值超过上限：一篇讲话稿最多 66400 个，现有 3000001 个。"),
        ("nine_megabyte_string.json", "开场白超过上限：最多 20000 字，现有 3000000 字。"),
        ("heading_too_long.json", "第一部分 标题超过上限：最多 200 字，现有 201 字。"),
        ("too_many_chars.json", "讲话稿全文超过上限：最多 200000 字，现有 220"),
    ],
)
def test_each_budget_names_its_limit_and_the_figure(name, message):
    found = outcome(name, HOSTILE[name])
    assert isinstance(found, str) and message in found, found


def test_control_characters_are_dropped_with_a_finding():
    result = read_upload("讲话.txt", HOSTILE["controls.txt"])
    assert result.speech.opening == "开场。"
    assert result.findings[0].message.startswith("已删去 3 个控制字符")


@pytest.mark.parametrize("name", ["utf16_bom.txt", "utf16_no_bom.txt", "utf16_be_no_bom.txt"])
def test_utf16_text_is_read_with_or_without_its_byte_order_mark(name):
    assert read_upload(name, HOSTILE[name]).speech.salutation == "同志们："


def test_text_boxes_are_one_finding_however_many():
    found = read_upload("框.docx", HOSTILE["many_text_boxes.docx"]).findings
    boxes = [f.message for f in found if "文本框" in f.message]
    assert boxes == ["文本框中的文字没有导入：“框”、“框”、“框”等 2000 处。"]


# -- the page and the command: 200 then a created speech, or 422; a message, or an exit --

CREATE = reverse("drafts:speech-import-create")


def hidden_document(response) -> str:
    match = re.search(r'name="document" value="([^"]*)"', response.content.decode())
    return unescape(match.group(1))


def refusal_on_page(response) -> str:
    html = unescape(response.content.decode())
    return "".join(re.findall(r"<li>([^<]*)</li>|alert-danger[^>]*>([^<]*)<", html)[0])


@pytest.mark.django_db
@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_upload_previews_and_creates_or_is_refused_with_its_message(drafter_client, name):
    upload = SimpleUploadedFile(name, HOSTILE[name])
    response = drafter_client.post(IMPORT, {"upload": upload})
    found = outcome(name, HOSTILE[name])
    if isinstance(found, str):
        assert response.status_code == 422
        assert found.split("。")[0] in unescape(response.content.decode())
        assert not Speech.objects.exists()
    else:
        assert response.status_code == 200
        created = drafter_client.post(CREATE, {"document": hidden_document(response)})
        assert created.status_code == 302
        stored = Speech.objects.with_structure().get().as_structure()
        assert speech_json.to_document(stored) == speech_json.to_document(found.speech)


@pytest.mark.django_db
@pytest.mark.parametrize("name", HOSTILE)
def test_import_speech_imports_a_hostile_file_or_exits_with_its_message(tmp_path, drafter, name):
    path = tmp_path / name
    path.write_bytes(HOSTILE[name])
    found = outcome(name, HOSTILE[name])
    if isinstance(found, str):
        with pytest.raises(CommandError) as refused:
            call_command("import_speech", str(path), "--owner", drafter.username)
        assert str(refused.value) == found
        assert not Speech.objects.exists()
    else:
        call_command("import_speech", str(path), "--owner", drafter.username, stdout=io.StringIO())
        assert Speech.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("where", ["/dev/zero", "missing.txt", "."])
def test_import_speech_refuses_what_is_not_a_regular_file(tmp_path, drafter, where):
    path = where if where.startswith("/") else str(tmp_path / where)
    with pytest.raises(CommandError, match="不是普通文件|找不到文件"):
        call_command("import_speech", path, "--owner", drafter.username)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("同志们：" + "甲" * 200_001, "粘贴的文字超过上限：最多 200000 字，现有 200005 字。"),
        ("甲\n" * 3001, "段落数超过上限：最多 3000 段，现有 3001 段。"),
        ("同志们：\n" + "甲" * 20_001, "开场白超过上限：最多 20000 字，现有 20001 字。"),
    ],
)
def test_a_paste_past_a_budget_is_refused_and_kept(drafter_client, text, message):
    response = drafter_client.post(IMPORT, {"text": text})
    assert response.status_code == 422
    html = unescape(response.content.decode())
    assert message in html
    assert text in html


@pytest.mark.django_db
def test_a_paste_with_nul_and_control_characters_previews_without_them(drafter_client):
    response = drafter_client.post(IMPORT, {"text": "同志们：\n开\x00场\x07。\n一、甲\n"})
    assert response.status_code == 200
    assert "已删去 2 个控制字符" in response.content.decode()
    drafter_client.post(CREATE, {"document": hidden_document(response)})
    assert Speech.objects.get().opening == "开场。"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["nine_megabyte_string.json", "ten_thousand_items.json", "deep.json", "nul.json"]
)
def test_the_preview_and_the_creation_refuse_a_document_alike(drafter_client, name):
    data = HOSTILE[name]
    preview = drafter_client.post(IMPORT, {"upload": SimpleUploadedFile(name, data)})
    created = drafter_client.post(CREATE, {"document": data.decode("utf-8", "replace")})
    assert preview.status_code == created.status_code == 422
    sentences = [sentence for sentence in outcome(name, data).split("。") if sentence]
    for response in (preview, created):
        html = unescape(response.content.decode())
        assert all(sentence in html for sentence in sentences), sentences
    assert not Speech.objects.exists()


@pytest.mark.django_db
def test_the_largest_speech_the_budgets_allow_previews_and_creates(drafter_client):
    # Astral characters take the most bytes once posted: 4 in UTF-8, 12 percent-encoded.
    limit = BUDGETS.field_chars
    fields = {name: "😀" * limit for name in ("opening", "closing")}
    one = {**json_document()["part_one"], "intro": "𠀀" * limit, "lessons_intro": "𠀀" * limit}
    one["achievements"] = [{"lead": "甲。", "body": "𪚥" * limit} for _ in range(5)]
    data = json_bytes(json_document(**fields, part_one=one))
    preview = drafter_client.post(IMPORT, {"upload": SimpleUploadedFile("大.json", data)})
    assert preview.status_code == 200, refusal_on_page(preview)
    created = drafter_client.post(CREATE, {"document": hidden_document(preview)})
    assert created.status_code == 302
    assert len(Speech.objects.with_structure().get().as_structure().opening) == limit


@pytest.mark.django_db
def test_a_preview_its_confirm_form_could_not_post_is_refused(drafter_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100_000
    data = json_bytes(json_document(opening="甲" * 20_000))
    response = drafter_client.post(IMPORT, {"upload": SimpleUploadedFile("讲话.json", data)})
    assert response.status_code == 422
    assert "超过一次提交的上限" in response.content.decode()


@pytest.mark.django_db
def test_smaller_budgets_in_settings_hold_the_page(drafter_client, settings):
    settings.BUDGETS = {**settings.BUDGETS, "import_chars": 20_000, "import_paragraphs": 100}
    response = drafter_client.post(IMPORT, {"text": "甲\n" * 101})
    assert "段落数超过上限：最多 100 段，现有 101 段。" in response.content.decode()
    response = drafter_client.post(IMPORT, {"text": "甲" * 20_001})
    assert "粘贴的文字超过上限：最多 20000 字，现有 20001 字。" in response.content.decode()


# -- restore_speeches: a hostile backup file is named with its fault, nothing written ----


def backup_document(drafter, tmp_path) -> dict:
    from tests.factories import make_speech

    make_speech(owner=drafter)
    call_command("backup_speeches", str(tmp_path / "backup"), stdout=io.StringIO())
    (path,) = (tmp_path / "backup").glob("*.json")
    Speech.objects.all().delete()
    return json.loads(path.read_text("utf-8")), path


def changed(document: dict, change) -> dict:
    change(document)
    return document


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (lambda d: "[" * 100_000, "JSON 的嵌套层数超过上限：最多 32 层，现有 100000 层。"),
        (lambda d: "{" * 50_000 + "}" * 50_000, "JSON 的嵌套层数超过上限"),
        (
            lambda d: json.dumps(d).replace('"pace": 180', '"pace": ' + "9" * 5000),
            "JSON 中的数字超过上限：最多 20 位，现有 5000 位。",
        ),
        (lambda d: json.dumps(d).replace('"pace": 180', '"pace": 99999'), "字段 “pace”"),
        (
            lambda d: json.dumps(changed(d, lambda d: d.update(unit="\x00"))),
            "字段 “unit” 中有无法保存的字符（空字符 NUL）",
        ),
        (
            lambda d: json.dumps(changed(d, lambda d: d.update(unit="局" * 101))),
            "字段 “unit”",
        ),
        (
            lambda d: json.dumps(
                changed(d, lambda d: d["speech"]["part_one"].update(heading="长" * 201))
            ),
            "第一部分 标题超过上限：最多 200 字，现有 201 字。",
        ),
        (
            lambda d: json.dumps(changed(d, lambda d: d["speech"].update(closing="\ud800"))),
            "不成对的代理码 U+D800",
        ),
        (
            lambda d: json.dumps(changed(d, lambda d: d.update(revisions=[{"\x00": 1}]))),
            "有无法保存的字符（空字符 NUL）",
        ),
    ],
)
def test_restore_names_the_file_and_the_fault_of_a_hostile_backup(
    tmp_path, drafter, content, message
):
    document, path = backup_document(drafter, tmp_path)
    path.write_text(content(document), encoding="utf-8", errors="surrogatepass")
    with pytest.raises(CommandError) as refused:
        call_command("restore_speeches", str(path.parent))
    assert str(refused.value).startswith(f"{path.name}：")
    assert message in str(refused.value)
    assert not Speech.objects.exists()


@pytest.mark.django_db
def test_restore_names_a_file_that_is_not_utf8(tmp_path, drafter):
    document, path = backup_document(drafter, tmp_path)
    path.write_bytes(json.dumps(document).encode() + b"\xff")
    with pytest.raises(CommandError, match=f"{path.name}：不是 UTF-8"):
        call_command("restore_speeches", str(path.parent))
