"""LibreOffice, an office of its own, reads our tracked changes as we mean them (issue
14, drafts/review_export.py): the file converted to its flat ODF, whose ranges of
inserted and deleted text (``text:change-start`` / ``text:change-end`` naming a
``text:changed-region``) we drop for 全部接受 and 全部拒绝, gives exactly the speech with
each open suggestion accepted in turn, and the stored version.

Left out: a suggestion deleting words the present text added since the stored version.
Word writes that as a deletion inside the insertion (``w:del`` in ``w:ins``) and so do
we; LibreOffice (7.4 here, and still 25.8) keeps only the deletion on import, so its
全部拒绝 would bring the words back. test_docx_changes checks that case with our reader.
"""

import copy
import datetime
import shutil
import subprocess

import pytest
from lxml import etree

from drafts.assembly import assemble
from drafts.demo import demo_speech
from drafts.docx_changes import CommentReply, redline_docx
from drafts.review_export import Remark, plan
from drafts.suggestions import Proposal

pytestmark = [
    pytest.mark.render,
    pytest.mark.skipif(not shutil.which("libreoffice"), reason="needs libreoffice on PATH"),
]
WHEN = datetime.datetime(2026, 12, 1, 9, 30, tzinfo=datetime.UTC)
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"


def odf_view(fodt: bytes, *, accept: bool) -> list[str]:
    """The body's paragraphs with every change accepted (or rejected), as LibreOffice
    holds them: a paragraph end inside a dropped range joins two paragraphs."""
    body = etree.fromstring(fodt).find(f"{OFFICE}body/{OFFICE}text")
    regions = body.find(f"{TEXT}tracked-changes")
    kinds = {r.get(TEXT + "id"): etree.QName(r[0]).localname for r in regions}
    dropped_kind = "deletion" if accept else "insertion"
    open_ranges: set[str] = set()
    pieces: list[str] = []

    def add(text):
        if text and not any(kinds.get(i) == dropped_kind for i in open_ranges):
            pieces.append(text)

    def walk(element, inline: bool) -> None:
        for node in element:
            tag = node.tag
            if tag == TEXT + "change-start":
                open_ranges.add(node.get(TEXT + "change-id"))
            elif tag == TEXT + "change-end":
                open_ranges.discard(node.get(TEXT + "change-id"))
            elif tag in (TEXT + "p", TEXT + "h"):
                add(node.text)
                walk(node, True)
                add("\n")
            elif tag == TEXT + "s":
                add(" " * int(node.get(TEXT + "c", "1")))
            elif tag == TEXT + "tab":
                add("\t")
            elif tag in (TEXT + "tracked-changes", OFFICE + "annotation", TEXT + "line-break"):
                pass
            elif inline:
                add(node.text)
                walk(node, True)
            else:
                walk(node, False)
            if inline:
                add(node.tail)

    walk(body, False)
    return [paragraph for paragraph in "".join(pieces).split("\n") if paragraph]


def reviewed_file():
    """The demo speech edited since a stored version, with four open suggestions (three
    on one field, one emptying a measure's body) and a comment with a reply on top."""
    current = demo_speech()
    current.part_two.measures[0].id = "m1"
    stored = copy.deepcopy(current)
    stored.opening = stored.opening.replace("局党组", "局里", 1).replace(
        "，让每一个数字都经得起检验", ""
    )
    stored.closing = ""
    opening, measure = current.opening, current.part_two.measures[0]
    proposals = [
        Proposal("opening", "opening", "开场白", opening, opening.replace("目的是", "目的就是"),
                 "王局长", WHEN, "更明确"),
        Proposal("opening", "opening", "开场白", opening, opening.replace("一年来", "一年多来"),
                 "赵主任", WHEN),
        Proposal("opening", "opening", "开场白", opening, opening.replace("全局上下", "全局干部"),
                 "王局长", WHEN),
        Proposal("item:m1", "body", "措施一是 正文", measure.body, "", "赵主任", WHEN),
    ]  # fmt: skip
    reply = CommentReply("已压缩", "李科员", WHEN)
    remarks = [Remark("opening", "这一段再压缩一些", "王局长", WHEN, (reply,))]
    made = plan(current, proposals, remarks)
    assert len(made.versions) == 4
    docx = redline_docx(
        stored, current, author="李科员", date=WHEN, then=made.versions, comments=made.comments
    )
    return docx, stored, made.versions[-1].speech


def test_libreoffice_accepts_and_rejects_all_to_the_two_versions(tmp_path):
    docx, stored, suggested = reviewed_file()
    (tmp_path / "review.docx").write_bytes(docx)
    subprocess.run(
        ["libreoffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless"]
        + ["--convert-to", "fodt", "--outdir", str(tmp_path), str(tmp_path / "review.docx")],
        check=True,
        capture_output=True,
        timeout=300,
    )
    fodt = (tmp_path / "review.fodt").read_bytes()

    def texts(speech):
        return [p.text.replace("\n", "") for p in assemble(speech)]

    assert odf_view(fodt, accept=True) == texts(suggested)
    assert odf_view(fodt, accept=False) == texts(stored)
    assert "已压缩" in fodt.decode() and "更明确" in fodt.decode()  # the comments came along
