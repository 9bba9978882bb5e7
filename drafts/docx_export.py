"""Assembled paragraphs → a .docx laid out per GB/T 9704, standard or large print.

The layout, fonts and python-docx techniques follow ``docx-format.md`` (cited by section
below). Every paragraph role of ``assembly.py`` maps to one named paragraph style, and a
lead sentence to one character style, so staff can restyle the document by style and
Word's navigation pane shows the parts. Runs carry no direct formatting except the
yellow highlight of placeholders. No database, no request: plain paragraphs in, bytes out.
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from io import BytesIO

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.text.paragraph import CT_P
from docx.shared import Mm, Pt, Twips
from docx.styles.style import BaseStyle
from docx.text.paragraph import Paragraph as DocxParagraph
from lxml import etree

from .assembly import BODY, DATE, HEADING, LEAD, SALUTATION, SPEAKER, TITLE, Paragraph
from .placeholders import split_placeholders

LATIN_FONT = "Times New Roman"
BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
KAI_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"

# docx-format.md §5: the names Word shows in its font box, each with the alternative a
# machine without the _GB2312 or Founder faces should try (ECMA-376 §17.8.3.1 altName),
# its character set (86 = GB2312), family and pitch as Word itself writes them.
FONT_TABLE = (
    (LATIN_FONT, None, "00", "roman", "variable"),
    (PAGE_NUMBER_FONT, "SimSun", "86", "auto", "variable"),
    (BODY_FONT, "仿宋", "86", "modern", "fixed"),
    (KAI_FONT, "楷体", "86", "modern", "fixed"),
    (HEADING_FONT, "SimHei", "86", "modern", "fixed"),
    (TITLE_FONT, "FZXiaoBiaoSong-B05S", "86", "auto", "variable"),
)

# Canonical child order (ECMA-376 Part 1 §17.3.1.26 pPr, §17.3.2.28 EG_RPrBase): Word
# silently drops run properties out of order (docx-format.md §7). python-docx has no
# setter for these two, so each goes in before the first of its successors present.
RPR_AFTER_SPACING = (
    *("w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect"),
    *("w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang"),
    *("w:eastAsianLayout", "w:specVanish", "w:oMath"),
)
PPR_AFTER_SNAP_TO_GRID = (
    *("w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap"),
    *("w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl"),
    *("w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange"),
)

# XML 1.0 forbids most C0 controls, lone surrogates and U+FFFE/U+FFFF; lxml refuses them.
# Vertical tab and form feed are Word's line and page breaks pasted as text, so they
# become a space; the rest carry nothing readable and are dropped (issue 3, point 5).
BREAK_CONTROLS = re.compile("[\x0b\x0c]")
ILLEGAL_XML = re.compile("[\x00-\x08\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

W_NAMESPACE = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

DRAFT_MARK = "讨论稿"
PAGE_DASH = "\u2014"  # 一字线 either side of the page number, docx-format.md §4


@dataclass(frozen=True)
class Layout:
    """Sizes of one layout, in points and twips (docx-format.md §1–§3)."""

    body_size: float
    title_size: float
    line_pitch: int  # twips; the exact line spacing of every text line
    condense: int  # twentieths of a point per character, negative = condensed


# 22 lines × 28 characters: 579 tw lines, 16 pt characters condensed so 28 fit the
# 442.25 pt text block (docx-format.md §1 Recommendation). Any advance between 15.25 pt
# (29 would fit) and 15.79 pt (28 would not) gives 28; §1 takes 0.25 pt, close to the
# 15.79 edge, and there LibreOffice 7.4 hangs a line-end ，or 。 into the margin without
# drawing it. 0.5 pt, mid-range, keeps 28 a line and LibreOffice draws the hung mark.
STANDARD = Layout(body_size=16, title_size=22, line_pitch=579, condense=-10)
# Our own large-print layout, no standard fixes one: 22 pt body at exact 38 pt gives
# 16 lines × 20 characters uncondensed (docx-format.md §3); the title one step larger.
LARGE_PRINT = Layout(body_size=22, title_size=26, line_pitch=760, condense=0)

PAGE_NUMBER_SIZE = 14  # 4号, GB/T 9704 §7.5
DRAFT_MARK_SIZE = 14
ONE_CHARACTER = Twips(320)  # "空一字": one 3号 character, docx-format.md §2
FOOTER_DISTANCE = Twips(1276)  # dash top 7 mm under the text block, docx-format.md §4
HEADER_DISTANCE = Mm(24)


@dataclass(frozen=True)
class ExportOptions:
    """What the renderer needs beyond the paragraphs.

    ``author`` is the speech's organisation and ``status`` its state label (起草中);
    both go into the document properties. A speech that is not ``approved`` carries
    讨论稿 at the top right of the first page unless ``draft_mark`` is switched off;
    ``highlight_placeholders`` marks X, XX … in yellow.
    """

    author: str = ""
    status: str = ""
    approved: bool = False
    large_print: bool = False
    draft_mark: bool = True
    highlight_placeholders: bool = True

    @property
    def shows_draft_mark(self) -> bool:
        return self.draft_mark and not self.approved


def xml_safe(text: str) -> str:
    """``text`` without the characters XML cannot hold; breaks pasted as text become spaces.

    CR LF and lone CR become LF (a line break in Word). Every other character, emoji,
    rare characters, “” quotes and —— included, is kept.

    >>> xml_safe("甲\\x0b乙\\x00丙😀")
    '甲 乙丙😀'
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return ILLEGAL_XML.sub("", BREAK_CONTROLS.sub(" ", text))


def render_docx(paragraphs: Sequence[Paragraph], options: ExportOptions | None = None) -> bytes:
    """The speech's paragraphs as a .docx file.

    Input: the list from ``assembly.assemble``; output: the bytes of the Word file, one
    Word paragraph per paragraph, the title's line break kept as a line break.

    >>> from drafts.assembly import assemble
    >>> from drafts.structure import Speech
    >>> render_docx(assemble(Speech(title="讲话", opening="开场。")))[:2]
    b'PK'
    """
    options = options or ExportOptions()
    layout = LARGE_PRINT if options.large_print else STANDARD
    document = Document()
    _set_up_package(document, layout)
    styles = _add_styles(document, layout)
    _set_up_section(document, layout, options.shows_draft_mark)
    _set_properties(document, paragraphs, options)

    # Style ids are looked up once: python-docx's per-call lookup scans every style.
    style_ids = {role: style.style_id for role, style in styles.items()}
    highlight = options.highlight_placeholders
    for index, paragraph in enumerate(paragraphs):
        element = document.add_paragraph()._p
        if paragraph.role != BODY:  # body paragraphs are in Normal, which needs no pStyle
            element.style = style_ids[paragraph.role]
        for run in paragraph.runs:
            run_style = style_ids[LEAD] if run.role == LEAD else None
            _add_text(element, xml_safe(run.text), run_style, highlight)
        following = paragraphs[index + 1].role if index + 1 < len(paragraphs) else None
        if paragraph.role in (SPEAKER, DATE) and following not in (SPEAKER, DATE):
            # One blank line between the speaker/date lines and the salutation, as one
            # grid line of space so the page keeps its 22 lines (docx-format.md §2).
            spacing = element.get_or_add_pPr().get_or_add_spacing()
            spacing.after = Twips(layout.line_pitch)

    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _add_text(paragraph: CT_P, text: str, style_id: str | None, highlight: bool) -> None:
    """Runs for ``text``, placeholders in runs of their own highlighted yellow. The
    python-docx oxml setters keep rStyle before highlight (canonical rPr order)."""
    pieces = split_placeholders(text) if highlight else [(text, False)]
    for segment, is_placeholder in pieces:
        run = paragraph.add_r()
        if style_id:
            run.get_or_add_rPr().style = style_id
        if is_placeholder:
            run.get_or_add_rPr().highlight_val = WD_COLOR_INDEX.YELLOW
        if "\n" in segment or "\t" in segment:
            run.text = segment  # python-docx turns \n into w:br and \t into w:tab
        else:
            run.add_t(segment)  # the common case, without the setter's clearing scan


# Package: theme, font table, settings, document defaults (docx-format.md §6.1, §6.9).


def _set_up_package(document: DocxDocument, layout: Layout) -> None:
    package = document.part.package
    for part in package.iter_parts():
        if part.partname.endswith("/theme1.xml"):
            # python-docx has no theme API; the blob is replaced before saving.
            part._blob = _patched_theme(part.blob)
        elif part.partname.endswith("/fontTable.xml"):
            part._blob = _font_table()
    # The template's thumbnail shows an empty US Letter page in file browsers.
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype == RELATIONSHIP_TYPE.THUMBNAIL:
            del package.rels[rel_id]

    settings = document.settings
    settings.odd_and_even_pages_header_footer = True
    # The template's zoom lacks the required w:percent (docx-format.md §6.10), and its
    # Japanese theme language sends unstyled CJK to ＭＳ 明朝 (python-docx #1601).
    settings.element.find(qn("w:zoom")).set(qn("w:percent"), "100")
    settings.element.find(qn("w:themeFontLang")).set(qn("w:eastAsia"), "zh-CN")

    defaults = document.styles.element.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(run_defaults, BODY_FONT)
    run_defaults.get_or_add_sz().val = Pt(layout.body_size)
    run_defaults.find(qn("w:lang")).set(qn("w:eastAsia"), "zh-CN")
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")


@functools.cache
def _patched_theme(blob: bytes) -> bytes:
    """Theme fonts Times New Roman / 宋体 and no per-script list: WPS reports each
    font the theme names as missing (docx-format.md §6.9)."""
    root = etree.fromstring(blob)
    namespace = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
    for scheme in root.iterfind(".//a:fontScheme/*", namespace):
        scheme.find("a:latin", namespace).set("typeface", LATIN_FONT)
        scheme.find("a:ea", namespace).set("typeface", PAGE_NUMBER_FONT)
        for font in scheme.findall("a:font", namespace):
            scheme.remove(font)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


@functools.cache
def _font_table() -> bytes:
    w = W_NAMESPACE
    root = etree.Element(f"{{{w}}}fonts", nsmap={"w": w})
    for name, alternative, charset, family, pitch in FONT_TABLE:
        font = etree.SubElement(root, f"{{{w}}}font", {f"{{{w}}}name": name})
        if alternative:
            etree.SubElement(font, f"{{{w}}}altName", {f"{{{w}}}val": alternative})
        etree.SubElement(font, f"{{{w}}}charset", {f"{{{w}}}val": charset})
        etree.SubElement(font, f"{{{w}}}family", {f"{{{w}}}val": family})
        etree.SubElement(font, f"{{{w}}}pitch", {f"{{{w}}}val": pitch})
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# Styles (docx-format.md §2, §6.2–§6.7).


def _add_styles(document: DocxDocument, layout: Layout) -> dict[str, BaseStyle]:
    styles = document.styles
    pitch = Twips(layout.line_pitch)

    # Normal is the body (Word shows it as 正文): 仿宋, justified, two-character indent,
    # exact grid spacing, widow control off (it cost LibreOffice a line a page, §6.4).
    normal = styles["Normal"]
    _set_fonts(normal.element.get_or_add_rPr(), BODY_FONT)
    normal.font.size = Pt(layout.body_size)
    _set_condense(normal, layout.condense)
    _set_paragraph(normal, WD_ALIGN_PARAGRAPH.JUSTIFY, indent=layout.body_size, pitch=pitch)
    normal.paragraph_format.widow_control = False

    title = _paragraph_style(styles, "讲话标题", TITLE_FONT, layout.title_size, outline=0)
    _set_condense(title, 0)
    _set_paragraph(title, WD_ALIGN_PARAGRAPH.CENTER, pitch=pitch)
    title.paragraph_format.space_after = pitch  # a blank grid line under the title
    # LibreOffice gives a 22 pt line two cells of the 28.95 pt grid unless it is
    # kept off the grid; its exact spacing still advances it one grid line.
    _set_snap_to_grid(title, False)

    speaker = _paragraph_style(styles, "讲话人", KAI_FONT)
    _set_paragraph(speaker, WD_ALIGN_PARAGRAPH.CENTER)
    date = _paragraph_style(styles, "讲话日期", KAI_FONT, base=speaker)

    salutation = _paragraph_style(styles, "称谓")
    _set_paragraph(salutation, WD_ALIGN_PARAGRAPH.LEFT)

    heading = _paragraph_style(styles, "一级标题", HEADING_FONT, outline=0)
    heading.paragraph_format.keep_with_next = True

    lead = styles.add_style("领句", WD_STYLE_TYPE.CHARACTER)
    lead.base_style = styles["Default Paragraph Font"]
    _set_fonts(lead.element.get_or_add_rPr(), KAI_FONT)
    lead.font.bold = True
    lead.quick_style = True

    _set_margin_style(styles["Footer"], PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
    _set_margin_style(styles["Header"], HEADING_FONT, DRAFT_MARK_SIZE)

    return {
        TITLE: title,
        SPEAKER: speaker,
        DATE: date,
        SALUTATION: salutation,
        HEADING: heading,
        LEAD: lead,
    }


def _paragraph_style(
    styles,
    name: str,
    east_asian: str | None = None,
    size: float | None = None,
    *,
    base: BaseStyle | None = None,
    outline: int | None = None,
) -> BaseStyle:
    style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = base or styles["Normal"]
    style.next_paragraph_style = styles["Normal"]
    style.quick_style = True
    if east_asian:
        _set_fonts(style.element.get_or_add_rPr(), east_asian)
    if size:
        style.font.size = Pt(size)
    if outline is not None:
        # Word's navigation pane lists paragraphs by outline level (docx-format.md §6.7).
        style.element.get_or_add_pPr().get_or_add_outlineLvl().set(qn("w:val"), str(outline))
    return style


def _set_paragraph(style: BaseStyle, alignment, *, indent: float | None = None, pitch=None) -> None:
    """``indent`` is the size in points of the characters to indent two of; None for none."""
    form = style.paragraph_format
    form.alignment = alignment
    if pitch is not None:
        form.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        form.line_spacing = pitch
        form.space_before = 0
        form.space_after = 0
    # firstLineChars wins over firstLine in Word and is inherited, so both are set, and
    # zeroed where no indent is wanted (docx-format.md §6.5, §7). LibreOffice reads only
    # firstLine, so it must match the size: 640 tw for 16 pt, 880 tw for 22 pt.
    ind = style.element.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:firstLineChars"), "200" if indent else "0")
    ind.set(qn("w:firstLine"), str(round(2 * indent * 20)) if indent else "0")


def _set_margin_style(style: BaseStyle, east_asian: str, size: float) -> None:
    """Header and footer: single spacing off the grid, no indent, uncondensed."""
    _set_fonts(style.element.get_or_add_rPr(), east_asian, latin=east_asian)
    style.font.size = Pt(size)
    _set_condense(style, 0)
    style.paragraph_format.tab_stops.clear_all()
    style.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    _set_paragraph(style, None)
    # Snapping to the 28.95 pt grid would make the footer line taller (docx-format.md §4).
    _set_snap_to_grid(style, False)


def _set_snap_to_grid(style: BaseStyle, snap: bool) -> None:
    snap_to_grid = OxmlElement("w:snapToGrid", {qn("w:val"): "1" if snap else "0"})
    style.element.get_or_add_pPr().insert_element_before(snap_to_grid, *PPR_AFTER_SNAP_TO_GRID)


def _set_fonts(rpr, east_asian: str, latin: str = LATIN_FONT) -> None:
    """All four font slots by name, theme attributes removed (they beat the names),
    and the East Asian face for ambiguous marks such as “” — (docx-format.md §5, §6.2)."""
    fonts = rpr.get_or_add_rFonts()
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:hint"), "eastAsia")


def _set_condense(style: BaseStyle, condense: int) -> None:
    rpr = style.element.get_or_add_rPr()
    for old in rpr.findall(qn("w:spacing")):
        rpr.remove(old)
    spacing = OxmlElement("w:spacing", {qn("w:val"): str(condense)})
    rpr.insert_element_before(spacing, *RPR_AFTER_SPACING)


# Section: page, grid, headers and footers (docx-format.md §1, §4).


def _set_up_section(document: DocxDocument, layout: Layout, draft_mark: bool) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = FOOTER_DISTANCE
    section.header_distance = HEADER_DISTANCE
    # A line grid and no character grid: the condensed spacing gives the 28 characters
    # (docx-format.md §1 Recommendation).
    grid = section._sectPr.find(qn("w:docGrid"))
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(layout.line_pitch))

    _add_page_number(section.footer.paragraphs[0], odd=True)
    _add_page_number(section.even_page_footer.paragraphs[0], odd=False)
    if draft_mark:
        section.different_first_page_header_footer = True
        _add_page_number(section.first_page_footer.paragraphs[0], odd=True)
        mark = section.first_page_header.paragraphs[0]
        mark.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        mark.add_run(DRAFT_MARK)


def _add_page_number(paragraph: DocxParagraph, *, odd: bool) -> None:
    """ "— 1 —", odd pages right and even pages left, one character in (GB/T 9704 §7.5)."""
    form = paragraph.paragraph_format
    if odd:
        form.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        form.right_indent = ONE_CHARACTER
    else:
        form.alignment = WD_ALIGN_PARAGRAPH.LEFT
        form.left_indent = ONE_CHARACTER
    paragraph.add_run(f"{PAGE_DASH} ")
    _add_field_char(paragraph, "begin")
    instruction = OxmlElement("w:instrText", {qn("xml:space"): "preserve"})
    instruction.text = " PAGE "
    paragraph.add_run()._r.append(instruction)
    _add_field_char(paragraph, "separate")
    paragraph.add_run("1")  # the cached result; Word and WPS refresh it when laying out
    _add_field_char(paragraph, "end")
    paragraph.add_run(f" {PAGE_DASH}")


def _add_field_char(paragraph: DocxParagraph, kind: str) -> None:
    # A fresh run has no rPr, so appending keeps the run's children in order (§6.8).
    paragraph.add_run()._r.append(OxmlElement("w:fldChar", {qn("w:fldCharType"): kind}))


def _set_properties(
    document: DocxDocument, paragraphs: Sequence[Paragraph], options: ExportOptions
) -> None:
    title = next((p.text for p in paragraphs if p.role == TITLE), "")
    properties = document.core_properties
    properties.title = xml_safe("".join(title.split()))
    properties.author = properties.last_modified_by = xml_safe(options.author)
    properties.content_status = xml_safe(options.status)
    properties.category = "讲话稿"
    properties.comments = ""
    properties.language = "zh-CN"
    properties.revision = 1
    now = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    properties.created = properties.modified = now
