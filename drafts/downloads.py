"""File names and Content-Disposition headers for downloads of a speech.

Staff file the downloads under the speech's own title, so the name is Chinese. Browsers
get it through RFC 5987 ``filename*``; an ASCII ``filename`` comes first as the fallback
RFC 6266 §4.3 asks for, for the rare client that ignores ``filename*``.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import quote

from django.utils.http import content_disposition_header

FALLBACK_STEM = "speech"
UNTITLED = "讲话稿"
# Windows refuses these in file names; the rest of the title (“” quotes, ——, rare
# characters) is kept, since it is what staff search their folders for.
FORBIDDEN = set('\\/:*?"<>|')
# Long titles still leave room for the suffix, extension and a folder path under
# Windows' 255-character limit.
MAX_STEM = 80


def speech_filename(title: str, extension: str, suffix: str = "") -> str:
    """A file name for a download of the speech titled ``title``.

    Line breaks of a two-line title join without a space (Chinese needs none), white
    space runs collapse to one space, control characters and the characters Windows
    forbids are dropped, and an empty title becomes 讲话稿. ``suffix`` (such as
    "（大字版）") goes between the title and the extension.

    >>> speech_filename("在总结会议\\n上的讲话", "docx", "（大字版）")
    '在总结会议上的讲话（大字版）.docx'
    """
    lines = [" ".join(line.split()) for line in title.splitlines()]
    stem = "".join(
        char
        for char in "".join(lines)
        if char not in FORBIDDEN and not unicodedata.category(char).startswith("C")
    )
    stem = stem.strip(" .")[:MAX_STEM].strip(" .") or UNTITLED
    return f"{stem}{suffix}.{extension.lstrip('.')}"


def content_disposition(filename: str) -> str:
    """The Content-Disposition header value that downloads ``filename`` as an attachment.

    An ASCII name is sent as it is; any other gets an ASCII fallback made of
    ``speech`` and the extension, then the real name as UTF-8 ``filename*``.

    >>> content_disposition("讲话.txt")
    'attachment; filename="speech.txt"; filename*=UTF-8\\'\\'%E8%AE%B2%E8%AF%9D.txt'
    """
    if filename.isascii():
        return content_disposition_header(True, filename)
    extension = filename.rpartition(".")[2] if "." in filename else ""
    fallback = FALLBACK_STEM + (f".{extension}" if extension.isascii() and extension else "")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
