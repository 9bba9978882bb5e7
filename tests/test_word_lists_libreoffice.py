"""Our reading of Word's numbering against LibreOffice's, an implementation of its own.

LibreOffice converts each file to text with the list numbers written out; the labels
``word_lists`` resolves must be the same. Where the two are known to differ, ours
follows Word's documented behaviour and the case is left out here, named:

- ``lvlRestart``: LibreOffice restarts a level after any higher one; Word only after the
  level named (ECMA-376 §17.9.10).
- ``isLgl``: LibreOffice keeps the higher levels' formats; Word shows them in Arabic
  numerals (MS-DOC LVLF.fLegal).
- ``chineseCounting`` past 99: LibreOffice writes 一百; Word 一○○ (MS-DOCX §2.4).
"""

import io
import shutil
import subprocess
import zipfile

import pytest
from lxml import etree

from drafts.word_lists import shown_paragraphs
from tests import word_files
from tests.word_files import abstract_num, body_xml, docx_file, level, num, numbering_xml, paragraph

pytestmark = [
    pytest.mark.render,
    pytest.mark.skipif(not shutil.which("libreoffice"), reason="needs libreoffice on PATH"),
]


def mixed_lists() -> bytes:
    numbering = numbering_xml(
        [
            abstract_num(
                0,
                [
                    level(0, "chineseCounting", "%1、"),
                    level(1, "chineseCounting", "（%2）"),
                    level(2, "decimal", "%3."),
                    level(3, "decimalEnclosedCircle", "%4"),
                ],
            ),
            abstract_num(
                1,
                [
                    level(0, "ideographTraditional", "%1、"),
                    level(1, "lowerLetter", "%2)"),
                    level(2, "upperRoman", "%1.%2.%3"),
                ],
            ),
            abstract_num(2, [level(0, "chineseCountingThousand", "第%1条", start=98)]),
            abstract_num(3, [level(0, "decimalZero", "%1.", start=8)]),
        ],
        [num(1, 0), num(2, 0, overrides={0: {"start": 1}}), num(3, 1), num(4, 2), num(5, 3)],
    )
    body = [
        paragraph("a", num_id=1),
        paragraph("b", num_id=1, ilvl=1),
        paragraph("c", num_id=1, ilvl=2),
        paragraph("d", num_id=1, ilvl=3),
        paragraph("e", num_id=1, ilvl=1),
        paragraph("f", num_id=1, ilvl=2),
        paragraph("g", num_id=1),
        paragraph("h", num_id=1, ilvl=2),
        paragraph("i", num_id=2),
        paragraph("j", num_id=2),
        paragraph("k", num_id=3),
        paragraph("l", num_id=3, ilvl=1),
        paragraph("m", num_id=3, ilvl=2),
        paragraph("n", num_id=3),
        *(paragraph(f"o{n}", num_id=4) for n in range(5)),
        *(paragraph(f"p{n}", num_id=5) for n in range(3)),
    ]
    return docx_file(body_xml(body), numbering=numbering)


FILES = {
    "word16": word_files.word16_speech,
    "wps12": word_files.wps12_speech,
    "mixed": mixed_lists,
}


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    root = tmp_path_factory.mktemp("lists")
    for name, build in FILES.items():
        (root / f"{name}.docx").write_bytes(build())
    subprocess.run(
        ["libreoffice", f"-env:UserInstallation={(root / 'profile').as_uri()}", "--headless"]
        + ["--convert-to", "txt:Text (encoded):UTF8", "--outdir", str(root)]
        + [str(root / f"{name}.docx") for name in FILES],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return {name: (root / f"{name}.txt").read_text(encoding="utf-8-sig") for name in FILES}


def ours(data: bytes) -> list[str]:
    """Each paragraph as LibreOffice's text export writes it: its number, a space, its text."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        part = lambda name: archive.read(name) if name in names else None  # noqa: E731
        document = part("word/document.xml")
        shown = shown_paragraphs(document, part("word/numbering.xml"), part("word/styles.xml"))
    texts = [
        "".join(paragraph.itertext())
        for paragraph in etree.fromstring(document).iter(f"{{{word_files.W_NS}}}p")
    ]
    return [
        f"{item.label} {text}" if item.label else text
        for item, text in zip(shown, texts, strict=True)
    ]


@pytest.mark.parametrize("name", FILES)
def test_our_labels_are_libreoffices(converted, name):
    lines = [line.strip() for line in converted[name].splitlines() if line.strip()]
    assert ours(FILES[name]()) == lines
