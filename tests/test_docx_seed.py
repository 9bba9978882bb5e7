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
    # The title's two lines come back as one paragraph with a line break.
    lines = [line for p in document.paragraphs for line in p.text.split("\n")]
    assert ["".join(line.split()) for line in lines] == expected
