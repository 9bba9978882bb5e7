"""Template filters that show speech text as it reads, placeholders marked."""

from django import template
from django.utils.html import escape, format_html_join
from django.utils.safestring import mark_safe

from ..placeholders import split_placeholders

register = template.Library()


@register.filter
def mark_placeholders(text: str) -> str:
    """Escape ``text`` and wrap every placeholder in <mark class="placeholder">."""
    return mark_safe(
        "".join(
            f'<mark class="placeholder">{escape(segment)}</mark>'
            if is_placeholder
            else escape(segment)
            for segment, is_placeholder in split_placeholders(text)
        )
    )


@register.filter
def percent(share: float) -> str:
    """A 0..1 share as a CSS width: ``0.125`` → ``"12.5%"``."""
    return f"{share * 100:.1f}%"


@register.simple_tag
def title_lines(text: str):
    """The title with its line breaks as <br>."""
    return format_html_join(mark_safe("<br>"), "{}", ((line,) for line in text.split("\n")))


@register.filter
def editor_href(located) -> str:
    """Where on the editing page a paragraph or placeholder is: the item, else its section.

    Takes anything with ``anchor`` and ``item_id`` (an assembled paragraph, a placeholder
    location).
    """
    if located.item_id:
        return f"#item-{located.item_id}"
    root = located.anchor.split(".")[0]
    if root in ("opening", "closing"):
        return f"#text-{root}"
    if root in ("part_one", "part_two"):
        return f"#{root}"
    return "#header"
