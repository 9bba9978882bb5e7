"""Our own reading of a .docx with tracked changes, as Word shows it after 全部接受 or
全部拒绝, written from ECMA-376 Part 1 §17.13 and independent of the exporter and of
drafts/word_review.py: lxml on word/document.xml, nothing else.

Accept all drops what is deleted (w:del, w:moveFrom) and keeps what is inserted (w:ins,
w:moveTo); reject all the reverse. A paragraph mark that goes (deleted, or inserted and
rejected) joins its paragraph to the next, as Word does.
"""

import io
import zipfile

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
INSERTS = {W + "ins", W + "moveTo"}
DELETES = {W + "del", W + "moveFrom"}


def document_root(docx: bytes) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        return etree.fromstring(archive.read("word/document.xml"))


def view(docx: bytes, accept: bool) -> list[str]:
    """The body's paragraphs' texts after accepting (or rejecting) every change."""
    body = document_root(docx).find(W + "body")
    paragraphs, pending = [], ""
    for paragraph in body.iter(W + "p"):
        pending += "".join(_texts(paragraph, accept))
        if _mark_stays(paragraph, accept):
            paragraphs.append(pending)
            pending = ""
    if pending:
        paragraphs.append(pending)
    return paragraphs


def accepted(docx: bytes) -> list[str]:
    return view(docx, accept=True)


def rejected(docx: bytes) -> list[str]:
    return view(docx, accept=False)


def _texts(paragraph, accept: bool):
    for element in paragraph.iter(W + "t", W + "delText", W + "br", W + "tab"):
        wrappers = {
            ancestor.tag
            for ancestor in element.iterancestors()
            if ancestor.tag in INSERTS | DELETES
        }
        if accept and wrappers & DELETES or not accept and wrappers & INSERTS:
            continue
        if element.tag == W + "br":
            yield "\n"
        elif element.tag == W + "tab":
            yield "\t"
        else:
            yield element.text or ""


def _mark_stays(paragraph, accept: bool) -> bool:
    mark = paragraph.find(f"{W}pPr/{W}rPr")
    if mark is None:
        return True
    tags = {child.tag for child in mark}
    return not (tags & DELETES if accept else tags & INSERTS)


def revisions(docx: bytes) -> list[etree._Element]:
    """Every w:ins and w:del of the body, runs' and paragraph marks'."""
    return list(document_root(docx).iter(W + "ins", W + "del"))
