"""The Word export opened with python-docx: layout, styles, fonts, footers, properties."""

import datetime
import io
import zipfile

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt, Twips

from drafts.assembly import assemble, plain_text
from drafts.demo import demo_speech
from drafts.docx_export import ExportOptions, render_docx, xml_safe
from drafts.placeholders import find_placeholders
from drafts.structure import LeadItem, PartTwo, Speech
from tests.factories import sample_structure


def export(speech=None, **options):
    paragraphs = assemble(speech or demo_speech())
    return docx.Document(io.BytesIO(render_docx(paragraphs, ExportOptions(**options))))


@pytest.fixture(scope="module")
def demo():
    return export(author="市统计局", status="起草中")


@pytest.fixture(scope="module")
def large():
    return export(large_print=True)


def by_anchor(document, speech=None):
    """Word paragraphs keyed by the anchor of the assembled paragraph they render."""
    paragraphs = assemble(speech or demo_speech())
    return {p.anchor: w for p, w in zip(paragraphs, document.paragraphs, strict=True)}


def style_chain(style):
    while style is not None:
        yield style
        style = style.base_style


def effective(style, read):
    """The first value ``read`` finds walking up the style's base styles."""
    return next((v for s in style_chain(style) if (v := read(s)) is not None), None)


def east_asian_font(style):
    def read(s):
        fonts = s.element.rPr.rFonts if s.element.rPr is not None else None
        return None if fonts is None else fonts.get(qn("w:eastAsia"))

    return effective(style, read)


def latin_font(style):
    return effective(style, lambda s: s.font.name)


def size(style):
    return effective(style, lambda s: s.font.size)


def indent(style, attribute="w:firstLineChars"):
    def read(s):
        ppr = s.element.pPr
        ind = None if ppr is None else ppr.ind
        return None if ind is None else ind.get(qn(attribute))

    return effective(style, read)


def condense(style):
    def read(s):
        spacing = None if s.element.rPr is None else s.element.rPr.find(qn("w:spacing"))
        return None if spacing is None else int(spacing.get(qn("w:val")))

    return effective(style, read)


# Page


def test_page_is_a4_with_the_gb_margins(demo):
    section = demo.sections[0]
    # Word writes these twips for A4 and 37/35/28/26 mm (docx-format.md §1).
    assert (section.page_width.twips, section.page_height.twips) == (11906, 16838)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [m.twips for m in margins] == [2098, 1984, 1587, 1474]
    assert section.footer_distance.twips == 1276


@pytest.mark.parametrize(("fixture", "pitch"), [("demo", "579"), ("large", "760")])
def test_line_grid_without_a_character_grid(request, fixture, pitch):
    grid = request.getfixturevalue(fixture).sections[0]._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "lines"
    assert grid.get(qn("w:linePitch")) == pitch
    assert grid.get(qn("w:charSpace")) is None


@pytest.mark.parametrize(("fixture", "pitch"), [("demo", 579), ("large", 760)])
def test_body_is_exact_grid_spacing_without_widow_control(request, fixture, pitch):
    normal = request.getfixturevalue(fixture).styles["Normal"].paragraph_format
    assert normal.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert normal.line_spacing == Twips(pitch)
    assert normal.widow_control is False
    assert (normal.space_before, normal.space_after) == (0, 0)
    assert normal.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY


def test_sixteen_point_text_is_condensed_so_28_fit_a_line_and_the_title_is_not(demo, large):
    assert condense(demo.styles["Normal"]) == -10
    for name in ("一级标题", "称谓", "讲话人", "讲话日期"):
        assert condense(demo.styles[name]) == -10, name
    assert condense(demo.styles["讲话标题"]) == 0
    assert condense(large.styles["Normal"]) == 0


# Styles and fonts per role


ROLE_STYLES = {
    "title": ("讲话标题", "方正小标宋简体", 22, 26),
    "speaker": ("讲话人", "楷体_GB2312", 16, 22),
    "date": ("讲话日期", "楷体_GB2312", 16, 22),
    "salutation": ("称谓", "仿宋_GB2312", 16, 22),
    "part_one.heading": ("一级标题", "黑体", 16, 22),
    "opening": ("Normal", "仿宋_GB2312", 16, 22),
    "closing": ("Normal", "仿宋_GB2312", 16, 22),
}


@pytest.mark.parametrize("anchor", sorted(ROLE_STYLES))
def test_each_role_has_its_named_style_east_asian_font_and_size(demo, large, anchor):
    name, font, standard_size, large_size = ROLE_STYLES[anchor]
    for document, expected_size in ((demo, standard_size), (large, large_size)):
        paragraph = by_anchor(document)[anchor]
        assert paragraph.style.name == name
        assert east_asian_font(paragraph.style) == font
        assert latin_font(paragraph.style) == "Times New Roman"
        assert size(paragraph.style) == Pt(expected_size)


def test_no_style_run_or_default_leaves_fonts_to_the_theme(demo):
    styles = demo.styles.element
    theme_attributes = [qn(a) for a in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme")]
    for fonts in styles.iter(qn("w:rFonts")):
        ours = fonts.get(qn("w:eastAsia")) is not None
        assert not ours or not any(fonts.get(a) for a in theme_attributes)
    defaults = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert defaults.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert not any(defaults.rFonts.get(a) for a in theme_attributes)
    assert defaults.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"
    settings = demo.settings.element
    assert settings.find(qn("w:themeFontLang")).get(qn("w:eastAsia")) == "zh-CN"


@pytest.mark.parametrize("fixture", ["demo", "large"])
def test_lead_sentences_are_a_bold_kaiti_run_in_the_body_paragraph(request, fixture):
    document = request.getfixturevalue(fixture)
    paragraph = by_anchor(document)["part_one.achievements.0"]
    lead, body = paragraph.runs[0], paragraph.runs[1]
    assert lead.text == "（一）在夯实基层基础上用力，源头数据更加规范。"
    assert lead.style.name == "领句"
    assert lead.style.font.bold is True
    assert east_asian_font(lead.style) == "楷体_GB2312"
    assert body.style.name == "Default Paragraph Font" and body.bold is None
    assert paragraph.style.name == "Normal"
    measure = by_anchor(document)["part_two.measures.2"]
    assert measure.runs[0].text == "三是要在数据服务上持续创新。"
    assert measure.runs[0].style.name == "领句"


def test_body_paragraphs_indent_two_characters_and_the_header_lines_none(demo, large):
    paragraphs = by_anchor(demo)
    for anchor in ("opening", "part_one.heading", "part_one.achievements.0", "closing"):
        assert indent(paragraphs[anchor].style) == "200", anchor
        assert indent(paragraphs[anchor].style, "w:firstLine") == "640", anchor
        # Two 22 pt characters in twips, for readers that ignore firstLineChars.
        large_style = by_anchor(large)[anchor].style
        assert indent(large_style, "w:firstLine") == "880", anchor
    for anchor in ("title", "speaker", "date", "salutation"):
        assert indent(paragraphs[anchor].style) == "0", anchor
        assert indent(paragraphs[anchor].style, "w:firstLine") == "0", anchor


def test_title_and_byline_are_centred_and_the_salutation_flush_left(demo):
    paragraphs = by_anchor(demo)
    for anchor in ("title", "speaker", "date"):
        assert effective(paragraphs[anchor].style, lambda s: s.paragraph_format.alignment) == (
            WD_ALIGN_PARAGRAPH.CENTER
        )
    assert paragraphs["salutation"].style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.LEFT


def test_title_keeps_its_line_break_and_a_blank_line_follows_the_header(demo):
    paragraphs = by_anchor(demo)
    title = paragraphs["title"]
    assert len(title._p.findall(".//" + qn("w:br"))) == 1
    assert title.text == "在市统计局“数据质量提升年”活动\n总结大会上的讲话"
    assert title.style.paragraph_format.space_after == Twips(579)
    assert paragraphs["speaker"].paragraph_format.space_after is None
    assert paragraphs["date"].paragraph_format.space_after == Twips(579)


def test_blank_line_follows_the_speaker_when_there_is_no_date():
    document = export(sample_structure(speaker="局长 张某"))
    speaker = by_anchor(document, sample_structure(speaker="局长 张某"))["speaker"]
    assert speaker.paragraph_format.space_after == Twips(579)


def test_headings_and_title_carry_outline_levels_for_the_navigation_pane(demo):
    for name in ("讲话标题", "一级标题"):
        assert demo.styles[name].element.pPr.outlineLvl.get(qn("w:val")) == "0"
    assert demo.styles["Normal"].element.pPr.outlineLvl is None
    assert demo.styles["一级标题"].paragraph_format.keep_with_next is True


# Text


@pytest.mark.parametrize("large_print", [False, True])
def test_paragraph_texts_equal_the_plain_text_export(large_print):
    for speech in (demo_speech(), sample_structure(achievements=12, measures=5)):
        document = export(speech, large_print=large_print)
        lines = "".join(p.text + "\n" for p in document.paragraphs)
        assert lines == plain_text(assemble(speech))


def test_control_characters_are_dropped_or_spaced_and_everything_else_arrives():
    awkward = "甲\x0b乙\x0c丙\x00丁\x1f戊\ud800己😀𠮷镕“引”——…ＸＸ×\r\n庚"
    speech = Speech(
        title="标题\x01",
        opening=awkward,
        part_two=PartTwo(measures=[LeadItem("要\x08改", "正文")]),
    )
    texts = [p.text for p in export(speech).paragraphs]
    assert texts == [
        "标题",
        "同志们：",
        "甲 乙 丙丁戊己😀𠮷镕“引”——…ＸＸ×\n庚",
        "一是要改。正文",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a\x0bb\x0cc", "a b c"),
        ("\x00\x01\x08\x0e\x1f", ""),
        ("行一\r\n行二\r行三", "行一\n行二\n行三"),
        ("\ud83d孤", "孤"),
        ("\ufffe\uffff", ""),
        ("😀𠮷“”‘’——…\t\u3000", "😀𠮷“”‘’——…\t\u3000"),
    ],
)
def test_xml_safe(text, expected):
    assert xml_safe(text) == expected


# Placeholders


def highlighted(document):
    return [
        run.text
        for paragraph in document.paragraphs
        for run in paragraph.runs
        if run.font.highlight_color == WD_COLOR_INDEX.YELLOW
    ]


def test_every_placeholder_is_highlighted_yellow_and_nothing_else(demo):
    expected = [
        p.token for paragraph in assemble(demo_speech()) for p in find_placeholders(paragraph.text)
    ]
    assert len(expected) > 10
    assert highlighted(demo) == expected


def test_a_switch_leaves_the_highlight_out():
    document = export(highlight_placeholders=False)
    assert highlighted(document) == []
    assert not any(True for _ in document.element.body.iter(qn("w:highlight")))


def test_highlighted_placeholder_in_a_lead_keeps_the_lead_style():
    speech = sample_structure(achievements=1)
    speech.part_one.achievements[0].lead = "完成X项任务"
    paragraph = by_anchor(export(speech), speech)["part_one.achievements.0"]
    assert [(r.text, r.style.name) for r in paragraph.runs[:3]] == [
        ("（一）完成", "领句"),
        ("X", "领句"),
        ("项任务。", "领句"),
    ]
    assert paragraph.runs[1].font.highlight_color == WD_COLOR_INDEX.YELLOW


# Page numbers, draft mark, properties


def footer_parts(document):
    return {
        "odd": document.sections[0].footer,
        "even": document.sections[0].even_page_footer,
        "first": document.sections[0].first_page_footer,
    }


def test_page_numbers_are_a_page_field_between_dashes_odd_right_even_left(demo):
    assert demo.settings.odd_and_even_pages_header_footer is True
    for kind, footer in footer_parts(demo).items():
        assert not footer.is_linked_to_previous, kind
        paragraph = footer.paragraphs[0]
        element = paragraph._p
        kinds = [c.get(qn("w:fldCharType")) for c in element.iter(qn("w:fldChar"))]
        assert kinds == ["begin", "separate", "end"]
        assert [i.text for i in element.iter(qn("w:instrText"))] == [" PAGE "]
        assert paragraph.text == "— 1 —"
        form = paragraph.paragraph_format
        if kind == "even":
            assert (form.alignment, form.left_indent) == (WD_ALIGN_PARAGRAPH.LEFT, Twips(320))
        else:
            assert (form.alignment, form.right_indent) == (WD_ALIGN_PARAGRAPH.RIGHT, Twips(320))
    footer_style = demo.styles["Footer"]
    assert footer_style.font.size == Pt(14)
    assert footer_style.font.name == "宋体"
    assert east_asian_font(footer_style) == "宋体"
    assert indent(footer_style) == "0"


def test_not_approved_speech_carries_the_draft_mark_top_right_of_page_one(demo):
    section = demo.sections[0]
    assert section.different_first_page_header_footer is True
    mark = section.first_page_header.paragraphs[0]
    assert mark.text == "讨论稿"
    assert mark.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert section.header.is_linked_to_previous  # no mark on later pages


def test_a_switch_leaves_the_draft_mark_out():
    document = export(draft_mark=False)
    section = document.sections[0]
    assert section.different_first_page_header_footer is False
    assert "讨论稿" not in render_docx(
        assemble(demo_speech()), ExportOptions(draft_mark=False)
    ).decode("latin-1")
    assert footer_parts(document)["odd"].paragraphs[0].text == "— 1 —"


def test_document_properties_carry_title_author_and_state(demo):
    properties = demo.core_properties
    assert properties.title == "在市统计局“数据质量提升年”活动总结大会上的讲话"
    assert properties.author == "市统计局"
    assert properties.content_status == "起草中"
    assert properties.language == "zh-CN"
    assert properties.comments == ""
    assert properties.modified.date() >= datetime.date(2026, 1, 1)


def test_theme_and_font_table_name_only_our_fonts():
    with zipfile.ZipFile(io.BytesIO(render_docx(assemble(demo_speech())))) as archive:
        theme = archive.read("word/theme/theme1.xml").decode()
        fonts = archive.read("word/fontTable.xml").decode()
        names = archive.namelist()
    assert "script=" not in theme and "Calibri" not in theme and "Cambria" not in theme
    assert '<a:ea typeface="宋体"/>' in theme
    for name, alternative in (
        ("仿宋_GB2312", "仿宋"),
        ("楷体_GB2312", "楷体"),
        ("黑体", "SimHei"),
        ("宋体", "SimSun"),
        ("方正小标宋简体", "FZXiaoBiaoSong-B05S"),
    ):
        assert f'<w:font w:name="{name}"><w:altName w:val="{alternative}"/>' in fonts
    assert "ＭＳ" not in fonts and "Calibri" not in fonts
    assert "docProps/thumbnail.jpeg" not in names


def test_an_approved_speech_never_carries_the_draft_mark():
    approved = export(approved=True, status="已审定")
    assert approved.sections[0].different_first_page_header_footer is False
    assert approved.core_properties.content_status == "已审定"
