"""Writes review_word.docx: our export of review_base.json as Word 2016 returns it after a
review with 修订 and 批注 on (the XML written as Word writes it: w:rsid attributes, runs
split where the editing session changed, moves with their range markers, w:rPrChange,
w:pPrChange, a split and a joined paragraph, a comment with a reply).

Run from the repository: .venv/bin/python tests/resources/make_review_fixtures.py
"""

import io
import json
import os
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "speechdraft.settings")
import django  # noqa: E402

django.setup()

from lxml import etree  # noqa: E402

from drafts.assembly import assemble  # noqa: E402
from drafts.docx_export import render_docx  # noqa: E402
from drafts.speech_json import from_document  # noqa: E402

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NAMESPACES = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" '
    'xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'mc:Ignorable="w14 w15"'
)
WANG = 'w:author="王局长" w:date="2026-12-01T09:12:00Z"'
ZHAO = 'w:author="赵主任" w:date="2026-12-01T10:40:00Z"'
LEAD = '<w:rPr><w:rStyle w:val="领句"/></w:rPr>'

BODY = f"""
<w:p w14:paraId="1A2B3C01" w:rsidR="00A1B2C3" w:rsidRDefault="00A1B2C3">
  <w:pPr><w:pStyle w:val="讲话标题"/><w:jc w:val="left"/>
    <w:pPrChange w:id="1" {ZHAO}><w:pPr><w:pStyle w:val="讲话标题"/></w:pPr></w:pPrChange>
  </w:pPr>
  <w:r w:rsidRPr="00A1B2C3"><w:t>在全区网格化服务管理工作会议上的讲话</w:t></w:r>
</w:p>
<w:p w14:paraId="1A2B3C02" w:rsidR="00A1B2C3" w:rsidRDefault="00A1B2C3">
  <w:pPr><w:pStyle w:val="称谓"/></w:pPr>
  <w:r><w:t>同志们：</w:t></w:r>
</w:p>
<w:p w14:paraId="1A2B3C03" w:rsidR="00A1B2C3" w:rsidRDefault="00D4E5F6">
  <w:pPr><w:rPr><w:ins w:id="2" {WANG}/></w:rPr></w:pPr>
  <w:r><w:t>今天召开</w:t></w:r>
  <w:ins w:id="3" {WANG}><w:r w:rsidR="00D4E5F6"><w:t>全体</w:t></w:r></w:ins>
  <w:r><w:t>会议，</w:t></w:r>
</w:p>
<w:p w14:paraId="1A2B3C04" w:rsidR="00D4E5F6" w:rsidRDefault="00A1B2C3">
  <w:r><w:t>总结网格化服务管理工作。</w:t></w:r>
</w:p>
<w:p w14:paraId="1A2B3C05" w:rsidR="00A1B2C3" w:rsidRDefault="00A1B2C3">
  <w:pPr><w:pStyle w:val="Heading1"/></w:pPr>
  <w:r><w:t>一、回顾一年来的工作</w:t></w:r>
</w:p>
<w:p w14:paraId="1A2B3C06" w:rsidR="00A1B2C3" w:rsidRDefault="00A1B2C3">
  <w:pPr><w:pStyle w:val="Heading2"/></w:pPr>
  <w:r>{LEAD}<w:t>（一）网格划分更加科学。</w:t></w:r>
  <w:r><w:t>全区共划分网格</w:t></w:r>
  <w:del w:id="4" {ZHAO}><w:r w:rsidDel="00F7A8B9"><w:delText>四百</w:delText></w:r></w:del>
  <w:ins w:id="5" {ZHAO}><w:r w:rsidR="00F7A8B9"><w:t>四百二十</w:t></w:r></w:ins>
  <w:r><w:t>个。</w:t></w:r>
</w:p>
<w:p w14:paraId="1A2B3C07" w:rsidR="00A1B2C3" w:rsidRDefault="00A1B2C3">
  <w:pPr><w:pStyle w:val="Heading2"/></w:pPr>
  <w:r>{LEAD}<w:t>（二）队伍建设持续加强。</w:t></w:r>
  <w:r w:rsidR="00F7A8B9"><w:rPr><w:b/><w:rPrChange w:id="6" {ZHAO}><w:rPr/></w:rPrChange></w:rPr><w:t>每格配备</w:t></w:r>
  <w:r><w:t>一名专职</w:t></w:r>
  <w:commentRangeStart w:id="0"/>
  <w:r><w:t>网格员</w:t></w:r>
  <w:commentRangeEnd w:id="0"/>
  <w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr><w:commentReference w:id="0"/></w:r>
  <w:r><w:t>。</w:t></w:r>
</w:p>
<w:p w14:paraId="1A2B3C08" w:rsidR="00A1B2C3" w:rsidRDefault="00A1B2C3">
  <w:pPr><w:pStyle w:val="Heading1"/></w:pPr>
  <w:r><w:t>二、做好下步工作</w:t></w:r>
</w:p>
<w:moveToRangeStart w:id="7" {WANG} w:name="move301"/>
<w:p w14:paraId="1A2B3C09" w:rsidR="00B1C2D3" w:rsidRDefault="00B1C2D3">
  <w:pPr><w:rPr><w:moveTo w:id="8" {WANG}/></w:rPr></w:pPr>
  <w:moveTo w:id="9" {WANG}>
    <w:r>{LEAD}<w:t>二是要强化数据共享。</w:t></w:r>
    <w:r><w:t>打通部门数据壁垒。</w:t></w:r>
  </w:moveTo>
</w:p>
<w:moveToRangeEnd w:id="7"/>
<w:p w14:paraId="1A2B3C0A" w:rsidR="00A1B2C3" w:rsidRDefault="00A1B2C3">
  <w:pPr><w:rPr><w:del w:id="10" {ZHAO}/></w:rPr></w:pPr>
  <w:r>{LEAD}<w:t>一是要健全考核机制。</w:t></w:r>
  <w:r><w:t>考核结果每季度通报</w:t></w:r>
  <w:del w:id="18" {ZHAO}><w:r w:rsidDel="00F7A8B9"><w:delText>。</w:delText></w:r></w:del>
  <w:ins w:id="11" {ZHAO}><w:r w:rsidR="00F7A8B9"><w:t>，</w:t></w:r></w:ins>
</w:p>
<w:moveFromRangeStart w:id="12" {WANG} w:name="move301"/>
<w:p w14:paraId="1A2B3C0B" w:rsidR="00A1B2C3" w:rsidRDefault="00A1B2C3">
  <w:pPr><w:rPr><w:moveFrom w:id="13" {WANG}/></w:rPr></w:pPr>
  <w:moveFrom w:id="14" {WANG}>
    <w:r>{LEAD}<w:t>二是要强化数据共享。</w:t></w:r>
    <w:r><w:t>打通部门数据壁垒。</w:t></w:r>
  </w:moveFrom>
</w:p>
<w:moveFromRangeEnd w:id="12"/>
<w:p w14:paraId="1A2B3C0C" w:rsidR="00A1B2C3" w:rsidRDefault="00A1B2C3">
  <w:r><w:t>希望大家再接再厉</w:t></w:r>
  <w:del w:id="15" {WANG}><w:r w:rsidDel="00D4E5F6"><w:delText>。</w:delText></w:r></w:del>
  <w:ins w:id="16" {WANG}><w:r w:rsidR="00D4E5F6"><w:t>，圆满完成全年任务。</w:t></w:r></w:ins>
</w:p>
"""

COMMENTS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:comments {NAMESPACES}>
  <w:comment w:id="0" {WANG} w:initials="王">
    <w:p w14:paraId="5C0A0001"><w:pPr><w:pStyle w:val="CommentText"/></w:pPr>
      <w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr><w:annotationRef/></w:r>
      <w:r><w:t>专职还是兼职？请核实。</w:t></w:r></w:p>
  </w:comment>
  <w:comment w:id="17" {ZHAO} w:initials="赵">
    <w:p w14:paraId="5C0A0002"><w:pPr><w:pStyle w:val="CommentText"/></w:pPr>
      <w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr><w:annotationRef/></w:r>
      <w:r><w:t>已核实，是专职。</w:t></w:r></w:p>
  </w:comment>
</w:comments>
"""

COMMENTS_EXTENDED = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w15:commentsEx {NAMESPACES}>
  <w15:commentEx w15:paraId="5C0A0001" w15:done="0"/>
  <w15:commentEx w15:paraId="5C0A0002" w15:paraIdParent="5C0A0001" w15:done="0"/>
</w15:commentsEx>
"""

RELATIONSHIPS = (
    (
        "comments",
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml",
    ),
    (
        "commentsExtended",
        "http://schemas.microsoft.com/office/2011/relationships/commentsExtended",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.commentsExtended+xml",
    ),
)


def reviewed(plain: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(plain))
    document = etree.fromstring(source.read("word/document.xml"))
    section = document.find(f"{{{W}}}body/{{{W}}}sectPr")
    # The comment reply (id 17) is anchored with the comment it answers, as Word does.
    body = BODY.replace(
        '<w:commentRangeStart w:id="0"/>',
        '<w:commentRangeStart w:id="0"/><w:commentRangeStart w:id="17"/>',
    ).replace(
        '<w:commentRangeEnd w:id="0"/>',
        '<w:commentRangeEnd w:id="0"/><w:commentRangeEnd w:id="17"/>',
    )
    xml = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document {NAMESPACES}>'
        f"<w:body>{body}{etree.tostring(section, encoding='unicode')}</w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                data = xml.encode()
            elif item.filename == "[Content_Types].xml":
                overrides = "".join(
                    f'<Override PartName="/word/{name}.xml" ContentType="{kind}"/>'
                    for name, _, kind in RELATIONSHIPS
                )
                data = data.replace(b"</Types>", overrides.encode() + b"</Types>")
            elif item.filename == "word/_rels/document.xml.rels":
                rels = "".join(
                    f'<Relationship Id="rIdReview{n}" Type="{kind}" Target="{name}.xml"/>'
                    for n, (name, kind, _) in enumerate(RELATIONSHIPS)
                )
                data = data.replace(b"</Relationships>", rels.encode() + b"</Relationships>")
            archive.writestr(item, data)
        archive.writestr("word/comments.xml", COMMENTS)
        archive.writestr("word/commentsExtended.xml", COMMENTS_EXTENDED)
    return buffer.getvalue()


if __name__ == "__main__":
    base = json.loads((HERE / "review_base.json").read_text(encoding="utf-8"))
    plain = render_docx(assemble(from_document(base)))
    (HERE / "review_word.docx").write_bytes(reviewed(plain))
