"""Word files as offices make them, imported: automatic numbers, heading styles, templates.

The numbers the user sees (一、 （一）) are in numbering.xml, not in the text; the import
must find the speech's structure from them and from the heading styles, and the text
export must give back what the user saw, numbers included (issue 12, Import).
"""

from io import BytesIO, StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn

from drafts.assembly import assemble, plain_text
from drafts.docx_export import render_docx as export_docx
from drafts.importing import import_speech
from drafts.reading import ImportRefused, read_upload
from tests import word_files
from tests.word_files import (
    DOCM,
    DOTM,
    DOTX,
    abstract_num,
    body_xml,
    docx_file,
    level,
    num,
    numbering_xml,
    paragraph,
    style,
    styles_xml,
)

RESOURCES = Path(__file__).parent / "resources"
SEEN_TEXT = "".join(line + "\n" for line in word_files.SEEN)
OFFICE_FILES = {
    "word16": lambda: word_files.word16_speech(),
    "wps12": lambda: word_files.wps12_speech(),
    "libreoffice": lambda: (RESOURCES / "speech_outline_libreoffice.docx").read_bytes(),
}


@pytest.mark.parametrize("office", OFFICE_FILES)
def test_automatic_numbers_give_the_speech_its_structure(office):
    result = read_upload("去年的讲话.docx", OFFICE_FILES[office]())
    one, two = result.speech.part_one, result.speech.part_two
    assert one.heading == word_files.PART_ONE
    assert two.heading == word_files.PART_TWO
    assert [item.lead for item in one.achievements] == [lead for lead, _ in word_files.ACHIEVEMENTS]
    assert (len(one.lessons), len(two.shortcomings), len(two.measures)) == (3, 3, 3)
    # the parser read the text the user sees, numbers included
    assert "一、" + word_files.PART_ONE in result.paragraphs
    assert not any("一、" in finding.message for finding in result.findings)


@pytest.mark.parametrize("office", OFFICE_FILES)
def test_the_text_export_gives_back_the_text_the_user_saw(office):
    result = read_upload("去年的讲话.docx", OFFICE_FILES[office]())
    assert plain_text(assemble(result.speech)) == SEEN_TEXT


@pytest.mark.django_db
@pytest.mark.parametrize("office", OFFICE_FILES)
def test_the_stored_speech_counts_and_exports_what_the_user_saw(drafter, office):
    imported = import_speech(read_upload("去年的讲话.docx", OFFICE_FILES[office]()), drafter)
    assert imported.counts.summary() == "成绩 3 条，启示 3 条，不足 3 条，措施 3 条"
    imported.speech.refresh_from_db()
    assert plain_text(assemble(imported.speech.as_structure())) == SEEN_TEXT


def unnumbered_heading_speech(heading_style: str, item_style: str, styles: list[str]) -> bytes:
    """The speech with its headings in heading styles but no numbers anywhere."""
    blocks = [
        *(paragraph(line) for line in word_files.TITLE),
        paragraph("同志们："),
        paragraph(word_files.OPENING),
        paragraph(word_files.PART_ONE, style=heading_style),
        paragraph(word_files.PART_ONE_INTRO),
        *(paragraph(lead + body, style=item_style) for lead, body in word_files.ACHIEVEMENTS),
        paragraph(word_files.LESSONS),
        paragraph(word_files.PART_TWO, style=heading_style),
        paragraph(word_files.SHORTCOMINGS),
        *(paragraph(lead + body) for lead, body in word_files.MEASURES),
        paragraph(word_files.CLOSING),
    ]
    return docx_file(body_xml(blocks), styles=styles_xml(styles))


@pytest.mark.parametrize(
    ("heading_style", "item_style", "styles"),
    [
        ("Heading1", "Heading2", [style("Heading1", "heading 1"), style("Heading2", "heading 2")]),
        ("2", "3", [style("2", "heading 1", outline=0), style("3", "heading 2", outline=1)]),
        ("a7", "a8", [style("a7", "公文一级", outline=0), style("a8", "公文二级", outline=1)]),
    ],
    ids=["word_heading_styles", "wps_heading_styles", "custom_outline_levels"],
)
def test_headings_without_numbers_are_still_headings(heading_style, item_style, styles):
    result = read_upload("讲话.docx", unnumbered_heading_speech(heading_style, item_style, styles))
    one, two = result.speech.part_one, result.speech.part_two
    assert (one.heading, two.heading) == (word_files.PART_ONE, word_files.PART_TWO)
    assert len(one.achievements) == 3
    assert one.achievements[1].lead == word_files.ACHIEVEMENTS[1][0]
    assert len(two.measures) == 3
    # exported, the speech is numbered by the app: the numbers come back
    assert plain_text(assemble(result.speech)) == SEEN_TEXT


def test_an_outline_level_on_the_paragraph_itself_marks_a_heading():
    blocks = [
        paragraph("标题"),
        paragraph("同志们："),
        paragraph("开场。"),
        paragraph("回顾工作", outline=0),
        paragraph("（一）甲。乙。"),
        paragraph("展望工作", outline=0),
        paragraph("一是要实。实干。"),
        paragraph("同志们，加油。"),
    ]
    result = read_upload("讲话.docx", docx_file(body_xml(blocks)))
    assert (result.speech.part_one.heading, result.speech.part_two.heading) == (
        "回顾工作",
        "展望工作",
    )


def test_restarted_and_overridden_numbers_read_as_the_user_sees_them():
    numbering = numbering_xml(
        [
            abstract_num(
                0, [level(0, "chineseCounting", "%1、"), level(1, "chineseCounting", "（%2）")]
            )
        ],
        [num(1, 0), num(2, 0, overrides={0: {"start": 2}})],
    )
    blocks = [
        paragraph("标题"),
        paragraph("同志们："),
        paragraph("开场。"),
        paragraph("回顾", num_id=1),
        paragraph("甲。甲的正文。", num_id=1, ilvl=1),
        paragraph("乙。乙的正文。", num_id=1, ilvl=1),
        paragraph("展望", num_id=2),  # a new list starting at 二、
        paragraph("一是要实。实干。"),
        paragraph("同志们，加油。"),
    ]
    result = read_upload("讲话.docx", docx_file(body_xml(blocks), numbering=numbering))
    assert result.paragraphs[3:7] == [
        "一、回顾",
        "（一）甲。甲的正文。",
        "（二）乙。乙的正文。",
        "二、展望",
    ]
    assert not any("编号" in finding.message for finding in result.findings)


@pytest.mark.parametrize(
    ("name", "content_type"),
    [("模板.dotx", DOTX), ("模板.dotm", DOTM), ("带宏.docm", DOCM), ("改了名.docx", DOTX)],
)
def test_templates_and_macro_files_import_as_documents(name, content_type):
    result = read_upload(name, word_files.word16_speech(content_type))
    assert len(result.speech.part_one.achievements) == 3
    assert plain_text(assemble(result.speech)) == SEEN_TEXT


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("旧稿.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "旧版 Word（.doc）"),
        ("旧稿.wps", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "WPS 文字（.wps）"),
    ],
)
def test_doc_and_wps_files_keep_their_clear_refusal(name, data, says):
    with pytest.raises(ImportRefused) as caught:
        read_upload(name, data)
    assert says in caught.value.message
    assert "损坏" not in caught.value.message


def test_unknown_number_formats_are_a_finding_not_a_failure():
    numbering = numbering_xml([abstract_num(0, [level(0, "hebrew1", "%1、")])], [num(1, 0)])
    blocks = [paragraph("标题"), paragraph("同志们："), paragraph("回顾", num_id=1)]
    result = read_upload("讲话.docx", docx_file(body_xml(blocks), numbering=numbering))
    assert result.paragraphs[-1] == "1、回顾"
    assert any("hebrew1" in finding.message for finding in result.findings)


def test_hostile_numbering_imports_with_findings_not_a_hang():
    # 5000 nums, a start past Word's limit, a numStyleLink cycle, a basedOn cycle.
    numbering = numbering_xml(
        [
            abstract_num(0, [level(0, "chineseCounting", "%1、", start=10**9)]),
            abstract_num(1, [], num_style_link="环"),
        ],
        [num(n, 0) for n in range(1, 5000)] + [num(5000, 1)],
    )
    styles = styles_xml(
        [
            style("环", "环", num_id=5000, kind="numbering"),
            style("a", "a", based_on="b", num_id=1),
            style("b", "b", based_on="a"),
        ]
    )
    blocks = [paragraph("标题"), paragraph("同志们："), paragraph("回顾", style="a")]
    blocks += [paragraph(f"第{n}段", num_id=5000) for n in range(2000)]
    result = read_upload(
        "讲话.docx", docx_file(body_xml(blocks), numbering=numbering, styles=styles)
    )
    assert result.paragraphs[2] == "三二七六七、回顾"
    assert any("32767" in finding.message for finding in result.findings)


@pytest.mark.parametrize("salutation", [True, False], ids=["with_salutation", "without"])
def test_a_title_in_an_outline_style_stays_the_title(salutation):
    # Our own export, and some offices' templates, put the title at outline level 1
    # so that it heads Word's navigation pane.
    styles = styles_xml([style("t", "讲话标题", outline=0), style("1", "heading 1")])
    blocks = [
        paragraph("在全县会议上的讲话", style="t"),
        *([paragraph("同志们：")] if salutation else []),
        paragraph("开场。"),
        paragraph("回顾工作", style="1"),
        paragraph("（一）甲。乙。"),
        paragraph("展望工作", style="1"),
        paragraph("一是要实。实干。"),
        paragraph("同志们，加油。"),
    ]
    result = read_upload("讲话.docx", docx_file(body_xml(blocks), styles=styles))
    assert result.speech.title == "在全县会议上的讲话"
    assert (result.speech.part_one.heading, result.speech.part_two.heading) == (
        "回顾工作",
        "展望工作",
    )


# -- the 导入讲话稿 page ------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("去年的讲话.docx", word_files.wps12_speech()),
        ("公文模板.dotx", word_files.word16_speech(DOTX)),
    ],
    ids=["wps12", "word16_template"],
)
def test_the_page_previews_a_numbered_word_file_with_its_counts(drafter_client, name, data):
    response = drafter_client.post(
        reverse("drafts:speech-import"), {"upload": SimpleUploadedFile(name, data)}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "成绩 3 条，启示 3 条，不足 3 条，措施 3 条" in html
    assert "损坏" not in html


@pytest.mark.django_db
def test_import_speech_takes_a_template_and_prints_its_counts(tmp_path, drafter):
    path = tmp_path / "公文模板.dotx"
    path.write_bytes(word_files.word16_speech(DOTX))
    out = StringIO()
    call_command("import_speech", str(path), "--owner", drafter.username, stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[-2] == "已导入：成绩 3 条，启示 3 条，不足 3 条，措施 3 条。"


@pytest.mark.django_db
def test_a_part_of_several_paragraphs_comes_back_as_as_many_word_paragraphs(drafter):
    # The opening, an achievement's body and the closing each run over two paragraphs
    # in the office's file; the import keeps them apart and the export writes each as
    # a paragraph of its own with the body's first-line indent (no line breaks).
    second_opening = "这次会议的议程有三项，请大家认真准备。"
    second_body = "下一步，还要把巡查结果纳入年度考核。"
    second_closing = "希望大家不负重托，把各项工作做得更好。"
    lead, body = word_files.ACHIEVEMENTS[0]
    blocks = [
        *(paragraph(line) for line in word_files.TITLE),
        paragraph("同志们："),
        paragraph(word_files.OPENING),
        paragraph(second_opening),
        paragraph(word_files.PART_ONE, style="1"),
        paragraph(word_files.PART_ONE_INTRO),
        paragraph(lead + body, style="2"),
        paragraph(second_body),
        *(paragraph(lead + body, style="2") for lead, body in word_files.ACHIEVEMENTS[1:]),
        paragraph(word_files.LESSONS),
        paragraph(word_files.PART_TWO, style="1"),
        paragraph(word_files.SHORTCOMINGS),
        *(paragraph(lead + body) for lead, body in word_files.MEASURES),
        paragraph(word_files.CLOSING),
        paragraph(second_closing),
    ]
    source = docx_file(
        body_xml(blocks), numbering=word_files.word16_numbering(), styles=word_files.word16_styles()
    )
    imported = import_speech(read_upload("去年的讲话.docx", source), drafter).speech
    imported.refresh_from_db()
    stored = imported.as_structure()
    assert stored.opening == f"{word_files.OPENING}\n{second_opening}"
    assert stored.part_one.achievements[0].body == f"{body}\n{second_body}"
    assert stored.closing == f"{word_files.CLOSING}\n{second_closing}"

    exported = Document(BytesIO(export_docx(assemble(stored))))
    paragraphs = {p.text: p for p in exported.paragraphs}
    for text in (second_opening, second_body, second_closing):
        assert text in paragraphs, text
        paragraph_ = paragraphs[text]
        indent = (
            paragraph_.paragraph_format.first_line_indent
            or paragraph_.style.paragraph_format.first_line_indent
        )
        assert indent is not None and indent > 0
    # Only the title keeps a line break (its two lines are one paragraph).
    broken = [p.text for p in exported.paragraphs if p._p.find(".//" + qn("w:br")) is not None]
    assert broken == ["\n".join(word_files.TITLE)]
