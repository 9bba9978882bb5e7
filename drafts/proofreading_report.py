"""The 校对报告: every proofreading finding of a speech with its place, as a Word file.

Word rather than Excel: offices file the report beside the speech's own .docx, print it
on the same A4 paper and read it in the same program, and python-docx is already what
the export writes with (an .xlsx would need a new dependency for the same table). The
page is landscape so the six columns stay readable: 序号, 位置 (the field's name on every
page, 第一部分 成绩（三） 领句, and the character), 级别, 原文 (the flagged characters
marked 【】 in their context), 问题, 建议修改.
"""

from __future__ import annotations

import datetime
import io
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from lxml.etree import SubElement

from .proofreading import CODE_NAMES, ERROR, Finding
from .structure import Speech, text_fields

EAST_ASIAN_FONT = "宋体"
LATIN_FONT = "Times New Roman"
CONTEXT_CHARS = 12
# A speech typed carelessly (or hostilely) can hold tens of thousands of findings; the
# table lists this many, in reading order, and says how many more there are.
MAX_ROWS = 1000
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
COLUMNS = (("序号", 12), ("位置", 48), ("级别", 14), ("原文", 70), ("问题", 73), ("建议修改", 30))


@dataclass(frozen=True)
class ReportInfo:
    """What the report says about the speech it checked."""

    title: str
    status: str = ""
    organization: str = ""
    checked_at: datetime.datetime | None = None


def in_context(text: str, offset: int, length: int, reach: int = CONTEXT_CHARS) -> str:
    """The flagged characters marked 【】 with a few characters either side, on one line.

    >>> in_context("今天开会,回顾工作。", 4, 1, reach=2)
    '开会【,】回顾'
    """
    before = text[max(0, offset - reach) : offset]
    after = text[offset + length : offset + length + reach]
    flagged = text[offset : offset + length]
    shown = f"{before}【{flagged}】{after}"
    return " ".join(shown.split("\n"))


def place_of(finding: Finding) -> str:
    """``place_of(f) == "第一部分 成绩（三） 领句 第5字"``; an empty field by its name."""
    if not finding.text and finding.offset == 0:
        return finding.label
    return f"{finding.label} 第{finding.offset + 1}字"


def summary(findings: Sequence[Finding]) -> str:
    """The counts: all, errors, suggestions, then by kind in order of first appearance.

    >>> from .proofreading import check_text
    >>> summary(check_text("召开X次会议,研究X项"))
    '共 3 处：错误 3 处，建议 0 处。其中占位符 2 处，半角标点 1 处。'
    """
    if not findings:
        return "没有发现问题。"
    errors = sum(1 for f in findings if f.severity == ERROR)
    kinds = Counter(CODE_NAMES.get(f.code, f.code) for f in findings)
    by_kind = "，".join(f"{name} {count} 处" for name, count in kinds.items())
    return (
        f"共 {len(findings)} 处：错误 {errors} 处，建议 {len(findings) - errors} 处。"
        f"其中{by_kind}。"
    )


def render_report(speech: Speech, findings: Sequence[Finding], info: ReportInfo) -> bytes:
    """The report of ``findings`` (``proofreading.check_speech(speech)``) as .docx bytes."""
    texts = {f"{field.anchor}/{field.name}": field.text for field in text_fields(speech)}
    document = Document()
    _set_up(document, info)
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run("校对报告")
    run.bold = True
    run.font.size = Pt(18)
    title = "".join(line.strip() for line in info.title.splitlines())
    document.add_paragraph(f"讲话稿：{title or '（未填写标题）'}")
    facts = []
    if info.status:
        facts.append(f"状态：{info.status}")
    if info.checked_at:
        when = info.checked_at
        facts.append(f"校对时间：{when.year}年{when.month}月{when.day}日 {when:%H:%M}")
    if facts:
        document.add_paragraph("　　".join(facts))
    document.add_paragraph(summary(findings))
    if findings:
        _table(document, findings[:MAX_ROWS], texts)
    if len(findings) > MAX_ROWS:
        more = len(findings) - MAX_ROWS
        document.add_paragraph(
            f"以上列出前 {MAX_ROWS} 处，另有 {more} 处未列出，请修改后重新下载。"
        )
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _set_up(document, info: ReportInfo) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("top_margin", "bottom_margin", "left_margin", "right_margin"):
        setattr(section, side, Mm(20))
    normal = document.styles["Normal"]
    normal.font.size = Pt(10.5)
    _set_fonts(normal.element.get_or_add_rPr())
    properties = document.core_properties
    properties.title = "校对报告"
    properties.subject = "".join(info.title.split())
    properties.author = info.organization or "讲话稿起草系统"


def _set_fonts(rpr) -> None:
    # Named faces, so Chinese text is set in 宋体 rather than the theme's Latin face.
    fonts = rpr.get_or_add_rFonts()
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), EAST_ASIAN_FONT)


def _table(document, findings: Sequence[Finding], texts: dict[str, str]) -> None:
    table = document.add_table(rows=1, cols=len(COLUMNS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    header = table.rows[0]
    # The header row repeats on every page of a long report.
    header._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for cell, (name, width) in zip(header.cells, COLUMNS, strict=True):
        cell.width = Mm(width)
        cell.paragraphs[0].add_run(name).bold = True
    widths = [str(Mm(width).twips) for _, width in COLUMNS]
    for number, finding in enumerate(findings, start=1):
        text = texts.get(finding.address, "")
        original = in_context(text, finding.offset, finding.length) if text.strip() else ""
        if finding.suggestion is None:
            fix = ""
        elif finding.suggestion:
            fix = finding.suggestion
        else:
            fix = "（删去）" if finding.text else ""
        values = (str(number), place_of(finding), finding.severity, original, finding.message, fix)
        _row(table, values, widths)


def _row(table, values: Sequence[str], widths: Sequence[str]) -> None:
    """A table row written as XML: python-docx's cell objects work out the whole grid
    for each cell, and its OxmlElement parses a string per element; a report of a
    thousand findings took seconds either way."""
    row = SubElement(table._tbl, qn("w:tr"))
    for value, width in zip(values, widths, strict=True):
        cell = SubElement(row, qn("w:tc"))
        SubElement(
            SubElement(cell, qn("w:tcPr")), qn("w:tcW"), {qn("w:w"): width, qn("w:type"): "dxa"}
        )
        paragraph = SubElement(cell, qn("w:p"))
        if value:
            text = SubElement(SubElement(paragraph, qn("w:r")), qn("w:t"))
            text.set(XML_SPACE, "preserve")
            text.text = value
