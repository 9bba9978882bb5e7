"""Writing a parsed speech: the stored speech reads back as parsed, with counts."""

from pathlib import Path

import pytest

from drafts.importing import count_items, import_speech, speech_errors
from drafts.parsing import parse_text
from drafts.speech_json import to_document

FARMLAND = (Path(__file__).parent / "resources" / "speech_farmland.txt").read_text(encoding="utf-8")


@pytest.mark.django_db
def test_an_imported_speech_is_stored_as_parsed_and_counted(drafter):
    parsed = parse_text(FARMLAND)
    result = import_speech(parsed, drafter)
    stored = type(result.speech).objects.with_structure().get(pk=result.speech.pk)
    assert to_document(stored.as_structure()) == to_document(parsed.speech)
    assert stored.owner == drafter
    assert (result.counts.achievements, result.counts.lessons) == (12, 4)
    assert (result.counts.shortcomings, result.counts.measures) == (4, 4)


@pytest.mark.django_db
def test_the_findings_of_the_parse_come_with_the_result(drafter):
    parsed = parse_text(FARMLAND.replace("（三）工程质量", "（四）工程质量"))
    result = import_speech(parsed, drafter)
    assert result.findings == parsed.findings
    assert any("成绩编号不连续" in finding.message for finding in result.findings)


def test_counts_summary_reads_as_a_sentence():
    assert (
        count_items(parse_text(FARMLAND).speech).summary()
        == "成绩 12 条，启示 4 条，不足 4 条，措施 4 条"
    )


def test_texts_longer_than_their_stored_field_are_named():
    data = parse_text(FARMLAND).speech
    data.part_two.heading = "很长" * 101
    assert speech_errors(data) == ["第二部分 标题超过上限：最多 200 字，现有 202 字。"]
    assert speech_errors(parse_text(FARMLAND).speech) == []
