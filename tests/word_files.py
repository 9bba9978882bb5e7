"""Word files written the way Word 16 and WPS 12 write them, for the import tests.

The pieces (``level``, ``abstract_num``, ``num``, ``style``, ``paragraph``) are XML text
in the schema's element order; ``numbering_xml``, ``styles_xml`` and ``body_xml`` wrap
them in their parts with the namespaces each office declares, and ``docx_file`` packs a
whole .docx (or .dotx, .dotm, .docm: only the main part's content type differs).

``word16_speech`` and ``wps12_speech`` are one speech of our own (``SPEECH``) as each
office lays it out: Word numbers 一、 and （一） through Heading 1 / Heading 2 styles that
carry a multilevel list; WPS puts the numbering on each paragraph, names its styles
"1", "2", "3" (Normal, heading 1, heading 2) and marks a custom style with
``w:outlineLvl``. The numbers the user sees are in numbering.xml, never in the text.
"""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape, quoteattr

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
# What Word 16 declares on its parts (mc:Ignorable lists the extensions it may use).
WORD16_NAMESPACES = (
    'xmlns:wpc="http://schemas.microsoft.com/office/word/2010/wordprocessingCanvas" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:o="urn:schemas-microsoft-com:office:office" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math" '
    'xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:w10="urn:schemas-microsoft-com:office:word" '
    f'xmlns:w="{W_NS}" '
    'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" '
    'xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml" '
    'xmlns:w16se="http://schemas.microsoft.com/office/word/2015/wordml/symex" '
    'mc:Ignorable="w14 w15 w16se"'
)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
DOTX = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
DOTM = "application/vnd.ms-word.template.macroEnabledTemplate.main+xml"
DOCM = "application/vnd.ms-word.document.macroEnabled.main+xml"


# -- numbering.xml --------------------------------------------------------------------------


def level(
    ilvl: int,
    fmt: str,
    text: str,
    *,
    start: int | None = 1,
    suffix: str | None = None,
    style: str | None = None,
    restart: int | None = None,
    legal: bool = False,
    hidden: bool = False,
) -> str:
    """One w:lvl. ``fmt`` "custom:001, 002, 003, ..." is Word 2010's custom format."""
    parts = [f'<w:lvl w:ilvl="{ilvl}" w:tplc="0409000F">']
    if start is not None:
        parts.append(f'<w:start w:val="{start}"/>')
    if fmt.startswith("custom:"):
        parts.append(
            '<mc:AlternateContent><mc:Choice Requires="w14">'
            f'<w:numFmt w:val="custom" w:format={quoteattr(fmt[7:])}/></mc:Choice>'
            '<mc:Fallback><w:numFmt w:val="decimal"/></mc:Fallback></mc:AlternateContent>'
        )
    else:
        parts.append(f'<w:numFmt w:val="{fmt}"/>')
    if restart is not None:
        parts.append(f'<w:lvlRestart w:val="{restart}"/>')
    if style is not None:
        parts.append(f"<w:pStyle w:val={quoteattr(style)}/>")
    if legal:
        parts.append("<w:isLgl/>")
    if suffix is not None:
        parts.append(f'<w:suff w:val="{suffix}"/>')
    parts.append(f"<w:lvlText w:val={quoteattr(text)}/>")
    parts.append('<w:lvlJc w:val="left"/>')
    parts.append(f'<w:pPr><w:ind w:left="{420 * (ilvl + 1)}" w:hanging="420"/></w:pPr>')
    if hidden:
        parts.append("<w:rPr><w:vanish/></w:rPr>")
    parts.append("</w:lvl>")
    return "".join(parts)


def abstract_num(
    abstract_id: int,
    levels: list[str],
    *,
    style_link: str | None = None,
    num_style_link: str | None = None,
    multi_level_type: str = "multilevel",
) -> str:
    """One w:abstractNum as Word 16 writes it: nsid, multiLevelType, tmpl, then levels."""
    parts = [
        f'<w:abstractNum w:abstractNumId="{abstract_id}" w15:restartNumberingAfterBreak="0">',
        f'<w:nsid w:val="{0x1F3A0000 + abstract_id:08X}"/>',
        f'<w:multiLevelType w:val="{multi_level_type}"/>',
        '<w:tmpl w:val="5E2C9A04"/>',
    ]
    if style_link is not None:
        parts.append(f"<w:styleLink w:val={quoteattr(style_link)}/>")
    if num_style_link is not None:
        parts.append(f"<w:numStyleLink w:val={quoteattr(num_style_link)}/>")
    parts += levels
    parts.append("</w:abstractNum>")
    return "".join(parts)


def num(num_id: int, abstract_id: int, *, overrides: dict[int, dict] | None = None) -> str:
    """One w:num; ``overrides`` maps an ilvl to {"start": n, "level": level(...)}."""
    parts = [f'<w:num w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/>']
    for ilvl, override in (overrides or {}).items():
        parts.append(f'<w:lvlOverride w:ilvl="{ilvl}">')
        if "start" in override:
            parts.append(f'<w:startOverride w:val="{override["start"]}"/>')
        if "level" in override:
            parts.append(override["level"])
        parts.append("</w:lvlOverride>")
    parts.append("</w:num>")
    return "".join(parts)


def numbering_xml(abstracts: list[str], nums: list[str]) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f"<w:numbering {WORD16_NAMESPACES}>{''.join(abstracts)}{''.join(nums)}</w:numbering>"
    ).encode()


# -- styles.xml -----------------------------------------------------------------------------


def style(
    style_id: str,
    name: str,
    *,
    based_on: str | None = None,
    num_id: int | None = None,
    ilvl: int | None = None,
    outline: int | None = None,
    kind: str = "paragraph",
    default: bool = False,
) -> str:
    """One w:style; ``num_id``/``ilvl`` go in its w:numPr, ``outline`` in w:outlineLvl."""
    default_attribute = ' w:default="1"' if default else ""
    parts = [
        f"<w:style w:type={quoteattr(kind)}{default_attribute} w:styleId={quoteattr(style_id)}>",
        f"<w:name w:val={quoteattr(name)}/>",
    ]
    if based_on is not None:
        parts.append(f"<w:basedOn w:val={quoteattr(based_on)}/>")
    parts.append("<w:qFormat/>")
    ppr = []
    if kind == "paragraph" and outline is not None:
        ppr.append("<w:keepNext/><w:keepLines/>")
    if num_id is not None or ilvl is not None:
        ppr.append("<w:numPr>")
        if ilvl is not None:
            ppr.append(f'<w:ilvl w:val="{ilvl}"/>')
        if num_id is not None:
            ppr.append(f'<w:numId w:val="{num_id}"/>')
        ppr.append("</w:numPr>")
    if outline is not None:
        ppr.append(f'<w:outlineLvl w:val="{outline}"/>')
    if ppr:
        parts.append("<w:pPr>" + "".join(ppr) + "</w:pPr>")
    parts.append("</w:style>")
    return "".join(parts)


def styles_xml(styles: list[str]) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f"<w:styles {WORD16_NAMESPACES}>"
        '<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:eastAsia="仿宋_GB2312"/>'
        '<w:sz w:val="32"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault>'
        "<w:pPrDefault/></w:docDefaults>"
        f"{''.join(styles)}</w:styles>"
    ).encode()


# -- document.xml ---------------------------------------------------------------------------


def paragraph(
    text: str,
    *,
    num_id: int | None = None,
    ilvl: int | None = None,
    style: str | None = None,
    outline: int | None = None,
    runs: int = 3,
) -> str:
    """One w:p, its text cut into ``runs`` runs as an office cuts edited text."""
    ppr = []
    if style is not None:
        ppr.append(f"<w:pStyle w:val={quoteattr(style)}/>")
    if num_id is not None or ilvl is not None:
        ppr.append("<w:numPr>")
        if ilvl is not None:
            ppr.append(f'<w:ilvl w:val="{ilvl}"/>')
        if num_id is not None:
            ppr.append(f'<w:numId w:val="{num_id}"/>')
        ppr.append("</w:numPr>")
    if outline is not None:
        ppr.append(f'<w:outlineLvl w:val="{outline}"/>')
    size = max(1, -(-len(text) // runs))
    pieces = [text[start : start + size] for start in range(0, len(text), size)]
    body = "".join(
        f'<w:r><w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr><w:t xml:space="preserve">{escape(piece)}</w:t></w:r>'
        for piece in pieces
    )
    return "<w:p>" + ("<w:pPr>" + "".join(ppr) + "</w:pPr>" if ppr else "") + body + "</w:p>"


def body_xml(blocks: list[str]) -> bytes:
    """document.xml holding ``blocks`` (paragraphs, tables…) and a section."""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f"<w:document {WORD16_NAMESPACES}><w:body>{''.join(blocks)}"
        '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>'
    ).encode()


def paragraph_element(text: str, **numbering):
    """A w:p as an lxml element, as a reader walking document.xml meets it."""
    root = etree.fromstring(body_xml([paragraph(text, **numbering)]))
    return root.find(f"{{{W_NS}}}body")[0]


# -- the package ----------------------------------------------------------------------------


def docx_file(
    document: bytes,
    *,
    numbering: bytes | None = None,
    styles: bytes | None = None,
    content_type: str = DOCX,
    application: str = "Microsoft Office Word",
) -> bytes:
    """A whole package: content types, relationships, the parts given, app properties."""
    overrides = [("/word/document.xml", content_type)]
    relationships = []
    parts = {"word/document.xml": document}
    if styles is not None:
        parts["word/styles.xml"] = styles
        overrides.append(
            (
                "/word/styles.xml",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml",
            )
        )
        relationships.append(("rId1", "styles", "styles.xml"))
    if numbering is not None:
        parts["word/numbering.xml"] = numbering
        overrides.append(
            (
                "/word/numbering.xml",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml",
            )
        )
        relationships.append(("rId2", "numbering", "numbering.xml"))
    overrides.append(
        (
            "/docProps/app.xml",
            "application/vnd.openxmlformats-officedocument.extended-properties+xml",
        )
    )
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        + "".join(f'<Override PartName="{name}" ContentType="{kind}"/>' for name, kind in overrides)
        + "</Types>"
    )
    package_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>'
        "</Relationships>"
    )
    document_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(
            f'<Relationship Id="{rid}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/{kind}" Target="{target}"/>'
            for rid, kind, target in relationships
        )
        + "</Relationships>"
    )
    app = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        f"<Application>{escape(application)}</Application></Properties>"
    )
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("_rels/.rels", package_rels)
        archive.writestr("docProps/app.xml", app)
        for name, content in parts.items():
            archive.writestr(name, content)
        archive.writestr("word/_rels/document.xml.rels", document_rels)
    return stream.getvalue()


# -- one speech of our own, as each office lays it out -----------------------------------

TITLE = ("在全县农村人居环境整治", "工作推进会议上的讲话")
OPENING = (
    "今天召开这次会议，主要是回顾上半年的整治工作，部署下一阶段任务。"
    "刚才，三个乡镇作了交流发言，讲得都很实在。下面，我讲两点意见。"
)
PART_ONE = "聚焦突出问题，整治工作取得明显成效"
PART_ONE_INTRO = "半年来，各乡镇和县直有关部门按照县委部署，压实责任、逐村推进，整治任务完成过半。"
ACHIEVEMENTS = (
    (
        "在垃圾治理上用力，村庄面貌明显改观。",
        "全县新建垃圾收集点X个，配齐保洁员X名，清理积存垃圾X吨。",
    ),
    (
        "在污水治理上用力，短板弱项加快补齐。",
        "建成村级污水处理站X座，铺设管网X公里，XX镇实现全覆盖。",
    ),
    (
        "在厕所改造上用力，群众满意度稳步提升。",
        "完成户厕改造X户，回访整改问题X个，做到建一户、成一户。",
    ),
)
LESSONS = (
    "实践使我们体会到：一是必须坚持规划先行，一张蓝图干到底。"
    "二是必须坚持群众主体，让农民成为整治的参与者。"
    "三是必须坚持长效管护，建管并重不松劲。"
)
PART_TWO = "正视短板差距，推动整治工作走深走实"
SHORTCOMINGS = (
    "在肯定成绩的同时，也要看到存在的问题，主要是：一是进展还不平衡，个别村起步较晚；"
    "二是管护机制还不健全，反弹现象时有发生；三是群众参与还不够广泛。"
    "对这些问题，我们要高度重视，认真加以解决。"
)
MEASURES = (
    ("一是要压实工作责任。", "乡镇党委书记要亲自抓，村支书要具体抓，一级抓一级。"),
    ("二是要强化资金保障。", "县财政安排专项资金X万元，统筹用好各类涉农资金。"),
    ("三是要健全长效机制。", "建立村庄保洁考评制度，每月通报一次，结果与奖补挂钩。"),
)
CLOSING = "同志们，人居环境整治事关群众切身利益。让我们真抓实干，确保完成全年目标任务。"

# The text of each paragraph as stored in the runs, and what the user sees on screen, numbers included: what the import must find and the
# text export must give back.
SPEECH_TEXTS = [
    *TITLE,
    "同志们：",
    OPENING,
    PART_ONE,
    PART_ONE_INTRO,
    *(lead + body for lead, body in ACHIEVEMENTS),
    LESSONS,
    PART_TWO,
    SHORTCOMINGS,
    *(lead + body for lead, body in MEASURES),
    CLOSING,
]
SEEN = [
    *TITLE,
    "同志们：",
    OPENING,
    "一、" + PART_ONE,
    PART_ONE_INTRO,
    *(f"（{'一二三'[n]}）{lead}{body}" for n, (lead, body) in enumerate(ACHIEVEMENTS)),
    LESSONS,
    "二、" + PART_TWO,
    SHORTCOMINGS,
    *(lead + body for lead, body in MEASURES),
    CLOSING,
]


def _speech_blocks(heading, item) -> list[str]:
    """The speech's paragraphs; ``heading(text)`` and ``item(text)`` number them."""
    return [
        *(paragraph(line) for line in TITLE),
        paragraph("同志们："),
        paragraph(OPENING),
        heading(PART_ONE),
        paragraph(PART_ONE_INTRO),
        *(item(lead + body) for lead, body in ACHIEVEMENTS),
        paragraph(LESSONS),
        heading(PART_TWO),
        paragraph(SHORTCOMINGS),
        *(paragraph(lead + body) for lead, body in MEASURES),
        paragraph(CLOSING),
    ]


def word16_numbering() -> bytes:
    """Word 16's 一、/（一） multilevel list linked to 标题 1 / 标题 2."""
    return numbering_xml(
        [
            abstract_num(
                0,
                [
                    level(0, "chineseCounting", "%1、", suffix="nothing", style="1"),
                    level(1, "chineseCounting", "（%2）", suffix="nothing", style="2"),
                    *(level(n, "decimal", f"%{n + 1}.") for n in range(2, 9)),
                ],
            )
        ],
        [num(1, 0)],
    )


def word16_styles() -> bytes:
    """Word 16 (Chinese UI) style ids: a Normal, 1 heading 1, 2 heading 2, numbering in them."""
    return styles_xml(
        [
            style("a", "Normal", default=True),
            style("1", "heading 1", based_on="a", num_id=1, outline=0),
            style("2", "heading 2", based_on="a", num_id=1, ilvl=1, outline=1),
        ]
    )


def word16_speech(content_type: str = DOCX) -> bytes:
    """The speech as Word 16 saves it: headings numbered by their styles."""
    blocks = _speech_blocks(
        heading=lambda text: paragraph(text, style="1"),
        item=lambda text: paragraph(text, style="2"),
    )
    return docx_file(
        body_xml(blocks),
        numbering=word16_numbering(),
        styles=word16_styles(),
        content_type=content_type,
    )


def wps12_speech() -> bytes:
    """The speech as WPS 12 saves it: numbering on each paragraph, WPS's own style ids.

    Its 一、 headings are style "2" (named heading 1) and its （一） items a custom style
    "公文二级" that only says ``w:outlineLvl 1``. The second part's heading is numbered
    through a second num of the same list, with a start override on the items' level
    (what WPS writes after 重新开始编号 on a lower level): it still shows 二、, because
    the two nums count in one list, and items under it would start again at （一）.
    """
    numbering = numbering_xml(
        [
            abstract_num(
                0,
                [
                    level(0, "chineseCounting", "%1、", suffix="nothing"),
                    level(1, "chineseCounting", "（%2）", suffix="nothing"),
                ],
                multi_level_type="hybridMultilevel",
            )
        ],
        [num(1, 0), num(2, 0, overrides={1: {"start": 1}})],
    )
    styles = styles_xml(
        [
            style("1", "Normal", default=True),
            style("2", "heading 1", based_on="1", outline=0),
            style("3", "heading 2", based_on="1", outline=1),
            style("a5", "公文二级", based_on="1", outline=1),
        ]
    )
    nums = iter((1, 2))
    blocks = _speech_blocks(
        heading=lambda text: paragraph(text, style="2", num_id=next(nums), ilvl=0),
        item=lambda text: paragraph(text, style="a5", num_id=1, ilvl=1),
    )
    return docx_file(
        body_xml(blocks), numbering=numbering, styles=styles, application="WPS Office_12.1.0"
    )


def libreoffice_fodt() -> str:
    """The speech as a flat ODF text with LibreOffice's outline numbering (一、 and （一）).

    ``tests/resources/speech_outline_libreoffice.docx`` is this file converted by
    ``libreoffice --headless --convert-to docx``: LibreOffice writes the numbering into
    numbering.xml and the headings as Heading 1 / Heading 2, the numbers never in the text.
    """

    def text_paragraph(text: str) -> str:
        return f'<text:p text:style-name="Standard">{escape(text)}</text:p>'

    def heading(text: str, outline: int) -> str:
        return (
            f'<text:h text:style-name="Heading_20_{outline}" text:outline-level="{outline}">'
            f"{escape(text)}</text:h>"
        )

    def outline_level(number: int, prefix: str, suffix: str) -> str:
        return (
            f'<text:outline-level-style text:level="{number}" style:num-format="一, 二, 三, ..." '
            f'style:num-prefix="{prefix}" style:num-suffix="{suffix}">'
            '<style:list-level-properties text:list-level-position-and-space-mode="label-alignment">'
            '<style:list-level-label-alignment text:label-followed-by="nothing"/>'
            "</style:list-level-properties></text:outline-level-style>"
        )

    body = [
        *(text_paragraph(line) for line in TITLE),
        text_paragraph("同志们："),
        text_paragraph(OPENING),
        heading(PART_ONE, 1),
        text_paragraph(PART_ONE_INTRO),
        *(heading(lead + body, 2) for lead, body in ACHIEVEMENTS),
        text_paragraph(LESSONS),
        heading(PART_TWO, 1),
        text_paragraph(SHORTCOMINGS),
        *(text_paragraph(lead + body) for lead, body in MEASURES),
        text_paragraph(CLOSING),
    ]
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
        'office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">'
        "<office:styles>"
        '<style:style style:name="Standard" style:family="paragraph"/>'
        '<style:style style:name="Heading_20_1" style:display-name="Heading 1" '
        'style:family="paragraph" style:parent-style-name="Standard" '
        'style:default-outline-level="1"/>'
        '<style:style style:name="Heading_20_2" style:display-name="Heading 2" '
        'style:family="paragraph" style:parent-style-name="Standard" '
        'style:default-outline-level="2"/>'
        '<text:outline-style style:name="Outline">'
        f"{outline_level(1, '', '、')}{outline_level(2, '（', '）')}"
        "</text:outline-style></office:styles>"
        f"<office:body><office:text>{''.join(body)}</office:text></office:body></office:document>"
    )
