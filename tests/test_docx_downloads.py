"""Word downloads: the management command and the export page and download views."""

import io

import docx
import pytest
from django.core.management import CommandError, call_command
from docx.shared import Pt

from drafts.assembly import assemble, plain_text
from drafts.demo import demo_speech
from drafts.models import Speech


def paragraph_lines(document) -> str:
    return "".join(p.text + "\n" for p in document.paragraphs)


@pytest.mark.django_db
@pytest.mark.parametrize(("extra", "body_size"), [([], 16), (["--large-print"], 22)])
def test_export_command_writes_the_word_file(tmp_path, drafter, extra, body_size):
    speech = Speech.create_from_structure(demo_speech(), drafter)
    target = tmp_path / "speech.docx"
    call_command("export_speech", str(speech.pk), "--format", "docx", "-o", str(target), *extra)
    document = docx.Document(io.BytesIO(target.read_bytes()))
    assert paragraph_lines(document) == plain_text(assemble(demo_speech()))
    assert document.styles["Normal"].font.size == Pt(body_size)
    assert document.sections[0].first_page_header.paragraphs[0].text == "讨论稿"
    assert document.core_properties.author == "市统计局"
    assert document.core_properties.content_status == "起草中"


@pytest.mark.django_db
def test_export_command_will_not_write_a_word_file_to_the_terminal(drafter):
    speech = Speech.create_from_structure(demo_speech(), drafter)
    with pytest.raises(CommandError, match="-o"):
        call_command("export_speech", str(speech.pk), "--format", "docx")
