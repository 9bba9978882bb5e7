"""Read an uploaded file into a parsed speech: .txt, .docx or .json, with limits.

A file is judged by its first bytes before its name, so a renamed file gets the message
for what it really is. Every refusal is an :class:`ImportRefused` whose message is for
the user; nothing here lets a bad file reach the database or become a 500.
"""

from __future__ import annotations

import codecs
import io
import zipfile
from pathlib import PurePath

from docx import Document
from docx.oxml.ns import qn

from . import speech_json
from .assembly import assemble
from .parsing import Finding, ParseResult, parse_paragraphs, parse_text

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_ZIP_ENTRIES = 5000
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
SUFFIXES = (".txt", ".docx", ".json")

W_P, W_TBL, W_TR, W_TC = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
W_SDT, W_SDT_CONTENT, W_CUSTOM_XML = qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")
W_R, W_T, W_BR, W_CR, W_TAB = qn("w:r"), qn("w:t"), qn("w:br"), qn("w:cr"), qn("w:tab")
W_NO_BREAK_HYPHEN, W_TYPE = qn("w:noBreakHyphen"), qn("w:type")
W_TXBX_CONTENT = qn("w:txbxContent")
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


class ImportRefused(Exception):
    """The file cannot be imported; ``message`` says why, in Chinese, for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def read_upload(name: str, data: bytes) -> ParseResult:
    """Parse an uploaded file by its content and name; raise :class:`ImportRefused`.

    >>> read_upload("去年.txt", "同志们：\\n今天开会。".encode("gb18030")).speech.opening
    '今天开会。'
    """
    if not data:
        raise ImportRefused("文件是空的。")
    if len(data) > MAX_FILE_BYTES:
        raise ImportRefused("文件超过 10 MB，无法导入。讲话稿通常不到 1 MB，请检查是否选错了文件。")
    suffix = PurePath(name).suffix.lower()
    if data.startswith(OLE2_MAGIC) or suffix == ".doc":
        raise ImportRefused(
            "这是旧版 Word（.doc）文件或加密的文档，无法直接导入。"
            "请在 Word 或 WPS 中用“另存为”保存成 .docx 格式（如有密码请先取消），再导入。"
        )
    if suffix == ".docx":
        paragraphs, findings = read_docx(data)
        result = parse_paragraphs(paragraphs)
        result.findings[:0] = findings
        return result
    if suffix == ".json":
        return read_json(data)
    if suffix == ".txt":
        return parse_text(_nonempty(decode_text(data)))
    raise ImportRefused("只能导入 .txt、.docx 或 .json 文件。")


def decode_text(data: bytes) -> str:
    """Text bytes to str: UTF-8 with or without BOM, UTF-16 with BOM, else GB18030.

    GB18030 is what Notepad on a Chinese system saves as “ANSI”; UTF-8 is tried first
    because a valid UTF-8 Chinese text is almost never valid GB18030 by accident.

    >>> decode_text("讲话".encode("gb18030"))
    '讲话'
    """
    if data.startswith(ZIP_MAGIC) or data.startswith(OLE2_MAGIC):
        raise ImportRefused(
            "这个文件不是纯文本（.txt）文件。如果是 Word 文档，请把扩展名改回 .docx。"
        )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise ImportRefused("文件的编码有误，无法读出文字。") from None
    if b"\x00" in data:
        raise ImportRefused("这个文件不是纯文本（.txt）文件。")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportRefused("无法识别文件的文字编码。请用记事本“另存为”UTF-8 编码后再导入。")


def read_json(data: bytes) -> ParseResult:
    """A ``speechdraft/1`` document: read as is, no findings.

    The paragraphs shown next to it are the speech's own assembled paragraphs.

    >>> read_json(b'{"format": "other"}')
    Traceback (most recent call last):
    ...
    drafts.reading.ImportRefused: “format” 应为 “speechdraft/1”，实际为 “other”。
    """
    try:
        speech = speech_json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ImportRefused("JSON 文件应为 UTF-8 编码。") from None
    except speech_json.SpeechFormatError as error:
        raise ImportRefused(str(error)) from None
    paragraphs = [paragraph.text for paragraph in assemble(speech)]
    return ParseResult(speech, paragraphs, ["" for _ in paragraphs], [])


def read_docx(data: bytes) -> tuple[list[str], list[Finding]]:
    """The paragraphs of a .docx in reading order, table cells included, and findings.

    Runs are joined (hyperlinks and tracked insertions too); a soft line break becomes
    ``\\n``, which the parser keeps as a paragraph break only after a full stop. Text
    boxes are not read (they float beside the text): each one skipped is a finding.

    >>> read_docx(b"PK\x03\x04 not really a zip")
    Traceback (most recent call last):
    ...
    drafts.reading.ImportRefused: 这个 .docx 文件已损坏，无法打开。
    """
    _check_zip(data)
    try:
        document = Document(io.BytesIO(data))
    except Exception:
        # python-docx raises many kinds on a broken package (KeyError, ValueError, XML
        # errors); whichever it is, the user needs the same message, not a 500.
        raise ImportRefused(
            "无法读取这个 .docx 文件：它可能已损坏，或不是 Word 文档。"
            "请在 Word 中打开后重新保存再试。"
        ) from None
    paragraphs: list[str] = []
    findings: list[Finding] = []
    _read_blocks(document.element.body, paragraphs, findings, in_table=False)
    if not any(paragraph.strip() for paragraph in paragraphs):
        raise ImportRefused("文档里没有文字。")
    return paragraphs, findings


def _check_zip(data: bytes) -> None:
    """Refuse a non-zip and a zip bomb from the zip's own directory, before unpacking."""
    if not data.startswith(ZIP_MAGIC):
        raise ImportRefused("这个文件不是有效的 .docx 文件（可能是改了扩展名的其他文件）。")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError):
        raise ImportRefused("这个 .docx 文件已损坏，无法打开。") from None
    # zipfile never inflates past an entry's declared size, so the declared sizes bound
    # what python-docx can unpack.
    unpacked = sum(entry.file_size for entry in entries)
    if len(entries) > MAX_ZIP_ENTRIES or unpacked > MAX_UNPACKED_BYTES:
        raise ImportRefused("这个 .docx 文件解压后超过 50 MB，无法导入。")


def _read_blocks(container, paragraphs: list[str], findings: list[Finding], in_table: bool) -> None:
    for child in container.iterchildren():
        if child.tag == W_P:
            paragraphs.append(_paragraph_text(child, findings))
        elif child.tag == W_TBL:
            if not in_table:
                findings.append(Finding("文档中有表格，表格里的文字已按行逐格读入，请核对位置。"))
            for row in child.iterchildren(W_TR):
                for cell in row.iterchildren(W_TC):
                    _read_blocks(cell, paragraphs, findings, in_table=True)
        elif child.tag == W_SDT:
            content = child.find(W_SDT_CONTENT)
            if content is not None:
                _read_blocks(content, paragraphs, findings, in_table)
        elif child.tag == W_CUSTOM_XML:
            _read_blocks(child, paragraphs, findings, in_table)


def _paragraph_text(paragraph, findings: list[Finding]) -> str:
    has_text_box = paragraph.find(f".//{W_TXBX_CONTENT}") is not None
    pieces = []
    for run in paragraph.iter(W_R):
        if has_text_box and _in_text_box(run):
            continue
        for element in run.iterchildren(W_T, W_BR, W_CR, W_TAB, W_NO_BREAK_HYPHEN):
            if element.tag == W_T:
                pieces.append(element.text or "")
            elif element.tag == W_TAB:
                pieces.append("\t")
            elif element.tag == W_NO_BREAK_HYPHEN:
                pieces.append("-")
            elif element.get(W_TYPE) != "column":
                pieces.append("\n")
    if has_text_box:
        for box in paragraph.iter(W_TXBX_CONTENT):
            if any(ancestor.tag == MC_FALLBACK for ancestor in box.iterancestors()):
                continue  # the same box again, in the legacy VML form
            text = "".join(element.text or "" for element in box.iter(W_T)).strip()
            if text:
                quoted = text if len(text) <= 60 else text[:60] + "……"
                findings.append(Finding(f"文本框中的文字没有导入：“{quoted}”。"))
    return "".join(pieces)


def _in_text_box(run) -> bool:
    return any(ancestor.tag in (W_TXBX_CONTENT, MC_FALLBACK) for ancestor in run.iterancestors())


def _nonempty(text: str) -> str:
    if not text.strip(" \t\r\n\u3000\ufeff"):
        raise ImportRefused("文件里没有文字。")
    return text
