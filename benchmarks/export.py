"""How much our Word export costs over a bare python-docx script writing the same thing.

Run: ``.venv/bin/python benchmarks/export.py``. It builds a speech ten times the size
of the reference speech (about 37,000 characters, our own generated text), then times
``render_docx`` against a bare script that writes the same paragraphs, runs, styles and
page setup with plain python-docx calls, and prints the ratio of the medians (target at
most 1.3), for the standard and the large-print layout. It is a measurement, not a test.
"""

from __future__ import annotations

import datetime
import os
import statistics
import sys
import time
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "speechdraft.settings")

from docx import Document  # noqa: E402
from docx.enum.style import WD_STYLE_TYPE  # noqa: E402
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX, WD_LINE_SPACING  # noqa: E402
from docx.oxml import OxmlElement  # noqa: E402
from docx.oxml.ns import qn  # noqa: E402
from docx.shared import Mm, Pt, Twips  # noqa: E402

from drafts.assembly import LEAD, assemble  # noqa: E402
from drafts.docx_export import LARGE_PRINT, STANDARD, ExportOptions, render_docx  # noqa: E402
from drafts.placeholders import split_placeholders  # noqa: E402
from drafts.structure import InlineItem, LeadItem, PartOne, PartTwo, Speech  # noqa: E402

TARGET_CHARS = 37_000
ROUNDS = 15

SUBJECTS = ("全市统计系统", "各区县局", "专业处室", "基层调查队", "执法检查组", "数据中心")
VERBS = ("扎实推进", "持续深化", "全面落实", "认真组织", "统筹开展", "稳步实施")
OBJECTS = (
    "名录库维护更新工作",
    "企业一套表联网直报",
    "统计设计管理和审核",
    "重点指标监测预警",
    "统计法治宣传教育",
    "数据共享交换平台建设",
)
RESULTS = ("完成X项任务", "覆盖XX个领域", "比上年提高X个百分点", "形成X份报告", "整改问题X个")


def clause(n: int) -> str:
    return (
        SUBJECTS[n % 6]
        + VERBS[(n // 6) % 6]
        + OBJECTS[(n // 36) % 6]
        + "，"
        + RESULTS[(n * 7) % len(RESULTS)]
    )


def prose(start: int, clauses: int) -> str:
    return "。".join(clause(n) for n in range(start, start + clauses)) + "。"


def big_speech(items: int = 30, clauses: int = 14) -> Speech:
    """A two-part speech with ``items`` achievements and measures of ``clauses`` clauses."""
    return Speech(
        title="在全市统计系统数据质量\n提升工作推进会上的讲话",
        organization="市统计局",
        speaker="局长 某某",
        date=datetime.date(2026, 12, 18),
        opening=prose(0, 10),
        part_one=PartOne(
            heading="回顾工作，数据质量持续提升",
            intro=prose(11, 8),
            achievements=[
                LeadItem(f"在{OBJECTS[n % 6]}上用力", prose(n * clauses, clauses))
                for n in range(items)
            ],
            lessons_intro="我们有几点体会：",
            lessons=[InlineItem(clause(n + 400)) for n in range(6)],
        ),
        part_two=PartTwo(
            heading="正视不足，推动工作再上台阶",
            shortcomings_intro="不足主要是：",
            shortcomings=[InlineItem(clause(n + 500)) for n in range(5)],
            transition="对这些问题，要认真加以解决。",
            measures=[
                LeadItem(f"要在{OBJECTS[n % 6]}上加力", prose(n * clauses + 7, clauses))
                for n in range(items)
            ],
        ),
        closing=prose(600, 8),
    )


def sized_speech() -> Speech:
    items = 10
    while sum(len("".join(p.text.split())) for p in assemble(big_speech(items))) < TARGET_CHARS:
        items += 1
    return big_speech(items)


def bare_docx(paragraphs, layout) -> bytes:
    """The same paragraphs, runs and formatting, written with plain python-docx calls."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    grid = section._sectPr.find(qn("w:docGrid"))
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(layout.line_pitch))
    grid.set(qn("w:charSpace"), str(layout.char_space))

    def fonts(style, east_asian):
        rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        rfonts.set(qn("w:ascii"), "Times New Roman")
        rfonts.set(qn("w:hAnsi"), "Times New Roman")
        rfonts.set(qn("w:eastAsia"), east_asian)

    normal = document.styles["Normal"]
    fonts(normal, "仿宋_GB2312")
    normal.font.size = Pt(layout.body_size)
    scale = OxmlElement("w:w", {qn("w:val"): str(layout.glyph_scale)})
    normal.element.get_or_add_rPr().get_or_add_sz().addprevious(scale)
    form = normal.paragraph_format
    form.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    form.line_spacing = Twips(layout.line_pitch)
    form.space_after = 0
    form.widow_control = False
    form.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    form.first_line_indent = Pt(2 * layout.body_size)

    styles = {}
    for role, east_asian, alignment in (
        ("title", "方正小标宋简体", WD_ALIGN_PARAGRAPH.CENTER),
        ("speaker", "楷体_GB2312", WD_ALIGN_PARAGRAPH.CENTER),
        ("date", "楷体_GB2312", WD_ALIGN_PARAGRAPH.CENTER),
        ("salutation", "仿宋_GB2312", WD_ALIGN_PARAGRAPH.LEFT),
        ("heading", "黑体", None),
        ("item", "仿宋_GB2312", None),
    ):
        style = document.styles.add_style(role, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        fonts(style, east_asian)
        if alignment is not None:
            style.paragraph_format.alignment = alignment
            style.paragraph_format.first_line_indent = 0
        styles[role] = style
    styles["title"].font.size = Pt(layout.title_size)
    lead = document.styles.add_style("lead", WD_STYLE_TYPE.CHARACTER)
    fonts(lead, "楷体_GB2312")
    lead.font.bold = True

    for paragraph in paragraphs:
        target = document.add_paragraph(style=styles.get(paragraph.role))
        for text, role, highlighted in paragraph:
            run = target.add_run(text, lead if role == LEAD else None)
            if highlighted:
                run.font.highlight_color = WD_COLOR_INDEX.YELLOW
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


class SplitParagraph(list):
    """A paragraph as (text, run role, highlighted) pieces, split before timing."""

    def __init__(self, paragraph):
        super().__init__(
            (segment, run.role, is_placeholder)
            for run in paragraph.runs
            for segment, is_placeholder in split_placeholders(run.text)
        )
        self.role = paragraph.role


def median_seconds(first, second) -> tuple[float, float]:
    """Median times of two functions, run alternately so that load on the machine
    weighs on both alike."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(ROUNDS):
        for function, record in ((first, times[0]), (second, times[1])):
            start = time.perf_counter()
            function()
            record.append(time.perf_counter() - start)
    return statistics.median(times[0]), statistics.median(times[1])


def main() -> None:
    paragraphs = assemble(sized_speech())
    split = [SplitParagraph(p) for p in paragraphs]
    chars = sum(len("".join(p.text.split())) for p in paragraphs)
    print(f"speech: {len(paragraphs)} paragraphs, {chars} characters without white space")
    for name, layout, large_print in (
        ("standard", STANDARD, False),
        ("large print", LARGE_PRINT, True),
    ):
        options = ExportOptions(author="市统计局", status="起草中", large_print=large_print)
        render_docx(paragraphs, options)  # warm caches and imports for both sides
        bare_docx(split, layout)
        ours, bare = median_seconds(
            lambda o=options: render_docx(paragraphs, o),
            lambda lay=layout: bare_docx(split, lay),
        )
        print(
            f"{name:12} ours {ours * 1000:6.1f} ms  bare python-docx {bare * 1000:6.1f} ms  "
            f"ratio {ours / bare:.2f} (target <= 1.3)"
        )


if __name__ == "__main__":
    main()
