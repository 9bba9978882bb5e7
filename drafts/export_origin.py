"""Which speech, and which version of it, a .docx was exported from (issue 14, Word in).

A file sent out for review comes back days later, when the speech may have moved on.
To read the reviewer's 修订 against the text the reviewer saw, every export of a stored
speech carries its origin:

- a custom XML part (``customXml/itemN.xml``, ECMA-376 Part 1 §22.5, with its
  ``itemProps`` part) holding the version shown as its ``speechdraft/1`` document and
  its items' ids; Word, WPS and LibreOffice keep custom XML parts when they save;
- custom document properties (``docProps/custom.xml``, Part 1 §22.3) with the speech's
  id, the snapshot's id when a stored version was exported, and a stamp of the version:
  short values, which Word shows under 文件 → 属性 → 自定义, for an editor that drops
  custom XML parts.

For a redline export (``docx_changes.redline_docx``) the version shown is the new one,
and ``changes_author`` / ``changes_date`` name the export's own tracked changes, so the
import can tell them from the reviewer's.

No database, no request: an :class:`Origin` in, parts written; bytes in, an
:class:`Origin` (or None) out.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, replace

from docx.document import Document as DocxDocument
from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from lxml import etree

from . import speech_json
from .budgets import Budgets, configured
from .reading import open_package, parse_part
from .structure import ITEM_LISTS, Speech

ORIGIN_NAMESPACE = "urn:speechdraft:origin:1"
ORIGIN = f"{{{ORIGIN_NAMESPACE}}}origin"
CUSTOM_NAMESPACE = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NAMESPACE = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
DS_NAMESPACE = "http://schemas.openxmlformats.org/officeDocument/2006/customXml"
# The format id every user-defined property carries (ECMA-376 Part 1 §22.3.2.2).
USER_DEFINED = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
CUSTOM_PART = "docProps/custom.xml"
CUSTOM_XML_ITEM = re.compile(r"^customXml/item\d+\.xml$", re.IGNORECASE)
# More custom XML parts than this are not looked through (the file's size and its
# number of parts are budgeted already; this bounds the parsing).
MOST_ITEMS = 20
# The most (author, date) pairs of a redline's own changes read back.
MOST_CHANGES = 100
PROPERTY_NAMES = {
    "speech": "speechdraft.speech",
    "snapshot": "speechdraft.snapshot",
    "stamp": "speechdraft.stamp",
    "changes_author": "speechdraft.changes.author",
    "changes_date": "speechdraft.changes.date",
}


@dataclass(frozen=True)
class Origin:
    """Where a file comes from: the speech's id, the snapshot's (None for the speech as
    it stood at the export), the version shown (``document`` with ``item_ids``, lists by
    kind as ``models.item_lists`` names them) and its ``stamp``; for a redline, the
    author and Word date of the export's own changes."""

    speech: int
    snapshot: int | None = None
    document: Mapping | None = None
    item_ids: Mapping[str, list] | None = None
    stamp: str = ""
    changes_author: str = ""
    changes_date: str = ""
    # A redline from a stored version whose saves since are each their author's: those
    # authors and Word dates too, (author, date) pairs (in the custom XML part only).
    more_changes: tuple[tuple[str, str], ...] = ()


def stamp_of(document: Mapping, item_ids: Mapping[str, list]) -> str:
    """A short fingerprint of a version: its document and its items' ids.

    >>> stamp_of({"format": "speechdraft/1"}, {}) == stamp_of({"format": "speechdraft/1"}, {})
    True
    >>> len(stamp_of({}, {"achievements": ["a"]}))
    20
    """
    text = json.dumps(
        {"document": document, "item_ids": item_ids}, ensure_ascii=False, sort_keys=True
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def item_ids_of(data: Speech) -> dict[str, list]:
    """The ids of the speech's items, list by list (the keys of ``models.item_lists``).

    >>> from drafts.structure import PartOne, LeadItem
    >>> item_ids_of(Speech(part_one=PartOne(achievements=[LeadItem(id="a")])))["achievements"]
    ['a']
    """
    return {
        name: [item.id for item in getattr(getattr(data, part), name)]
        for part, name, _ in ITEM_LISTS
    }


def origin_of(speech_id: int, data: Speech, snapshot_id: int | None = None) -> Origin:
    """The origin of an export of ``data`` (the version shown, its items with their
    ids) of speech ``speech_id``; ``snapshot_id`` when it is a stored version.

    >>> origin_of(7, Speech(opening="开场。"), snapshot_id=3).snapshot
    3
    """
    document, item_ids = speech_json.to_document(data), item_ids_of(data)
    return Origin(speech_id, snapshot_id, document, item_ids, stamp_of(document, item_ids))


def version_of(document: Mapping, item_ids: Mapping[str, list]) -> Speech:
    """A version as a speech whose items carry their ids (as ``Snapshot.as_structure``).
    Raises ``speech_json.SpeechFormatError`` for a document that is not a speech."""
    speech = speech_json.from_document(document)
    for part, name, _ in ITEM_LISTS:
        items = getattr(getattr(speech, part), name)
        for item, item_id in zip(items, item_ids.get(name) or (), strict=False):
            item.id = item_id
    return speech


def with_changes(origin: Origin, author: str, date: str, more=()) -> Origin:
    """The origin of a redline: the export's own changes are ``author``'s at ``date``,
    and those of the ``more`` (author, date) pairs."""
    more = tuple((str(a), str(d)) for a, d in more)
    return replace(origin, changes_author=author, changes_date=date, more_changes=more)


# Writing.


def write_origin(document: DocxDocument, origin: Origin) -> None:
    """Add the origin's custom XML part and custom properties to a python-docx document."""
    package = document.part.package
    item = Part(
        package.next_partname("/customXml/item%d.xml"),
        CONTENT_TYPE.XML,
        _origin_xml(origin),
        package,
    )
    document.part.relate_to(item, RELATIONSHIP_TYPE.CUSTOM_XML)
    number = re.search(r"(\d+)\.xml$", item.partname).group(1)
    properties = Part(
        PackURI(f"/customXml/itemProps{number}.xml"),
        CONTENT_TYPE.OFC_CUSTOM_XML_PROPERTIES,
        _item_properties(),
        package,
    )
    item.relate_to(properties, RELATIONSHIP_TYPE.CUSTOM_XML_PROPS)
    custom = Part(
        PackURI("/" + CUSTOM_PART),
        CONTENT_TYPE.OFC_CUSTOM_PROPERTIES,
        _custom_properties(origin),
        package,
    )
    package.relate_to(custom, RELATIONSHIP_TYPE.CUSTOM_PROPERTIES)


def _xml(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _origin_xml(origin: Origin) -> bytes:
    root = etree.Element(ORIGIN, nsmap={"sd": ORIGIN_NAMESPACE})
    for name in ("speech", "snapshot", "stamp", "changes_author", "changes_date"):
        value = getattr(origin, name)
        if value not in (None, ""):
            root.set(name.replace("_", "-"), str(value))
    if origin.document is not None:
        content = {"document": origin.document, "item_ids": origin.item_ids or {}}
        if origin.more_changes:
            content["more_changes"] = [list(pair) for pair in origin.more_changes]
        root.text = json.dumps(content, ensure_ascii=False)
    return _xml(root)


def _item_properties() -> bytes:
    ds = f"{{{DS_NAMESPACE}}}"
    root = etree.Element(
        ds + "datastoreItem",
        {ds + "itemID": "{" + str(uuid.uuid4()).upper() + "}"},
        nsmap={"ds": DS_NAMESPACE},
    )
    references = etree.SubElement(root, ds + "schemaRefs")
    etree.SubElement(references, ds + "schemaRef", {ds + "uri": ORIGIN_NAMESPACE})
    return _xml(root)


def _custom_properties(origin: Origin) -> bytes:
    root = etree.Element(
        f"{{{CUSTOM_NAMESPACE}}}Properties", nsmap={None: CUSTOM_NAMESPACE, "vt": VT_NAMESPACE}
    )
    # Property ids start at 2 (§22.3.2.2: 0 and 1 are reserved).
    number = 2
    for key, name in PROPERTY_NAMES.items():
        value = getattr(origin, key)
        if value in (None, ""):
            continue
        element = etree.SubElement(
            root,
            f"{{{CUSTOM_NAMESPACE}}}property",
            {"fmtid": USER_DEFINED, "pid": str(number), "name": name},
        )
        etree.SubElement(element, f"{{{VT_NAMESPACE}}}lpwstr").text = str(value)
        number += 1
    return _xml(root)


# Reading.


def read_origin(data: bytes, budgets: Budgets | None = None) -> Origin | None:
    """The origin a .docx names, or None when it names none (a file from elsewhere, or
    exported before origins were written). The custom XML part wins over the
    properties; a part that cannot be read is passed over, never trusted in part.

    Raises ``reading.ImportRefused`` as ``reading.open_package`` does (not a .docx,
    broken, over the budgets).

    >>> from drafts.assembly import assemble
    >>> from drafts.docx_export import ExportOptions, render_docx
    >>> from drafts.structure import Speech
    >>> origin = origin_of(7, Speech(opening="开场。"), snapshot_id=3)
    >>> docx = render_docx(assemble(Speech(opening="开场。")), ExportOptions(origin=origin))
    >>> read_origin(docx) == origin
    True
    """
    budgets = budgets or configured()

    def read(archive: zipfile.ZipFile, main: str, allowance: list[int]):
        found = None
        items = [name for name in archive.NameToInfo if CUSTOM_XML_ITEM.match(name)]
        for name in sorted(items)[:MOST_ITEMS]:
            root = parse_part(archive, name, allowance, budgets)
            if root.tag == ORIGIN:
                found = _from_xml(root, budgets)
                if found is not None:
                    return found
        if CUSTOM_PART in archive.NameToInfo:
            return _from_properties(parse_part(archive, CUSTOM_PART, allowance, budgets))
        return None

    return open_package(data, budgets, read)


def _number(value) -> int | None:
    value = str(value or "").strip()
    return int(value) if value.isdigit() and len(value) < 19 else None


def _from_xml(root: etree._Element, budgets: Budgets) -> Origin | None:
    speech = _number(root.get("speech"))
    if speech is None:
        return None
    document = item_ids = None
    more: tuple[tuple[str, str], ...] = ()
    if (root.text or "").strip():
        try:
            content = speech_json.parse_json(root.text, ValueError, budgets)
        except ValueError:
            content = None
        if isinstance(content, dict) and isinstance(content.get("document"), dict):
            ids = content.get("item_ids")
            document = content["document"]
            item_ids = ids if _valid_ids(ids) else {}
            pairs = content.get("more_changes")
            if isinstance(pairs, list):
                more = tuple(
                    (pair[0][:255], pair[1][:64])
                    for pair in pairs[:MOST_CHANGES]
                    if isinstance(pair, list)
                    and len(pair) == 2
                    and all(isinstance(v, str) for v in pair)
                )
    return Origin(
        speech=speech,
        snapshot=_number(root.get("snapshot")),
        document=document,
        item_ids=item_ids,
        stamp=str(root.get("stamp", ""))[:64],
        changes_author=str(root.get("changes-author", ""))[:255],
        changes_date=str(root.get("changes-date", ""))[:64],
        more_changes=more,
    )


def _valid_ids(ids) -> bool:
    return isinstance(ids, dict) and all(
        isinstance(items, list) and all(isinstance(i, str | None) for i in items)
        for items in ids.values()
    )


def _from_properties(root: etree._Element) -> Origin | None:
    values = {}
    for element in root.iter(f"{{{CUSTOM_NAMESPACE}}}property"):
        value = element.find(f"{{{VT_NAMESPACE}}}lpwstr")
        if value is not None:
            values[element.get("name")] = value.text or ""
    speech = _number(values.get(PROPERTY_NAMES["speech"]))
    if speech is None:
        return None
    return Origin(
        speech=speech,
        snapshot=_number(values.get(PROPERTY_NAMES["snapshot"])),
        stamp=values.get(PROPERTY_NAMES["stamp"], "")[:64],
        changes_author=values.get(PROPERTY_NAMES["changes_author"], "")[:255],
        changes_date=values.get(PROPERTY_NAMES["changes_date"], "")[:64],
    )
