"""The Word export opened with python-docx: layout, styles, fonts, footers, properties."""

import datetime
import io
import zipfile

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt, Twips
from lxml import etree

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


def scale(style):
    def read(s):
        width = None if s.element.rPr is None else s.element.rPr.find(qn("w:w"))
        return None if width is None else int(width.get(qn("w:val")))

    return effective(style, read) or 100


def settings_child(document, tag):
    return document.settings.element.find(qn(tag))


# Page


def test_page_is_a4_with_the_gb_margins_mirrored_for_double_sided_printing(demo, large):
    for document in (demo, large):
        section = document.sections[0]
        # Word writes these twips for A4 and 37/35/28/26 mm (docx-format.md §1).
        assert (section.page_width.twips, section.page_height.twips) == (11906, 16838)
        margins = (section.top_margin, section.bottom_margin)
        assert [m.twips for m in margins] == [2098, 1984]
        # 对称页边距: left is the inside (binding) margin, right the outside one.
        assert (section.left_margin.twips, section.right_margin.twips) == (1587, 1474)
        assert settings_child(document, "w:mirrorMargins") is not None
        assert settings_child(document, "w:mirrorMargins").get(qn("w:val")) is None


@pytest.mark.parametrize(
    ("fixture", "pitch", "char_space", "lines", "chars"),
    [("demo", 579, -842, 22, 28), ("large", 760, 460, 16, 20)],
)
def test_the_character_grid_is_words_lines_and_characters_per_page_and_line(
    request, fixture, pitch, char_space, lines, chars
):
    document = request.getfixturevalue(fixture)
    section = document.sections[0]
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars"
    assert grid.get(qn("w:linePitch")) == str(pitch)
    assert grid.get(qn("w:charSpace")) == str(char_space)
    # What Word's 页面设置 derives from them (ECMA-376 §17.6.5): each cell is the Normal
    # size plus charSpace/4096 pt; the lines and cells that fit the text block.
    body = document.styles["Normal"].font.size.pt
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    assert defaults.find(qn("w:rPr")).find(qn("w:sz")).get(qn("w:val")) == str(round(body * 2))
    width = section.page_width.twips - section.left_margin.twips - section.right_margin.twips
    height = section.page_height.twips - section.top_margin.twips - section.bottom_margin.twips
    cell = body + char_space / 4096
    assert (height // pitch, int(width / 20 // cell)) == (lines, chars)
    # One unit more and the count changes: the value is the edge, not a guess.
    assert int(width / 20 // (cell + 1 / 4096)) == chars - 1


def test_no_style_condenses_characters_and_the_text_on_the_grid_is_at_98_per_cent(demo, large):
    # The 0.5 pt the export condensed by before issue 12: no run property narrows text.
    for part in (demo.styles.element, demo.element):
        spacings = [
            int(e.get(qn("w:val"))) for e in part.iter(qn("w:spacing")) if e.get(qn("w:val"))
        ]
        assert min(spacings, default=0) >= 0
    for name in ("Normal", "Heading 1", "Heading 2", "称谓", "讲话人", "讲话副标题"):
        assert scale(demo.styles[name]) == 98, name
    assert demo.styles["领句"].element.rPr.find(qn("w:w")) is None  # its paragraph's scale
    for name in ("讲话标题", "Header", "Footer"):
        assert scale(demo.styles[name]) == 100, name
    assert scale(large.styles["Normal"]) == 100


@pytest.mark.parametrize(("fixture", "pitch"), [("demo", 579), ("large", 760)])
def test_body_is_exact_grid_spacing_without_widow_control(request, fixture, pitch):
    normal = request.getfixturevalue(fixture).styles["Normal"].paragraph_format
    assert normal.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert normal.line_spacing == Twips(pitch)
    assert normal.widow_control is False
    assert (normal.space_before, normal.space_after) == (0, 0)
    assert normal.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY


def test_settings_compress_punctuation_and_keep_lines_ended_by_a_break_unstretched(demo):
    control = settings_child(demo, "w:characterSpacingControl")
    assert control.get(qn("w:val")) == "compressPunctuation"
    compat = settings_child(demo, "w:compat")
    assert compat.find(qn("w:doNotExpandShiftReturn")) is not None
    modes = [
        c.get(qn("w:val"))
        for c in compat.iterfind(qn("w:compatSetting"))
        if c.get(qn("w:name")) == "compatibilityMode"
    ]
    assert modes == ["15"]


# Styles and fonts per role


ROLE_STYLES = {
    "title": ("讲话标题", "方正小标宋简体", 22, 26),
    "part_one.achievements.0": ("Heading 2", "仿宋_GB2312", 16, 22),
    "speaker": ("讲话人", "楷体_GB2312", 16, 22),
    "date": ("讲话日期", "楷体_GB2312", 16, 22),
    "salutation": ("称谓", "仿宋_GB2312", 16, 22),
    "part_one.heading": ("Heading 1", "黑体", 16, 22),
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
    assert paragraph.style.name == "Heading 2"
    measure = by_anchor(document)["part_two.measures.2"]
    assert measure.runs[0].text == "三是要在数据服务上持续创新。"
    assert measure.runs[0].style.name == "领句"


def test_body_paragraphs_indent_two_characters_and_the_header_lines_none(demo, large):
    paragraphs = by_anchor(demo)
    for anchor in ("opening", "part_one.heading", "part_one.achievements.0", "closing"):
        assert indent(paragraphs[anchor].style) == "200", anchor
        # For readers that ignore firstLineChars: a little under two grid cells
        # (2 × 15.79 pt; 2 × 22.11 pt), which LibreOffice would round up to three.
        assert indent(paragraphs[anchor].style, "w:firstLine") == "621", anchor
        large_style = by_anchor(large)[anchor].style
        assert indent(large_style, "w:firstLine") == "874", anchor
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
    assert title.paragraph_format.space_after is None  # no subtitle under it
    assert paragraphs["speaker"].paragraph_format.space_after is None
    assert paragraphs["date"].paragraph_format.space_after == Twips(579)


def test_blank_line_follows_the_speaker_when_there_is_no_date():
    document = export(sample_structure(speaker="局长 张某"))
    speaker = by_anchor(document, sample_structure(speaker="局长 张某"))["speaker"]
    assert speaker.paragraph_format.space_after == Twips(579)


def test_headings_reach_the_navigation_pane_through_words_heading_styles(demo):
    """一、 at outline level 1 and the （一） items at level 2, as Word's own 标题 1 / 标题 2."""
    heading_1, heading_2 = demo.styles["Heading 1"], demo.styles["Heading 2"]
    assert (heading_1.style_id, heading_2.style_id) == ("Heading1", "Heading2")
    names = [s.element.find(qn("w:name")).get(qn("w:val")) for s in (heading_1, heading_2)]
    assert names == ["heading 1", "heading 2"]
    assert heading_1.element.pPr.outlineLvl.get(qn("w:val")) == "0"
    assert heading_2.element.pPr.outlineLvl.get(qn("w:val")) == "1"
    assert heading_1.paragraph_format.keep_with_next is True
    paragraphs = by_anchor(demo)
    assert paragraphs["part_two.heading"].style.name == "Heading 1"
    assert paragraphs["part_one.achievements.3"].style.name == "Heading 2"
    for anchor in ("title", "opening", "part_one.intro", "part_two.measures.0", "closing"):
        style = paragraphs[anchor].style
        assert (
            effective(
                style, lambda s: s.element.pPr.outlineLvl if s.element.pPr is not None else None
            )
            is None
        ), anchor


def style_rows(document):
    for element in document.styles.element.iterfind(qn("w:style")):
        name = element.find(qn("w:name")).get(qn("w:val"))
        yield element, name


def test_the_style_gallery_holds_only_our_styles_and_none_is_blue_or_in_theme_fonts(demo):
    gallery = {
        name
        for element, name in style_rows(demo)
        if element.find(qn("w:qFormat")) is not None and element.find(qn("w:semiHidden")) is None
    }
    assert gallery == {
        "Normal",
        "heading 1",
        "heading 2",
        "讲话标题",
        "讲话副标题",
        "讲话人",
        "讲话日期",
        "称谓",
        "领句",
    }
    for element, name in style_rows(demo):
        if element.get(qn("w:type")) not in ("paragraph", "character"):
            continue
        rpr = element.find(qn("w:rPr"))
        if rpr is None:
            continue
        assert rpr.find(qn("w:color")) is None, name
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is not None:
            assert not [a for a in fonts.attrib if a.endswith("Theme") or "theme" in a], name
    # The headings' linked character styles carried the blue Calibri; they are gone.
    names = {name for _, name in style_rows(demo)}
    assert not {"Heading 1 Char", "Heading 2 Char"} & names
    latent = demo.styles.element.find(qn("w:latentStyles"))
    quick = {
        e.get(qn("w:name"))
        for e in latent.iterfind(qn("w:lsdException"))
        if e.get(qn("w:qFormat")) == "1"
    }
    assert quick <= {"Normal", "heading 1", "heading 2"}


def test_the_title_and_a_subtitle_under_it_have_styles_of_their_own():
    speech = Speech(title="凝心聚力抓落实\n——在全区工作会议上的讲话", speaker="区长 某某")
    document = export(speech)
    title, subtitle = document.paragraphs[0], document.paragraphs[1]
    assert (title.style.name, subtitle.style.name) == ("讲话标题", "讲话副标题")
    assert subtitle.text == "——在全区工作会议上的讲话"
    assert east_asian_font(subtitle.style) == "楷体_GB2312"
    assert size(subtitle.style) == Pt(16)
    assert effective(subtitle.style, lambda s: s.paragraph_format.alignment) == (
        WD_ALIGN_PARAGRAPH.CENTER
    )
    assert indent(subtitle.style) == "0"
    # The blank line goes under the subtitle, not between title and subtitle.
    assert title.paragraph_format.space_after == 0
    assert subtitle.style.paragraph_format.space_after == Twips(579)
    assert document.core_properties.title == "凝心聚力抓落实——在全区工作会议上的讲话"


def test_each_paragraph_of_a_text_is_a_word_paragraph_of_its_own():
    speech = Speech(opening="第一段。\n第二段。", closing="结束。")
    document = export(speech)
    texts = [p.text for p in document.paragraphs]
    assert texts[-3:] == ["第一段。", "第二段。", "结束。"]
    body = document.element.body
    assert not [p for p in body.iter(qn("w:p")) if p.find(".//" + qn("w:br")) is not None]
    assert {p.style.name for p in document.paragraphs[-3:]} == {"Normal"}


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
    # CR LF ends a paragraph ("\n" between paragraphs of a text, assembly.py).
    assert texts == [
        "标题",
        "同志们：",
        "甲 乙 丙丁戊己😀𠮷镕“引”——…ＸＸ×",
        "庚",
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
    assert properties.last_modified_by == "市统计局"
    now = datetime.datetime.now(datetime.UTC)
    for moment in (properties.created, properties.modified):
        assert abs(moment.replace(tzinfo=datetime.UTC) - now) < datetime.timedelta(minutes=5)


def docprops(**options):
    content = render_docx(assemble(demo_speech()), ExportOptions(**options))
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {
            name: archive.read(name).decode()
            for name in archive.namelist()
            if name.startswith("docProps/")
        }


def test_no_property_keeps_what_python_docxs_template_says():
    """The template's creator "python-docx", its description and Word 14 for Mac go; an
    export without a unit has no author rather than a wrong one."""
    for options in ({"author": "市统计局"}, {}):
        parts = docprops(**options)
        assert set(parts) == {"docProps/core.xml", "docProps/app.xml"}
        for text in parts.values():
            assert "python-docx" not in text and "Macintosh" not in text
    assert export().core_properties.author == ""


def test_the_application_is_named_and_no_page_or_character_count_is_made_up():
    app = etree.fromstring(docprops()["docProps/app.xml"].encode())
    children = {etree.QName(child).localname: child.text for child in app}
    assert children["Application"] == "speechdraft 讲话稿起草系统"
    counts = {"Pages", "Words", "Characters", "CharactersWithSpaces", "Lines", "Paragraphs"}
    assert not counts & set(children)
    assert not {"AppVersion", "Template", "TotalTime"} & set(children)


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


# Long titles: a line too long for one printed line is split into balanced lines at a
# sensible point, never leaving one or two characters alone (issue 12, large print).


def title_lines(document):
    return document.paragraphs[0].text.split("\n")


@pytest.mark.parametrize(
    ("title", "standard", "large"),
    [
        (
            "在全区机关作风建设年活动总结推进会上的讲话",  # 21 characters
            ["在全区机关作风建设年活动", "总结推进会上的讲话"],
            ["在全区机关作风建设年活动", "总结推进会上的讲话"],
        ),
        (
            "在全市统计系统“数据质量提升年”活动总结表彰大会上的讲话",  # 27
            ["在全市统计系统“数据质量提升年”", "活动总结表彰大会上的讲话"],
            ["在全市统计系统“数据质量提升年”", "活动总结表彰大会上的讲话"],
        ),
        (
            "在全区推进作风建设工作暨先进典型表彰大会上的讲话",  # 24: 20 + 4, 16 + 8
            ["在全区推进作风建设工作", "暨先进典型表彰大会上的讲话"],
            ["在全区推进作风建设工作", "暨先进典型表彰大会上的讲话"],
        ),
        (
            "在全市经济运行分析会上的讲话（2026年第4季度）",  # digits are half-width
            ["在全市经济运行分析会", "上的讲话（2026年第4季度）"],
            ["在全市经济运行分析会", "上的讲话（2026年第4季度）"],
        ),
    ],
)
def test_a_long_title_line_is_split_in_balance_at_a_sensible_point(title, standard, large):
    speech = Speech(title=title)
    assert title_lines(export(speech)) == standard
    assert title_lines(export(speech, large_print=True)) == large


def test_a_title_line_that_fits_and_the_drafters_own_breaks_are_kept():
    speech = Speech(title="在市统计局“数据质量提升年”活动\n总结大会上的讲话")
    assert title_lines(export(speech, large_print=True)) == [
        "在市统计局“数据质量提升年”活动",
        "总结大会上的讲话",
    ]


@pytest.mark.parametrize("length", range(18, 61, 3))
def test_no_title_line_is_left_with_one_or_two_characters_or_too_long(length):
    title = ("在全区深化作风建设推动高质量发展" * 4)[:length]
    for large_print, size in ((False, 22), (True, 26)):
        lines = title_lines(export(Speech(title=title), large_print=large_print))
        assert "".join(lines) == title
        assert min(len(line) for line in lines) >= 3
        assert max(len(line) for line in lines) * size <= 442.25
        # Balanced: a sensible break point may shift a cut by a character or two.
        assert max(map(len, lines)) - min(map(len, lines)) <= 4, lines


def test_a_long_subtitle_is_balanced_too():
    subtitle = "——在全区深化机关作风建设推动经济社会高质量发展工作会上的讲话"  # 31
    lines = export(Speech(title=f"主题\n{subtitle}")).paragraphs[1].text.split("\n")
    assert "".join(lines) == subtitle
    assert min(map(len, lines)) >= 3 and max(map(len, lines)) <= 28
