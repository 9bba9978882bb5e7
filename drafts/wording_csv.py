"""The house wording list (规范用词) as CSV: what the admin imports and exports.

One rule a row, under a header row of Chinese column names (:data:`HEADER`; their order
is free, only 错误写法 and 正确写法 are required). Values are the words an office types
in Excel: 条件 任何位置 / 后接日期或时间, 级别 错误 / 建议, 启用 是 / 否. A file is
read whole or not at all: every row's problem is reported with its line number, and
nothing is stored while one remains. Written files start with a BOM, so Excel opens
them as UTF-8; read files may be UTF-8 or the GB18030 Excel saves on a Chinese system
(``reading.decode_text``).

The starter list the migration loads (``wording_starter.csv``) is in this format.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .proofreading import ALWAYS, BEFORE_DATE, ERROR, SUGGESTION, WordingEntry, split_exceptions

WRONG, RIGHT, CONDITION, EXCEPTIONS, NOTE, SEVERITY, ENABLED = (
    "错误写法",
    "正确写法",
    "条件",
    "例外",
    "说明",
    "级别",
    "启用",
)
HEADER = (WRONG, RIGHT, CONDITION, EXCEPTIONS, NOTE, SEVERITY, ENABLED)
CONDITION_NAMES = {ALWAYS: "任何位置", BEFORE_DATE: "后接日期或时间"}
_CONDITIONS = {"": ALWAYS, "任何位置": ALWAYS, "后接日期": BEFORE_DATE}
_CONDITIONS |= {name: key for key, name in CONDITION_NAMES.items()} | {
    k: k for k in CONDITION_NAMES
}
_SEVERITIES = {"": ERROR, ERROR: ERROR, SUGGESTION: SUGGESTION}
_YES = {"", "是", "启用", "1", "true", "yes", "y", "√"}
_NO = {"否", "停用", "0", "false", "no", "n", "×"}

# Column widths, the model's too (models.WordingRule).
WORD_CHARS = 40
EXCEPTIONS_CHARS = 500
NOTE_CHARS = 200
# A house list is a few hundred rules; a file past these is not one.
MAX_ROWS = 5000
MAX_BYTES = 1024 * 1024

STARTER = Path(__file__).with_name("wording_starter.csv")


@dataclass(frozen=True)
class Row:
    """One rule read from a file: the checker's entry and whether it is switched on."""

    entry: WordingEntry
    enabled: bool = True


@dataclass
class ReadResult:
    rows: list[Row] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def entry_problems(entry: WordingEntry) -> list[str]:
    """What makes an entry unusable, in Chinese; empty when it is fine.

    >>> entry_problems(WordingEntry("帐", "账", exceptions=("帐篷", "账本")))
    ['例外“账本”不含错误写法“帐”，不会起作用。']
    """
    problems = []
    if not entry.wrong.strip():
        problems.append("错误写法不能为空。")
    if not entry.right.strip():
        problems.append("正确写法不能为空。")
    if entry.wrong and entry.wrong == entry.right:
        problems.append("错误写法与正确写法相同。")
    for name, value, limit in ((WRONG, entry.wrong, WORD_CHARS), (RIGHT, entry.right, WORD_CHARS)):
        if len(value) > limit:
            problems.append(f"{name}最多 {limit} 字，现有 {len(value)} 字。")
    if len("、".join(entry.exceptions)) > EXCEPTIONS_CHARS:
        problems.append(f"{EXCEPTIONS}最多 {EXCEPTIONS_CHARS} 字。")
    if len(entry.note) > NOTE_CHARS:
        problems.append(f"{NOTE}最多 {NOTE_CHARS} 字，现有 {len(entry.note)} 字。")
    for word in entry.exceptions:
        if entry.wrong and entry.wrong not in word:
            problems.append(f"例外“{word}”不含错误写法“{entry.wrong}”，不会起作用。")
    return problems


def read_csv(text: str) -> ReadResult:
    """The rules of a CSV text, or the problems of its rows (then no rows).

    >>> result = read_csv("错误写法,正确写法,条件\\n做为,作为,\\n截止,截至,后接日期或时间\\n")
    >>> [(r.entry.wrong, r.entry.condition) for r in result.rows], result.errors
    ([('做为', 'always'), ('截止', 'before_date')], [])
    >>> read_csv("错误写法,正确写法\\n做为,做为\\n").errors
    ['第 2 行：错误写法与正确写法相同。']
    """
    result = ReadResult()
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header: list[str] | None = None
    columns: dict[str, int] = {}
    seen: dict[str, int] = {}
    count = 0
    for record in reader:
        if not any(cell.strip() for cell in record):
            continue
        if header is None:
            header = [cell.strip() for cell in record]
            missing = [name for name in (WRONG, RIGHT) if name not in header]
            if missing:
                names = "、".join(f"“{name}”" for name in HEADER)
                result.errors.append(f"第一行应为表头，列名为 {names}（缺少“{missing[0]}”）。")
                return result
            columns = {name: header.index(name) for name in HEADER if name in header}
            continue
        count += 1
        if count > MAX_ROWS:
            result.errors.append(f"最多 {MAX_ROWS} 条，文件超过了。")
            break
        line = reader.line_num
        row, problems = _row(record, columns)
        if row.entry.wrong in seen:
            problems.append(f"错误写法“{row.entry.wrong}”与第 {seen[row.entry.wrong]} 行重复。")
        seen.setdefault(row.entry.wrong, line)
        if problems:
            result.errors += [f"第 {line} 行：{problem}" for problem in problems]
        else:
            result.rows.append(row)
    if header is None:
        result.errors.append("文件里没有内容。")
    if result.errors:
        result.rows = []
    return result


def _row(record: list[str], columns: dict[str, int]) -> tuple[Row, list[str]]:
    def cell(name: str) -> str:
        index = columns.get(name)
        return record[index].strip() if index is not None and index < len(record) else ""

    problems = []
    condition = _CONDITIONS.get(cell(CONDITION))
    if condition is None:
        problems.append(f"条件应为“任何位置”或“后接日期或时间”，不是“{cell(CONDITION)}”。")
    severity = _SEVERITIES.get(cell(SEVERITY))
    if severity is None:
        problems.append(f"级别应为“错误”或“建议”，不是“{cell(SEVERITY)}”。")
    enabled_text = cell(ENABLED).lower()
    if enabled_text not in _YES | _NO:
        problems.append(f"启用应为“是”或“否”，不是“{cell(ENABLED)}”。")
    entry = WordingEntry(
        wrong=cell(WRONG),
        right=cell(RIGHT),
        condition=condition or ALWAYS,
        exceptions=split_exceptions(cell(EXCEPTIONS)),
        note=cell(NOTE),
        severity=severity or ERROR,
    )
    problems = entry_problems(entry) + problems
    return Row(entry, enabled_text not in _NO), problems


def write_csv(rows: Iterable[Row]) -> str:
    """The rules as CSV text, header first, BOM in front (for Excel).

    >>> write_csv([Row(WordingEntry("做为", "作为"))]).splitlines()[1]
    '做为,作为,任何位置,,,错误,是'
    """
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for row in rows:
        entry = row.entry
        writer.writerow(
            [
                entry.wrong,
                entry.right,
                CONDITION_NAMES.get(entry.condition, entry.condition),
                "、".join(entry.exceptions),
                entry.note,
                entry.severity,
                "是" if row.enabled else "否",
            ]
        )
    return out.getvalue()


def starter_rows() -> list[Row]:
    """The starter list shipped with the app (``wording_starter.csv``)."""
    result = read_csv(STARTER.read_text(encoding="utf-8"))
    if result.errors:
        raise ValueError("wording_starter.csv: " + " ".join(result.errors))
    return result.rows
