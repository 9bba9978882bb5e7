"""Proofread a speech (issue 15): a stored one by its id, or a file read in memory.

Nothing is stored. Findings are placed in paragraphs: for a .txt file its non-empty
lines, for a Word file its non-empty paragraphs, for a speech (and a .json file) the
non-empty lines of its plain-text export; ``offset`` counts characters from 0 in that
paragraph, so ``text == paragraph[offset:offset + len(text)]``. Exit status 0 whenever
the check ran, whatever it found.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from drafts.assembly import assemble, plain_text
from drafts.budgets import configured
from drafts.management.commands.import_speech import read_file
from drafts.models import Speech, WordingRule
from drafts.parsing import split_text
from drafts.proofreading import ERROR, check_speech
from drafts.proofreading_places import Placed, check_source, nonempty, place_findings
from drafts.reading import WORD_SUFFIXES, ImportRefused, decode_text, read_upload, read_word


class Command(BaseCommand):
    help = (
        "校对讲话稿：SOURCE 为讲话稿编号，或 .txt、.docx、.json 文件（只在内存中读取，不保存）。"
        "--format text（默认）逐条列出问题，--format json 输出 JSON 列表，每条含 code、severity、"
        "paragraph（第几段，从 1 起，只计非空段落）、offset（段内位置，从 0 起）、text、message、"
        "suggestion。"
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="讲话稿编号，或 .txt、.docx、.json 文件")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, **options):
        source = options["source"]
        wording = WordingRule.objects.entries()
        if source.isdigit() and not Path(source).exists():
            placed = self.check_stored(int(source), wording)
        else:
            placed = self.check_file(Path(source), wording)
        placed.sort(key=lambda p: (p.paragraph is not None, p.paragraph or 0, p.offset or 0))
        if options["format"] == "json":
            rows = [p.as_dict() for p in placed]
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
        else:
            for line in text_lines(placed):
                self.stdout.write(line)

    def check_stored(self, pk: int, wording) -> list[Placed]:
        speech = Speech.objects.with_structure().filter(pk=pk).first()
        if speech is None:
            raise CommandError(f"没有编号为 {pk} 的讲话稿。")
        data = speech.as_structure()
        return export_placed(data, wording)

    def check_file(self, path: Path, wording) -> list[Placed]:
        budgets = configured()
        try:
            content = read_file(path, budgets)
            parsed = read_upload(path.name, content, budgets)
            suffix = path.suffix.lower()
            if suffix == ".json":
                return export_placed(parsed.speech, wording)
            if suffix in WORD_SUFFIXES:
                paragraphs = read_word(content, budgets).paragraphs
            else:
                paragraphs = split_text(decode_text(content))
        except ImportRefused as error:
            raise CommandError(error.message) from None
        paragraphs = nonempty(paragraphs)
        # Where each paragraph went, when the parser read them one for one (a Word
        # paragraph with soft line breaks may make several).
        aligned = [p.strip() for p in paragraphs] == parsed.paragraphs
        labels = parsed.placements if aligned else None
        return check_source(parsed.speech, paragraphs, wording, labels)


def export_placed(data, wording) -> list[Placed]:
    """A speech's findings placed in its plain-text export (``assembly.plain_text``)."""
    lines = nonempty(plain_text(assemble(data)).split("\n"))
    return place_findings(check_speech(data, wording), data, lines)


def text_lines(placed: list[Placed]) -> list[str]:
    """One line a finding, then the counts."""
    lines = []
    for p in placed:
        f = p.finding
        where = (
            f"第{p.paragraph}段第{p.offset + 1}字" if p.paragraph is not None else "（不在正文中）"
        )
        label = f" {f.label}" if f.label else ""
        shown = f"“{f.text}”" if f.text else ""
        fix = ""
        if f.suggestion is not None:
            fix = f" → 建议改为“{f.suggestion}”" if f.suggestion else " → 建议删去"
        lines.append(f"{where}{label}〔{f.severity}〕{shown}{f.message}{fix}")
    errors = sum(1 for p in placed if p.finding.severity == ERROR)
    if placed:
        lines.append(f"共 {len(placed)} 处：错误 {errors} 处，建议 {len(placed) - errors} 处。")
    else:
        lines.append("没有发现问题。")
    return lines
