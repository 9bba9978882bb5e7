"""A reviewer's pass over one of our exports, written into the .docx as Word 16 writes it.

``Reviewer(docx)`` takes the exported file; ``replace``, ``insert_after``, ``delete``,
``add_paragraph``, ``delete_paragraph`` make tracked changes (w:ins / w:del with w:id,
w:author, w:date and Word's w:rsid attributes; a new paragraph's inserted mark on the
paragraph before it, a removed one's deleted mark), ``untracked`` edits with 修订 off,
``comment`` adds a comment (comments.xml, its range and reference, a reply through
commentsExtended.xml's w15:paraIdParent) and ``save(last_editor)`` writes the file with
``cp:lastModifiedBy`` set, as Word does on saving.

Paragraphs are counted as the body's w:p, which in our export is one per
``assembly.assemble`` paragraph; offsets count the paragraph's text as the export
wrote it (a title's line break is one character). Edits of one paragraph are given
against its exported text and must not overlap.
"""

from __future__ import annotations

import copy
import io
import re
import zipfile

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
W15_NS = "http://schemas.microsoft.com/office/word/2012/wordml"
CP = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"
NAMESPACES = (
    f'xmlns:w="{W_NS}" '
    'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" '
    f'xmlns:w15="{W15_NS}" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'mc:Ignorable="w14 w15"'
)
COMMENT_PARTS = (
    (
        "comments",
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml",
    ),
    (
        "commentsExtended",
        "http://schemas.microsoft.com/office/2011/relationships/commentsExtended",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.commentsExtended+xml",
    ),
)


class Reviewer:
    def __init__(self, docx: bytes):
        self.source = docx
        with zipfile.ZipFile(io.BytesIO(docx)) as archive:
            self.root = etree.fromstring(archive.read("word/document.xml"))
        self.paragraphs = list(self.root.find(W + "body").iter(W + "p"))
        # Per paragraph: its characters, each [text, kind, rPr or None, state, marks].
        self.chars = [self._characters(p) for p in self.paragraphs]
        self.ids = iter(range(100, 100_000))
        self.comments: list[str] = []
        self.extended: list[str] = []
        self.comment_ids: dict[str, str] = {}

    # Reading our export's paragraphs.

    @staticmethod
    def _characters(paragraph) -> list[list]:
        chars = []
        for run in paragraph.iter(W + "r"):
            properties = run.find(W + "rPr")
            for child in run:
                if child.tag == W + "t":
                    chars += [[c, "t", properties, None, []] for c in child.text or ""]
                elif child.tag == W + "br":
                    chars.append(["\n", "br", properties, None, []])
                elif child.tag == W + "tab":
                    chars.append(["\t", "tab", properties, None, []])
        return chars

    def text(self, index: int) -> str:
        return "".join(c[0] for c in self.chars[index] if c[3] is None or c[3][0] != "ins")

    def _find(self, index: int, passage: str, occurrence: int = 0) -> int:
        """The offset in the old text of ``passage``'s ``occurrence``-th occurrence."""
        text = "".join(c[0] for c in self.chars[index] if c[3] is None or c[3][0] == "del")
        at = -1
        for _ in range(occurrence + 1):
            at = text.find(passage, at + 1)
        if at < 0:
            raise ValueError(f"{passage!r} is not in paragraph {index}: {text!r}")
        return at

    def _position(self, index: int, offset: int) -> int:
        """The list position of the ``offset``-th character of the old text."""
        seen = 0
        for position, char in enumerate(self.chars[index]):
            if char[3] is not None and char[3][0] == "ins":
                continue
            if seen == offset:
                return position
            seen += 1
        return len(self.chars[index])

    # Tracked changes.

    def replace(self, index: int, old: str, new: str, author: str, date: str, occurrence=0):
        """``old`` (found in the paragraph's old text) deleted and ``new`` typed in its place."""
        offset = self._find(index, old, occurrence)
        start = self._position(index, offset)
        end = self._position(index, offset + len(old) - 1) + 1
        deleted = ("del", author, date, next(self.ids))
        for char in self.chars[index][start:end]:
            char[3] = deleted
        if new:
            self._type(index, end, new, author, date, like=start)
        return self

    def delete(self, index: int, old: str, author: str, date: str, occurrence=0):
        return self.replace(index, old, "", author, date, occurrence)

    def insert_after(self, index: int, passage: str, new: str, author: str, date: str):
        """``new`` typed right after ``passage`` (at the paragraph's start for "")."""
        if not passage:
            return self._type(index, 0, new, author, date, like=0)
        last = self._position(index, self._find(index, passage) + len(passage) - 1)
        return self._type(index, last + 1, new, author, date, like=last)

    def _type(self, index: int, position: int, new: str, author, date, like: int):
        chars = self.chars[index]
        # Word gives typed text the formatting of the character before it.
        properties = chars[max(0, min(like, len(chars) - 1))][2] if chars else None
        inserted = ("ins", author, date, next(self.ids))
        chars[position:position] = [[c, "t", properties, inserted, []] for c in new]
        return self

    def add_paragraph(self, index: int, text: str, author: str, date: str):
        """A paragraph typed after paragraph ``index`` (Enter at its end, then the
        text): the mark ending ``index`` is inserted, the new paragraph holds the text
        and the old mark, with ``index``'s paragraph properties."""
        paragraph = self.paragraphs[index]
        new = copy.deepcopy(paragraph)
        for child in list(new):
            if child.tag != W + "pPr":
                new.remove(child)
        # Enter after a heading or an item's paragraph gives a body paragraph (Normal).
        for style in new.iter(W + "pStyle"):
            style.getparent().remove(style)
        paragraph.addnext(new)
        self._mark(paragraph, "ins", author, date)
        inserted = ("ins", author, date, next(self.ids))
        chars = [[c, "t", None, inserted, []] for c in text]
        self.paragraphs.insert(index + 1, new)
        self.chars.insert(index + 1, chars)
        return self

    def delete_paragraph(self, index: int, author: str, date: str):
        """The whole paragraph and its mark deleted."""
        deleted = ("del", author, date, next(self.ids))
        for char in self.chars[index]:
            char[3] = deleted
        self._mark(self.paragraphs[index], "del", author, date)
        return self

    def _mark(self, paragraph, kind: str, author: str, date: str) -> None:
        properties = paragraph.find(W + "pPr")
        if properties is None:
            properties = etree.SubElement(paragraph, W + "pPr")
            paragraph.insert(0, properties)
        mark = properties.find(W + "rPr")
        if mark is None:
            mark = etree.SubElement(properties, W + "rPr")
        attributes = {W + "id": str(next(self.ids)), W + "author": author, W + "date": date}
        mark.insert(0, etree.Element(W + kind, attributes))

    def untracked(self, index: int, old: str, new: str):
        """``old`` replaced by ``new`` with 修订 off: no trace but the text."""
        offset = self._find(index, old)
        start = self._position(index, offset)
        end = self._position(index, offset + len(old) - 1) + 1
        chars = self.chars[index]
        properties = chars[start][2]
        chars[start:end] = [[c, "t", properties, None, []] for c in new]
        return self

    # Comments.

    def comment(
        self,
        index: int,
        passage: str,
        text: str,
        author: str,
        date: str,
        *,
        initials: str = "",
        reply_to: str | None = None,
        name: str | None = None,
    ):
        """A comment on ``passage`` of paragraph ``index``'s new text (a reply to the
        comment named ``reply_to`` shares its range, as Word anchors replies)."""
        comment_id = str(len(self.comments))
        paragraph_id = f"5C0A{len(self.comments) + 1:04X}"
        self.comment_ids[name or comment_id] = paragraph_id
        chars = self.chars[index]
        new_positions = [n for n, c in enumerate(chars) if c[3] is None or c[3][0] != "del"]
        new_text = "".join(chars[n][0] for n in new_positions)
        at = new_text.find(passage)
        if at < 0:
            raise ValueError(f"{passage!r} is not in the new text of paragraph {index}")
        first, last = new_positions[at], new_positions[at + len(passage) - 1]
        chars[first][4].insert(0, ("before", f'<w:commentRangeStart w:id="{comment_id}"/>'))
        chars[last][4].append(("after", f'<w:commentRangeEnd w:id="{comment_id}"/>'))
        chars[last][4].append(
            (
                "after",
                '<w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr>'
                f'<w:commentReference w:id="{comment_id}"/></w:r>',
            )
        )
        self.comments.append(
            f'<w:comment w:id="{comment_id}" w:author="{author}" w:date="{date}"'
            f' w:initials="{initials}"><w:p w14:paraId="{paragraph_id}">'
            '<w:pPr><w:pStyle w:val="CommentText"/></w:pPr>'
            '<w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr><w:annotationRef/></w:r>'
            f"<w:r><w:t>{text}</w:t></w:r></w:p></w:comment>"
        )
        parent = f' w15:paraIdParent="{self.comment_ids[reply_to]}"' if reply_to else ""
        self.extended.append(f'<w15:commentEx w15:paraId="{paragraph_id}"{parent} w15:done="0"/>')
        return self

    # Writing.

    def _write_paragraph(self, index: int) -> None:
        paragraph = self.paragraphs[index]
        for child in list(paragraph):
            if child.tag != W + "pPr":
                paragraph.remove(child)
        xml = []
        groups: list[tuple] = []
        for char in self.chars[index]:
            for side, mark in char[4]:
                if side == "before":
                    groups.append(("mark", mark))
            key = (char[3], etree.tostring(char[2]) if char[2] is not None else b"")
            if groups and groups[-1][0] == "run" and groups[-1][1] == key:
                groups[-1][2].append(char)
            else:
                groups.append(("run", key, [char]))
            for side, mark in char[4]:
                if side == "after":
                    groups.append(("mark", mark))
        open_state = None
        for group in groups:
            state = group[1][0] if group[0] == "run" else open_state
            if group[0] == "mark" and open_state is not None:
                xml.append(self._close(open_state))
                open_state = None
            if group[0] == "run" and state != open_state:
                if open_state is not None:
                    xml.append(self._close(open_state))
                if state is not None:
                    kind, author, date, change_id = state
                    xml.append(f'<w:{kind} w:id="{change_id}" w:author="{author}" w:date="{date}">')
                open_state = state
            if group[0] == "mark":
                xml.append(group[1])
            else:
                xml.append(self._run(group[2], group[1][1], state))
        if open_state is not None:
            xml.append(self._close(open_state))
        wrapper = etree.fromstring(f"<w:wrap {NAMESPACES}>{''.join(xml)}</w:wrap>")
        for child in wrapper:
            paragraph.append(child)

    @staticmethod
    def _close(state) -> str:
        return f"</w:{state[0]}>"

    @staticmethod
    def _run(chars, properties: bytes, state) -> str:
        deleted = state is not None and state[0] == "del"
        rsid = ' w:rsidDel="00C0FFEE"' if deleted else (' w:rsidR="00C0FFEE"' if state else "")
        pieces, text = [], ""
        tag = "w:delText" if deleted else "w:t"

        def flush():
            nonlocal text
            if text:
                space = ' xml:space="preserve"' if text != text.strip() else ""
                escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                pieces.append(f"<{tag}{space}>{escaped}</{tag}>")
                text = ""

        for char in chars:
            if char[1] == "t":
                text += char[0]
            else:
                flush()
                pieces.append("<w:br/>" if char[1] == "br" else "<w:tab/>")
        flush()
        rpr = re.sub(rb"^<w:rPr[^>]*>", b"<w:rPr>", properties).decode() if properties else ""
        return f"<w:r{rsid}>{rpr}{''.join(pieces)}</w:r>"

    def save(self, last_editor: str = "") -> bytes:
        for index in range(len(self.paragraphs)):
            self._write_paragraph(index)
        document = etree.tostring(
            self.root, xml_declaration=True, encoding="UTF-8", standalone=True
        )
        source = zipfile.ZipFile(io.BytesIO(self.source))
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for item in source.infolist():
                data = source.read(item.filename)
                if item.filename == "word/document.xml":
                    data = document
                elif item.filename == "docProps/core.xml" and last_editor:
                    core = etree.fromstring(data)
                    core.find(CP + "lastModifiedBy").text = last_editor
                    data = etree.tostring(core, xml_declaration=True, encoding="UTF-8")
                elif item.filename == "[Content_Types].xml" and self.comments:
                    overrides = "".join(
                        f'<Override PartName="/word/{name}.xml" ContentType="{kind}"/>'
                        for name, _, kind in COMMENT_PARTS
                    )
                    data = data.replace(b"</Types>", overrides.encode() + b"</Types>")
                elif item.filename == "word/_rels/document.xml.rels" and self.comments:
                    rels = "".join(
                        f'<Relationship Id="rIdReview{n}" Type="{kind}" Target="{name}.xml"/>'
                        for n, (name, kind, _) in enumerate(COMMENT_PARTS)
                    )
                    data = data.replace(b"</Relationships>", rels.encode() + b"</Relationships>")
                archive.writestr(item, data)
            if self.comments:
                archive.writestr(
                    "word/comments.xml",
                    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                    f"<w:comments {NAMESPACES}>{''.join(self.comments)}</w:comments>",
                )
                archive.writestr(
                    "word/commentsExtended.xml",
                    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                    f"<w15:commentsEx {NAMESPACES}>{''.join(self.extended)}</w15:commentsEx>",
                )
        return buffer.getvalue()
