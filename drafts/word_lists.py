"""Word's automatic list numbering and outline levels: what Word shows before each paragraph.

Offices number 一、 and （一） with Word's multilevel lists, so the numbers are in
numbering.xml, not in the text: a reader of the runs alone sees no 一、 where the user
sees one. :class:`WordLists` replays what Word does, paragraph by paragraph in document
order, and gives each paragraph its :class:`ShownParagraph`: the label Word shows, what
follows it, and the paragraph's outline level (the heading level of Word's navigation
pane).

What it follows (ECMA-376 Part 1 §17.9 numbering, §17.7 styles, and the notes on Word's
own behaviour in MS-OI29500 and MS-DOC):

- A paragraph's numbering is its own ``w:numPr`` or else its style's (through
  ``w:basedOn``; the default paragraph style when it names none); ``numId`` 0 means
  "no numbering" and stops the inheritance; a missing ``w:ilvl`` is the level whose
  ``w:pStyle`` names the style, else 0.
- A ``w:num`` points at a ``w:abstractNum`` (through ``w:numStyleLink`` and a numbering
  style to the one that has the levels); its ``w:lvlOverride`` replaces a whole level or
  only its start. Counters belong to the abstract list: two nums of one list count on
  together, and an overridden level starts again where its num is first used.
- A level restarts after any higher level, or only after the level its
  ``w:lvlRestart`` names (0: never). ``w:lvlText`` puts each level's number for %1…%9,
  a level not yet used shows its start; ``w:isLgl`` shows the higher levels' numbers in
  Arabic numerals; ``w:suff`` is what follows the label (tab by default); a level whose
  number is hidden (``w:vanish``) counts and shows nothing.
- Outline level: the paragraph's ``w:outlineLvl``, else its style chain's, else the
  built-in heading a style is (Word and WPS name them "heading 1"… whatever their ids;
  some write 标题 1); 9 is body text.

Hostile numbering cannot make this slow or large: a start is at most Word's 0x7FFF
(MS-DOC LVLF.iStartAt), a label at most Word's 31 characters (MS-OI29500 §2.1.283 b),
nine levels a list, and every chain of styles or links is followed once and stops at a
cycle. What could not be read is said in :attr:`WordLists.findings` (Chinese, for the
user); a bullet is not a number and shows no label (its glyph is usually a private-use
character of a symbol font).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace

import cn2an
from lxml import etree

from .numbering import chinese_numeral

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"

# Word's own bounds (see the module docstring), not budgets of ours.
MAX_START = 0x7FFF
MAX_LABEL_CHARS = 31
LEVELS = 9
BODY_TEXT_OUTLINE = 9

_HEADING_NAME = re.compile(r"^(?:heading|标题)\s*([1-9])$", re.IGNORECASE)
_PLACEHOLDER = re.compile(r"%([1-9])")
_ZERO_PADDED = re.compile(r"^(0+)1\s*,")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


W_P, W_PPR, W_NUMPR, W_VAL = _w("p"), _w("pPr"), _w("numPr"), _w("val")
W_TBL, W_TR, W_TC = _w("tbl"), _w("tr"), _w("tc")
W_SDT, W_SDT_CONTENT, W_CUSTOM_XML = _w("sdt"), _w("sdtContent"), _w("customXml")


@dataclass(frozen=True)
class ShownParagraph:
    """What Word shows of a paragraph besides its text.

    ``label`` is the number as shown ("一、", "（二）", "1.2"; empty when none),
    ``separator`` what follows it ("\\t", " " or ""), ``list_level`` the list level
    (0–8; None when not numbered) and ``outline_level`` the heading level (1 for
    Heading 1 … 9; None for body text).
    """

    label: str = ""
    separator: str = ""
    list_level: int | None = None
    outline_level: int | None = None

    @property
    def prefix(self) -> str:
        """The label and its separator as text; a Chinese label needs no separator.

        >>> ShownParagraph("一、", "\\t").prefix, ShownParagraph("1.", "\\t").prefix
        ('一、', '1.\\t')
        """
        if not self.label or _is_wide(self.label[-1]):
            return self.label
        return self.label + self.separator


# -- number formats (ECMA-376 §17.18.59) -----------------------------------------------

_DIGITS = "〇一二三四五六七八九"
_COUNTING_ZERO = "○"  # MS-DOCX §2.4: chineseCounting 100 is U+4E00 U+25CB U+25CB
_STEMS = "甲乙丙丁戊己庚辛壬癸"
_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
_ROMAN = (
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)


def _chinese_counting(value: int) -> str:
    if value < 10:
        return _DIGITS[value]
    if value < 100:
        tens, ones = divmod(value, 10)
        return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")
    return "".join(_DIGITS[int(d)] for d in str(value)).replace("〇", _COUNTING_ZERO)


def _japanese_counting(value: int) -> str:
    """一, 十, 百一: the one before 十, 百, 千 is left out and no 零 is written."""
    groups = []
    myriads, rest = divmod(value, 10_000)
    if myriads:
        groups.append(_japanese_counting(myriads) + "万")
    for unit, size in (("千", 1000), ("百", 100), ("十", 10)):
        digit, rest = divmod(rest, size)
        if digit:
            groups.append(("" if digit == 1 else _DIGITS[digit]) + unit)
    if rest:
        groups.append(_DIGITS[rest])
    return "".join(groups)


def _letters(value: int, first: str) -> str:
    # a…z, aa…zz, …: the letter repeated (§17.18.59), never longer than a label can be.
    repeats = min((value - 1) // 26 + 1, MAX_LABEL_CHARS)
    return chr(ord(first) + (value - 1) % 26) * repeats


def _roman(value: int) -> str:
    pieces = []
    for size, numeral in _ROMAN:
        count, value = divmod(value, size)
        pieces.append(numeral * min(count, MAX_LABEL_CHARS))
    return "".join(pieces)


def _enclosed(value: int, first: int, last_value: int) -> str:
    return chr(first + value - 1) if value <= last_value else str(value)


def _cycle(value: int, characters: str) -> str:
    return characters[value - 1] if value <= len(characters) else str(value)


_FORMATS = {
    "decimal": str,
    "decimalHalfWidth": str,
    "decimalZero": lambda n: f"{n:02d}",
    "decimalFullWidth": lambda n: "".join(chr(0xFF10 + int(d)) for d in str(n)),
    "decimalFullWidth2": lambda n: "".join(chr(0xFF10 + int(d)) for d in str(n)),
    "chineseCounting": _chinese_counting,
    "taiwaneseCounting": _chinese_counting,
    # cn2an writes 10–19 as 十…, 101 as 一百零一: the counting-thousand form.
    "chineseCountingThousand": chinese_numeral,
    "taiwaneseCountingThousand": chinese_numeral,
    "chineseLegalSimplified": lambda n: cn2an.an2cn(n, "up"),
    "ideographDigital": lambda n: "".join(_DIGITS[int(d)] for d in str(n)),
    "japaneseCounting": _japanese_counting,
    "ideographTraditional": lambda n: _cycle(n, _STEMS),
    "ideographZodiac": lambda n: _cycle(n, _BRANCHES),
    "decimalEnclosedCircle": lambda n: _enclosed(n, 0x2460, 20),
    "decimalEnclosedCircleChinese": lambda n: _enclosed(n, 0x2460, 20),
    "decimalEnclosedParen": lambda n: _enclosed(n, 0x2474, 20),
    "decimalEnclosedFullstop": lambda n: _enclosed(n, 0x2488, 20),
    "ideographEnclosedCircle": lambda n: _enclosed(n, 0x3220, 10),
    "lowerLetter": lambda n: _letters(n, "a"),
    "upperLetter": lambda n: _letters(n, "A"),
    "lowerRoman": lambda n: _roman(n).lower(),
    "upperRoman": _roman,
    "none": lambda n: "",
}


def format_number(value: int, fmt: str) -> str | None:
    """``value`` in Word's number format ``fmt``, or None for a format not known here.

    >>> format_number(11, "chineseCounting"), format_number(101, "chineseCountingThousand")
    ('十一', '一百零一')
    >>> format_number(2, "ideographTraditional"), format_number(3, "decimalEnclosedCircle")
    ('乙', '③')
    >>> format_number(4, "lowerRoman"), format_number(27, "lowerLetter"), format_number(5, "x")
    ('iv', 'aa', None)
    """
    render = _FORMATS.get(fmt)
    if render is None:
        return None
    if value < 1:
        return "" if fmt == "none" else str(value)
    return render(value)


# -- numbering.xml and styles.xml as plain data ------------------------------------------


@dataclass(frozen=True)
class _Level:
    fmt: str = "decimal"
    pad: int = 0  # zero-padded to this width (Word 2010's "001, 002, 003, ...")
    # lvlText cut into literal pieces and level indexes (int), at most a label long.
    text: tuple[str | int, ...] = ()
    start: int = 0
    restart: int | None = None
    legal: bool = False
    suffix: str = "\t"
    style: str | None = None
    hidden: bool = False  # w:rPr/w:vanish: the number counts but is not shown


@dataclass
class _Abstract:
    levels: dict[int, _Level] = field(default_factory=dict)
    num_style_link: str | None = None


@dataclass
class _Num:
    abstract_id: str
    levels: dict[int, _Level] = field(default_factory=dict)
    start_overrides: dict[int, int] = field(default_factory=dict)
    restarted: set[int] = field(default_factory=set)  # levels that start again here


@dataclass(frozen=True)
class _Style:
    based_on: str | None = None
    num_id: str | None = None
    ilvl: int | None = None
    outline: int | None = None
    name: str = ""


@dataclass(frozen=True)
class _StyleNumbering:
    num_id: str | None
    ilvl: int | None
    outline: int | None
    carrier: str | None = None  # the style of the chain that names the numId


def _val(element, name: str) -> str | None:
    found = element.find(_w(name)) if element is not None else None
    return None if found is None else found.get(W_VAL)


def _integer(text: str | None) -> int | None:
    if text is None:
        return None
    try:
        return int(text.strip())
    except ValueError:
        return None


def _on(element, name: str) -> bool:
    found = element.find(_w(name))
    return found is not None and found.get(W_VAL, "true") not in ("0", "false", "off")


class WordLists:
    """Word's numbering and outline levels for the paragraphs of one document.

    ``numbering`` and ``styles`` are the parts (bytes or parsed lxml elements, None when
    the document has none). Call :meth:`shown` for each body paragraph in document
    order: the counters advance as Word's do.

    >>> lists = WordLists(
    ...     f'<w:numbering xmlns:w="{W}"><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0">'
    ...     '<w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/>'
    ...     '</w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
    ...     '</w:numbering>')
    >>> numbered = etree.fromstring(
    ...     f'<w:p xmlns:w="{W}"><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:p>')
    >>> [lists.shown(numbered).label for _ in range(2)]
    ['一、', '二、']
    """

    def __init__(self, numbering=None, styles=None):
        self.findings: list[str] = []
        self._abstracts: dict[str, _Abstract] = {}
        self._nums: dict[str, _Num] = {}
        self._styles: dict[str, _Style] = {}
        self._default_style: str | None = None
        self._numbering_styles: dict[str, str] = {}  # numbering style id → its numId
        self._unknown_formats: set[str] = set()
        self._read_styles(self._root(styles, "样式（styles.xml）"))
        self._read_numbering(self._root(numbering, "编号定义（numbering.xml）"))
        self._style_memo: dict[str, _StyleNumbering] = {}
        self._resolved: dict[str, tuple[str, dict[int, _Level]] | None] = {}
        self._counters: dict[str, list[int | None]] = {}
        self._used_nums: set[str] = set()

    # -- reading the parts ----------------------------------------------------------------

    def _root(self, part, what: str):
        if part is None or not isinstance(part, bytes | str):
            return part
        try:
            return etree.fromstring(part.encode() if isinstance(part, str) else part, _PARSER)
        except etree.XMLSyntaxError:
            self._note(f"文档的{what}无法读取，自动编号和标题级别可能没有读出，请核对。")
            return None

    def _read_styles(self, root) -> None:
        if root is None:
            return
        for element in root.iterchildren(_w("style")):
            style_id = element.get(_w("styleId"))
            if style_id is None or style_id in self._styles:
                continue
            kind = element.get(_w("type"), "paragraph")
            ppr = element.find(W_PPR)
            numpr = ppr.find(W_NUMPR) if ppr is not None else None
            num_id = _val(numpr, "numId")
            if kind == "numbering":
                if num_id is not None:
                    self._numbering_styles[style_id] = num_id
                continue
            if kind != "paragraph":
                continue
            self._styles[style_id] = _Style(
                based_on=_val(element, "basedOn"),
                num_id=num_id,
                ilvl=_integer(_val(numpr, "ilvl")),
                outline=_integer(_val(ppr, "outlineLvl")),
                name=_val(element, "name") or "",
            )
            if self._default_style is None and _on_attribute(element, "default"):
                self._default_style = style_id

    def _read_numbering(self, root) -> None:
        if root is None:
            return
        for element in root.iterchildren(_w("abstractNum")):
            abstract_id = element.get(_w("abstractNumId"))
            if abstract_id is None or abstract_id in self._abstracts:
                continue
            self._abstracts[abstract_id] = _Abstract(
                levels=self._read_levels(element), num_style_link=_val(element, "numStyleLink")
            )
        for element in root.iterchildren(_w("num")):
            num_id = element.get(_w("numId"))
            abstract_id = _val(element, "abstractNumId")
            if num_id is None or abstract_id is None or num_id in self._nums:
                continue
            entry = _Num(abstract_id)
            for override in element.iterchildren(_w("lvlOverride")):
                ilvl = _integer(override.get(_w("ilvl")))
                if ilvl is None or not 0 <= ilvl < LEVELS:
                    continue
                lvl = override.find(_w("lvl"))
                if lvl is not None:
                    # A whole level of its own: the level starts again, at its start
                    # (MS-DOC LFOLVL.fFormatting: the LVL "completely overrides").
                    entry.levels[ilvl] = self._read_level(lvl)
                    entry.restarted.add(ilvl)
                start = _integer(_val(override, "startOverride"))
                if start is not None:
                    entry.start_overrides[ilvl] = self._start(start)
                    entry.restarted.add(ilvl)
            self._nums[num_id] = entry

    def _read_levels(self, abstract) -> dict[int, _Level]:
        levels: dict[int, _Level] = {}
        for lvl in abstract.iterchildren(_w("lvl")):
            ilvl = _integer(lvl.get(_w("ilvl")))
            if ilvl is not None and 0 <= ilvl < LEVELS and ilvl not in levels:
                levels[ilvl] = self._read_level(lvl)
        return levels

    def _read_level(self, lvl) -> _Level:
        start = _integer(_val(lvl, "start"))
        suffix = {"space": " ", "nothing": ""}.get(_val(lvl, "suff") or "tab", "\t")
        text = _val(lvl, "lvlText")
        fmt, pad = self._level_format(lvl)
        return _Level(
            fmt=fmt,
            pad=pad,
            text=_cut_level_text(text or ""),
            start=0 if start is None else self._start(start),
            restart=_integer(_val(lvl, "lvlRestart")),
            legal=_on(lvl, "isLgl"),
            suffix=suffix,
            style=_val(lvl, "pStyle"),
            hidden=(rpr := lvl.find(_w("rPr"))) is not None and _on(rpr, "vanish"),
        )

    def _level_format(self, lvl) -> tuple[str, int]:
        """The level's number format, and the width of Word 2010's zero-padded ones."""
        fmt = _val(lvl, "numFmt")
        if fmt is not None:
            return fmt, 0
        # Word 2010 writes a custom format as a choice with a fallback (MS-DOCX §2.4).
        for alternate in lvl.iterchildren(f"{{{MC}}}AlternateContent"):
            for choice in alternate.iterchildren(f"{{{MC}}}Choice"):
                numfmt = choice.find(_w("numFmt"))
                padded = (
                    _ZERO_PADDED.match(numfmt.get(_w("format"), "")) if numfmt is not None else None
                )
                if padded:
                    return "decimal", min(len(padded[1]) + 1, MAX_LABEL_CHARS)
            fallback = alternate.find(f"{{{MC}}}Fallback")
            if fallback is not None and _val(fallback, "numFmt") is not None:
                return _val(fallback, "numFmt"), 0
        return "decimal", 0

    def _start(self, start: int) -> int:
        if 0 <= start <= MAX_START:
            return start
        if start > MAX_START:
            self._note(f"自动编号的起始值超出 Word 的上限 {MAX_START}，已按 {MAX_START} 读出。")
        else:
            self._note("自动编号的起始值为负数，已按 0 读出。")
        return min(max(start, 0), MAX_START)

    def _note(self, message: str) -> None:
        if message not in self.findings:
            self.findings.append(message)

    # -- one paragraph ----------------------------------------------------------------------

    def shown(self, paragraph) -> ShownParagraph:
        """The label and outline level of ``paragraph`` (a w:p), advancing the counters."""
        ppr = paragraph.find(W_PPR)
        style_id = _val(ppr, "pStyle")
        if style_id not in self._styles:
            style_id = self._default_style  # Word's rule for a missing or unknown style
        inherited = self._style_numbering(style_id)
        own_outline = _integer(_val(ppr, "outlineLvl"))
        outline = own_outline if own_outline is not None else inherited.outline
        in_outline = outline is not None and 0 <= outline < BODY_TEXT_OUTLINE
        outline_level = outline + 1 if in_outline else None
        numpr = ppr.find(W_NUMPR) if ppr is not None else None
        num_id = _val(numpr, "numId")
        ilvl = _integer(_val(numpr, "ilvl"))
        from_style = num_id is None
        if from_style:
            num_id = inherited.num_id
            ilvl = inherited.ilvl if ilvl is None else ilvl
        resolved = self._resolve(num_id) if num_id not in (None, "0") else None
        if resolved is None:
            return ShownParagraph(outline_level=outline_level)
        key, levels = resolved
        if ilvl is None and from_style:
            # The level linked to the style (its w:pStyle), as Word's heading lists are.
            linked = {lvl.style: n for n, lvl in reversed(levels.items()) if lvl.style}
            ilvl = linked.get(style_id, linked.get(inherited.carrier))
        if ilvl is None:
            ilvl = 0
        ilvl = min(max(ilvl, 0), LEVELS - 1)
        label, separator = self._advance(num_id, key, levels, ilvl)
        return ShownParagraph(label, separator, ilvl, outline_level)

    def _advance(self, num_id: str, key: str, levels: dict[int, _Level], ilvl: int):
        counters = self._counters.setdefault(key, [None] * LEVELS)
        if num_id not in self._used_nums:
            self._used_nums.add(num_id)
            for restarted in self._nums[num_id].restarted:
                counters[restarted] = None
        here = levels.get(ilvl, _Level())
        counters[ilvl] = here.start if counters[ilvl] is None else counters[ilvl] + 1
        for deeper in range(ilvl + 1, LEVELS):
            limit = levels.get(deeper, _Level()).restart
            if limit is None or (limit > 0 and ilvl < limit):
                counters[deeper] = None
        if here.fmt == "bullet" or here.hidden:
            return "", ""
        if any(isinstance(piece, int) and piece > ilvl for piece in here.text):
            return "", ""  # MS-OI29500 §2.1.283 c: Word ignores such a level text
        pieces = []
        for piece in here.text:
            if isinstance(piece, str):
                pieces.append(piece)
                continue
            shown = levels.get(piece, _Level())
            value = counters[piece] if counters[piece] is not None else shown.start
            fmt = shown.fmt
            if here.legal and piece < ilvl and fmt != "decimalZero":
                fmt = "decimal"
            pieces.append(str(value).zfill(shown.pad) if shown.pad else self._format(value, fmt))
        return "".join(pieces)[:MAX_LABEL_CHARS], here.suffix

    def _format(self, value: int, fmt: str) -> str:
        text = format_number(value, fmt)
        if text is None:
            if fmt not in self._unknown_formats:
                self._unknown_formats.add(fmt)
                self.findings.append(
                    f"自动编号格式“{fmt[:40]}”无法识别，已按阿拉伯数字（1、2、3）读出，请核对编号。"
                )
            text = str(value)
        return text

    # -- chains -------------------------------------------------------------------------------

    def _resolve(self, num_id: str) -> tuple[str, dict[int, _Level]] | None:
        """The abstract list a num counts in, and its levels with the num's overrides."""
        if num_id in self._resolved:
            return self._resolved[num_id]
        result = None
        entry = self._nums.get(num_id)
        abstract_id = entry.abstract_id if entry else None
        seen: set[str] = set()
        while abstract_id is not None and abstract_id not in seen:
            seen.add(abstract_id)
            abstract = self._abstracts.get(abstract_id)
            if abstract is None:
                break
            if abstract.num_style_link is None:
                levels = dict(abstract.levels)
                for ilvl, lvl in entry.levels.items():
                    levels[ilvl] = lvl
                for ilvl, start in entry.start_overrides.items():
                    levels[ilvl] = replace(levels.get(ilvl, _Level()), start=start)
                result = (abstract_id, levels)
                break
            linked = self._nums.get(self._numbering_styles.get(abstract.num_style_link, ""))
            abstract_id = linked.abstract_id if linked else None
        self._resolved[num_id] = result
        return result

    def _style_numbering(self, style_id: str | None) -> _StyleNumbering:
        """A style's numbering and outline level through its basedOn chain, memoised."""
        if style_id is None:
            return _StyleNumbering(None, None, None)
        chain: list[str] = []
        current: str | None = style_id
        while current is not None and current not in self._style_memo and current not in chain:
            if current not in self._styles:
                break
            chain.append(current)
            current = self._styles[current].based_on
        below = self._style_memo.get(current, _StyleNumbering(None, None, None))
        for name in reversed(chain):
            style = self._styles[name]
            # Some converters write the aliases into the name: "heading 1,H1,一级标题".
            heading = _HEADING_NAME.match(style.name.split(",")[0].strip()) or (
                _HEADING_NAME.match(name)
            )
            if style.outline is not None:
                outline = style.outline
            elif heading:
                outline = int(heading[1]) - 1
            else:
                outline = below.outline
            below = _StyleNumbering(
                num_id=style.num_id if style.num_id is not None else below.num_id,
                ilvl=style.ilvl if style.ilvl is not None else below.ilvl,
                outline=outline,
                carrier=name if style.num_id is not None else below.carrier,
            )
            self._style_memo[name] = below
        return self._style_memo.get(style_id, below)


def _on_attribute(element, name: str) -> bool:
    return element.get(_w(name)) in ("1", "true", "on")


def _cut_level_text(text: str) -> tuple[str | int, ...]:
    """lvlText as literal pieces and level indexes, no longer than a label can show.

    >>> _cut_level_text("（%2）")
    ('（', 1, '）')
    """
    pieces: list[str | int] = []
    literal = 0
    position = 0
    placeholders = 0
    while position < len(text) and literal < MAX_LABEL_CHARS and placeholders < LEVELS:
        match = _PLACEHOLDER.search(text, position, position + MAX_LABEL_CHARS + 2)
        end = match.start() if match else min(len(text), position + MAX_LABEL_CHARS)
        if end > position:
            piece = text[position:end][: MAX_LABEL_CHARS - literal]
            pieces.append(piece)
            literal += len(piece)
        if match is None:
            position = end
            continue
        pieces.append(int(match[1]) - 1)
        placeholders += 1
        position = match.end()
    return tuple(pieces)


def _is_wide(character: str) -> bool:
    return unicodedata.east_asian_width(character) in ("W", "F", "A")


def body_paragraphs(container):
    """The w:p of a body in reading order: tables cell by cell, content controls opened.

    >>> body = etree.fromstring(f'<w:body xmlns:w="{W}"><w:p/><w:tbl><w:tr><w:tc><w:p/>'
    ...                         '</w:tc></w:tr></w:tbl><w:sectPr/></w:body>')
    >>> len(list(body_paragraphs(body)))
    2
    """
    for child in container.iterchildren():
        if child.tag == W_P:
            yield child
        elif child.tag == W_TBL:
            for row in child.iterchildren(W_TR):
                for cell in row.iterchildren(W_TC):
                    yield from body_paragraphs(cell)
        elif child.tag == W_SDT:
            content = child.find(W_SDT_CONTENT)
            if content is not None:
                yield from body_paragraphs(content)
        elif child.tag == W_CUSTOM_XML:
            yield from body_paragraphs(child)


def shown_paragraphs(document, numbering=None, styles=None) -> list[ShownParagraph]:
    """What Word shows before each body paragraph of ``document`` (document.xml).

    >>> shown_paragraphs(f'<w:document xmlns:w="{W}"><w:body><w:p/></w:body></w:document>'.encode())
    [ShownParagraph(label='', separator='', list_level=None, outline_level=None)]
    """
    root = etree.fromstring(document, _PARSER) if isinstance(document, bytes) else document
    body = root.find(_w("body")) if root.tag == _w("document") else root
    lists = WordLists(numbering, styles)
    return [lists.shown(paragraph) for paragraph in body_paragraphs(body)]
