"""Template filters that show speech text as it reads, placeholders marked."""

from django import template
from django.utils.html import escape, format_html_join
from django.utils.safestring import mark_safe

from ..access import user_name
from ..lengths import TargetGap, compare_to_target
from ..models import Comment, text_limit
from ..numbering import ordinal_label
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
def comment_chars() -> int:
    """The most characters a comment holds, for its box's ``data-max-chars``: the page
    refuses a longer one before it is sent (speechdraft.js), where the server's refusal
    would leave the address bar on the form's POST address."""
    return text_limit(Comment, "text")


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
    return "#" + element_id(located.anchor, located.item_id)


def element_id(anchor: str, item_id=None) -> str:
    """The id of the element that holds a unit (``anchor``, an item's id) on the editing
    page; the preview gives its first paragraph the same id, so the same links work."""
    if item_id or anchor.startswith("item:"):
        return f"item-{item_id or anchor.removeprefix('item:')}"
    root = anchor.split(".")[0]
    if root in ("opening", "closing"):
        return f"text-{root}"
    if root in ("part_one", "part_two"):
        return root
    return "header"


@register.filter
def section_href(section: str) -> str:
    """Where a section starts on the editing page: ``"opening"`` → ``"#text-opening"``."""
    return f"#text-{section}" if section in ("opening", "closing") else f"#{section}"


@register.filter
def inline_items(paragraph) -> list[tuple[str, str]]:
    """The numbered items inside one paragraph (lessons, shortcomings) as (label, href),
    so each shows in the outline although they are read as one paragraph. The sources
    are the items read out, in order, so counting them is the one numbering rule."""
    if paragraph.item_id:
        return []
    ids = [
        source.removeprefix("item:") for source in paragraph.sources if source.startswith("item:")
    ]
    return [(ordinal_label(number), f"#item-{id_}") for number, id_ in enumerate(ids, start=1)]


@register.filter
def target_gap(lengths, target_minutes: int | None) -> TargetGap | None:
    """The speech's speaking time against its meeting slot (see ``lengths.compare_to_target``)."""
    return compare_to_target(lengths.minutes, target_minutes)


@register.filter
def draft_for(draft, anchors) -> dict | None:
    """The refused comment (anchor, text and its passage: field, start, end, quote)
    when it was typed at one of ``anchors``, else None."""
    if not draft or not any(anchor == draft["anchor"] for anchor, _ in anchors):
        return None
    return draft


@register.filter
def comment_ids(comments) -> str:
    """The ids of comments, for a mark's ``data-comments``: ``"12 15"``."""
    return " ".join(str(comment.pk) for comment in comments)


@register.filter
def passage_title(comments) -> str:
    """What a passage's mark says when pointed at: each comment on it, by whom, one a
    line (``批注（张三）：太长``), long ones cut at 40 characters."""
    lines = []
    for comment in comments:
        who = f"（{user_name(comment.author)}）" if comment.author else ""
        text = comment.text if len(comment.text) <= 40 else comment.text[:40] + "…"
        lines.append(f"批注{who}：{text}")
    return "\n".join(lines)


@register.filter
def person(user) -> str:
    """How pages name a person: the full name, or the user name if none was given.
    Nobody (None, or the template's "" for a snapshot taken without a transition) is ""."""
    return user_name(user) if user else ""
