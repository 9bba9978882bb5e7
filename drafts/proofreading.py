"""校对: proofreading the speech field by field, knowing its structure (issue 15).

API (kept stable for the editor, the preview, the command and the report):

- ``check_speech(speech, wording=(), *, only=None) -> list[Finding]``: every finding
  of a whole ``structure.Speech``, in reading order: the text rules on every field, and
  the rules that need the speech (repeated sentences, a lead far longer than its
  siblings, an empty part, list or item); ``only``, a set of field addresses, keeps
  those fields' findings. About 20 ms of processor time for 37,000 characters
  (``benchmarks/proofreading.py``).
- ``check_field(field, wording=()) -> list[Finding]``: the findings of one
  ``structure.TextField`` alone (the text rules and the rules of its kind of field:
  a heading's end mark, a typed number), under a millisecond. For a field being typed,
  ``dataclasses.replace(field, text=typed)`` of its entry in
  ``structure.text_fields(speech)``; for the cross-field findings too,
  ``check_speech(with_field_text(speech, address, typed), wording, only={address})``.
- ``check_text(text, wording=()) -> list[Finding]``: the text rules on a bare paragraph
  (no field: ``anchor``, ``name`` and ``label`` are empty).
- ``wording`` is the house list as plain data: :class:`WordingEntry` items or tuples
  ``(wrong, right[, condition[, exceptions[, note[, severity]]]])``; the stored list is
  ``models.WordingRule.objects.entries()``.

A :class:`Finding` says where (``anchor`` and ``name``: the field's stable address,
``address == f"{anchor}/{name}"`` as in ``comparison.speech_units``; ``label``: the
field's name on every page, 第一部分 成绩（三） 领句), the span (``offset`` and
``length`` in that field's text, ``text`` the characters there), ``code``,
``severity`` (``ERROR`` 错误 or ``SUGGESTION`` 建议), ``message`` (Chinese) and
``suggestion``: the replacement for the span when it is certain, else None (``""``
deletes the span; a zero-length finding with a suggestion is an insertion). ``key``
names a finding across edits elsewhere in the speech (to remember 忽略); ``as_dict()``
is the finding as JSON. ``proofreading_places.place_findings(findings, speech,
paragraphs)`` says where each stands in the assembled paragraphs (the preview's
``[p.text for p in assembly.assemble(speech)]``, or the plain-text export's lines).

The rules follow GB/T 15834-2011 (punctuation) and GB/T 15835-2011 (numbers), and are
written for precision: each one was run over real speech text, and whatever it flagged
in good text was narrowed (see ``tests/test_proofreading.py`` for both sides).
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable, Iterator, Sequence
from copy import deepcopy
from dataclasses import dataclass, replace
from itertools import chain

from . import numbering
from .assembly import CLOSING_MARKS, JOINER_PUNCTUATION
from .placeholders import PLACEHOLDER as PLACEHOLDERS
from .structure import ITEM_LISTS, SECTION_NAMES, Speech, TextField, text_fields

ERROR = "错误"
SUGGESTION = "建议"

# Rule codes. Text rules look at one text; field rules at what kind of field it is;
# speech rules at several fields.
HALFWIDTH_PUNCTUATION = "halfwidth-punctuation"
DOUBLED_PUNCTUATION = "doubled-punctuation"
CLASHING_PUNCTUATION = "clashing-punctuation"
UNPAIRED_MARK = "unpaired-mark"
ELLIPSIS = "ellipsis"
DASH = "dash"
SPACE_BETWEEN_CHINESE = "space-between-chinese"
FULLWIDTH_DIGITS = "fullwidth-digits"
SHORT_YEAR = "short-year"
MIXED_NUMBER = "mixed-number"
YEAR_ZERO = "year-zero"
RANGE_MARK = "range-mark"
RANGE_UNIT = "range-unit"
REPEATED_CHARACTER = "repeated-character"
REPEATED_WORD = "repeated-word"
HOUSE_WORDING = "house-wording"
PLACEHOLDER = "placeholder"
TITLE_END_MARK = "title-end-mark"
HEADING_END_MARK = "heading-end-mark"
LEAD_END_MARK = "lead-end-mark"
SALUTATION_END_MARK = "salutation-end-mark"
LEAD_IN_END_MARK = "lead-in-end-mark"
PARAGRAPH_END_MARK = "paragraph-end-mark"
TYPED_NUMBER = "typed-number"
REPEATED_SENTENCE = "repeated-sentence"
LONG_LEAD = "long-lead"
LEAD_SEVERAL_SENTENCES = "lead-several-sentences"
EMPTY_PART = "empty-part"
MISSING_HEADING = "missing-heading"
EMPTY_LIST = "empty-list"
EMPTY_ITEM = "empty-item"
MISSING_LEAD = "missing-lead"
EMPTY_FIELD = "empty-field"

# What each code checks, for the report's legend and the editor's filters.
CODE_NAMES = {
    HALFWIDTH_PUNCTUATION: "半角标点",
    DOUBLED_PUNCTUATION: "标点重复",
    CLASHING_PUNCTUATION: "标点连用",
    UNPAIRED_MARK: "标号不成对",
    ELLIPSIS: "省略号",
    DASH: "破折号",
    SPACE_BETWEEN_CHINESE: "多余空格",
    FULLWIDTH_DIGITS: "全角数字",
    SHORT_YEAR: "年份简写",
    MIXED_NUMBER: "数字混写",
    YEAR_ZERO: "年份中的〇",
    RANGE_MARK: "数值范围",
    RANGE_UNIT: "数值范围",
    REPEATED_CHARACTER: "字词重复",
    REPEATED_WORD: "字词重复",
    HOUSE_WORDING: "规范用词",
    PLACEHOLDER: "占位符",
    TITLE_END_MARK: "标题标点",
    HEADING_END_MARK: "标题标点",
    LEAD_END_MARK: "领句标点",
    SALUTATION_END_MARK: "称谓标点",
    LEAD_IN_END_MARK: "引语标点",
    PARAGRAPH_END_MARK: "段末标点",
    TYPED_NUMBER: "手工编号",
    REPEATED_SENTENCE: "语句重复",
    LONG_LEAD: "领句过长",
    LEAD_SEVERAL_SENTENCES: "领句过长",
    EMPTY_PART: "内容缺失",
    MISSING_HEADING: "内容缺失",
    EMPTY_LIST: "内容缺失",
    EMPTY_ITEM: "空条目",
    MISSING_LEAD: "内容缺失",
    EMPTY_FIELD: "内容缺失",
}


@dataclass(frozen=True)
class Finding:
    """One thing to check, in one field (see the module docstring)."""

    code: str
    severity: str
    anchor: str
    name: str
    label: str
    offset: int
    length: int
    text: str
    message: str
    suggestion: str | None = None
    item_id: str | None = None
    key: str = ""

    @property
    def address(self) -> str:
        """The field's stable address: ``opening/opening``, ``item:<uuid>/lead``."""
        return f"{self.anchor}/{self.name}"

    @property
    def end(self) -> int:
        return self.offset + self.length

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def as_dict(self) -> dict:
        """The finding as JSON for the page's script: every field, and ``address``."""
        return {
            "code": self.code,
            "severity": self.severity,
            "address": self.address,
            "anchor": self.anchor,
            "name": self.name,
            "label": self.label,
            "item_id": self.item_id,
            "offset": self.offset,
            "length": self.length,
            "text": self.text,
            "message": self.message,
            "suggestion": self.suggestion,
            "key": self.key,
        }


@dataclass(frozen=True)
class WordingEntry:
    """One entry of the house wording list: ``wrong`` is written ``right``.

    ``condition`` is ``ALWAYS`` or ``BEFORE_DATE`` (only when a date or time follows,
    as 截止 → 截至 in 截至6月底); ``exceptions`` are longer words that hold ``wrong``
    and are right as they are (帐 → 账, but 帐篷).
    """

    wrong: str
    right: str
    condition: str = "always"
    exceptions: tuple[str, ...] = ()
    note: str = ""
    severity: str = ERROR


ALWAYS = "always"
BEFORE_DATE = "before_date"
CONDITIONS = (ALWAYS, BEFORE_DATE)


@dataclass(frozen=True)
class _Hit:
    """A finding of a text rule, before it knows its field."""

    code: str
    severity: str
    start: int
    end: int
    message: str
    suggestion: str | None = None


# --- Characters

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_HAN = re.compile(f"[{HAN}]")


def _first(chars: str, pattern: str) -> re.Pattern:
    """``pattern``, told which characters a match starts with: Python's engine then
    skips to them instead of trying every alternative at every character (ten times
    faster on a speech for patterns that open with an alternation or a look-behind)."""
    return re.compile(f"(?=[{chars}])(?:{pattern})")


# Full-width punctuation: a neighbour that makes a half-width mark Chinese text's.
CJK_MARKS = "，。、；：？！“”‘’（）《》〈〉【】〔〕「」『』…—·～"
OPENING_MARKS = "“‘（《〈【〔「『"
CLOSING_PAIRS = {"”": "“", "’": "‘", "）": "（", "》": "《", "〉": "〈", "】": "【", "〕": "〔"}
CLOSING_PAIRS |= {"」": "「", "』": "『"}
SENTENCE_END = "。！？!?…"
SPACES = " \t\u3000\u00a0"


def _is_han(char: str) -> bool:
    return bool(char) and _HAN.match(char) is not None


def _is_chinese(char: str) -> bool:
    """A Chinese character or full-width mark: the company that makes a mark Chinese."""
    return bool(char) and (_is_han(char) or char in CJK_MARKS)


# --- Punctuation (GB/T 15834-2011)

FULL_WIDTH = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
_HALF_MARKS = _first(r""".,;:?!()"'""", r'\.+|[,;:?!()"\']')
_HALF_PAIR = re.compile(r"\(([^()\n]*)\)")
_HALF_QUOTES = _first(""""'""", r'"([^"\n]*)"|\'([^\'\n]*)\'')


def halfwidth_punctuation(text: str) -> Iterator[_Hit]:
    """Half-width , . : ; ? ! ( ) " ' in Chinese text.

    A mark is Chinese text's when a Chinese character or full-width mark stands next to
    it; not between Latin letters or digits (2.3, 10:30, Excel), nor a full stop after
    a digit before Chinese (1.加强, the numbering GB/T 15834 allows), nor a mark after
    a Latin word.

    >>> [(h.start, h.suggestion) for h in halfwidth_punctuation("完成任务,提高质量")]
    [(4, '，')]
    >>> list(halfwidth_punctuation("增长2.3%，用时10:30，Excel表格"))
    []
    """
    paired: set[int] = set()
    for match in _HALF_PAIR.finditer(text):
        inside = match.group(1)
        before = text[match.start() - 1] if match.start() else ""
        after = text[match.end()] if match.end() < len(text) else ""
        if _HAN.search(inside) or _is_chinese(before) or _is_chinese(after):
            paired.update((match.start(), match.end() - 1))
            yield _half(match.start(), "(", "（")
            yield _half(match.end() - 1, ")", "）")
    for match in _HALF_QUOTES.finditer(text):
        inside = match.group(1) if match.group(1) is not None else match.group(2)
        before = text[match.start() - 1] if match.start() else ""
        after = text[match.end()] if match.end() < len(text) else ""
        if _HAN.search(inside) or _is_chinese(before) or _is_chinese(after):
            mark = text[match.start()]
            opening, closing = ("“", "”") if mark == '"' else ("‘", "’")
            paired.update((match.start(), match.end() - 1))
            yield _half(match.start(), mark, opening)
            yield _half(match.end() - 1, mark, closing)
    for match in _HALF_MARKS.finditer(text):
        start, mark = match.start(), match.group()
        if start in paired or mark[0] == "." and len(mark) > 1:
            continue  # a pair above; dots in a row are the ellipsis rule's
        before = text[start - 1] if start else ""
        after = text[match.end()] if match.end() < len(text) else ""
        # After a Latin word (Excel, GDP) a mark may be the word's; after a figure
        # before Chinese (共3,其中) it is the sentence's.
        latin_before = before.isascii() and before.isalpha() and before not in "Xx"
        if mark == ".":
            if _is_chinese(before) or (_is_chinese(after) and not before.isascii()):
                yield _half(start, ".", None)
            continue
        if _is_chinese(before) or (_is_chinese(after) and not latin_before):
            suggestion = None if mark in "\"'" else FULL_WIDTH[mark]
            yield _half(start, mark, suggestion)


def _half(start: int, mark: str, full: str | None) -> _Hit:
    if full is None:
        message = f"中文句子中用了半角“{mark}”，应改用全角标点。"
    else:
        message = f"中文句子中用了半角“{mark}”，应为全角“{full}”。"
    return _Hit(HALFWIDTH_PUNCTUATION, ERROR, start, start + 1, message, full)


_MARK_RUN = re.compile("[。，、；：？！]{2,}")
# 问号和叹号连用表示强烈的疑问（GB/T 15834 4.3.3.3, 4.4.3.3）; a doubled ？ or ！ is
# emphasis, rare in a speech but not a slip.
_ALLOWED_RUNS = re.compile("^(?:[？！]+)$")


def doubled_punctuation(text: str) -> Iterator[_Hit]:
    """Two marks where one belongs: 。。 ，， 、、 (one of them is the fix) and clashing
    marks such as ，。 or ；。 (which one stays is the writer's call).

    >>> [(h.code, h.suggestion) for h in doubled_punctuation("完成了。。二是，。三是？！")]
    [('doubled-punctuation', '。'), ('clashing-punctuation', None)]
    """
    for match in _MARK_RUN.finditer(text):
        run = match.group()
        if _ALLOWED_RUNS.match(run) or (len(run) >= 3 and set(run) == {"。"}):
            continue  # 。。。 is the ellipsis rule's
        if len(set(run)) == 1:
            message = f"标点“{run[0]}”重复。"
            yield _Hit(DOUBLED_PUNCTUATION, ERROR, match.start(), match.end(), message, run[0])
        else:
            message = f"标点“{run}”连用，请只保留一个。"
            yield _Hit(CLASHING_PUNCTUATION, ERROR, match.start(), match.end(), message)


def unpaired_marks(text: str) -> Iterator[_Hit]:
    """Paired marks “” ‘’ 《》 （） 【】 (and 〈〉 〔〕 「」 『』) left open or closed
    without an opening, within each paragraph (line) of ``text``.

    >>> [(h.start, h.message) for h in unpaired_marks("学习《条例》和“两个维护")]
    [(7, '“没有配对的”。')]
    """
    stack: list[tuple[str, int]] = []
    open_marks: dict[str, int] = {}  # how many of each opening mark the stack holds
    unpaired: list[int] = []
    for match in _PAIRED_OR_LINE.finditer(text):
        char, index = match.group(), match.start()
        if char == "\n":
            unpaired += [index for _, index in stack]
            stack, open_marks = [], {}
        elif char in OPENING_MARKS:
            stack.append((char, index))
            open_marks[char] = open_marks.get(char, 0) + 1
        elif open_marks.get(CLOSING_PAIRS[char]):
            while True:
                mark, at = stack.pop()
                open_marks[mark] -= 1
                if mark == CLOSING_PAIRS[char]:
                    break
                unpaired.append(at)
        else:
            unpaired.append(index)
    unpaired += [index for _, index in stack]
    for index in sorted(unpaired):
        char = text[index]
        if char in OPENING_MARKS:
            closing = next(c for c, o in CLOSING_PAIRS.items() if o == char)
            message = f"{char}没有配对的{closing}。"
        else:
            message = f"{char}没有配对的{CLOSING_PAIRS[char]}。"
        yield _Hit(UNPAIRED_MARK, ERROR, index, index + 1, message)


_PAIRED_OR_LINE = re.compile("[" + OPENING_MARKS + "".join(CLOSING_PAIRS) + "\n]")
_ELLIPSIS = _first(".。．…·・", r"\.{2,}|。{3,}|．{2,}|…+|·{3,}|・{3,}")


def ellipses(text: str) -> Iterator[_Hit]:
    """An ellipsis is ……, two “…” (GB/T 15834 4.11): not ... 。。。 or a single “…”.

    >>> [(h.start, h.end, h.suggestion) for h in ellipses("等等...还有…和……")]
    [(2, 5, '……'), (7, 8, '……')]
    """
    for match in _ELLIPSIS.finditer(text):
        run = match.group()
        if run[0] == "…" and len(run) % 2 == 0:
            continue  # …… and ………… (a whole paragraph left out)
        if run[0] == ".":
            before = text[match.start() - 1] if match.start() else ""
            after = text[match.end()] if match.end() < len(text) else ""
            if not (_is_chinese(before) or _is_chinese(after)):
                continue  # in Latin text
        message = f"省略号应为“……”，不用“{run}”。"
        yield _Hit(ELLIPSIS, ERROR, match.start(), match.end(), message, "……")


_DASH = _first("\\-－—", r"-{2,}|－{2,}|—-+|-+—")


def dashes(text: str) -> Iterator[_Hit]:
    """A dash (破折号) is ——, not -- or －－.

    >>> [(h.start, h.suggestion) for h in dashes("--在大会上的讲话")]
    [(0, '——')]
    """
    for match in _DASH.finditer(text):
        before = text[match.start() - 1] if match.start() else ""
        after = text[match.end()] if match.end() < len(text) else ""
        if before.isascii() and before.isalnum() and after.isascii() and after.isalnum():
            continue
        message = f"破折号应为“——”，不用“{match.group()}”。"
        yield _Hit(DASH, ERROR, match.start(), match.end(), message, "——")


_SPACE = re.compile(f"[{SPACES}]+")
_BEFORE_CLOSING = "，。、；：？！”’）》"
_AFTER_OPENING = "“‘（《"


def spaces(text: str) -> Iterator[_Hit]:
    """White space between Chinese characters (or before a closing mark): Chinese text
    is written without spaces. A space after a full stop is not flagged: the lead and
    the body meet there, and the export drops it.

    >>> [(h.start, h.end) for h in spaces("加强 学习，提高\u3000\u3000本领。 坚持")]
    [(2, 3), (8, 10)]
    """
    for match in _SPACE.finditer(text):
        before = text[match.start() - 1] if match.start() else ""
        after = text[match.end()] if match.end() < len(text) else ""
        if not (
            (_is_han(before) and (_is_han(after) or (after and after in _BEFORE_CLOSING)))
            or (before and before in _AFTER_OPENING and _is_han(after))
        ):
            continue
        yield _Hit(
            SPACE_BETWEEN_CHINESE,
            ERROR,
            match.start(),
            match.end(),
            "汉字之间有多余的空格。",
            "",
        )


# --- Numbers (GB/T 15835-2011)

_FULLWIDTH_DIGITS = re.compile("[０-９]+(?:[．.][０-９]+)?")
_TO_HALF = str.maketrans("０１２３４５６７８９．", "0123456789.")


def fullwidth_digits(text: str) -> Iterator[_Hit]:
    """Arabic numerals are written half-width: ２０２６ → 2026.

    >>> [h.suggestion for h in fullwidth_digits("完成３．５万亩")]
    ['3.5']
    """
    for match in _FULLWIDTH_DIGITS.finditer(text):
        fixed = match.group().translate(_TO_HALF)
        message = f"数字“{match.group()}”是全角，应为半角“{fixed}”。"
        yield _Hit(FULLWIDTH_DIGITS, ERROR, match.start(), match.end(), message, fixed)


# Two digits and 年 only where a year must follow: a month, 年度, 年底, 年初, a half or
# a quarter; "20年来" and "近10年" are spans of years.
# Two-digit years past this are the last century's.
SHORT_YEAR_PIVOT = 50
# Two digits and 年 are a year where a year must follow (a month, 年度, 年底, a half, a
# quarter), or after a word that names a point in time (于26年, 到26年, 从26年起) and
# with nothing after that makes it a span (从20年前, 到20年以后, 自20年代), or opening a
# sentence as its time (26年是…之年, 25年，我们…), but for a round ten: 20年，弹指一挥间
# is a span as often as a year.
_SHORT_YEAR = _first(
    "0-9",
    r"(?<![0-9０-９.．])([0-9]{2})年"
    r"(?=[0-9]{1,2}月|度|底|初|末|全年|[上下]半年|第?[一二三四1-4]季度|春节|元旦)"
    r"|(?<=[于至到自从止])([0-9]{2})年(?![来间内前后里多余左右以之时的半代])"
    r"|(?:(?<=[。！？；\n])|^)([0-9]{2})年(?=，|是|要|将|我们|全[县市区局省国年])",
)
# 达到20年, 相当于20年: a span after all.
_SPAN_BEFORE = ("达到", "长达", "多达", "当于", "等于", "大于", "小于", "高于", "低于", "少于")


def short_years(text: str) -> Iterator[_Hit]:
    """A year is written in full (GB/T 15835 4.2.1): 26年3月 → 2026年3月, 98年底 →
    1998年底 (a speech looks back decades, not forward).

    >>> [h.suggestion for h in short_years("26年3月召开，近20年来，98年底完成，于25年建成")]
    ['2026年', '1998年', '2025年']
    >>> [h.suggestion for h in short_years("25年，我们完成了任务。20年，弹指一挥间")]
    ['2025年']
    """
    for match in _SHORT_YEAR.finditer(text):
        digits = match.group(1) or match.group(2) or match.group(3)
        if match.group(2) and text[max(0, match.start() - 2) : match.start()] in _SPAN_BEFORE:
            continue
        if match.group(3) and digits.endswith("0"):
            continue
        full = f"{19 if int(digits) > SHORT_YEAR_PIVOT else 20}{digits}年"
        message = f"年份“{match.group()}”不能简写，应写全，如“{full}”。"
        yield _Hit(SHORT_YEAR, ERROR, match.start(), match.end(), message, full)


_PERCENT_IN_WORDS = re.compile(r"百分之([0-9]+(?:\.[0-9]+)?)")
_DIGITS_AND_HUNDREDS = _first("1-9", r"(?<![0-9.])([1-9][0-9]?)([千百])(?![米克瓦伏帕焦卡赫分])")
_CHINESE_NUMERALS = "一二三四五六七八九"
# A year in Chinese numerals holds 〇 for nought, never 0, ○ or 零 (GB/T 15835 4.1.3).
_YEAR_IN_WORDS = re.compile(rf"[一二][{_CHINESE_NUMERALS}〇0０○Ｏ零]{{3}}年")


def mixed_numbers(text: str) -> Iterator[_Hit]:
    """Numerals of two systems in one number: 百分之2.3 (2.3%), 5千 (5000), 二0二六年
    (二〇二六年).

    >>> [(h.code, h.suggestion) for h in mixed_numbers("增长百分之2.3，投入5千万元，二0二六年")]
    [('mixed-number', '2.3%'), ('mixed-number', '5000'), ('year-zero', '〇')]
    """
    for match in _PERCENT_IN_WORDS.finditer(text):
        fixed = match.group(1) + "%"
        message = f"“{match.group()}”数字写法不统一，应为“{fixed}”。"
        yield _Hit(MIXED_NUMBER, ERROR, match.start(), match.end(), message, fixed)
    for match in _DIGITS_AND_HUNDREDS.finditer(text):
        value = int(match.group(1)) * (1000 if match.group(2) == "千" else 100)
        message = f"“{match.group()}”阿拉伯数字与“{match.group(2)}”混用，应为“{value}”。"
        yield _Hit(MIXED_NUMBER, SUGGESTION, match.start(), match.end(), message, str(value))
    for match in _YEAR_IN_WORDS.finditer(text):
        for index in range(match.start(), match.end() - 1):
            if text[index] in "0０○Ｏ零":
                message = f"汉字数字年份中的“{text[index]}”应为“〇”。"
                yield _Hit(YEAR_ZERO, ERROR, index, index + 1, message, "〇")


_NUMBER = r"[0-9]+(?:\.[0-9]+)?"
_RANGE = _first(
    "0-9",
    rf"(?<![0-9.A-Za-z\-])(?P<a>{_NUMBER})(?P<ua>万|亿|%)?"
    rf"\s*(?P<mark>[-－–~～—])\s*"
    rf"(?P<b>{_NUMBER})(?P<ub>万|亿|%)?(?![0-9\-])(?P<after>[{HAN}%]?)",
)


def ranges(text: str) -> Iterator[_Hit]:
    """A range of values is written with ～ and both ends carry 万, 亿 or %
    (GB/T 15835 4.1.4.3, GB/T 15834 4.13.3): 3-5万亩 → 3万～5万亩; a range of dates
    takes the 一字线: 2024-2026年 → 2024—2026年, 1-2月 → 1—2月.

    >>> [h.suggestion for h in ranges("新建3-5万亩，增长3～5%，2024-2026年，电话0571-8888")]
    ['3万～5万', '3%～5%', '2024—2026']
    """
    for match in _RANGE.finditer(text):
        a, b, mark = match["a"], match["b"], match["mark"]
        unit_a, unit_b, after = match["ua"] or "", match["ub"] or "", match["after"]
        if not (unit_b or after):
            continue  # 3-5 alone: a score, a version, a code
        if a.startswith("0") and "." not in a:
            continue  # a telephone area code
        end = match.end("ub") if unit_b else match.end("b")
        dates = after in "月日号" and not unit_b and after
        # Two years (2024-2026年, 2024-2025学年) are a span of time.
        years = all(len(n) == 4 and 1900 <= int(n) <= 2100 for n in (a, b)) and not unit_b
        if dates or years:
            if mark == "—":
                continue
            fixed = f"{a}{unit_a}—{b}"
            message = f"“{text[match.start() : end]}”表示时间的起止，应用一字线“—”。"
            yield _Hit(RANGE_MARK, ERROR, match.start(), end, message, fixed)
            continue
        missing = unit_b and not unit_a
        if mark == "～" and not missing:
            continue
        fixed = f"{a}{unit_a or unit_b}～{b}{unit_b}"
        if mark == "～":
            message = f"“{text[match.start() : end]}”前一个数值也要带“{unit_b}”，应为“{fixed}”。"
            yield _Hit(RANGE_UNIT, ERROR, match.start(), end, message, fixed)
        else:
            message = f"数值范围“{text[match.start() : end]}”应用浪纹线“～”，写作“{fixed}”。"
            yield _Hit(RANGE_MARK, ERROR, match.start(), end, message, fixed)


# --- Wording

# Characters a slip doubles and the language does not (的的, 了了, 是是), each with the
# neighbours that make the pair right: 的的确确 and 实实在在 (AABB, checked for every
# character), 为了了解, 目的的, 是否, 现在在座, 稳定和和谐.
_DOUBLED = {
    "的": ("目标端之", "确"),
    "了": ("", "解之然结却断如无"),
    "是": ("", "否非"),
    "在": ("现存正所实自内外潜好还仍健常志意旨重难贵", "座"),
    "和": ("", "谐睦平善蔼气衷解美顺缓煦畅"),
    "与": ("参给赋授干", "会"),
    "也": ("", ""),
    "都": ("首成京国古旧帝定迁", "市"),
    "而": ("", ""),
    "之": ("", ""),
    "其": ("", ""),
    "我": ("", ""),
    "们": ("", ""),
    "要": ("主重需只提纲摘想必概扼简紧首次险机", "求素点件领闻害职务事地塞紧员案诀旨义"),
    "就": ("成造迁将早", "业近地绪职医诊读餐位座此任"),
    "对": ("针面相绝反核应校比查配派成", "象手方称照比待外接口策应联话于立症"),
    "把": ("一车门刀扶", "关握脉手柄"),
    "着": ("", "力手眼重想实陆落急装迷凉火色笔墨意"),
    "被": ("", "动子告褥迫"),
    "将": ("即必终行大老名主猛", "来军领士近就帅功"),
    "从": ("服听随跟盲自顺侍", "严容事中而属业头"),
    "向": ("方导走面转偏倾意志动取流去指风趋纵横一外内双定反逆", "好前上下往导来日阳"),
    "为": ("作行认成因称较更尤以视极最广大甚颇难人有无所改变转化分列定选评誉", "民人主首止难"),
    "以": ("可所足难得予加借据用何是赖藉给施处报辅继佐", "往上下前后来外内及免便致至期为身此"),
    "于": ("", "是今心此"),
    "及": ("", "时早格第其"),
    "并": ("合兼吞归", "购入列存肩重网轨举非不且"),
    "中": ("其集空当心高初正居适期暗从途无", "央心国华医学层间等小长期部共外游东西南北方"),
    "有": (
        "所拥具含享占没只还固持特专国私公共富仅唯惟尚已原现既应都也又均各必将",
        "关效力利序益助机意限些的所望待点条偿形名识为",
    ),
}
_DOUBLED_CHAR = re.compile("([" + "".join(_DOUBLED) + "])\\1")
# ABAB forms of verbs that do repeat (研究研究, 商量商量: try and see), and 一X一X
# (一步一步, 一个环节一个环节) are the language's own repetition.
REDUPLICATING_VERBS = frozenset(
    re.findall(
        "..",
        "研究讨论商量学习考虑了解交流活动休息锻炼整理打扫收拾琢磨思考总结检查比较分析调查"
        "熟悉沟通介绍准备练习体会感受体验放松打听请教反思梳理盘点清理商议议论合计盘算考察"
        "比划溜达走动串门表扬批评教育提醒关心帮助宣传改进提高整顿学学看看想想试试"
        "强调交代协调汇报安排",
    )
)
_NUMERAL_WORD = re.compile("^[〇零一二三四五六七八九十百千万亿两]+$")
_REPEATED_WORD = re.compile(f"([{HAN}]{{2,4}})\\1")


def repeated_words(text: str) -> Iterator[_Hit]:
    """A character or word typed twice: 的的, 推动推动; not the language's own repetition
    (常常, 人人, 看看, 研究研究, 一个个, 实实在在, 为了了解, 二〇二〇年).

    >>> [h.text for h in _with_text("要推动推动工作，的的确确，为了了解情况的的", repeated_words)]
    ['推动推动', '的的']
    """
    for match in _REPEATED_WORD.finditer(text):
        word = match.group(1)
        if (
            word in REDUPLICATING_VERBS
            or word.startswith("一")
            or len(set(word)) == 1
            or _NUMERAL_WORD.match(word)
            or set(word) <= set("某〇○")
        ):
            continue
        message = f"“{word}”重复了。"
        yield _Hit(REPEATED_WORD, ERROR, match.start(), match.end(), message, word)
    for match in _DOUBLED_CHAR.finditer(text):
        char, start = match.group(1), match.start()
        not_after, not_before = _DOUBLED[char]
        before = text[start - 1] if start else ""
        after = text[start + 2] if start + 2 < len(text) else ""
        if before and before in not_after or after and after in not_before:
            continue
        # AABB: 实实在在, 的的确确, 是是非非.
        if start >= 2 and text[start - 2] == before and _is_han(before):
            continue
        if start + 3 < len(text) and text[start + 3] == after and _is_han(after):
            continue
        message = f"“{char}”重复了。"
        yield _Hit(REPEATED_CHARACTER, ERROR, start, start + 2, message, char)


_DATE_AHEAD = re.compile(
    rf"[{SPACES}]*(?:[0-9０-９XxＸ]{{1,4}}[{SPACES}]*[年月日号]"
    r"|[〇零一二三四五六七八九十]{1,4}[年月日号]"
    r"|今年|去年|上年|本年|当年|明年|前年|年底|年初|年末|目前|当前|现在|今天|本月|上月"
    r"|月底|月末|日前|本周|上周|上半年|下半年|第?[一二三四1-4]季度|发稿|统计时点)"
)


def wording_entries(wording: Iterable[WordingEntry | Sequence]) -> tuple[WordingEntry, ...]:
    """The house list as :class:`WordingEntry` items; tuples are read in field order.

    >>> wording_entries([("做为", "作为")])[0].condition
    'always'
    """
    entries = []
    for entry in wording:
        if not isinstance(entry, WordingEntry):
            entry = WordingEntry(*entry)
        if isinstance(entry.exceptions, str):
            entry = replace(entry, exceptions=split_exceptions(entry.exceptions))
        if entry.wrong:
            entries.append(entry)
    return tuple(entries)


def split_exceptions(text: str) -> tuple[str, ...]:
    """Exceptions as typed: separated by 、 ， , ； ; or white space.

    >>> split_exceptions("帐篷、蚊帐 帐幕")
    ('帐篷', '蚊帐', '帐幕')
    """
    return tuple(word for word in re.split(r"[、，,；;\s]+", text) if word)


_Matcher = tuple[re.Pattern, dict] | None
_WORDING_CACHE: dict[tuple[WordingEntry, ...], _Matcher] = {}


def _wording_matcher(entries: tuple[WordingEntry, ...]) -> _Matcher:
    """One pattern for the whole list (longest forms first), and the entries by form;
    None for no list. Built once per list: a check asks for it once, not per field."""
    if not entries:
        return None
    found = _WORDING_CACHE.get(entries)
    if found is None:
        by_wrong: dict[str, list[WordingEntry]] = {}
        for entry in entries:
            by_wrong.setdefault(entry.wrong, []).append(entry)
        forms = sorted(by_wrong, key=len, reverse=True)
        pattern = re.compile("|".join(map(re.escape, forms)))
        if len(_WORDING_CACHE) > 16:
            _WORDING_CACHE.clear()
        found = _WORDING_CACHE[entries] = (pattern, by_wrong)
    return found


def house_wording(text: str, entries: tuple[WordingEntry, ...]) -> Iterable[_Hit]:
    """The house list's wrong forms: 做为 → 作为; 截止 → 截至 only before a date.

    >>> rules = wording_entries([("做为", "作为"), ("截止", "截至", BEFORE_DATE)])
    >>> [h.suggestion for h in house_wording("做为牵头单位，截止6月底，截止日期", rules)]
    ['作为', '截至']
    """
    return _house_hits(text, _wording_matcher(entries))


def _house_hits(text: str, matcher: _Matcher) -> Iterator[_Hit]:
    if matcher is None:
        return
    pattern, by_wrong = matcher
    for match in pattern.finditer(text):
        for entry in by_wrong[match.group()]:
            if entry.condition == BEFORE_DATE and not _DATE_AHEAD.match(text, match.end()):
                continue
            if _within_exception(text, match.start(), match.end(), entry.exceptions):
                continue
            message = f"“{entry.wrong}”应为“{entry.right}”。"
            if entry.note:
                message += entry.note
            yield _Hit(
                HOUSE_WORDING, entry.severity, match.start(), match.end(), message, entry.right
            )
            break


def _within_exception(text: str, start: int, end: int, exceptions: Sequence[str]) -> bool:
    for word in exceptions:
        position = word.find(text[start:end])
        while position != -1:
            at = start - position
            if at >= 0 and text.startswith(word, at):
                return True
            position = word.find(text[start:end], position + 1)
    return False


def placeholders(text: str) -> Iterator[_Hit]:
    """Placeholders left in the draft (``placeholders.PLACEHOLDER``, what the export
    highlights).

    >>> [h.start for h in placeholders("召开X次会议")]
    [2]
    """
    for match in PLACEHOLDER_PATTERN.finditer(text):
        message = f"占位符“{match.group()}”还没有填写。"
        yield _Hit(PLACEHOLDER, ERROR, match.start(), match.end(), message)


# --- The text rules, all together

# placeholders.PLACEHOLDER, told where its matches start (see _first).
PLACEHOLDER_PATTERN = _first("XxＸｘ×某○〇◯", PLACEHOLDERS.pattern)

_TEXT_RULES = (
    halfwidth_punctuation,
    doubled_punctuation,
    unpaired_marks,
    ellipses,
    dashes,
    spaces,
    fullwidth_digits,
    short_years,
    mixed_numbers,
    ranges,
    repeated_words,
    placeholders,
)


def _text_hits(text: str, matcher: _Matcher, *, spaced: bool = False):
    """Every text rule's hits on ``text``; ``spaced``: spaces are the field's layout
    (讲话人 局长 王XX)."""
    for rule in _TEXT_RULES:
        if spaced and rule is spaces:
            continue
        yield from rule(text)
    yield from _house_hits(text, matcher)


def _with_text(text: str, rule) -> list[Finding]:
    """Doctest helper: a rule's hits as findings of a bare text."""
    return _build(TextField("", "", "", text), rule(text))


# --- Kinds of field

TITLE = "title"
HEADER_LINE = "header"  # 会议名称, 单位, 讲话人: a name, no sentence
SALUTATION = "salutation"
HEADING = "heading"
LEAD = "lead"
INLINE = "inline"  # a lesson or a shortcoming, joined by the export's joiners
LEAD_IN = "lead_in"  # 启示引语, 不足引语: the 一是… follow it in the same paragraph
PROSE = "prose"  # 开场白, 引言, 过渡语, 结束语, an item's body


def field_kind(field: TextField) -> str:
    """What kind of text a field holds, from its address.

    >>> field_kind(TextField("item:1", "lead", "第一部分 成绩（一） 领句", ""))
    'lead'
    """
    if field.anchor == "header":
        return {"title": TITLE, "salutation": SALUTATION}.get(field.name, HEADER_LINE)
    if field.name == "heading":
        return HEADING
    if field.name == "lead":
        return LEAD
    if field.name == "text":
        return INLINE
    if field.name in ("lessons_intro", "shortcomings_intro"):
        return LEAD_IN
    return PROSE


# --- Rules of a kind of field

_WRONG_HEADING_END = "。，、；：.,;:"
_ARABIC_LABEL = re.compile(r"^(?:[0-9]{1,2}[、.．](?![0-9])|[（(][0-9]{1,2}[）)])[ \t\u3000]*")
_TYPED_WHERE = {
    HEADING: numbering.HEADING_TEXT,
    LEAD: numbering.LEAD_TEXT,
    INLINE: numbering.ITEM_TEXT,
}


def field_rules(text: str, kind: str) -> Iterator[_Hit]:
    """The rules of the kind of field: its closing mark, a number typed where the export
    generates one.

    >>> [h.code for h in field_rules("（一）在学习上发力，", LEAD)]
    ['typed-number', 'lead-end-mark']
    """
    if kind in _TYPED_WHERE:
        yield from _typed_number(text, kind)
    stripped = text.rstrip()
    if not stripped:
        return
    last = len(stripped) - 1
    if kind == TITLE:
        for line_end in _line_ends(text):
            if line_end and text[line_end - 1] in "。，、；：":
                message = "标题末尾不加标点。"
                yield _Hit(TITLE_END_MARK, ERROR, line_end - 1, line_end, message, "")
    elif kind == HEADING:
        if stripped[last] in _WRONG_HEADING_END:
            message = f"一级标题末尾不加标点（这里是“{stripped[last]}”）。"
            yield _Hit(HEADING_END_MARK, ERROR, last, last + 1, message, "")
    elif kind == LEAD:
        if stripped[last] in "，、,":
            message = (
                f"领句应以句号结尾，这里是“{stripped[last]}”，导出时会成为“{stripped[last]}。”。"
            )
            yield _Hit(LEAD_END_MARK, ERROR, last, last + 1, message, "。")
    elif kind == SALUTATION:
        if stripped[last] not in "：:":
            if stripped[last] in "，,。；":
                message = f"称谓后应用冒号，不用“{stripped[last]}”。"
                yield _Hit(SALUTATION_END_MARK, SUGGESTION, last, last + 1, message, "：")
            else:
                message = "称谓后应加冒号。"
                yield _Hit(SALUTATION_END_MARK, SUGGESTION, last + 1, last + 1, message, "：")
    elif kind == LEAD_IN:
        yield from _lead_in_end(stripped)
    elif kind == PROSE:
        yield from _paragraph_end(text, stripped)


def _line_ends(text: str) -> list[int]:
    """Where each line of ``text`` ends, trailing white space left out."""
    ends, position = [], 0
    for line in text.split("\n"):
        ends.append(position + len(line.rstrip()))
        position += len(line) + 1
    return ends


def _typed_number(text: str, kind: str) -> Iterator[_Hit]:
    leading = len(text) - len(text.lstrip())
    rest = text[leading:]
    _, label = numbering.strip_typed_number(rest, _TYPED_WHERE[kind])
    if label is not None:
        found = numbering.opening_label(rest)
        assert found is not None
        typed = rest[: len(rest) - len(found.rest)]
    elif (match := _ARABIC_LABEL.match(rest)) is not None:
        typed = match.group()
    else:
        return
    shown = typed.strip()
    message = f"编号由系统按位置生成，这里手工输入的“{shown}”会与生成的编号重复。"
    yield _Hit(TYPED_NUMBER, ERROR, leading, leading + len(typed), message, "")


def _lead_in_end(stripped: str) -> Iterator[_Hit]:
    last = len(stripped) - 1
    if stripped[last] in "：:。！？!?":
        return
    if stripped[last] in "，,；;、":
        message = f"引语后紧接“一是……”，末尾宜用冒号，不用“{stripped[last]}”。"
        yield _Hit(LEAD_IN_END_MARK, SUGGESTION, last, last + 1, message, "：")
    elif stripped[last] not in CLOSING_MARKS:
        message = "引语后紧接“一是……”，末尾宜加冒号。"
        yield _Hit(LEAD_IN_END_MARK, SUGGESTION, last + 1, last + 1, message, "：")


def _paragraph_end(text: str, stripped: str) -> Iterator[_Hit]:
    """The last paragraph of a prose field ends with a sentence mark (or a colon, before
    a list that follows)."""
    core = stripped.rstrip(CLOSING_MARKS)
    if not core:
        return
    last = len(core) - 1
    if core[last] in SENTENCE_END + "：:;,":
        return  # half-width ; and , are the half-width rule's
    if core[last] in "，、；":
        message = f"段落末尾应为句末标点，这里是“{core[last]}”。"
        yield _Hit(PARAGRAPH_END_MARK, SUGGESTION, last, last + 1, message, "。")
    elif not core[last].isspace():
        end = len(stripped)
        message = "段落末尾缺少句末标点。"
        yield _Hit(PARAGRAPH_END_MARK, SUGGESTION, end, end, message, "。")


# --- Findings of fields


def check_text(text: str, wording: Iterable[WordingEntry | Sequence] = ()) -> list[Finding]:
    """The text rules on a bare paragraph (no field, so no field rules).

    >>> [(f.code, f.text) for f in check_text("完成任务,做为重点。", [("做为", "作为")])]
    [('halfwidth-punctuation', ','), ('house-wording', '做为')]
    """
    matcher = _wording_matcher(wording_entries(wording))
    return _build(TextField("", "", "", text), _text_hits(text, matcher))


def check_field(field: TextField, wording: Iterable[WordingEntry | Sequence] = ()) -> list[Finding]:
    """The findings of one field: the text rules and the rules of its kind.

    >>> field = TextField("part_one.heading", "heading", "第一部分 标题", "工作取得成效。")
    >>> [(f.code, f.offset, f.suggestion) for f in check_field(field)]
    [('heading-end-mark', 6, '')]
    """
    return _build(field, _field_hits(field, _wording_matcher(wording_entries(wording))))


def _field_hits(field: TextField, matcher: _Matcher) -> list[_Hit]:
    text = field.text
    if not text.strip():
        return []
    kind = field_kind(field)
    hits = list(_text_hits(text, matcher, spaced=kind == HEADER_LINE))
    if kind == INLINE:
        # The export replaces an item's own closing 。；， with its joiner
        # (assembly.join_inline): what is typed there is never printed.
        kept = len(text.rstrip(JOINER_PUNCTUATION))
        hits = [hit for hit in hits if hit.start < kept or hit.code == PLACEHOLDER]
    hits += field_rules(text, kind)
    return hits


def _build(field: TextField, hits: Iterable[_Hit]) -> list[Finding]:
    """Hits as findings of ``field``: in text order (errors first at one place), each
    span once per rule, each with its ``key``: code, field, the flagged text and which
    occurrence of it this is in the field, so that an edit elsewhere keeps it."""
    seen: set[tuple[str, int, int]] = set()
    counts: dict[tuple[str, str], int] = {}
    address = f"{field.anchor}/{field.name}"
    findings = []
    for hit in sorted(hits, key=lambda h: (h.start, h.end, h.severity != ERROR, h.code)):
        if (hit.code, hit.start, hit.end) in seen:
            continue
        seen.add((hit.code, hit.start, hit.end))
        text = field.text[hit.start : hit.end]
        counts[hit.code, text] = occurrence = counts.get((hit.code, text), 0) + 1
        findings.append(
            Finding(
                code=hit.code,
                severity=hit.severity,
                anchor=field.anchor,
                name=field.name,
                label=field.label,
                offset=hit.start,
                length=hit.end - hit.start,
                text=text,
                message=hit.message,
                suggestion=hit.suggestion,
                item_id=field.item_id,
                key=f"{hit.code}|{address}|{text}|{occurrence}",
            )
        )
    return findings


# --- The whole speech


def check_speech(
    speech: Speech,
    wording: Iterable[WordingEntry | Sequence] = (),
    *,
    only: set[str] | None = None,
) -> list[Finding]:
    """Every finding of the speech, in reading order: each field's own
    (:func:`check_field`) and those that need the whole speech.

    ``only``: keep the findings of these field addresses (``opening/opening``,
    ``item:<id>/lead``), for checking a field as it is typed.

    >>> from .structure import PartOne
    >>> speech = Speech(opening="今天开会。", part_one=PartOne(heading="成绩。"))
    >>> [(f.code, f.label) for f in check_speech(speech) if f.is_error]
    [('heading-end-mark', '第一部分 标题'), ('empty-part', '第二部分 标题')]
    """
    matcher = _wording_matcher(wording_entries(wording))
    fields = text_fields(speech)
    hits: dict[str, list[_Hit]] = {}
    for field in fields:
        address = f"{field.anchor}/{field.name}"
        if only is None or address in only:
            hits[address] = _field_hits(field, matcher)
    for address, hit in chain(_structure_hits(speech, fields), _repeated_sentences(fields)):
        if only is None or address in only:
            hits.setdefault(address, []).append(hit)
    findings = []
    for field in fields:
        found = hits.get(f"{field.anchor}/{field.name}")
        if found:
            findings += _build(field, found)
    return findings


def with_field_text(speech: Speech, address: str, text: str) -> Speech:
    """A copy of ``speech`` whose field at ``address`` (``structure.text_fields``:
    ``opening/opening``, ``part_one.heading/heading``, ``item:<id>/lead``,
    ``part_two.shortcomings.1/text``) holds ``text``; the speech as it would be with
    what is being typed. An address that names no field raises KeyError.

    >>> from .structure import LeadItem, PartOne
    >>> speech = Speech(part_one=PartOne(achievements=[LeadItem("甲", id="a")]))
    >>> with_field_text(speech, "item:a/lead", "乙").part_one.achievements[0].lead
    '乙'
    """
    copy = deepcopy(speech)
    anchor, _, name = address.partition("/")
    if anchor in ("header", "opening", "closing"):
        target = copy
    elif anchor.count(".") == 1:
        target = getattr(copy, anchor.split(".")[0], None)
    else:
        target = _item_at(copy, anchor)
    if not isinstance(getattr(target, name, None), str):
        raise KeyError(address)
    setattr(target, name, text)
    return copy


def _item_at(speech: Speech, anchor: str):
    for section, list_name, _ in ITEM_LISTS:
        for index, item in enumerate(getattr(getattr(speech, section), list_name)):
            if _anchor(item, section, list_name, index) == anchor:
                return item
    raise KeyError(anchor)


_Placed = tuple[str, _Hit]  # a hit of a rule of the speech and its field's address


def _at(
    field: TextField, code: str, severity: str, message: str, start: int = 0, end: int = 0
) -> _Placed:
    return f"{field.anchor}/{field.name}", _Hit(code, severity, start, end, message)


def _structure_hits(speech: Speech, fields: list[TextField]) -> Iterator[_Placed]:
    """Empty parts, lists and items; leads missing or far longer than their siblings."""
    by_address = {f"{field.anchor}/{field.name}": field for field in fields}
    by_anchor: dict[str, dict[str, TextField]] = {}
    for field in fields:
        by_anchor.setdefault(field.anchor, {})[field.name] = field
    for section in ("part_one", "part_two"):
        part = getattr(speech, section)
        name = SECTION_NAMES[section]
        heading = by_address[f"{section}.heading/heading"]
        lists = [(list_name, kind) for s, list_name, kind in ITEM_LISTS if s == section]
        texts = [value for key, value in vars(part).items() if isinstance(value, str)]
        has_text = any(t.strip() for t in texts) or any(
            item.has_text for list_name, _ in lists for item in getattr(part, list_name)
        )
        if not has_text:
            yield _at(heading, EMPTY_PART, ERROR, f"{name}还没有内容。")
            continue
        if not part.heading.strip():
            yield _at(heading, MISSING_HEADING, ERROR, f"{name}缺少标题。")
        for list_name, kind in lists:
            items = getattr(part, list_name)
            kind_name = _KIND_NAMES[kind]
            if not any(item.has_text for item in items):
                # A speech may do without lessons or shortcomings, not without what
                # was done and what comes next, nor with a lead-in leading to nothing.
                lead_in = _LEAD_INS.get(list_name)
                if lead_in is None or getattr(part, lead_in).strip():
                    message = f"{name}还没有{kind_name}条目。"
                    yield _at(
                        by_address[_lead_in_address(section, lead_in)],
                        EMPTY_LIST,
                        SUGGESTION,
                        message,
                    )
                continue
            named = [
                by_anchor[_anchor(item, section, list_name, n)] for n, item in enumerate(items)
            ]
            yield from _item_hits(items, named, kind_name)
    for name, label in (("opening", "开场白"), ("closing", "结束语")):
        if not getattr(speech, name).strip():
            field = by_address[f"{name}/{name}"]
            yield _at(field, EMPTY_FIELD, SUGGESTION, f"{label}还没有写。")


# The list whose lead-in says items follow; the others are the part's core.
_LEAD_INS = {"lessons": "lessons_intro", "shortcomings": "shortcomings_intro"}


def _lead_in_address(section: str, lead_in: str | None) -> str:
    """Where an empty list is flagged: its lead-in, or the part's heading."""
    return f"{section}.{lead_in}/{lead_in}" if lead_in else f"{section}.heading/heading"


_KIND_NAMES = {
    "achievement": "成绩",
    "lesson": "启示",
    "shortcoming": "不足",
    "measure": "整改措施",
}


def _anchor(item, section: str, list_name: str, index: int) -> str:
    return f"item:{item.id}" if item.id else f"{section}.{list_name}.{index}"


# A lead is far longer than its siblings at twice their median length and 20
# characters more; a list needs three leads for a median to mean anything.
LONG_LEAD_FACTOR = 2
LONG_LEAD_MARGIN = 20
_SENTENCE_STOP = re.compile("[。！？!?]+[”’」』）)》]*")


def _item_hits(
    items, named_fields: list[dict[str, TextField]], kind_name: str
) -> Iterator[_Placed]:
    """The items of one list, each with its fields by name (lead, body or text)."""
    leads = []
    for item, named in zip(items, named_fields, strict=True):
        first = named.get("lead") or named["text"]
        if not item.has_text:
            message = f"这一条{kind_name}还没有填写，导出时略去，不占编号。"
            yield _at(first, EMPTY_ITEM, SUGGESTION, message)
        elif "lead" in named and not item.lead.strip():
            yield _at(first, MISSING_LEAD, SUGGESTION, "这一条只有正文，缺少领句。")
        elif "lead" in named:
            leads.append((first, item.lead.strip()))
    for index, (field, lead) in enumerate(leads):
        stops = [m for m in _SENTENCE_STOP.finditer(lead) if m.end() < len(lead)]
        start = len(field.text) - len(field.text.lstrip())
        if stops:
            after = start + stops[0].end()
            message = "领句宜为一句话，后面的内容可移入正文。"
            yield _at(field, LEAD_SEVERAL_SENTENCES, SUGGESTION, message, after, start + len(lead))
        others = [len(text) for n, (_, text) in enumerate(leads) if n != index]
        if len(others) < 2:
            continue
        typical = statistics.median(others)
        if len(lead) >= LONG_LEAD_FACTOR * typical and len(lead) - typical >= LONG_LEAD_MARGIN:
            message = (
                f"领句有 {len(lead)} 字，明显长于同级的其他领句（约 {round(typical)} 字），"
                "领句宜简短。"
            )
            yield _at(field, LONG_LEAD, SUGGESTION, message, start, start + len(lead))


# A sentence counts as repeated from this many characters (without marks and spaces):
# shorter ones (要抓好落实。) recur in any speech.
REPEATED_SENTENCE_CHARS = 12
_SENTENCE = re.compile("[^。！？；!?;\n]+[。！？；!?;]*")
_SENTENCE_MARKS = "。！？；!?; \t\u3000"


def _repeated_sentences(fields: list[TextField]) -> Iterator[_Placed]:
    """A sentence written in two places: the second place is flagged, naming the first."""
    first_seen: dict[str, TextField] = {}
    for field in fields:
        if field_kind(field) in (TITLE, HEADER_LINE, SALUTATION):
            continue
        for match in _SENTENCE.finditer(field.text):
            sentence = match.group()
            core = sentence.strip().rstrip(_SENTENCE_MARKS)
            if len(core) < REPEATED_SENTENCE_CHARS:
                continue
            earlier = first_seen.get(core)
            if earlier is None:
                first_seen[core] = field
                continue
            if len(_HAN.findall(core)) < REPEATED_SENTENCE_CHARS:
                continue  # mostly placeholders and figures: 召开X次会议，研究X个问题
            where = "本段前文" if earlier is field else earlier.label
            start = match.start() + len(sentence) - len(sentence.lstrip())
            end = match.start() + len(sentence.rstrip())
            message = f"这句话与{where}中的一句重复。"
            yield _at(field, REPEATED_SENTENCE, SUGGESTION, message, start, end)
