"""Structure a speech from its paragraphs: last year's text, pasted or read from a file.

The input is a list of plain paragraphs; the output is the plain :class:`Speech` of
``structure.py`` plus findings: what the parser was unsure about, and where. It follows
``speech-structure.md``: title lines, an optional speaker and date line, the salutation,
the opening, 一、 headings, （一） achievements, lessons inline (一是…二是…), the
shortcomings paragraph with its transition, 一是 measures, and the closing.

Numbers in the source are dropped (the app generates them), read by
``numbering.opening_label`` as the editor reads a number typed into a heading or an item;
a gap or a duplicate becomes a finding. Nothing is lost: a paragraph that fits nowhere
goes into the nearest text field and a finding names it. Stored texts are in the
canonical form of ``assembly.py``: inline items without their label and trailing joiner,
leads with their closing 。.
"""

from __future__ import annotations

import datetime
import functools
import re
from dataclasses import dataclass, field
from typing import NamedTuple

from . import budgets as budgeting
from . import numbering
from .assembly import JOINER_PUNCTUATION
from .budgets import Budgets
from .numbering import (
    NUMERAL,
    achievement_label,
    chinese_number,
    heading_label,
    opening_label,
    ordinal_label,
)
from .speech_json import LIST_NAMES
from .structure import InlineItem, LeadItem, Speech

# Where a lead sentence ends (speech-structure.md: "the lead sentence up to the first 。
# or the first sentence-ending punctuation"); closing quotes right after it belong to it.
SENTENCE_STOP = "。！？!?"
CLOSING_QUOTES = "”’」』）)》"
# Characters after which an inline 一是/二是 starts a new item.
ITEM_BOUNDARY = "：:。；;，,！？!? \t\u3000"
TITLE_ENDINGS = ("讲话", "发言", "致辞", "报告", "稿", "提纲")
INVISIBLE = "\ufeff\u200b\u200c\u200d\u2060"
# A level-1 heading is a short line; a longer one holding a full stop runs on into text.
LONG_HEADING = 40

_INLINE_ORDINAL = re.compile(rf"(?:^|(?<=[{ITEM_BOUNDARY}]))(?P<number>[{NUMERAL}]+)是")
_SALUTATION = re.compile(
    r"^(?P<salutation>[^。！？，,：:]{0,30}?"
    r"(?:同志们|同志|领导|来宾|朋友们|代表|嘉宾|同学们|老师们)"
    r"[^。！？，,：:]{0,8}[：:])(?P<rest>.*)$",
    re.S,
)
_DATE = re.compile(
    r"^[（(]?\s*(?P<year>[0-9０-９〇零一二三四五六七八九]{4})\s*年"
    r"\s*(?P<month>[0-9０-９一二三四五六七八九十]{1,3})\s*月"
    r"\s*(?P<day>[0-9０-９一二三四五六七八九十]{1,3})\s*日\s*[）)]?$"
)
_CLOSING_CUE = re.compile(r"^(?:同志们|各位|朋友们|让我们)")
_LINE_BREAK = re.compile(r"\r\n|[\r\n\v\f\u2028\u2029\x85]")
# Characters no text of a speech holds and that cannot all be stored or exported: the
# C0 and C1 controls but tab and the line breaks above, lone surrogates (not encodable),
# and the noncharacters U+FFFE, U+FFFF. PostgreSQL refuses NUL; Word's XML all of them.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")

# Paragraph kinds, from the paragraph's own opening characters.
HEADING = "heading"
ACHIEVEMENT = "achievement"
ORDINAL = "ordinal"
TEXT = "text"
_KIND_OF_STYLE = {
    numbering.HEADING: HEADING,
    numbering.BRACKETED: ACHIEVEMENT,
    numbering.ORDINAL: ORDINAL,
}
# A paragraph without a label of its own is still a heading or an item when Word says
# so: its outline level (标题 1 / Heading 1, 标题 2, or a style's w:outlineLvl).
_KIND_OF_OUTLINE = {1: HEADING, 2: ACHIEVEMENT}


class ImportRefused(Exception):
    """The input cannot be imported; ``message`` says why, in Chinese, for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Finding:
    """Something the parser was unsure about; ``paragraph`` indexes ``ParseResult.paragraphs``."""

    message: str
    paragraph: int | None = None

    @property
    def where(self) -> str:
        """``Finding("…", 2).where == "第3段"``; empty for a finding about the whole text."""
        return "" if self.paragraph is None else f"第{self.paragraph + 1}段"


@dataclass
class ParseResult:
    """The structured speech, the paragraphs it was read from, and where each one went."""

    speech: Speech
    paragraphs: list[str] = field(default_factory=list)
    placements: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


class _Marker(NamedTuple):
    start: int
    end: int
    number: int
    label: str


@dataclass(frozen=True)
class _Numbered:
    """A number read from the source: its paragraph, value and label as typed."""

    paragraph: int
    number: int
    label: str


def split_text(text: str) -> list[str]:
    """Split pasted or decoded text into lines, whatever the line ends.

    >>> split_text("\\ufeff甲\\r\\n乙\\r丙")
    ['甲', '乙', '丙']
    """
    return _LINE_BREAK.split(text.replace("\ufeff", ""))


def parse_text(text: str, budgets: Budgets | None = None, what: str = "导入的文字") -> ParseResult:
    """Parse a whole text, one paragraph a line (see :func:`parse_paragraphs`).

    ``what`` names the text in a refusal (粘贴的文字, 文件中的文字).

    >>> parse_text("同志们：\\n今天开会。").speech.opening
    '今天开会。'
    """
    budgets = budgets or budgeting.configured()
    # Measured before splitting: a text past the budget is refused unread.
    if len(text) > budgets.import_chars:
        raise ImportRefused(budgeting.over(what, budgets.import_chars, len(text)))
    return parse_paragraphs(split_text(text), budgets, what)


def parse_paragraphs(
    paragraphs: list[str],
    budgets: Budgets | None = None,
    what: str = "导入的文字",
    *,
    outline_levels: list[int | None] | None = None,
) -> ParseResult:
    """Lay paragraphs into a speech. A paragraph may hold soft line breaks (``\\n``).

    Blank paragraphs, indentation and trailing white space are ignored; findings point
    into ``result.paragraphs``, the non-blank paragraphs as read. Control characters
    are dropped with a finding. Past ``import_chars`` characters or ``import_paragraphs``
    non-blank paragraphs, :class:`ImportRefused` is raised before any parsing.
    ``outline_levels`` (one per paragraph, from a Word file's heading styles) mark a
    paragraph at level 1 as a part heading and one at level 2 as an item, with or
    without a number.

    >>> result = parse_paragraphs(["标题", "同志们：", "开场。", "一、成绩", "（一）甲。乙"])
    >>> result.speech.part_one.achievements[0].lead
    '甲。'
    >>> levels = [None, None, 1, 2]
    >>> result = parse_paragraphs(["同志们：", "开场。", "成绩", "甲。乙"], outline_levels=levels)
    >>> result.speech.part_one.heading, result.speech.part_one.achievements[0].lead
    ('成绩', '甲。')
    """
    budgets = budgets or budgeting.configured()
    chars = sum(map(len, paragraphs))
    if chars > budgets.import_chars:
        raise ImportRefused(budgeting.over(what, budgets.import_chars, chars))
    cleaned = [_CONTROL.sub("", paragraph) for paragraph in paragraphs]
    dropped = chars - sum(map(len, cleaned))
    lines = _clean_lines(cleaned)
    if len(lines) > budgets.import_paragraphs:
        limit = budgets.import_paragraphs
        raise ImportRefused(budgeting.over("段落数", limit, len(lines), "段"))
    result = _Parser(lines, budgets, _line_levels(cleaned, outline_levels)).parse()
    if dropped:
        result.findings.insert(
            0, Finding(f"已删去 {dropped} 个控制字符（如空字符 NUL），它们不是文字，无法保存。")
        )
    return result


def kind_of(paragraph: str) -> str:
    """The kind a paragraph's opening label says: ``kind_of("（三）…") == "achievement"``.

    The label is read by ``numbering.opening_label``, as the editor reads a typed one:
    ``kind_of("十十是…")`` and ``kind_of("一、二季度…")`` are text.
    """
    found = opening_label(paragraph)
    return TEXT if found is None else _KIND_OF_STYLE[found.style]


def split_lead(text: str) -> tuple[str, str]:
    """Split an item's text (label removed) into its lead sentence and body.

    >>> split_lead("要再加温，常补“钙”。 坚持学习。")
    ('要再加温，常补“钙”。', '坚持学习。')
    """
    text = text.strip()
    end = _sentence_end(text)
    if end is None:
        return text, ""
    return text[:end], text[end:].strip()


def _sentence_end(text: str) -> int | None:
    """Index just past the first sentence stop (and the closing quotes after it)."""
    for index, char in enumerate(text):
        if char in SENTENCE_STOP:
            end = index + 1
            while end < len(text) and text[end] in SENTENCE_STOP + CLOSING_QUOTES:
                end += 1
            return end
    return None


def _canonical_inline(text: str) -> str:
    # join_inline (assembly.py) strips and re-adds the joiner; store the text without it.
    return text.strip().rstrip(JOINER_PUNCTUATION)


@functools.lru_cache(maxsize=8)
def _inline_markers(text: str) -> tuple[_Marker, ...]:
    """The chain 一是, 二是, … at item boundaries; a gap of one or a repeat still chains.

    The chain starts at the paragraph's own label (二是… in a paragraph of its own) or
    else at the first 一是. One pass, cached: the parser asks about a paragraph several
    times, and one paragraph may hold tens of thousands of markers.
    """
    chain: list[_Marker] = []
    for match in _INLINE_ORDINAL.finditer(text):
        number = chinese_number(match["number"])
        if not number:
            continue
        if chain:
            if chain[-1].number <= number <= chain[-1].number + 2:
                chain.append(_Marker(match.start(), match.end(), number, match.group()))
        elif number == 1 or match.start() == 0:
            chain.append(_Marker(match.start(), match.end(), number, match.group()))
    return tuple(chain)


def _is_inline_list(text: str) -> bool:
    """Does this paragraph hold its items inline: 一是…二是…, or a lead-in ending in ：?"""
    chain = _inline_markers(text)
    if len(chain) >= 2:
        return True
    return len(chain) == 1 and text[: chain[0].start].rstrip().endswith(("：", ":"))


class _Parser:
    def __init__(
        self,
        lines: list[tuple[str, bool]],
        budgets: Budgets,
        levels: list[int | None] | None = None,
    ):
        self.raw = lines
        self.budgets = budgets
        self.raw_levels = levels or [None] * len(lines)
        self.lines: list[str] = []
        self.levels: list[int | None] = []
        self.placements: list[str] = []
        self.findings: list[Finding] = []
        self.speech = Speech(salutation="")

    # -- helpers --------------------------------------------------------------------

    def note(self, message: str, index: int | None = None) -> None:
        self.findings.append(Finding(message, index))

    def check_list(self, name: str, count: int) -> None:
        """Refuse an inline list past ``items_per_list`` before its items are built: one
        paragraph of 一是…；一是…； can hold tens of thousands (paragraphs cannot)."""
        if count > self.budgets.items_per_list:
            label = next(label for _, list_name, label in LIST_NAMES if list_name == name)
            raise ImportRefused(budgeting.over(label, self.budgets.items_per_list, count, "条"))

    def place(self, index: int, label: str) -> None:
        self.placements[index] = label

    def check_numbers(self, entries: list[_Numbered], what: str, label) -> None:
        """Findings for gaps and repeats in a source numbering, one per slip.

        A slip is named by its two ends as typed (“一、”之后是“九、”), and a gap by how
        many numbers it skips: a typed number can be as large as its numeral allows, so
        the missing ones are never listed one by one.
        """
        previous = None
        for entry in entries:
            expected = 1 if previous is None else previous.number + 1
            if entry.number > expected:
                missing = _missing(expected, entry.number, label)
                if previous is None:
                    slip = f"不连续：第一个是“{entry.label}”，前面缺少{missing}"
                else:
                    slip = f"不连续：“{previous.label}”之后是“{entry.label}”，中间缺少{missing}"
            elif previous is not None and entry.number == previous.number:
                slip = f"重复：“{previous.label}”之后又是“{entry.label}”"
            elif entry.number < expected:
                slip = f"倒序：“{previous.label}”之后是“{entry.label}”"
            else:
                slip = None
            if slip:
                self.note(f"{what}编号{slip}，已按顺序重新编号。", entry.paragraph)
            previous = entry

    # -- the whole text ---------------------------------------------------------------

    def parse(self) -> ParseResult:
        salutation_at = self.find_salutation()
        if salutation_at is None:
            self.parse_without_salutation()
        else:
            self.parse_header([text for text, _ in self.raw[:salutation_at]])
            self.add_salutation(self.raw[salutation_at][0])
            self.parse_body(self.merged(salutation_at + 1))
        self.findings.sort(key=lambda f: -1 if f.paragraph is None else f.paragraph)
        return ParseResult(self.speech, self.lines, self.placements, self.findings)

    def add_line(self, text: str, label: str = "", level: int | None = None) -> int:
        self.lines.append(text)
        self.placements.append(label)
        self.levels.append(level)
        return len(self.lines) - 1

    def kind_at(self, index: int) -> str:
        """The kind of line ``index``: its own label, else its outline level."""
        kind = kind_of(self.lines[index])
        return _KIND_OF_OUTLINE.get(self.levels[index], TEXT) if kind == TEXT else kind

    def find_salutation(self) -> int | None:
        for index, (text, _) in enumerate(self.raw):
            if kind_of(text) != TEXT:
                return None
            if _SALUTATION.match(text):
                return index
        return None

    def add_salutation(self, text: str) -> None:
        match = _SALUTATION.match(text)
        assert match is not None
        index = self.add_line(text, "称谓")
        self.speech.salutation = match["salutation"].strip()
        rest = match["rest"].strip()
        if rest:
            # The opening written on the salutation's line: split, keep both.
            self.speech.opening = rest
            self.place(index, "称谓、开场白")
            self.note("称谓和开场白写在同一段，已拆开。", index)

    def parse_without_salutation(self) -> None:
        lines = [text for text, _ in self.raw]
        starts = [
            i for i, text in enumerate(lines) if kind_of(text) == HEADING or self.raw_levels[i] == 1
        ]
        if len(starts) > 1 and starts[0] == 0 and kind_of(lines[0]) != HEADING:
            # The first line in an outline style is the title heading Word's navigation
            # pane (our own export, and some offices' templates, style it so).
            starts.pop(0)
        body_start = starts[0] if starts else None
        if body_start is None:
            self.parse_unstructured([text for text, _ in self.merged(0)])
            return
        header = 0
        while header < min(body_start, 4) and _looks_like_title(lines[header]):
            header += 1
        self.note("没有找到称谓（如“同志们：”），称谓留空。")
        self.parse_header(lines[:header])
        self.parse_body(self.merged(header))

    def merged(self, start: int) -> list[tuple[str, int | None]]:
        """Lines from ``start`` with soft breaks merged, each with its outline level."""
        return _merge_soft_breaks(self.raw[start:], self.raw_levels[start:])

    def parse_unstructured(self, lines: list[str]) -> None:
        for text in lines:
            self.add_line(text, "开场白")
        self.speech.opening = "\n".join(lines)
        if lines:
            self.note(
                "没有识别出讲话的结构（没有称谓，也没有“一、”“二、”这样的一级标题），"
                "全文已放入开场白，请手工整理。"
            )
        else:
            self.note("没有读到任何文字。")

    # -- title, speaker, date -----------------------------------------------------------

    def parse_header(self, lines: list[str]) -> None:
        """Title lines, then an optional speaker line and date line (as assembly emits them)."""
        indexes = [self.add_line(text, "标题") for text in lines]
        title = list(zip(indexes, lines, strict=True))
        dated = bool(title) and _DATE.match(title[-1][1]) is not None
        if dated:
            index, text = title[-1]
            date = _date(_DATE.match(text))
            if date is None:
                self.note(f"“{text}”像是日期，但不是有效的日期，已留在标题中。", index)
            else:
                self.speech.date = date
                self.place(index, "讲话日期")
                title.pop()
        if (
            len(title) >= 2
            and not _DATE.match(title[-1][1])
            and _looks_like_speaker(title[-1][1], title[-2][1], self.speech.date is not None)
        ):
            index, text = title.pop()
            self.speech.speaker = text
            self.place(index, "讲话人")
            if self.speech.date is None:
                self.note(f"“{text}”识别为讲话人，请核对。", index)
        self.speech.title = "\n".join(text for _, text in title)
        if not title:
            self.note("没有找到标题：称谓之前没有文字。")
        elif len(title) > 3:
            self.note(
                f"称谓之前有 {len(title)} 行，都作为标题，请核对是否混入了其他文字。", title[0][0]
            )

    # -- after the salutation -----------------------------------------------------------

    def parse_body(self, lines: list[tuple[str, int | None]]) -> None:
        start = len(self.lines)
        for text, level in lines:
            end = _sentence_end(text) if kind_of(text) == HEADING else None
            if end is not None and len(text) > LONG_HEADING and end < len(text):
                # 一、关于成绩。今年以来…… : the heading and its part's first text in one.
                self.note(
                    "一级标题和正文写在同一段，已把第一句作为标题、其余作为正文。", len(self.lines)
                )
                self.add_line(text[:end], level=level)
                text, level = text[end:].strip(), None
            self.add_line(text, level=level)
        body = list(range(start, len(self.lines)))
        headings = [i for i in body if self.kind_at(i) == HEADING]
        if not headings:
            self.speech.opening = _join(self.speech.opening, *(self.lines[i] for i in body))
            for index in body:
                self.place(index, "开场白")
            if body:
                self.note(
                    "没有识别出讲话的结构（没有“一、”“二、”这样的一级标题），"
                    "称谓之后的全文已放入开场白，请手工整理。"
                )
            return
        numbered = [_numbered(self.lines[i], i) for i in headings]
        self.check_numbers([n for n in numbered if n is not None], "一级标题", heading_label)
        closing = self.find_closing(headings[-1], body[-1] + 1)
        end = closing if closing is not None else body[-1] + 1

        opening = [i for i in body if i < headings[0]]
        self.speech.opening = _join(self.speech.opening, *(self.lines[i] for i in opening))
        for index in opening:
            self.place(index, "开场白")

        part_two_end = headings[2] if len(headings) > 2 else end
        self.parse_part_one(headings[0], headings[1] if len(headings) > 1 else end)
        extra = list(range(headings[2], end)) if len(headings) > 2 else []
        if len(headings) > 1:
            part_two = list(range(headings[1] + 1, part_two_end))
            extra_items = any(self.kind_at(i) != TEXT for i in extra[1:])
            part_two_items = any(self.kind_at(i) != TEXT for i in part_two)
            self.set_heading(headings[1], 2)
            if extra and extra_items and not part_two_items:
                self.note(
                    "讲话有第三部分。本工具按两部分组织讲话：第三部分已并入第二部分，"
                    "它的标题放在过渡语中，它的条目作为整改措施，请核对。",
                    extra[0],
                )
                part_two += extra
                extra = []
            self.parse_part_two(part_two)
        else:
            self.note("只找到一个一级标题，第二部分（不足与措施）为空。")
        if extra:
            self.note(
                "讲话有第三部分。本工具按两部分组织讲话：第三部分已原样放入结束语的前面，"
                "请手工调整。",
                extra[0],
            )
        closing_lines = extra + (list(range(closing, body[-1] + 1)) if closing is not None else [])
        self.speech.closing = _join(*(self.lines[i] for i in closing_lines))
        for index in closing_lines:
            self.place(index, "结束语")

    def find_closing(self, last_heading: int, end: int) -> int | None:
        """The closing: the trailing plain paragraphs, from the first that says 同志们."""
        run = end
        while (
            run - 1 > last_heading
            and self.kind_at(run - 1) == TEXT
            and not _is_inline_list(self.lines[run - 1])
        ):
            run -= 1
        if run == end:
            self.note("没有找到结束语（最后一段通常以“同志们，”开头）。")
            return None
        cued = next((i for i in range(run, end) if _CLOSING_CUE.match(self.lines[i])), None)
        if cued is not None:
            return cued
        if end - 1 == last_heading + 1:
            # The only paragraph of the last part is that part's content, not the closing.
            self.note("没有找到结束语（最后一段通常以“同志们，”开头）。")
            return None
        return end - 1

    def set_heading(self, index: int, part: int) -> None:
        text = _unlabelled(self.lines[index]).strip()
        target = self.speech.part_one if part == 1 else self.speech.part_two
        target.heading = text
        self.place(index, "第一部分 标题" if part == 1 else "第二部分 标题")

    # -- part one: intro, achievements, lessons -----------------------------------------

    def parse_part_one(self, heading: int, end: int) -> None:
        one = self.speech.part_one
        self.set_heading(heading, 1)
        indexes = list(range(heading + 1, end))
        numbers: list[_Numbered] = []
        self.lesson_numbers: list[_Numbered] = []
        lesson_paragraphs: list[int] = []
        state = "intro"
        for position, index in enumerate(indexes):
            text = self.lines[index]
            kind = self.kind_at(index)
            following = self.kind_at(indexes[position + 1]) if position + 1 < len(indexes) else TEXT
            if kind == ACHIEVEMENT:
                if state == "lessons":
                    self.note("这一条成绩写在启示之后，已接在成绩的最后。", index)
                if (numbered := _numbered(text, index)) is not None:
                    numbers.append(numbered)
                lead, body = split_lead(_unlabelled(text))
                one.achievements.append(LeadItem(lead, body))
                self.place(index, f"第一部分 成绩{achievement_label(len(one.achievements))}")
                self.check_lead(lead, index)
                state = "lessons" if state == "lessons" else "items"
            elif kind == ORDINAL or _is_inline_list(text):
                self.add_lessons(index)
                lesson_paragraphs.append(index)
                state = "lessons"
            elif state != "lessons" and following == ORDINAL:
                one.lessons_intro = _join(one.lessons_intro, text)
                self.place(index, "第一部分 启示引语")
            elif state == "intro":
                one.intro = _join(one.intro, text)
                self.place(index, "第一部分 引言")
            elif state == "items":
                item = one.achievements[-1]
                label = achievement_label(len(one.achievements))
                if item.body:
                    self.note(f"这一段没有编号，已并入成绩{label}的正文。", index)
                item.body = _join(item.body, text)
                self.place(index, f"第一部分 成绩{label}")
            else:
                self.note("这一段写在启示之后，无法归类，已并入最后一条启示。", index)
                last = one.lessons[-1]
                last.text = _canonical_inline(_join(_finish_sentence(last.text), text))
                self.place(index, "第一部分 启示")
        if len(lesson_paragraphs) > 1:
            self.note("启示原为分段书写，已合为一段（一是…。二是…。）。", lesson_paragraphs[1])
        self.check_numbers(numbers, "成绩", achievement_label)
        self.check_numbers(self.lesson_numbers, "启示", ordinal_label)
        if not one.achievements:
            self.note("第一部分没有找到成绩条目（（一）（二）…）。", heading)
        if not one.lessons:
            self.note("第一部分没有找到启示（一是…二是…）。", heading)

    def add_lessons(self, index: int) -> None:
        """A lessons paragraph (lead-in, 一是…。二是…。) or one lesson in its own paragraph."""
        one = self.speech.part_one
        intro, items, markers = _split_inline(self.lines[index])
        self.check_list("lessons", len(one.lessons) + len(items))
        one.lessons_intro = _join(one.lessons_intro, intro)
        one.lessons += [InlineItem(_canonical_inline(item)) for item in items]
        self.lesson_numbers += [_Numbered(index, m.number, m.label) for m in markers]
        self.place(index, "第一部分 启示")

    def check_lead(self, lead: str, index: int) -> None:
        if lead and lead[-1] not in SENTENCE_STOP + CLOSING_QUOTES + "：:；;":
            self.note("这一条的领句没有句末标点，导出时会补上“。”。", index)

    # -- part two: shortcomings, transition, measures -----------------------------------

    def parse_part_two(self, indexes: list[int]) -> None:
        two = self.speech.part_two
        state = "start"
        pending: list[int] = []
        self.shortcoming_numbers: list[_Numbered] = []
        self.measure_numbers: list[_Numbered] = []
        numbered = [i for i in indexes if self.kind_at(i) in (ORDINAL, ACHIEVEMENT)]
        for index in indexes:
            text = self.lines[index]
            kind = self.kind_at(index)
            # An inline list before the first measure is the shortcomings paragraph; one
            # that opens with 一是 must chain at least to 二是, or it is a measure.
            if state == "start" and (
                (kind == TEXT and _is_inline_list(text))
                or (kind == ORDINAL and len(_inline_markers(text)) >= 2)
            ):
                self.add_shortcomings(index, pending)
                state = "shortcomings"
            elif (
                state == "shortcomings"
                and kind in (TEXT, ORDINAL)
                and len(_inline_markers(text)) >= 2
                and not [i for i in numbered if i > index]
            ):
                # The measures written in one paragraph (…以下工作：一是…。二是…。), with
                # no measure paragraph after it: an enumeration inside a measure would
                # have its own paragraphs around it.
                self.add_inline_measures(index)
                state = "measures"
            elif kind in (ORDINAL, ACHIEVEMENT):
                if state == "start":
                    self.add_transition(pending)
                self.add_measure(index, kind)
                state = "measures"
            elif state == "start":
                pending.append(index)
            elif state == "shortcomings":
                if not two.transition:
                    self.note("这一段已作为过渡语，导出时接在不足之后，写在同一段里。", index)
                self.add_transition([index])
            else:
                item = two.measures[-1]
                label = ordinal_label(len(two.measures))
                if item.body:
                    self.note(f"这一段没有编号，已并入措施{label}的正文。", index)
                item.body = _join(item.body, text)
                self.place(index, f"第二部分 措施{label}")
        if state == "start":
            self.add_transition(pending)
        heading = indexes[0] - 1 if indexes else None
        if not two.shortcomings:
            self.note("第二部分没有找到不足（一是…；二是…；…）。", heading)
        if not two.measures:
            self.note("第二部分没有找到整改措施（一是…，每条另起一段）。", heading)
        self.check_numbers(self.shortcoming_numbers, "不足", ordinal_label)
        self.check_numbers(self.measure_numbers, "整改措施", ordinal_label)

    def add_shortcomings(self, index: int, pending: list[int]) -> None:
        """The shortcomings paragraph: lead-in, 一是…；二是…。, then the transition."""
        two = self.speech.part_two
        for earlier in pending:
            self.note("这一段写在不足之前，已放入不足引语。", earlier)
            self.place(earlier, "第二部分 不足引语")
        intro, items, markers = _split_inline(self.lines[index])
        self.check_list("shortcomings", len(items))
        last, transition = _split_last(items[-1])
        two.shortcomings_intro = _join(*(self.lines[i] for i in pending), intro)
        two.shortcomings = [InlineItem(_canonical_inline(t)) for t in [*items[:-1], last]]
        two.transition = transition
        self.shortcoming_numbers = [_Numbered(index, m.number, m.label) for m in markers]
        self.place(index, "第二部分 不足、过渡语" if transition else "第二部分 不足")

    def add_measure(self, index: int, kind: str) -> None:
        two = self.speech.part_two
        found = opening_label(self.lines[index])
        if found is not None and found.style == numbering.BRACKETED:
            self.note("第二部分用“（一）”编号的段落已作为整改措施，导出时编号为“一是”。", index)
        if (numbered := _numbered(self.lines[index], index)) is not None:
            self.measure_numbers.append(numbered)
        lead, body = split_lead(_unlabelled(self.lines[index]))
        two.measures.append(LeadItem(lead, body))
        self.place(index, f"第二部分 措施{ordinal_label(len(two.measures))}")
        self.check_lead(lead, index)

    def add_inline_measures(self, index: int) -> None:
        """The lead-in (the transition) and the measures of one paragraph, each measure
        its own item, its first sentence the lead."""
        two = self.speech.part_two
        intro, items, markers = _split_inline(self.lines[index])
        self.check_list("measures", len(items))
        two.transition = _join(two.transition, intro)
        for text, marker in zip(items, markers, strict=True):
            self.measure_numbers.append(_Numbered(index, marker.number, marker.label))
            lead, body = split_lead(text.strip())
            two.measures.append(LeadItem(lead, body))
        self.note(
            f"这一段的整改措施写在同一段里，已按“一是、二是…”分成 {len(items)} 条，"
            "导出时每条另起一段。",
            index,
        )
        self.place(index, "第二部分 过渡语、措施" if intro else "第二部分 措施")

    def add_transition(self, indexes: list[int]) -> None:
        two = self.speech.part_two
        two.transition = _join(two.transition, *(self.lines[i] for i in indexes))
        for index in indexes:
            self.place(index, "第二部分 过渡语")


def _numbered(text: str, index: int) -> _Numbered | None:
    """The number a paragraph opens with; None for a heading or item known by its level."""
    found = opening_label(text)
    return None if found is None else _Numbered(index, found.number, found.label.strip())


def _unlabelled(text: str) -> str:
    """A heading's or an item's text without its label (a line known by its level has none)."""
    found = opening_label(text)
    return text if found is None else found.rest


def _missing(first: int, end: int, label) -> str:
    """The numbers from ``first`` up to ``end`` (excluded): one is named, more counted.

    >>> _missing(2, 3, numbering.heading_label), _missing(2, 10**20, numbering.heading_label)
    ('“二、”', ' 99999999999999999998 个编号')
    """
    count = end - first
    return f"“{label(first)}”" if count == 1 else f" {count} 个编号"


def _split_inline(text: str) -> tuple[str, list[str], list[_Marker]]:
    """A lead-in and the items of an inline list; the last item runs to the end."""
    markers = _inline_markers(text)
    intro = text[: markers[0].start].strip()
    ends = [m.start for m in markers[1:]] + [len(text)]
    items = [text[m.end : end] for m, end in zip(markers, ends, strict=True)]
    return intro, items, markers


def _split_last(text: str) -> tuple[str, str]:
    """The last shortcoming ends at its first sentence stop; what follows is the transition."""
    end = _sentence_end(text)
    if end is None:
        return text, ""
    return text[:end], text[end:].strip()


def _finish_sentence(text: str) -> str:
    return text if not text or text[-1] in SENTENCE_STOP else text + "。"


def _join(*texts: str) -> str:
    """Texts of several source paragraphs in one field, one line each."""
    return "\n".join(text for text in texts if text)


def _date(match: re.Match) -> datetime.date | None:
    parts = []
    for name in ("year", "month", "day"):
        value = match[name]
        number = int(value) if value.isdigit() else chinese_number(value)
        if number is None:
            return None
        parts.append(number)
    try:
        return datetime.date(*parts)
    except ValueError:
        return None


def _looks_like_title(text: str) -> bool:
    return len(text) <= 40 and not any(char in text for char in SENTENCE_STOP + "：:")


def _looks_like_speaker(text: str, before: str, dated: bool) -> bool:
    """A short name line after the title: 局长 王XX, 市委常委、副市长 李XX."""
    if len(text) > 30 or any(char in text for char in "，,。：:；;！？") or text.startswith("—"):
        return False
    if text.endswith(TITLE_ENDINGS) or "会议" in text or "大会" in text:
        return False
    return dated or before.endswith(TITLE_ENDINGS)


def _clean_lines(paragraphs: list[str]) -> list[tuple[str, bool]]:
    """Non-blank stripped lines; the flag says the line continues the same paragraph."""
    lines = []
    for paragraph in paragraphs:
        first = True
        for line in _LINE_BREAK.split(paragraph):
            text = line.strip().strip(INVISIBLE).strip()
            if text:
                lines.append((text, not first))
                first = False
    return lines


def _line_levels(
    paragraphs: list[str], outline_levels: list[int | None] | None
) -> list[int | None]:
    """The outline level of each line of ``_clean_lines``: a paragraph's, on its first line."""
    levels: list[int | None] = []
    for number, paragraph in enumerate(paragraphs):
        level = outline_levels[number] if outline_levels and number < len(outline_levels) else None
        for line in _LINE_BREAK.split(paragraph):
            if line.strip().strip(INVISIBLE).strip():
                levels.append(level)
                level = None
    return levels


def _merge_soft_breaks(
    lines: list[tuple[str, bool]], levels: list[int | None]
) -> list[tuple[str, int | None]]:
    """Join a soft line break that wraps mid-sentence; keep one that ends a sentence."""
    merged: list[tuple[str, int | None]] = []
    for (text, continues), level in zip(lines, levels, strict=True):
        if (
            continues
            and merged
            and merged[-1][0][-1] not in SENTENCE_STOP + CLOSING_QUOTES + "：:；;"
            and kind_of(text) == TEXT
        ):
            merged[-1] = (merged[-1][0] + text, merged[-1][1])
        else:
            merged.append((text, level))
    return merged
