"""Chinese numbering generated from position: 一、, （一）, 一是.

Numbers are never stored or typed by the user; every label is computed from the
1-based position of the part or item, so inserting, deleting or moving renumbers all.
"""

from __future__ import annotations

import cn2an


def chinese_numeral(number: int) -> str:
    """Return the Chinese numeral for a positive integer.

    >>> chinese_numeral(11), chinese_numeral(20)
    ('十一', '二十')
    """
    if number < 1:
        raise ValueError(f"numbering starts at 1, got {number}")
    # cn2an writes 10-19 as 十…, the form used in speeches (not 一十一).
    return cn2an.an2cn(number)


def heading_label(number: int) -> str:
    """Level-1 heading label: ``heading_label(2) == "二、"``."""
    return f"{chinese_numeral(number)}、"


def achievement_label(number: int) -> str:
    """Achievement item label: ``achievement_label(11) == "（十一）"``."""
    return f"（{chinese_numeral(number)}）"


def ordinal_label(number: int) -> str:
    """Lesson, shortcoming and measure label: ``ordinal_label(12) == "十二是"``."""
    return f"{chinese_numeral(number)}是"
