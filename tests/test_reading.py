"""Reading files into speeches: encodings, Word documents, and every refusal."""

import io
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from drafts import speech_json
from drafts.assembly import assemble
from drafts.budgets import configured
from drafts.docx_export import render_docx
from drafts.parsing import parse_text
from drafts.reading import (
    ImportRefused,
    decode_text,
    read_docx,
    read_upload,
)
from drafts.speech_json import to_document
from tests.factories import sample_structure

RESOURCES = Path(__file__).parent / "resources"
UPLOAD_BYTES = configured().upload_bytes
EMERGENCY = (RESOURCES / "speech_emergency.txt").read_text(encoding="utf-8")
FARMLAND = (RESOURCES / "speech_farmland.txt").read_text(encoding="utf-8")


def document_of(text):
    return to_document(parse_text(text).speech)


def docx_bytes(paragraphs, build=None):
    """A .docx written by python-docx, each paragraph cut into runs of a few characters."""
    document = Document()
    for text in paragraphs:
        paragraph = document.add_paragraph()
        for line_number, line in enumerate(text.split("\n")):
            if line_number:
                paragraph.add_run().add_break()
            for start in range(0, len(line), 7):
                paragraph.add_run(line[start : start + 7])
    if build:
        build(document)
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()


def zip_bytes(entries):
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return stream.getvalue()


def refusal(name, data):
    with pytest.raises(ImportRefused) as caught:
        read_upload(name, data)
    return caught.value.message


# -- text files -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: text.encode("utf-8"),
        lambda text: text.encode("utf-8-sig"),
        lambda text: text.encode("utf-16"),
        lambda text: text.replace("\n", "\r\n").encode("gb18030"),
    ],
    ids=["utf8", "utf8_bom", "utf16_bom", "gb18030"],
)
def test_text_files_are_decoded_without_asking(encode):
    result = read_upload("去年的讲话.txt", encode(FARMLAND))
    assert to_document(result.speech) == document_of(FARMLAND)


def test_a_gb18030_file_saved_as_ansi_by_notepad_reads_like_the_utf8_one():
    data = (RESOURCES / "speech_farmland_gb18030.txt").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    result = read_upload("speech_farmland_gb18030.txt", data)
    assert to_document(result.speech) == document_of(FARMLAND)
    assert len(result.speech.part_one.achievements) == 12


def test_decode_text_prefers_utf8():
    assert decode_text("（十一）讲话".encode()) == "（十一）讲话"


def test_a_text_with_no_structure_still_imports_into_the_opening():
    result = read_upload("随笔.txt", "只是一段话。\n又一段话。".encode())
    assert result.speech.opening == "只是一段话。\n又一段话。"
    assert any("没有识别出讲话的结构" in f.message for f in result.findings)


# -- Word documents ---------------------------------------------------------------------


def test_a_docx_written_by_python_docx_reads_like_its_text():
    lines = [line for line in EMERGENCY.split("\n") if line]
    data = docx_bytes(lines)
    result = read_upload("去年的讲话.docx", data)
    assert to_document(result.speech) == document_of(EMERGENCY)
    assert result.findings == []


def test_a_docx_saved_by_libreoffice_writer_reads_like_its_text():
    data = (RESOURCES / "speech_emergency_libreoffice.docx").read_bytes()
    result = read_upload("speech_emergency_libreoffice.docx", data)
    assert to_document(result.speech) == document_of(EMERGENCY)
    assert result.speech.part_two.measures[0].lead == "要在源头治理上下更大功夫。"


@pytest.mark.parametrize("text", [EMERGENCY, FARMLAND], ids=["emergency", "farmland"])
def test_a_docx_exported_by_the_app_imports_back_to_the_same_document(text):
    speech = parse_text(text).speech
    result = read_upload("导出.docx", render_docx(assemble(speech)))
    assert to_document(result.speech) == to_document(speech)
    assert result.findings == []


def test_a_title_broken_with_a_soft_line_break_keeps_its_two_lines():
    lines = [line for line in FARMLAND.split("\n") if line]
    data = docx_bytes(["\n".join(lines[:2]), *lines[2:]])
    result = read_upload("讲话.docx", data)
    assert result.speech.title == "在县农业农村局高标准农田建设攻坚年\n工作总结会议上的讲话"
    assert to_document(result.speech) == document_of(FARMLAND)


def test_soft_line_breaks_mid_sentence_are_joined_and_after_a_full_stop_kept():
    paragraphs, _ = read_docx(
        docx_bytes(["标题", "同志们：", "今天开会，\n回顾工作。\n下面讲两点。"])
    )
    assert paragraphs[2] == "今天开会，\n回顾工作。\n下面讲两点。"
    result = read_upload("讲话.docx", docx_bytes(["标题", "同志们：", "今天开会，\n回顾工作。"]))
    assert result.speech.opening == "今天开会，回顾工作。"


HYPERLINK_AND_REVISIONS = (
    f"<w:p {nsdecls('w', 'r')}>"
    "<w:r><w:t>今天开会，</w:t></w:r>"
    '<w:hyperlink r:id="rId99"><w:r><w:t>链接里的字</w:t></w:r></w:hyperlink>'
    '<w:ins w:id="1" w:author="某某" w:date="2026-01-01T00:00:00Z"><w:r><w:t>后来插入的字</w:t></w:r></w:ins>'
    '<w:del w:id="2" w:author="某某" w:date="2026-01-01T00:00:00Z"><w:r><w:delText>删掉的字</w:delText></w:r></w:del>'
    "<w:r><w:t>。</w:t></w:r></w:p>"
)

TEXT_BOX = (
    f"<w:r {nsdecls('w', 'wp', 'a')}"
    ' xmlns:v="urn:schemas-microsoft-com:vml"'
    ' xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
    ' xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
    '<mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:inline><a:graphic>'
    '<a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
    "<wps:wsp><wps:txbx><w:txbxContent><w:p><w:r><w:t>内部资料 注意保存</w:t></w:r></w:p>"
    "</w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:inline></w:drawing>"
    "</mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r>"
    "<w:t>内部资料 注意保存</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict>"
    "</mc:Fallback></mc:AlternateContent></w:r>"
)


def test_hyperlinks_and_tracked_insertions_are_read_and_deletions_are_not():
    def build(document):
        document.element.body.insert(2, parse_xml(HYPERLINK_AND_REVISIONS))

    paragraphs, _ = read_docx(docx_bytes(["标题", "同志们："], build))
    assert paragraphs[2] == "今天开会，链接里的字后来插入的字。"


def test_text_in_a_text_box_is_not_read_but_named_in_a_finding():
    def build(document):
        document.paragraphs[0]._p.append(parse_xml(TEXT_BOX))

    result = read_upload("讲话.docx", docx_bytes(["关于工作的讲话", "同志们：", "开场。"], build))
    assert result.speech.title == "关于工作的讲话"
    box_findings = [f.message for f in result.findings if "文本框" in f.message]
    assert box_findings == ["文本框中的文字没有导入：“内部资料 注意保存”。"]


def test_text_in_a_table_is_read_cell_by_cell_with_a_finding():
    def build(document):
        table = document.add_table(rows=1, cols=2)
        table.cell(0, 0).text = "同志们，表格里的结束语。"
        table.cell(0, 1).text = "第二格。"

    lines = [line for line in EMERGENCY.split("\n") if line][:-1]
    paragraphs, findings = read_docx(docx_bytes(lines, build))
    assert paragraphs[-2:] == ["同志们，表格里的结束语。", "第二格。"]
    assert [f.message for f in findings] == [
        "文档中有表格，表格里的文字已按行逐格读入，请核对位置。"
    ]


# -- JSON -------------------------------------------------------------------------------


def test_a_json_document_is_read_as_is():
    data = speech_json.dumps(sample_structure(achievements=11)).encode()
    result = read_upload("备份.json", data)
    assert to_document(result.speech) == to_document(sample_structure(achievements=11))
    assert result.paragraphs[0] == "在测试局年度工作\n总结会议上的讲话"
    assert result.findings == []


def test_a_json_document_of_another_kind_is_refused_with_the_format_message():
    assert refusal("备份.json", b'{"format": "other"}').startswith("“format” 应为")


# -- limits -----------------------------------------------------------------------------


def test_an_empty_file_is_refused():
    assert refusal("空.txt", b"") == "文件是空的。"


def test_a_text_file_of_only_white_space_is_refused():
    assert refusal("空.txt", "\ufeff \r\n\u3000\n".encode()) == "文件里没有文字。"


def test_a_file_over_the_upload_budget_is_refused():
    message = refusal("大.txt", b"a" * (UPLOAD_BYTES + 1))
    assert message.startswith(f"文件超过上限：最多 10 MB，现有 {UPLOAD_BYTES + 1} 字节")


def test_an_old_binary_word_file_is_refused_with_a_save_as_docx_message():
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    for name in ("旧文件.doc", "改了名字.docx", "改了名字.txt"):
        assert "另存为" in refusal(name, ole2) and ".docx" in refusal(name, ole2)


def test_a_renamed_file_that_is_not_a_zip_is_refused():
    assert "不是有效的 .docx" in refusal("假的.docx", "同志们：这其实是文本。".encode())


def test_a_zip_that_is_not_a_word_document_is_refused():
    assert "无法读取这个 .docx" in refusal("压缩包.docx", zip_bytes({"readme.txt": "hello"}))


def test_a_docx_that_unpacks_past_its_budget_is_refused_before_unpacking():
    rels = docx_bytes(["甲"])
    with zipfile.ZipFile(io.BytesIO(rels)) as archive:
        package = {name: archive.read(name) for name in archive.namelist()}
    package["word/document.xml"] = b"\0" * (51 * 1024 * 1024)
    bomb = zip_bytes(package)
    assert len(bomb) < UPLOAD_BYTES
    assert refusal("炸弹.docx", bomb) == (
        "这个 .docx 文件解压后超过上限：最多 16 MB，现有至少 51.0 MB。"
    )


def test_a_truncated_docx_is_refused():
    data = docx_bytes(["标题", "同志们："])
    assert refusal("坏.docx", data[: len(data) // 2]) == "这个 .docx 文件已损坏，无法打开。"


def test_a_docx_with_no_text_is_refused():
    assert refusal("空白.docx", docx_bytes(["", "  "])) == "文档里没有文字。"


def test_a_binary_file_named_txt_is_refused():
    assert "不是纯文本" in refusal("图片.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00")


def test_other_kinds_of_file_are_refused():
    assert refusal("讲话.pdf", b"%PDF-1.7") == "只能导入 .txt、.docx 或 .json 文件。"
