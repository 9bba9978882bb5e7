"""How much importing a .docx costs over python-docx alone opening it and reading it.

Run: ``.venv/bin/python benchmarks/import.py``. It writes a speech ten times the size
of the reference speech (about 37,500 characters of our own generated text, leads in
bold runs, the title broken with a soft line break) as a .docx, then times
``reading.read_upload`` (zip checks, python-docx, our paragraph reading, the parser)
against ``Document(...)`` plus ``[p.text for p in document.paragraphs]`` and prints the
ratio of the medians (target at most 2). Times are this process's CPU time, so other
work on the machine (a test suite, a second server) does not skew the ratio. It is a
measurement, not a test.

The same speech is then written as Word 16 numbers it (``tests/word_files.py``): 一、 and
（一） only in numbering.xml, through the 标题 1 / 标题 2 styles, so the import resolves
every paragraph's automatic number and outline level; its ratio is printed too.
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
# The reader takes its budgets from the settings.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "speechdraft.settings")

import django  # noqa: E402

django.setup()

from docx import Document  # noqa: E402

from drafts.assembly import HEADING, LEAD, assemble  # noqa: E402
from drafts.numbering import opening_label  # noqa: E402
from drafts.reading import read_docx, read_upload  # noqa: E402
from drafts.structure import InlineItem, LeadItem, PartOne, PartTwo, Speech  # noqa: E402
from tests import word_files  # noqa: E402

TARGET_CHARS = 10 * 3_748
ROUNDS = 15

PLACES = ("各乡镇", "县直各部门", "项目区", "村集体", "合作社", "监理单位", "第三方机构")
ACTIONS = ("统筹推进", "逐项落实", "加快实施", "严格把关", "跟踪督办", "认真组织")
WORKS = (
    "田间道路和沟渠配套建设",
    "耕地质量提升和土壤改良",
    "高效节水灌溉工程",
    "建后管护责任落实",
    "项目资金拨付和审计",
    "农田建设信息平台应用",
)
FIGURES = ("完成X公里", "新增X万亩", "投入X万元", "整改问题X个", "培训X人次")


def clause(n: int) -> str:
    return (
        PLACES[n % len(PLACES)]
        + ACTIONS[(n // 7) % len(ACTIONS)]
        + WORKS[(n // 42) % len(WORKS)]
        + "，"
        + FIGURES[(n * 3) % len(FIGURES)]
    )


def sentence(n: int, clauses: int = 3) -> str:
    return "，".join(clause(n * clauses + k) for k in range(clauses)) + "。"


def speech_of_size(chars: int) -> Speech:
    """A speech in the usual shape, with as many achievements as it takes to reach ``chars``."""
    speech = Speech(
        title="在县农业农村局高标准农田建设\n工作推进会议上的讲话",
        opening=sentence(1) + sentence(2) + "下面，我讲两个方面的意见。",
        part_one=PartOne(
            heading="回顾工作抓落实，各项任务取得新进展",
            intro=sentence(3),
            lessons_intro="实践告诉我们：",
            lessons=[InlineItem(f"必须坚持{clause(n)}") for n in range(4)],
        ),
        part_two=PartTwo(
            heading="正视差距补短板，推动工作提质增效",
            shortcomings_intro="工作中还存在一些不足，主要是：",
            shortcomings=[InlineItem(f"{clause(n)}还不够") for n in range(3)],
            transition="对这些问题，我们要认真加以解决。",
            measures=[
                LeadItem(f"要{ACTIONS[n]}{WORKS[n]}。", sentence(100 + n, 4)) for n in range(4)
            ],
        ),
        closing="同志们，" + sentence(9),
    )
    number = 10
    while sum(len(p.text) for p in assemble(speech)) < chars:
        lead = f"在{WORKS[number % len(WORKS)]}上用力，成效更加明显。"
        body = sentence(number, 4) + sentence(number + 1, 4)
        speech.part_one.achievements.append(LeadItem(lead, body))
        number += 2
    return speech


def docx_of(speech: Speech) -> bytes:
    """The speech as a .docx: one paragraph each, the lead in a bold run of its own."""
    document = Document()
    for paragraph in assemble(speech):
        target = document.add_paragraph()
        for run in paragraph.runs:
            lines = run.text.split("\n")
            for number, line in enumerate(lines):
                if number:
                    target.add_run().add_break()
                target.add_run(line).bold = run.role == LEAD
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()


def numbered_docx_of(speech: Speech) -> bytes:
    """The speech as Word 16 saves it: headings and achievements numbered by their styles."""
    blocks = []
    for paragraph in assemble(speech):
        text = paragraph.text
        style = None
        if paragraph.role == HEADING or ".achievements." in paragraph.anchor:
            style = "1" if paragraph.role == HEADING else "2"
            text = opening_label(text).rest
        lines = text.split("\n")
        blocks.append(word_files.paragraph(lines[0], style=style, runs=6))
        blocks += [word_files.paragraph(line) for line in lines[1:]]
    # Word 16's list, but counting-thousand for the items: this speech has some 160
    # achievements, and past 99 chineseCounting writes 一○○ digit by digit.
    numbering = word_files.numbering_xml(
        [
            word_files.abstract_num(
                0,
                [
                    word_files.level(0, "chineseCounting", "%1、", suffix="nothing", style="1"),
                    word_files.level(
                        1, "chineseCountingThousand", "（%2）", suffix="nothing", style="2"
                    ),
                ],
            )
        ],
        [word_files.num(1, 0)],
    )
    return word_files.docx_file(
        word_files.body_xml(blocks), numbering=numbering, styles=word_files.word16_styles()
    )


def median_seconds(action, rounds: int = ROUNDS) -> float:
    timings = []
    for _ in range(rounds):
        start = time.process_time()
        action()
        timings.append(time.process_time() - start)
    return statistics.median(timings)


def python_docx_alone(data: bytes) -> list[str]:
    return [paragraph.text for paragraph in Document(io.BytesIO(data)).paragraphs]


def measure(name: str, data: bytes, expected: Speech) -> None:
    result = read_upload("speech.docx", data)
    assert len(result.speech.part_one.achievements) == len(expected.part_one.achievements)
    assert result.findings == [], result.findings

    chars = sum(len("".join(text.split())) for text in result.paragraphs)
    baseline = median_seconds(lambda: python_docx_alone(data))
    reading = median_seconds(lambda: read_docx(data))
    importing = median_seconds(lambda: read_upload("speech.docx", data))
    print(
        f"{name}: {chars} characters, {len(result.paragraphs)} paragraphs, "
        f"{len(data) // 1024} KB .docx, median CPU time of {ROUNDS}"
    )
    print(f"  python-docx open + paragraphs: {baseline * 1000:7.1f} ms")
    print(
        f"  read_docx (paragraphs only):   {reading * 1000:7.1f} ms  ratio {reading / baseline:.2f}"
    )
    print(
        f"  read_upload (read + parse):    {importing * 1000:7.1f} ms  "
        f"ratio {importing / baseline:.2f} (target ≤ 2)"
    )


def main() -> None:
    speech = speech_of_size(TARGET_CHARS)
    measure("typed numbers", docx_of(speech), speech)
    measure("Word's automatic numbers", numbered_docx_of(speech), speech)


if __name__ == "__main__":
    main()
