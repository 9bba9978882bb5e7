"""How much work one request may ask for: the budgets of ``settings.BUDGETS``.

Every budget is checked before the work it limits, and every refusal says, in Chinese,
which limit it is and by how much the input is over it, so the user knows what to cut.
Domain modules take a ``Budgets`` argument (tests pass small ones) and default to the
configured one.
"""

from dataclasses import dataclass, fields


@dataclass(frozen=True)
class Budgets:
    """The limits, named as in ``settings.BUDGETS`` (where each is explained)."""

    field_chars: int
    title_chars: int
    comment_chars: int
    items_per_list: int
    speech_chars: int
    import_chars: int
    import_paragraphs: int
    upload_bytes: int
    docx_xml_bytes: int
    docx_xml_tags: int
    docx_parts: int
    json_depth: int
    json_number_digits: int
    compare_chars: int
    compare_milliseconds: int
    merge_milliseconds: int


def configured() -> Budgets:
    """The budgets of ``settings.BUDGETS``; ``settings.py`` is the one place they are set.

    >>> configured().items_per_list > 0
    True
    """
    from django.conf import settings

    return Budgets(**{field.name: settings.BUDGETS[field.name] for field in fields(Budgets)})


def megabytes(size: int) -> str:
    """A byte count as the figure a user reads.

    >>> megabytes(10 * 1024 * 1024), megabytes(1536 * 1024)
    ('10 MB', '1.5 MB')
    """
    value = size / (1024 * 1024)
    return f"{value:.0f} MB" if value == int(value) else f"{value:.1f} MB"


def over(what: str, limit: int, figure: int, unit: str = "字") -> str:
    """The refusal of one budget: what is over, the limit and the figure.

    >>> over("粘贴的文字", 200000, 200001)
    '粘贴的文字超过上限：最多 200000 字，现有 200001 字。'
    """
    return f"{what}超过上限：最多 {limit} {unit}，现有 {figure} {unit}。"
