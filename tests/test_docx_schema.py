"""Every exported Word part is schema-valid, and its property elements are in Word's order.

The XSDs are the transitional ECMA-376 set in ``../shared/ooxml-xsd`` (see its README).
rPr is an unordered choice there, yet Word ignores run properties out of the canonical
order, so the order of every w:rPr and w:pPr is checked on its own, against the order
the schema itself lists.
"""

import datetime
import functools
import io
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from drafts.assembly import assemble
from drafts.demo import demo_speech
from drafts.docx_export import ExportOptions, render_docx
from drafts.structure import InlineItem, LeadItem, PartOne, PartTwo, Speech

XSD_DIR = Path(__file__).resolve().parents[1].parent / "shared/ooxml-xsd"
pytestmark = pytest.mark.skipif(
    not (XSD_DIR / "wml.xsd").is_file(),
    reason=f"OOXML schemas not found at {XSD_DIR} (see ../shared/ooxml-xsd/README.md)",
)

XSD = "{http://www.w3.org/2001/XMLSchema}"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
# Namespaces the schemas cover; anything else is a Microsoft extension under mc:Ignorable.
OOXML_PREFIXES = (
    "http://schemas.openxmlformats.org/",
    "http://www.w3.org/XML/1998/namespace",
)

AWKWARD = (
    "控制字符\x0b竖排\x0c换页\x00空\x01\x1f留下，"
    "😀表情、𠮷生僻字、“引号”‘单引号’、——破折号……省略号、"
    "半角<>&\"'符号、全角ＸＸ与××及某某、\t制表、镕字、Ａ１。"
)


def awkward_speech() -> Speech:
    return Speech(
        title="在“特殊字符”\x0b测试\n会议上的讲话😀",
        organization="测试局\x00",
        speaker="局长 某某",
        date=datetime.date(2026, 11, 27),
        opening=AWKWARD,
        part_one=PartOne(
            heading="回顾——工作\x0c",
            achievements=[LeadItem("领句带𠮷字\x0b", AWKWARD)],
            lessons_intro="体会：",
            lessons=[InlineItem("要\x1e坚持")],
        ),
        part_two=PartTwo(
            heading="展望",
            shortcomings=[InlineItem("不足\ud800一")],
            measures=[LeadItem("要加力", "正文\r\n第二行")],
        ),
        closing=AWKWARD,
    )


EXPORTS = {
    "demo": lambda: render_docx(assemble(demo_speech()), ExportOptions(author="市统计局")),
    "demo-large-print": lambda: render_docx(
        assemble(demo_speech()), ExportOptions(large_print=True)
    ),
    "awkward": lambda: render_docx(
        assemble(awkward_speech()), ExportOptions(author="测试局\x0b", status="起草中")
    ),
    # A long title split over lines, a subtitle, a text of several paragraphs.
    "subtitle-paragraphs": lambda: render_docx(
        assemble(
            Speech(
                title="在全区推进作风建设工作暨先进典型表彰大会上的讲话\n——在全区大会上的讲话",
                opening="第一段。\n第二段。\r\n第三段。",
                part_one=PartOne(achievements=[LeadItem("领句", "正文一。\n正文二。")]),
            )
        ),
        ExportOptions(large_print=True, approved=True),
    ),
    "awkward-large-no-mark": lambda: render_docx(
        assemble(awkward_speech()),
        ExportOptions(large_print=True, draft_mark=False, highlight_placeholders=False),
    ),
}


@functools.cache
def schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD_DIR / name)))


@functools.cache
def canonical_orders() -> tuple[list[str], list[str]]:
    """(rPr order, pPr order) as wml.xsd lists them."""
    root = etree.parse(str(XSD_DIR / "wml.xsd")).getroot()

    def names(xpath: str) -> list[str]:
        return [W + el.get("name") for el in root.xpath(xpath, namespaces={"xsd": XSD[1:-1]})]

    run = names("xsd:group[@name='EG_RPrBase']/xsd:choice/xsd:element")
    paragraph = names("xsd:complexType[@name='CT_PPrBase']/xsd:sequence/xsd:element")
    paragraph += names("xsd:complexType[@name='CT_PPr']//xsd:extension/xsd:sequence/xsd:element")
    # A paragraph mark's rPr (CT_ParaRPr) starts with its revision marks.
    run_order = [W + "ins", W + "del", W + "moveFrom", W + "moveTo", *run, W + "rPrChange"]
    return run_order, paragraph


def without_extensions(xml: bytes) -> etree._Element:
    """Markup Compatibility preprocessing: drop mc:Ignorable and non-OOXML nodes."""
    root = etree.fromstring(xml)
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        namespace = etree.QName(element).namespace or ""
        if not namespace.startswith(OOXML_PREFIXES) or element.tag.startswith(MC):
            element.getparent().remove(element)
            continue
        for attribute in list(element.attrib):
            namespace = etree.QName(attribute).namespace
            if namespace and not namespace.startswith(OOXML_PREFIXES):
                del element.attrib[attribute]
    root.attrib.pop(MC + "Ignorable", None)
    return root


def parts(docx: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def order_errors(root: etree._Element) -> list[str]:
    run_order, paragraph_order = canonical_orders()
    errors = []
    for tag, order in ((W + "rPr", run_order), (W + "pPr", paragraph_order)):
        for element in root.iter(tag):
            children = [child.tag for child in element if isinstance(child.tag, str)]
            unknown = [child for child in children if child not in order]
            positions = [order.index(child) for child in children if child in order]
            if unknown or positions != sorted(positions) or len(set(children)) != len(children):
                errors.append(f"{etree.QName(tag).localname}: {children}")
    return errors


@pytest.fixture(scope="module", params=sorted(EXPORTS))
def export(request) -> dict[str, bytes]:
    return parts(EXPORTS[request.param]())


def test_every_word_part_validates_against_wml_xsd(export):
    names = [n for n in export if n.startswith("word/") and n.count("/") == 1]
    names = [n for n in names if n.endswith(".xml") and n != "word/stylesWithEffects.xml"]
    assert {"word/document.xml", "word/styles.xml", "word/settings.xml"} <= set(names)
    assert any(name.startswith("word/footer") for name in names)
    for name in names:
        root = without_extensions(export[name])
        validator = schema("wml.xsd")
        assert validator.validate(root), (name, str(validator.error_log.last_error))


def test_extended_properties_validate_against_their_xsd(export):
    # docProps/core.xml would need the Dublin Core schemas, which are not in the set.
    root = etree.fromstring(export["docProps/app.xml"])
    validator = schema("shared-documentPropertiesExtended.xsd")
    assert validator.validate(root), str(validator.error_log.last_error)


def test_theme_validates_against_dml_main_xsd(export):
    root = without_extensions(export["word/theme/theme1.xml"])
    validator = schema("dml-main.xsd")
    assert validator.validate(root), str(validator.error_log.last_error)


def test_run_and_paragraph_properties_are_in_canonical_order(export):
    names = [n for n in export if n.startswith("word/") and n.endswith(".xml")]
    checked = 0
    for name in names:
        root = etree.fromstring(export[name])
        assert order_errors(root) == [], name
        checked += sum(1 for _ in root.iter(W + "rPr", W + "pPr"))
    assert checked > 20


def test_order_check_catches_properties_out_of_order():
    # sz before rFonts passes the XSD (rPr is a choice) but not Word: the check must fail it.
    bad_run = etree.fromstring(
        f'<w:r xmlns:w="{W[1:-1]}"><w:rPr><w:sz w:val="32"/><w:rFonts w:eastAsia="黑体"/>'
        "</w:rPr></w:r>"
    )
    bad_paragraph = etree.fromstring(
        f'<w:p xmlns:w="{W[1:-1]}"><w:pPr><w:ind w:firstLine="640"/><w:spacing w:line="579"/>'
        "</w:pPr></w:p>"
    )
    assert order_errors(bad_run) == [f"rPr: {[W + 'sz', W + 'rFonts']}"]
    assert len(order_errors(bad_paragraph)) == 1
