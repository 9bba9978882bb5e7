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
import math
import re
import unicodedata
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

from .assembly import (
    BODY,
    DATE,
    HEADING,
    ITEM,
    LEAD,
    SALUTATION,
    SPEAKER,
    SUBTITLE,
    TITLE,
    Paragraph,
)
from .export_origin import Origin, write_origin
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

# Canonical child order (ECMA-376 Part 1 §17.3.1.26 pPr, §17.3.2.28 EG_RPrBase, §17.15.1.78
# settings, §17.15.3 compat): Word silently drops run properties out of order
# (docx-format.md §7), and settings and compat are sequences. python-docx has no setter
# for these, so each goes in before the first of its successors present.
RPR_AFTER_W = (
    *("w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect"),
    *("w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang"),
    *("w:eastAsianLayout", "w:specVanish", "w:oMath"),
)
SETTINGS_AFTER_MIRROR_MARGINS = (
    *("w:alignBordersAndEdges", "w:bordersDoNotSurroundHeader", "w:bordersDoNotSurroundFooter"),
    *("w:gutterAtTop", "w:hideSpellingErrors", "w:hideGrammaticalErrors"),
    *("w:activeWritingStyle", "w:proofState", "w:formsDesign", "w:attachedTemplate"),
    *("w:linkStyles", "w:stylePaneFormatFilter", "w:stylePaneSortMethod", "w:documentType"),
    *("w:mailMerge", "w:revisionView", "w:trackRevisions", "w:doNotTrackMoves"),
    *("w:doNotTrackFormatting", "w:documentProtection", "w:autoFormatOverride"),
    *("w:styleLockTheme", "w:styleLockQFSet", "w:defaultTabStop"),
)
COMPAT_AFTER_DO_NOT_EXPAND_SHIFT_RETURN = (
    *("w:spacingInWholePoints", "w:lineWrapLikeWord6", "w:printBodyTextBeforeHeader"),
    *("w:printColBlack", "w:wpSpaceWidth", "w:showBreaksInFrames", "w:subFontBySize"),
    *("w:useFELayout", "w:compatSetting"),
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
STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
APP_NAME = "speechdraft 讲话稿起草系统"

DRAFT_MARK = "讨论稿"
PAGE_DASH = "\u2014"  # 一字线 either side of the page number, docx-format.md §4


# The page in twips as Word writes it (docx-format.md §1): A4, 天头 37 mm, 订口 28 mm
# (the inside margin once margins mirror), bottom 35 mm and outside 26 mm, which leave
# the 156 × 225 mm text block (版心).
PAGE_WIDTH, PAGE_HEIGHT = 11906, 16838
TOP_MARGIN, BOTTOM_MARGIN = 2098, 1984
INSIDE_MARGIN, OUTSIDE_MARGIN = 1587, 1474
TEXT_WIDTH = PAGE_WIDTH - INSIDE_MARGIN - OUTSIDE_MARGIN  # 8845 tw = 442.25 pt
TEXT_HEIGHT = PAGE_HEIGHT - TOP_MARGIN - BOTTOM_MARGIN  # 12756 tw = 637.8 pt


@dataclass(frozen=True)
class Layout:
    """Sizes of one layout, in points and twips (docx-format.md §1–§3).

    ``glyph_scale`` is the horizontal scale (w:w, per cent) of the text on the grid:
    see :data:`STANDARD`.
    """

    body_size: float
    title_size: float
    line_pitch: int  # twips; the grid's line pitch and the exact spacing of every line
    chars_per_line: int
    glyph_scale: int = 100

    @property
    def lines_per_page(self) -> int:
        return TEXT_HEIGHT // self.line_pitch

    @property
    def char_space(self) -> int:
        """docGrid/@w:charSpace: how far the grid's character pitch is from the body size.

        ECMA-376 Part 1 §17.6.5: the difference between the desired pitch and the Normal
        style's font size (our docDefaults carry the same size), in 4096ths of a point.
        Rounded down: a pitch a hair too wide would leave Word one character short.

        >>> STANDARD.char_space, LARGE_PRINT.char_space
        (-842, 460)
        """
        pitch = TEXT_WIDTH / 20 / self.chars_per_line
        return math.floor((pitch - self.body_size) * 4096)

    @property
    def indent(self) -> int:
        """The first-line indent in twips for readers that ignore w:firstLineChars.

        Word indents two grid cells by firstLineChars="200"; LibreOffice reads only
        w:firstLine and rounds an indent up to whole cells of its own, slightly narrower
        grid (15.73 pt where Word has 15.79), so 2 × 16 pt gave three cells there. Two
        cells less half a point stays within two cells in both.

        >>> STANDARD.indent, LARGE_PRINT.indent
        (621, 874)
        """
        return math.floor((2 * self.cell - 0.5) * 20)

    @property
    def cell(self) -> float:
        """The grid's character pitch in points, as Word lays it out."""
        return self.body_size + self.char_space / 4096


# 22 lines × 28 characters of 3号 as the offices' Word templates set it: 文档网格
# "指定行和字符网格", 每行 28, 每页 22 (docGrid linesAndChars, docx-format.md §1).
# Lines: 12756 / 579 = 22.03, so 22 of 579 tw (28.95 pt). Characters: 442.25 pt / 28 =
# 15.7946 pt a cell; (15.7946 − 16) × 4096 = −841.1, rounded down to −842, so a cell is
# 16 − 842/4096 = 15.7944 pt and 28 cells take 442.244 pt (−841 would take 442.251 pt,
# past the line). LibreOffice 7.4 gives a character wider than its own 15.73 pt cell
# (its rounding of the same figure) two cells: 14 a line. At 98 % width (15.68 pt) each
# takes one cell there and LibreOffice prints 28 (tests/test_docx_render.py). Word and
# WPS add the grid's −0.21 pt to each character's advance (§17.6.5): 15.47 pt at 98 %,
# so 28 still fit a line and 29 (448.6 pt) do not. The scale is there for LibreOffice
# alone and costs Word 2 % of each glyph's width, not a character of the count.
STANDARD = Layout(body_size=16, title_size=22, line_pitch=579, chars_per_line=28, glyph_scale=98)
# Our own large-print layout, no standard fixes one: 22 pt body at exact 38 pt, 16 lines
# × 20 characters (docx-format.md §3); the title one step larger. 442.25 / 20 = 22.1125 pt
# a cell, (22.1125 − 22) × 4096 = 460.8, so 460; a cell wider than the glyph, which
# LibreOffice places one a cell unscaled.
LARGE_PRINT = Layout(body_size=22, title_size=26, line_pitch=760, chars_per_line=20)

PAGE_NUMBER_SIZE = 14  # 4号, GB/T 9704 §7.5
DRAFT_MARK_SIZE = 14
ONE_CHARACTER = Twips(320)  # "空一字": one 3号 character, docx-format.md §2
# GB/T 9704 §7.5: the page number's dash 7 mm below the text block (docx-format.md §4,
# measured as the middle of the '—' box). 1438 tw (25.4 mm, within the 25–27 mm the
# templates carry) puts it at 7.0 mm in LibreOffice's PDF (tests/test_docx_render.py);
# the 1276 tw derived before put it at 9.9 mm.
FOOTER_DISTANCE = Twips(1438)
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
    # Which version the file is (a stored one, not the present text): its label, e.g.
    # “2026-12-01 10:00 张三 审定通过时”, written to the version and comments properties.
    version: str = ""
    large_print: bool = False
    draft_mark: bool = True
    highlight_placeholders: bool = True
    # The speech and version the file is an export of (``export_origin``), so a
    # reviewed copy can be read back against the text its reviewer saw.
    origin: Origin | None = None

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


# Title lines (docx-format.md §2, GB/T 9704 §7.3.1: a long title over several lines,
# broken where the words allow). Marks that may not start or end a line (禁则).
NO_LINE_START = "，。、；：！？”’）》〉」』…·"
NO_LINE_END = "“‘（《〈「『"
OPENING_MARKS, CLOSING_MARKS = "“‘（《〈「『", "”’）》〉」』"
CLAUSE_ENDS = "，、；：！？" + CLOSING_MARKS
# Where a speech title reads well broken: after the theme (its closing quote, 活动, 工作)
# and before the meeting's kind and the closing words.
BREAK_BEFORE = ("暨", "总结", "推进会", "动员", "部署", "座谈会", "表彰", "专题", "上的讲话")
BREAK_AFTER = ("活动", "工作")
SENSIBLE_BREAK = 3.5  # characters of imbalance a sensible break point is worth
INSIDE_QUOTES = 6.0  # and what breaking inside “…” or （…） costs
SHORTEST_TITLE_LINE = 3  # never one or two characters alone on a line


def balanced_lines(text: str, cell: float, width: float) -> str:
    """``text`` with each of its lines too wide for ``width`` points split into lines of
    about equal width (characters ``cell`` points wide, half-width ones half that).

    The cut goes where the words allow: after a clause or a closing quote, before the
    meeting's name, never inside a Latin word, never before a mark that may not start a
    line. The drafter's own line breaks stay.

    >>> balanced_lines("在全区机关作风建设年活动总结推进会上的讲话", 22, 441.25)
    '在全区机关作风建设年活动\\n总结推进会上的讲话'
    """
    return "\n".join(piece for line in text.split("\n") for piece in _balanced(line, cell, width))


def _balanced(line: str, cell: float, width: float) -> list[str]:
    widths = [cell if unicodedata.east_asian_width(c) in "WFA" else cell / 2 for c in line]
    total = sum(widths)
    if total <= width:
        return [line]
    penalties = [_break_penalty(line, position) for position in range(len(line) + 1)]
    for count in range(math.ceil(total / width), len(line) // SHORTEST_TITLE_LINE + 1):
        cuts = _best_cuts(widths, penalties, count, cell, width)
        if cuts is not None:
            bounds = [0, *cuts, len(line)]
            return [line[start:end] for start, end in zip(bounds, bounds[1:], strict=False)]
    return [line]


def _best_cuts(widths, penalties, count: int, cell: float, width: float) -> list[int] | None:
    """The ``count - 1`` cut positions that make the best lines, or None if none fit."""
    size = len(widths)
    starts = [0.0]
    for w in widths:
        starts.append(starts[-1] + w)
    ideal = starts[-1] / count
    # best[k][j]: (cost, previous cut) of k lines holding the first j characters.
    best = [{0: (0.0, None)}] + [{} for _ in range(count)]
    for lines in range(1, count + 1):
        for end in range(SHORTEST_TITLE_LINE, size + 1):
            if lines == count and end != size:
                continue
            penalty = 0.0 if end == size else penalties[end]
            if math.isinf(penalty):
                continue
            for start, (cost, _) in best[lines - 1].items():
                line_width = starts[end] - starts[start]
                if end - start < SHORTEST_TITLE_LINE or line_width > width:
                    continue
                total = cost + abs(line_width - ideal) / cell + penalty
                if end not in best[lines] or total < best[lines][end][0]:
                    best[lines][end] = (total, start)
    if size not in best[count]:
        return None
    cuts, end = [], size
    for lines in range(count, 1, -1):
        end = best[lines][end][1]
        cuts.insert(0, end)
    return cuts


def _break_penalty(line: str, position: int) -> float:
    """What a line break before ``line[position]`` costs, in characters of imbalance."""
    if position in (0, len(line)):
        return math.inf
    before, after = line[position - 1], line[position]
    if after in NO_LINE_START or before in NO_LINE_END or before == after == "—":
        return math.inf
    if before.isascii() and after.isascii() and before.isalnum() and after.isalnum():
        return math.inf
    head = line[:position]
    depth = sum(head.count(mark) for mark in OPENING_MARKS)
    depth -= sum(head.count(mark) for mark in CLOSING_MARKS)
    if depth > 0:
        return INSIDE_QUOTES
    sensible = (
        before in CLAUSE_ENDS
        or after in OPENING_MARKS
        or line.startswith(BREAK_BEFORE, position)
        or head.endswith(BREAK_AFTER)
    )
    return -SENSIBLE_BREAK if sensible else 0.0


def render_docx(paragraphs: Sequence[Paragraph], options: ExportOptions | None = None) -> bytes:
    """The speech's paragraphs as a .docx file.

    Input: the list from ``assembly.assemble``; output: the bytes of the Word file, one
    Word paragraph per paragraph, the title's line break kept as a line break.

    >>> from drafts.assembly import assemble
    >>> from drafts.structure import Speech
    >>> render_docx(assemble(Speech(title="讲话", opening="开场。")))[:2]
    b'PK'
    """
    page = start_document(paragraphs, options)
    for index, paragraph in enumerate(paragraphs):
        element = page.document.add_paragraph()._p
        following = paragraphs[index + 1].role if index + 1 < len(paragraphs) else None
        page.format_paragraph(element, paragraph.role, following)
        for run in paragraph.runs:
            text = page.display_text(paragraph.role, run.text)
            _add_text(element, text, page.run_style(run.role), page.options.highlight_placeholders)
    return page.save()


@dataclass
class Page:
    """A document being written: its package, styles and section set up, no paragraph
    yet. ``render_docx`` fills it with the speech's paragraphs; the tracked-changes
    export (``docx_changes.py``) fills it with both versions' and shares every rule of
    the layout through these methods."""

    document: DocxDocument
    layout: Layout
    options: ExportOptions
    style_ids: dict[str, str]

    def run_style(self, role: str) -> str | None:
        """The character style id of a run role (the lead's), None for plain text."""
        return self.style_ids[LEAD] if role == LEAD else None

    def paragraph_style(self, role: str) -> str | None:
        """The paragraph style id of a role; None for body paragraphs, in Normal."""
        return None if role == BODY else self.style_ids[role]

    def display_text(self, role: str, text: str) -> str:
        """A run's text as written: XML-safe, a title's lines balanced."""
        text = xml_safe(text)
        layout = self.layout
        if role == TITLE:
            # Off the grid: natural widths, a point to spare for rounding.
            return balanced_lines(text, layout.title_size, TEXT_WIDTH / 20 - 1)
        if role == SUBTITLE:
            return balanced_lines(text, layout.cell, layout.chars_per_line * layout.cell)
        return text

    def format_paragraph(self, element: CT_P, role: str, following: str | None) -> None:
        """The paragraph's style and the spacing its place asks for; ``following`` is
        the role of the next paragraph (None at the end)."""
        style = self.paragraph_style(role)
        if style is not None:
            element.style = style
        if role in (SPEAKER, DATE) and following not in (SPEAKER, DATE):
            # One blank line between the speaker/date lines and the salutation, as one
            # grid line of space so the page keeps its 22 lines (docx-format.md §2).
            spacing = element.get_or_add_pPr().get_or_add_spacing()
            spacing.after = Twips(self.layout.line_pitch)
        elif role == TITLE and following == SUBTITLE:
            # The blank line goes under the subtitle, which carries it in its style.
            element.get_or_add_pPr().get_or_add_spacing().after = 0

    def save(self) -> bytes:
        buffer = BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()


def start_document(paragraphs: Sequence[Paragraph], options: ExportOptions | None = None) -> Page:
    """A document with the package, styles, page and properties of ``paragraphs``'
    export, and no paragraph yet."""
    options = options or ExportOptions()
    layout = LARGE_PRINT if options.large_print else STANDARD
    document = Document()
    _set_up_package(document, layout)
    styles = _add_styles(document, layout)
    _set_up_section(document, layout, options.shows_draft_mark)
    _set_properties(document, paragraphs, options)
    if options.origin is not None:
        write_origin(document, options.origin)
    # Style ids are looked up once: python-docx's per-call lookup scans every style.
    style_ids = {role: style.style_id for role, style in styles.items()}
    return Page(document, layout, options, style_ids)


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
        elif part.partname.endswith("/app.xml"):
            part._blob = _app_properties()
    # The template's thumbnail shows an empty US Letter page in file browsers, and its
    # Word 2010 copy of the styles (stylesWithEffects) still has the blue Calibri ones.
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype == RELATIONSHIP_TYPE.THUMBNAIL:
            del package.rels[rel_id]
    for rel_id, rel in list(document.part.rels.items()):
        if rel.reltype == STYLES_WITH_EFFECTS:
            del document.part.rels[rel_id]

    settings = document.settings
    settings.odd_and_even_pages_header_footer = True
    root = settings.element
    # The template's zoom lacks the required w:percent (docx-format.md §6.10), and its
    # Japanese theme language sends unstyled CJK to ＭＳ 明朝 (python-docx #1601).
    root.find(qn("w:zoom")).set(qn("w:percent"), "100")
    root.find(qn("w:themeFontLang")).set(qn("w:eastAsia"), "zh-CN")
    # As the offices' templates have it (issue 12): 对称页边距 for double-sided printing
    # (the 28 mm margin is the binding edge on both sides of the sheet), and 压缩标点符号.
    mirror = OxmlElement("w:mirrorMargins")
    root.insert_element_before(mirror, *SETTINGS_AFTER_MIRROR_MARGINS)
    root.find(qn("w:characterSpacingControl")).set(qn("w:val"), "compressPunctuation")
    # Word 2013 and later lay the file out as their own (compatibility mode 15), and a
    # line ended by a line break (the title's 回行) is not stretched to the full width.
    compat = root.find(qn("w:compat"))
    no_stretch = OxmlElement("w:doNotExpandShiftReturn")
    _insert_before(compat, no_stretch, COMPAT_AFTER_DO_NOT_EXPAND_SHIFT_RETURN)
    for setting in compat.iterfind(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), "15")

    defaults = document.styles.element.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(run_defaults, BODY_FONT)
    # The same size as Normal's: w:charSpace counts from it (Layout.char_space).
    run_defaults.get_or_add_sz().val = Pt(layout.body_size)
    run_defaults.find(qn("w:lang")).set(qn("w:eastAsia"), "zh-CN")
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")


def _insert_before(parent, child, successors: Sequence[str]) -> None:
    """``child`` into ``parent`` before the first of ``successors`` present, else last:
    python-docx's ``insert_element_before`` for an element it has no class for."""
    tags = {qn(tag) for tag in successors}
    following = next((element for element in parent if element.tag in tags), None)
    if following is None:
        parent.append(child)
    else:
        following.addprevious(child)


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

# Word's built-in heading styles, redefined: Word lists their paragraphs in its
# navigation pane and shows them as 标题 1 / 标题 2 (ids and names as Word writes them).
HEADING_1, HEADING_2 = "Heading1", "Heading2"


def _add_styles(document: DocxDocument, layout: Layout) -> dict[str, BaseStyle]:
    styles = document.styles
    pitch = Twips(layout.line_pitch)

    # Normal is the body (Word shows it as 正文): 仿宋, justified, two-character indent,
    # exact grid spacing, widow control off (it cost LibreOffice a line a page, §6.4).
    normal = styles["Normal"]
    _set_fonts(normal.element.get_or_add_rPr(), BODY_FONT)
    normal.font.size = Pt(layout.body_size)
    _set_scale(normal, layout.glyph_scale)
    _set_paragraph(normal, WD_ALIGN_PARAGRAPH.JUSTIFY, indent=layout.indent, pitch=pitch)
    normal.paragraph_format.widow_control = False

    title = _paragraph_style(styles, "讲话标题", TITLE_FONT, layout.title_size)
    _set_scale(title, 100)
    _set_paragraph(title, WD_ALIGN_PARAGRAPH.CENTER, pitch=pitch)
    title.paragraph_format.space_after = pitch  # a blank grid line under the title
    # LibreOffice gives a 22 pt line two cells of the 28.95 pt grid unless it is
    # kept off the grid; its exact spacing still advances it one grid line.
    _set_snap_to_grid(title, False)
    # "——在…上的讲话" under a title of its own words: 3号楷体 (docx-format.md §2).
    subtitle = _paragraph_style(styles, "讲话副标题", KAI_FONT)
    _set_paragraph(subtitle, WD_ALIGN_PARAGRAPH.CENTER)
    subtitle.paragraph_format.space_after = pitch

    speaker = _paragraph_style(styles, "讲话人", KAI_FONT)
    _set_paragraph(speaker, WD_ALIGN_PARAGRAPH.CENTER)
    date = _paragraph_style(styles, "讲话日期", KAI_FONT, base=speaker)

    salutation = _paragraph_style(styles, "称谓")
    _set_paragraph(salutation, WD_ALIGN_PARAGRAPH.LEFT)

    heading = _builtin_heading(styles, HEADING_1, HEADING_FONT, outline=0)
    heading.paragraph_format.keep_with_next = True
    item = _builtin_heading(styles, HEADING_2, None, outline=1)

    lead = styles.add_style("领句", WD_STYLE_TYPE.CHARACTER)
    lead.base_style = styles["Default Paragraph Font"]
    _set_fonts(lead.element.get_or_add_rPr(), KAI_FONT)
    lead.font.bold = True
    lead.quick_style = True

    _set_margin_style(styles["Footer"], PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
    _set_margin_style(styles["Header"], HEADING_FONT, DRAFT_MARK_SIZE)

    ours = {
        TITLE: title,
        SUBTITLE: subtitle,
        SPEAKER: speaker,
        DATE: date,
        SALUTATION: salutation,
        HEADING: heading,
        ITEM: item,
        LEAD: lead,
    }
    _retire_template_styles(styles, [normal, styles["Footer"], styles["Header"], *ours.values()])
    return ours


def _builtin_heading(styles, style_id: str, east_asian: str | None, *, outline: int) -> BaseStyle:
    """Word's Heading 1 / 2 as a 公文 heading: python-docx's template defines them in
    blue theme Calibri with space before; all of it goes, and what is left is Normal
    plus the heading's own face and its outline level (docx-format.md §6.7)."""
    style = next(s for s in styles if s.style_id == style_id)
    element = style.element
    for tag in ("w:pPr", "w:rPr", "w:link"):
        for old in element.findall(qn(tag)):
            element.remove(old)
    style.base_style = styles["Normal"]
    style.next_paragraph_style = styles["Normal"]
    style.hidden = False
    style.unhide_when_used = False
    style.quick_style = True
    if east_asian:
        _set_fonts(element.get_or_add_rPr(), east_asian)
    element.get_or_add_pPr().get_or_add_outlineLvl().set(qn("w:val"), str(outline))
    return style


def _retire_template_styles(styles, keep: list[BaseStyle]) -> None:
    """python-docx's template brings Title, Subtitle, Heading 3–9, Quote … in theme fonts
    and blue: each one we do not use loses its theme fonts and colour (so, applied, it is
    Normal's 仿宋 in black) and leaves the style gallery (semiHidden, unhideWhenUsed).
    The linked character styles of the two headings we redefine go, their links with
    them; Word's latent styles leave the gallery too."""
    kept = {style.style_id for style in keep}
    root = styles.element
    for element in list(root.iterfind(qn("w:style"))):
        style_id = element.get(qn("w:styleId"))
        if style_id in kept or element.get(qn("w:type")) not in ("paragraph", "character"):
            continue
        if style_id in (f"{HEADING_1}Char", f"{HEADING_2}Char"):
            root.remove(element)
            continue
        rpr = element.find(qn("w:rPr"))
        if rpr is not None:
            for color in rpr.findall(qn("w:color")):
                rpr.remove(color)
            fonts = rpr.find(qn("w:rFonts"))
            if fonts is not None:
                for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                    fonts.attrib.pop(qn(theme), None)
                if not fonts.attrib:
                    rpr.remove(fonts)
        if style_id == "DefaultParagraphFont":
            continue  # the base of every character style, ours included
        element.semiHidden_val = True
        element.unhideWhenUsed_val = True
        element.qFormat_val = False
    latent = root.find(qn("w:latentStyles"))
    visible = {"Normal", "heading 1", "heading 2"}
    for exception in latent.iterfind(qn("w:lsdException")):
        if exception.get(qn("w:name")) not in visible and exception.get(qn("w:qFormat")):
            exception.set(qn("w:qFormat"), "0")


def _paragraph_style(
    styles,
    name: str,
    east_asian: str | None = None,
    size: float | None = None,
    *,
    base: BaseStyle | None = None,
) -> BaseStyle:
    style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = base or styles["Normal"]
    style.next_paragraph_style = styles["Normal"]
    style.quick_style = True
    if east_asian:
        _set_fonts(style.element.get_or_add_rPr(), east_asian)
    if size:
        style.font.size = Pt(size)
    return style


def _set_paragraph(style: BaseStyle, alignment, *, indent: int | None = None, pitch=None) -> None:
    """``indent``: the two-character first-line indent in twips (Layout.indent); None
    for none."""
    form = style.paragraph_format
    form.alignment = alignment
    if pitch is not None:
        form.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        form.line_spacing = pitch
        form.space_before = 0
        form.space_after = 0
    # firstLineChars wins over firstLine in Word and is inherited, so both are set, and
    # zeroed where no indent is wanted (docx-format.md §6.5, §7).
    ind = style.element.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:firstLineChars"), "200" if indent else "0")
    ind.set(qn("w:firstLine"), str(indent or 0))


def _set_margin_style(style: BaseStyle, east_asian: str, size: float) -> None:
    """Header and footer: single spacing off the grid, no indent, unscaled."""
    _set_fonts(style.element.get_or_add_rPr(), east_asian, latin=east_asian)
    style.font.size = Pt(size)
    _set_scale(style, 100)
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


def _set_scale(style: BaseStyle, percent: int) -> None:
    """The style's horizontal glyph scale (字符缩放, w:w); 100 is written too where the
    base style scales, so the style does not inherit it."""
    rpr = style.element.get_or_add_rPr()
    for old in rpr.findall(qn("w:w")):
        rpr.remove(old)
    if percent != 100 or style.base_style is not None:
        rpr.insert_element_before(OxmlElement("w:w", {qn("w:val"): str(percent)}), *RPR_AFTER_W)


# Section: page, grid, headers and footers (docx-format.md §1, §4).


def _set_up_section(document: DocxDocument, layout: Layout, draft_mark: bool) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Twips(PAGE_WIDTH), Twips(PAGE_HEIGHT)
    section.top_margin, section.bottom_margin = Twips(TOP_MARGIN), Twips(BOTTOM_MARGIN)
    # With mirrorMargins (settings) Word reads left as inside and right as outside.
    section.left_margin, section.right_margin = Twips(INSIDE_MARGIN), Twips(OUTSIDE_MARGIN)
    section.footer_distance = FOOTER_DISTANCE
    section.header_distance = HEADER_DISTANCE
    # Word's 页面设置 → 文档网格: 指定行和字符网格, 每行 28, 每页 22 (see STANDARD).
    grid = section._sectPr.find(qn("w:docGrid"))
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(layout.line_pitch))
    grid.set(qn("w:charSpace"), str(layout.char_space))

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
    """Core properties that are true of this file: its title (and subtitle), the unit it
    comes from as author and last editor (python-docx's template says "python-docx"),
    and the time of this export."""
    title = "".join(p.text for p in paragraphs if p.role in (TITLE, SUBTITLE))
    properties = document.core_properties
    properties.title = xml_safe("".join(title.split()))
    properties.author = properties.last_modified_by = xml_safe(options.author)
    properties.content_status = xml_safe(options.status)
    properties.category = "讲话稿"
    properties.comments = xml_safe(options.version)
    properties.version = xml_safe(options.version)
    properties.language = "zh-CN"
    properties.revision = 1
    now = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    properties.created = properties.modified = now


@functools.cache
def _app_properties() -> bytes:
    """docProps/app.xml: the application that wrote the file and nothing else.

    python-docx's template claims Microsoft Macintosh Word 14, Normal.dotm and a page
    count of 1 with no words; the counts are Word's to make when it lays the file out,
    so they are left out rather than written wrong (all are optional, ECMA-376 Part 1
    §22.2)."""
    namespace = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
    root = etree.Element(f"{{{namespace}}}Properties", nsmap={None: namespace})
    for name, value in (
        ("Application", APP_NAME),
        ("DocSecurity", "0"),
        ("ScaleCrop", "false"),
        ("LinksUpToDate", "false"),
        ("SharedDoc", "false"),
        ("HyperlinksChanged", "false"),
    ):
        etree.SubElement(root, f"{{{namespace}}}{name}").text = value
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
