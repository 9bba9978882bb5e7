"""The reference speech, read in and exported to Word, gives back its own paragraphs.

The reference text is read at run time from ``../shared/reference`` and never copied
into the project (speech-structure.md).
"""

import io
from pathlib import Path

import docx
import pytest

from drafts.assembly import assemble
from drafts.docx_export import ExportOptions, render_docx
from drafts.parsing import parse_text

SEED = Path(__file__).resolve().parents[1].parent / "shared/reference/seed-speech.txt"


@pytest.mark.skipif(not SEED.is_file(), reason=f"reference speech not found at {SEED}")
@pytest.mark.parametrize("large_print", [False, True])
def test_the_reference_speech_comes_back_paragraph_for_paragraph(large_print):
    text = SEED.read_text(encoding="utf-8")
    expected = ["".join(line.split()) for line in text.splitlines() if line.strip()]
    paragraphs = assemble(parse_text(text).speech)
    options = ExportOptions(large_print=large_print)
    document = docx.Document(io.BytesIO(render_docx(paragraphs, options)))
    title, *rest = document.paragraphs
    # The title's lines come back as one paragraph with line breaks; in the large print
    # a line too long for 一号 is split in two (docx_export.balanced_lines).
    title_lines = paragraphs[0].text.split("\n")
    assert "".join(title.text.split()) == "".join(expected[: len(title_lines)])
    if not large_print:
        assert title.text.split("\n") == title_lines
    else:
        assert min(len(line) for line in title.text.split("\n")) >= 3
    lines = [line for p in rest for line in p.text.split("\n")]
    assert ["".join(line.split()) for line in lines] == expected[len(title_lines) :]
