"""Read an uploaded file into a parsed speech: .txt, .docx or .json, within the budgets.

A file is judged by its first bytes before its name, so a renamed file gets the message
for what it really is. Every refusal is an :class:`ImportRefused` whose message is for
the user; nothing here lets a bad file reach the database or become a 500. Every budget
(``budgets.py``) is checked before the work it limits: the file's size before reading
it, a .docx part's declared size before unpacking it and its tags before parsing it.
"""

from __future__ import annotations

import codecs
import io
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePath

from lxml import etree

from . import budgets as budgeting
from . import speech_json
from .assembly import assemble
from .budgets import Budgets
from .parsing import Finding, ImportRefused, ParseResult, parse_paragraphs, parse_text
from .word_lists import WordLists

__all__ = ["ImportRefused", "decode_text", "read_docx", "read_json", "read_upload", "read_word"]

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
UTF32_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)
SUFFIXES = (".txt", ".docx", ".json")
# A template (.dotx, .dotm) or a macro-enabled file (.docm) is a .docx whose main part
# has another content type; its body is the same, so it is read as a document (only
# XML parts are read: a macro is never even unpacked).
WORD_SUFFIXES = (".docx", ".docm", ".dotx", ".dotm")
FROM_FILE = "文件中的文字"
_C0_CONTROL = re.compile("[\x00-\x08\x0e-\x1f]")

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
W_DOCUMENT, W_BODY = W + "document", W + "body"
W_P, W_TBL, W_TR, W_TC = W + "p", W + "tbl", W + "tr", W + "tc"
W_SDT, W_SDT_CONTENT, W_CUSTOM_XML = W + "sdt", W + "sdtContent", W + "customXml"
W_R, W_T, W_BR, W_CR, W_TAB = W + "r", W + "t", W + "br", W + "cr", W + "tab"
W_NO_BREAK_HYPHEN, W_TYPE = W + "noBreakHyphen", W + "type"
W_TXBX_CONTENT = W + "txbxContent"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
PACKAGE_RELS = "_rels/.rels"
OFFICE_DOCUMENT = "/officeDocument"  # the end of the main part's relationship type
NUMBERING, STYLES = "/numbering", "/styles"  # and of the parts word_lists reads
# docx parts are deflated or stored; other methods (bzip2, lzma) inflate a whole chunk
# at once, so their output cannot be capped as it is read.
ZIP_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
CHUNK = 64 * 1024
# Entities are never expanded, no DTD or network is read, and libxml2 keeps its own
# limits (depth 256, text nodes of 10 MB): a crafted part is refused, not obeyed.
XML_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    dtd_validation=False,
    huge_tree=False,
    remove_comments=True,
    remove_pis=True,
)
BROKEN_DOCX = (
    "无法读取这个 .docx 文件：它可能已损坏，或不是 Word 文档。请在 Word 中打开后重新保存再试。"
)


def read_upload(name: str, data: bytes, budgets: Budgets | None = None) -> ParseResult:
    """Parse an uploaded file by its content and name; raise :class:`ImportRefused`.

    >>> read_upload("去年.txt", "同志们：\\n今天开会。".encode("gb18030")).speech.opening
    '今天开会。'
    """
    budgets = budgets or budgeting.configured()
    if not data:
        raise ImportRefused("文件是空的。")
    check_file_size(len(data), budgets)
    suffix = PurePath(name).suffix.lower()
    if suffix == ".wps" and data.startswith(OLE2_MAGIC):
        raise ImportRefused(
            "这是 WPS 文字（.wps）文件，无法直接导入。"
            "请在 WPS 中用“另存为”保存成 .docx 格式，再导入。"
        )
    if data.startswith(OLE2_MAGIC) or suffix == ".doc":
        raise ImportRefused(
            "这是旧版 Word（.doc）文件或加密的文档，无法直接导入。"
            "请在 Word 或 WPS 中用“另存为”保存成 .docx 格式（如有密码请先取消），再导入。"
        )
    if suffix in WORD_SUFFIXES:
        text = read_word(data, budgets)
        result = parse_paragraphs(
            text.paragraphs, budgets, FROM_FILE, outline_levels=text.outline_levels
        )
        result.findings[:0] = text.findings
        return result
    if suffix == ".json":
        return read_json(data, budgets)
    if suffix == ".txt":
        return parse_text(_nonempty(decode_text(data)), budgets, FROM_FILE)
    raise ImportRefused("只能导入 .txt、.docx 或 .json 文件。")


def check_file_size(size: int, budgets: Budgets) -> None:
    """Refuse a file past ``upload_bytes``, before it is read.

    >>> from dataclasses import replace
    >>> from drafts.budgets import configured
    >>> budgets = replace(configured(), upload_bytes=2 * 1024 * 1024)
    >>> check_file_size(3 * 1024 * 1024, budgets)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    drafts.parsing.ImportRefused: 文件超过上限：最多 2 MB，现有 3 MB。讲话稿通常不到 1 MB，...
    """
    if size > budgets.upload_bytes:
        limit, figure = _sizes(budgets.upload_bytes, size)
        raise ImportRefused(
            f"文件超过上限：最多 {limit}，现有 {figure}。"
            "讲话稿通常不到 1 MB，请检查是否选错了文件。"
        )


def _sizes(limit: int, size: int) -> tuple[str, str]:
    """A limit and a size as a user reads them; the size in bytes when its megabytes
    would read the same as the limit's.

    >>> _sizes(2 * 1024 * 1024, 3 * 1024 * 1024), _sizes(1024 * 1024, 1024 * 1024 + 1)
    (('2 MB', '3 MB'), ('1 MB', '1048577 字节'))
    """
    limit_mb, size_mb = budgeting.megabytes(limit), budgeting.megabytes(size)
    if float(limit_mb.split()[0]) < float(size_mb.split()[0]):
        return limit_mb, size_mb
    return limit_mb, f"{size} 字节"


def decode_text(data: bytes) -> str:
    """Text bytes to str: UTF-8 with or without BOM, UTF-16 with or without BOM, else GB18030.

    GB18030 is what Notepad on a Chinese system saves as “ANSI”; UTF-8 is tried first
    because a valid UTF-8 Chinese text is almost never valid GB18030 by accident.

    >>> decode_text("讲话".encode("gb18030")), decode_text("2026年\\n讲话".encode("utf-16-le"))
    ('讲话', '2026年\\n讲话')
    """
    if data.startswith(ZIP_MAGIC) or data.startswith(OLE2_MAGIC):
        raise ImportRefused(
            "这个文件不是纯文本（.txt）文件。如果是 Word 文档，请把扩展名改回 .docx。"
        )
    if data.startswith(UTF32_BOMS):
        raise ImportRefused(
            "这个文件是 UTF-32 编码，无法导入。请用记事本“另存为”UTF-8 编码后再导入。"
        )
    encoding = _utf16_encoding(data)
    if encoding:
        try:
            return data.decode(encoding)
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


def _utf16_encoding(data: bytes) -> str | None:
    """UTF-16 by its BOM, or without one when it reads as UTF-16 text: line breaks, and
    no control characters (a stray NUL in another encoding reads as neither)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if len(data) % 2 or b"\x00" not in data:
        return None
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if ("\n" in text or "\r" in text) and not _C0_CONTROL.search(text):
            return encoding
    return None


def read_json(data: bytes, budgets: Budgets | None = None) -> ParseResult:
    """A ``speechdraft/1`` document: read as is, no findings.

    The paragraphs shown next to it are the speech's own assembled paragraphs.

    >>> read_json(b'{"format": "other"}')
    Traceback (most recent call last):
    ...
    drafts.parsing.ImportRefused: “format” 应为 “speechdraft/1”，实际为 “other”。
    """
    budgets = budgets or budgeting.configured()
    try:
        speech = speech_json.loads(data.decode("utf-8-sig"), budgets)
    except UnicodeDecodeError:
        raise ImportRefused("JSON 文件应为 UTF-8 编码。") from None
    except speech_json.SpeechFormatError as error:
        raise ImportRefused(str(error)) from None
    # The speech's own budgets (importing.speech_errors) hold it, as on creating it:
    # the confirm form carries this same document, and must meet the same refusals.
    # Its lists are counted here already, before its paragraphs are numbered.
    errors = speech_json.list_errors(speech, budgets)
    if errors:
        raise ImportRefused("".join(errors))
    paragraphs = [paragraph.text for paragraph in assemble(speech)]
    return ParseResult(speech, paragraphs, ["" for _ in paragraphs], [])


@dataclass
class WordText:
    """A Word document's paragraphs as the user sees them, their outline levels, findings.

    ``outline_levels[i]`` is paragraph ``i``'s heading level (1 for 标题 1 / Heading 1,
    2 for 标题 2, None for body text), a structure signal for the parser.
    """

    paragraphs: list[str]
    outline_levels: list[int | None]
    findings: list[Finding]


def read_docx(data: bytes, budgets: Budgets | None = None) -> tuple[list[str], list[Finding]]:
    """The paragraphs of a .docx in reading order, table cells included, and findings.

    Only the main document part, its numbering and its styles are unpacked and parsed,
    within ``docx_xml_bytes`` and ``docx_xml_tags``. Runs are joined (hyperlinks and
    tracked insertions too); a soft line break becomes ``\\n``, which the parser keeps
    as a paragraph break only after a full stop. Text boxes are not read (they float
    beside the text): a finding names them.

    >>> read_docx(b"PK\x03\x04 not really a zip")
    Traceback (most recent call last):
    ...
    drafts.parsing.ImportRefused: 这个 .docx 文件已损坏，无法打开。
    """
    text = read_word(data, budgets)
    return text.paragraphs, text.findings


def read_word(data: bytes, budgets: Budgets | None = None) -> WordText:
    """A .docx, .docm, .dotx or .dotm read as the user sees it (see :func:`read_docx`).

    Each paragraph starts with the number Word shows before it, resolved from
    numbering.xml and the styles (``word_lists.py``): 一、 and （一） made by Word's
    automatic lists are part of the text the parser reads, as they are on screen.

    >>> read_word(b"PK\x03\x04 not really a zip")
    Traceback (most recent call last):
    ...
    drafts.parsing.ImportRefused: 这个 .docx 文件已损坏，无法打开。
    """
    budgets = budgets or budgeting.configured()
    body, numbering, styles = _document_parts(data, budgets)
    lists = WordLists(numbering, styles)
    text = WordText([], [], [])
    boxes: list[str] = []
    _read_blocks(body, text, lists, boxes, in_table=False)
    if boxes:
        text.findings.append(_text_box_finding(boxes))
    text.findings += [Finding(message) for message in lists.findings]
    if not any(paragraph.strip() for paragraph in text.paragraphs):
        raise ImportRefused("文档里没有文字。")
    return text


def _document_parts(data: bytes, budgets: Budgets):
    """The ``w:body`` of the main part, found through the package's relationships, and
    the numbering and styles parts it relates to (None where it has none)."""

    def read(archive: zipfile.ZipFile, main: str, allowance: list[int]):
        root = parse_part(archive, main, allowance, budgets)
        return root, _related_parts(archive, main, allowance, budgets)

    root, related = open_package(data, budgets, read)
    body = root.find(W_BODY) if root.tag == W_DOCUMENT else None
    if body is None:
        raise ImportRefused(BROKEN_DOCX)
    return body, related.get(NUMBERING), related.get(STYLES)


def open_package(data: bytes, budgets: Budgets, read):
    """``read(archive, main, allowance)`` on the .docx ``data``, within the budgets: the
    zip's entries counted before zipfile reads them, then the main part's name from the
    package's relationships; ``allowance`` is what is left of ``docx_xml_bytes`` for
    ``parse_part``. A damaged zip, in any of the ways zipfile reports, is a refusal."""
    if not data.startswith(ZIP_MAGIC):
        raise ImportRefused("这个文件不是有效的 .docx 文件（可能是改了扩展名的其他文件）。")
    parts = zip_entries(data)
    if parts > budgets.docx_parts:
        raise ImportRefused(budgeting.over("Word 文档中的部件", budgets.docx_parts, parts, "个"))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            allowance = [budgets.docx_xml_bytes]
            main = main_part_name(parse_part(archive, PACKAGE_RELS, allowance, budgets))
            return read(archive, main, allowance)
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        ValueError,
        OSError,
        NotImplementedError,
        RuntimeError,
    ):
        # A broken directory or stream, or a zip feature it lacks (a later version,
        # encryption): zipfile raises any of these.
        raise ImportRefused("这个 .docx 文件已损坏，无法打开。") from None


def _related_parts(archive: zipfile.ZipFile, main: str, allowance: list[int], budgets: Budgets):
    """The numbering and styles parts named by the main part's relationships, parsed."""
    folder, name = posixpath.split(main)
    rels_name = posixpath.join(folder, "_rels", name + ".rels")
    if rels_name not in archive.NameToInfo:
        return {}
    parts = {}
    for relationship in parse_part(archive, rels_name, allowance, budgets):
        kind = str(relationship.get("Type", ""))
        target = str(relationship.get("Target", ""))
        wanted = next((end for end in (NUMBERING, STYLES) if kind.endswith(end)), None)
        if wanted is None or wanted in parts or relationship.get("TargetMode") == "External":
            continue
        part = posixpath.normpath(
            target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
        )
        if part in archive.NameToInfo:
            parts[wanted] = parse_part(archive, part, allowance, budgets)
    return parts


def zip_entries(data: bytes) -> int:
    """How many entries zipfile would read from the directory, counted in its bytes.

    The directory ends with its end record, which says where the directory starts;
    zipfile reads it all, entry by entry, whatever count the record gives.
    """
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 22 - 65535))
    if end < 0:
        return 0  # no directory: zipfile refuses the file itself
    size = int.from_bytes(data[end + 12 : end + 16], "little")
    return data.count(b"PK\x01\x02", max(0, end - size), end)


def main_part_name(rels) -> str:
    """The main part's name in the package, from its relationships (``_rels/.rels``)."""
    for relationship in rels:
        if str(relationship.get("Type", "")).endswith(OFFICE_DOCUMENT):
            target = str(relationship.get("Target", ""))
            return posixpath.normpath(target.lstrip("/"))
    raise ImportRefused(BROKEN_DOCX)


def parse_part(archive: zipfile.ZipFile, name: str, allowance: list[int], budgets: Budgets):
    """One part, unpacked within what is left of ``docx_xml_bytes`` and parsed.

    The declared size is checked first, and the reading is capped too: a zip's
    declared sizes are written by whoever made the file.
    """
    try:
        entry = archive.getinfo(name)
    except KeyError:
        raise ImportRefused(BROKEN_DOCX) from None
    if entry.flag_bits & 0x1 or entry.compress_type not in ZIP_METHODS:
        raise ImportRefused(
            "这个 .docx 文件经过加密或用了不常见的压缩方式，无法导入。请在 Word 中重新保存再试。"
        )
    read = budgets.docx_xml_bytes - allowance[0]
    if entry.file_size > allowance[0]:
        _refuse_unpacked(budgets, read + entry.file_size)
    pieces, size = [], 0
    with archive.open(entry) as stream:
        while chunk := stream.read(CHUNK):
            size += len(chunk)
            if size > allowance[0]:
                _refuse_unpacked(budgets, read + size)
            pieces.append(chunk)
    allowance[0] -= size
    xml = b"".join(pieces)
    tags = xml.count(b"<")
    if tags > budgets.docx_xml_tags:
        raise ImportRefused(budgeting.over("Word 文档中的标记", budgets.docx_xml_tags, tags, "个"))
    # Word writes its parts in UTF-8 with no DTD: a DOCTYPE can only declare entities.
    if xml.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"<!DOCTYPE" in xml:
        raise ImportRefused(BROKEN_DOCX)
    try:
        return etree.fromstring(xml, XML_PARSER)
    except (etree.XMLSyntaxError, ValueError, LookupError):
        # A syntax error, or an encoding lxml does not know (LookupError, ValueError).
        raise ImportRefused(BROKEN_DOCX) from None


def _refuse_unpacked(budgets: Budgets, size: int) -> None:
    limit, figure = _sizes(budgets.docx_xml_bytes, size)
    raise ImportRefused(f"这个 .docx 文件解压后超过上限：最多 {limit}，现有至少 {figure}。")


def _read_blocks(container, text: WordText, lists: WordLists, boxes, in_table: bool) -> None:
    for child in container.iterchildren():
        if child.tag == W_P:
            # An empty paragraph is left out at once: the parser drops blank ones, and a
            # document of nothing but <w:p/> would otherwise cost a call apiece (one with
            # no properties is numbered only by a numbered default style, never written).
            if not len(child):
                continue
            shown = lists.shown(child)
            paragraph = shown.prefix + _paragraph_text(child, boxes)
            if paragraph:
                text.paragraphs.append(paragraph)
                text.outline_levels.append(shown.outline_level)
        elif child.tag == W_TBL:
            if not in_table:
                text.findings.append(
                    Finding("文档中有表格，表格里的文字已按行逐格读入，请核对位置。")
                )
            for row in child.iterchildren(W_TR):
                for cell in row.iterchildren(W_TC):
                    _read_blocks(cell, text, lists, boxes, in_table=True)
        elif child.tag == W_SDT:
            content = child.find(W_SDT_CONTENT)
            if content is not None:
                _read_blocks(content, text, lists, boxes, in_table)
        elif child.tag == W_CUSTOM_XML:
            _read_blocks(child, text, lists, boxes, in_table)


def _paragraph_text(paragraph, boxes: list[str]) -> str:
    # The runs of a text box (and of its legacy VML copy) are left out; they are
    # collected once per paragraph rather than found by walking up from every run.
    boxed = set()
    for box in paragraph.iter(W_TXBX_CONTENT, MC_FALLBACK):
        boxed.update(box.iter(W_R))
        if box.tag == W_TXBX_CONTENT and not any(
            ancestor.tag == MC_FALLBACK for ancestor in box.iterancestors(MC_FALLBACK)
        ):
            text = "".join(element.text or "" for element in box.iter(W_T)).strip()
            if text:
                boxes.append(text)
    pieces = []
    for run in paragraph.iter(W_R):
        if run in boxed:
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
    return "".join(pieces)


def _text_box_finding(boxes: list[str]) -> Finding:
    """One finding for every text box: the first few quoted, the rest counted."""
    quoted = "、".join(f"“{text if len(text) <= 60 else text[:60] + '……'}”" for text in boxes[:3])
    more = f"等 {len(boxes)} 处" if len(boxes) > 3 else ""
    return Finding(f"文本框中的文字没有导入：{quoted}{more}。")


def _nonempty(text: str) -> str:
    if not text.strip(" \t\r\n\u3000\ufeff"):
        raise ImportRefused("文件里没有文字。")
    return text
