"""What the editing page and the preview show, built from the stored speech: their
contexts, each editable unit with its form, and the item list that htmx swaps in after
an add, a move or a delete. Views call these; they never import each other.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html

from . import passages, proofreading_marks, workflow
from .access import can_edit, get_speech_for_editor, roles_of
from .assembly import assemble
from .forms import ActionForm, ItemForm, SpeechHeaderForm, TextForm
from .lengths import measure
from .models import IgnoredFinding, Item, Part, Speech, WordingRule, text_limit
from .placeholders import find_in_speech
from .proofreading import PLACEHOLDER, Finding, check_speech
from .structure import text_fields
from .templatetags.speech_text import element_id


@dataclass
class UnitView:
    """One editable unit as the editing page shows it: its DOM id, template, form and
    the outcome of its last save (``conflicts``: ``ConflictView`` per field)."""

    key: str
    template: str
    form: object
    anchor: str
    label: str
    rebuild: Callable[[object], "UnitView"]  # the same unit with its form bound to data
    conflicts: list = field(default_factory=list)
    context: dict = field(default_factory=dict)
    comments: list = field(default_factory=list)
    # Proofreading (issue 15): each form field's address in the speech
    # (``{"lead": "item:<id>/lead"}``) and, once the page has them, its findings.
    proof_fields: dict[str, str] = field(default_factory=dict)
    proof_findings: dict[str, list[dict]] = field(default_factory=dict)

    @property
    def comment_anchors(self) -> list[tuple[str, str]]:
        return [(self.anchor, self.label)]

    @property
    def text_column(self) -> str:
        """The column behind a text unit's one ``text`` box (``opening``, ``heading``),
        which a comment on a passage of it names; "" for units whose boxes are named
        after their columns (the header, an item)."""
        return self.anchor.rsplit(".", 1)[-1] if self.template.endswith("unit_text.html") else ""

    def proof_json(self) -> str:
        """What proofreading.js reads from the unit's ``data-proof``."""
        return json.dumps(
            {"fields": self.proof_fields, "findings": self.proof_findings}, ensure_ascii=False
        )

    def take_proof(self, proof: "Proof") -> None:
        """The findings of this unit's fields, as the page's script shows them."""
        for name, address in self.proof_fields.items():
            text = proof.texts.get(address, "")
            found = proof.by_address.get(address, [])
            self.proof_findings[name] = proofreading_marks.for_script(found, text, proof.ignored)

    def rebound(self, data) -> "UnitView":
        return self.rebuild(data)


def editor_context(speech: Speech, replaced: UnitView | None = None) -> dict:
    """Everything the editing page shows; ``replaced`` stands in for its own unit."""
    units = [header_unit(speech), text_unit(speech, "opening")]
    parts = []
    for part in speech.parts.all():
        blocks = []
        for name in Part.LAYOUT[part.kind]:
            if name in Part.TEXT_FIELDS:
                blocks.append(part_text_unit(part, name))
            else:
                blocks.append(item_list_context(part, name, part.items_of(name)))
        parts.append({"part": part, "blocks": blocks})
    closing = text_unit(speech, "closing")
    units.append(closing)
    context = {"speech": speech, "header": units[0], "opening": units[1], "parts": parts}
    context["closing"] = closing
    if replaced is not None:
        _replace_unit(context, replaced)
    if speech.status == Speech.Status.RETURNED:
        # The reviewer's reason, where the drafter does the work it asks for.
        context["last_return"] = (
            speech.transitions.filter(action="return").select_related("actor").last()
        )
    threads = speech.comments.threads_by_anchor()
    data = speech.as_structure()
    proof = proofread(speech, data)
    for unit in _all_units(context):
        unit.comments = threads.get(unit.anchor, [])
        unit.take_proof(proof)
    context.update(sidebar_context(speech, data, proof=proof))
    context["proof_urls"] = proof_urls(speech)
    return context


@dataclass
class Proof:
    """The stored speech proofread with the house list: its findings, the keys ignored
    in it (忽略), and each field's text by address."""

    findings: list[Finding]
    ignored: set[str]
    texts: dict[str, str]

    @property
    def counts(self) -> proofreading_marks.Counts:
        return proofreading_marks.counts(self.findings, self.ignored)

    @property
    def shown(self) -> list[Finding]:
        return proofreading_marks.shown(self.findings, self.ignored)

    @property
    def placeholders(self) -> int:
        """How many of the errors are placeholders (listed in their own card too)."""
        return sum(1 for finding in self.shown if finding.code == PLACEHOLDER)

    @property
    def listed(self) -> list[Finding]:
        """What the preview lists beside the text: placeholders have their own list."""
        return [finding for finding in self.shown if finding.code != PLACEHOLDER]

    @property
    def by_address(self) -> dict[str, list[Finding]]:
        return proofreading_marks.by_address(self.findings)


def proofread(speech: Speech, data=None, only: set[str] | None = None) -> Proof:
    """The findings of the stored speech (``data``, its structure, when the caller has
    it), with what was ignored in it; ``only`` those of these field addresses."""
    data = speech.as_structure() if data is None else data
    findings = check_speech(data, WordingRule.objects.entries(), only=only)
    texts = {f"{f.anchor}/{f.name}": f.text for f in text_fields(data)}
    return Proof(findings, IgnoredFinding.objects.keys_of(speech.pk), texts)


def proof_urls(speech: Speech) -> dict[str, str]:
    """Where the editing page's script checks a field and ignores a finding."""
    return {
        "check": reverse("drafts:speech-proof-check", args=[speech.pk]),
        "ignore": reverse("drafts:speech-proof-ignore", args=[speech.pk]),
    }


def _all_units(context: dict):
    yield context["header"]
    yield context["opening"]
    for part in context["parts"]:
        for block in part["blocks"]:
            yield from block["units"] if isinstance(block, dict) else [block]
    yield context["closing"]


def _replace_unit(context: dict, replaced: UnitView) -> None:
    for key in ("header", "opening", "closing"):
        if context[key].key == replaced.key:
            context[key] = replaced
    for part in context["parts"]:
        for index, block in enumerate(part["blocks"]):
            if isinstance(block, UnitView) and block.key == replaced.key:
                part["blocks"][index] = replaced
            elif isinstance(block, dict):
                block["units"] = [
                    replaced if unit.key == replaced.key else unit for unit in block["units"]
                ]


def sidebar_context(
    speech: Speech, data=None, paragraphs=None, proof=None, *, live_proof: bool = False
) -> dict:
    """The sidebar's lengths, placeholders and proofreading counts; ``data``,
    ``paragraphs`` (the speech as structure and as assembled) and ``proof`` when the
    caller has them already. ``live_proof``: the sidebar goes into an editing page,
    whose script counts the findings of every field (proofreading.js), so none are
    counted here: a whole check of a long speech would slow every save."""
    data = speech.as_structure() if data is None else data
    paragraphs = assemble(data) if paragraphs is None else paragraphs
    if proof is None and not live_proof:
        proof = proofread(speech, data)
    return {
        "lengths": measure(paragraphs, speech.pace),
        "placeholders": find_in_speech(data),
        "proof": proof,
    }


def header_unit(speech: Speech, data=None) -> UnitView:
    action = reverse("drafts:speech-header-edit", args=[speech.pk])
    # Field ids carry the unit's key: many units share field names on one page.
    form = SpeechHeaderForm(
        data,
        instance=speech,
        initial={"version": speech.version},
        action=action,
        auto_id="header-%s",
    )
    template = "drafts/partials/unit_header.html"
    unit = UnitView(
        "header", template, form, "header", "标题与会议信息", partial(header_unit, speech)
    )
    unit.proof_fields = {name: f"header/{name}" for name in HEADER_TEXTS}
    return unit


# The header's fields that hold text (the date, the pace and the slot are checked by
# their form).
HEADER_TEXTS = ("title", "occasion", "organization", "speaker", "salutation")


def text_unit(speech: Speech, name: str, data=None) -> UnitView:
    action = reverse("drafts:speech-text-edit", args=[speech.pk, name])
    initial = {
        "text": getattr(speech, name),
        "version": getattr(speech, Speech.TEXT_VERSIONS[name]),
    }
    label = Speech._meta.get_field(name).verbose_name
    key = f"text-{name}"
    form = TextForm(
        data,
        initial=initial,
        action=action,
        label=label,
        limit=text_limit(Speech, name),
        rows=5,
        auto_id=f"{key}-%s",
    )
    rebuild = partial(text_unit, speech, name)
    unit = UnitView(key, "drafts/partials/unit_text.html", form, name, label, rebuild)
    unit.proof_fields = {"text": f"{name}/{name}"}
    return unit


def part_text_unit(part: Part, name: str, data=None) -> UnitView:
    action = reverse("drafts:part-text-edit", args=[part.pk, name])
    label = f"{part.number}{Part._meta.get_field(name).verbose_name}"
    rows = 1 if name == "heading" else 3
    initial = {"text": getattr(part, name), "version": part.version}
    key = f"part-{part.pk}-{name}"
    form = TextForm(
        data,
        initial=initial,
        action=action,
        label=label,
        limit=text_limit(Part, name),
        rows=rows,
        auto_id=f"{key}-%s",
        numbered=name == "heading",
    )
    template = "drafts/partials/unit_text.html"
    rebuild = partial(part_text_unit, part, name)
    unit = UnitView(key, template, form, part.anchor(name), label, rebuild)
    unit.proof_fields = {"text": f"{part.anchor(name)}/{name}"}
    return unit


def item_unit(item: Item, data=None, last: int | None = None, label: str | None = None) -> UnitView:
    """An item's unit; ``last`` (the number of its siblings) disables moving past the end,
    ``label`` is its number when the caller numbered the whole list (else it is read)."""
    if last is None:
        last = item.siblings().count()
    if label is None:
        label = item.label
    action = reverse("drafts:item-edit", args=[item.pk])
    form = ItemForm(
        data,
        instance=item,
        initial={"version": item.version},
        action=action,
        auto_id=f"item-{item.pk}-%s",
    )
    # Named by the one numbering rule: an empty item is 成绩（未填写，不编号）.
    name = f"{item.get_kind_display()}{label}"
    context = {"item": item, "last": last, "empty": not item.has_text}
    template = "drafts/partials/item.html"
    rebuild = partial(item_unit, item, last=last)
    key = f"item-{item.pk}"
    unit = UnitView(key, template, form, item.anchor, name, rebuild, context=context)
    # An inline item's one text is ``body`` on the form and ``text`` in the speech.
    names = {"lead": "lead", "body": "body"} if item.has_lead else {"body": "text"}
    unit.proof_fields = {name: f"{item.anchor}/{field}" for name, field in names.items()}
    return unit


def item_list_context(part: Part, kind: str, items) -> dict:
    items = list(items)
    labels = Item.labels_of(items)
    return {
        "key": f"items-{part.pk}-{kind}",
        "part": part,
        "kind": kind,
        "kind_label": Item.Kind(kind).label,
        "units": [
            item_unit(item, last=len(items), label=label)
            for item, label in zip(items, labels, strict=True)
        ],
    }


def item_list_response(request, part: Part, kind: str, focus: Item | None = None, trashed=None):
    """After adding, moving or deleting: the renumbered list (and sidebar), or a redirect.
    ``trashed``, the trash entry of an item just deleted, puts its 撤销 in the list."""
    Speech.touch(part.speech_id, request.user)
    if not request.htmx:
        anchor = f"item-{focus.pk}" if focus else f"items-{part.pk}-{kind}"
        return redirect(reverse("drafts:speech-edit", args=[part.speech_id]) + f"#{anchor}")
    return item_list_fragment(request, part, kind, trashed=trashed)


def item_list_fragment(
    request, part: Part, kind: str, *, trashed=None, refusal: str = "", status: int = 200
):
    """The list as it stands now (and the sidebar): with the 撤销 of ``trashed``, the
    trash entry of an item just deleted, or ``refusal`` above it if any."""
    speech = get_speech_for_editor(request, part.speech_id, structure=True)
    part = next(p for p in speech.parts.all() if p.pk == part.pk)
    block = item_list_context(part, kind, part.items_of(kind))
    block.update(trashed=trashed, refusal=refusal)
    # The swapped list shows its items' comments and findings, as the page does (a
    # restored item's too).
    threads = speech.comments.threads_by_anchor()
    data = speech.as_structure()
    # Only the list's fields are checked: the page's script has the others' findings.
    proof = proofread(
        speech, data, only={a for u in block["units"] for a in u.proof_fields.values()}
    )
    for unit in block["units"]:
        unit.comments = threads.get(unit.anchor, [])
        unit.take_proof(proof)
    sidebar = sidebar_context(speech, data, live_proof=True)
    context = {"block": block, "speech": speech, "oob": True, **sidebar}
    return render(request, "drafts/partials/item_list_response.html", context, status=status)


def trashed_message(done: str, speech_id: int | None = None):
    """“已删除…，已移入回收站，30 天内可恢复。” and a link to the trash, where it is
    restored (to this speech's part of it when ``speech_id`` is given)."""
    url = reverse("drafts:trash") + (f"?speech={speech_id}" if speech_id else "")
    return format_html(
        '{}，已移入回收站，{} 天内可恢复。<a href="{}">打开回收站</a>',
        done,
        settings.TRASH_DAYS,
        url,
    )


def edit_link_base(user, speech: Speech) -> str:
    """Links to a place in the speech lead to the editing page, for those who may edit."""
    return reverse("drafts:speech-edit", args=[speech.pk]) if can_edit(user, speech) else ""


def preview_context(request, speech: Speech, failed_action=None, comment_draft=None) -> dict:
    """The preview page: the speech as read, comments beside each paragraph, and the
    review actions open to this user. ``speech`` comes with its structure;
    ``failed_action`` is (name, bound form) and ``comment_draft`` (anchor, text) a
    refused comment, to show back as typed."""
    link_base = edit_link_base(request.user, speech)
    data = speech.as_structure()
    paragraphs = assemble(data)
    proof = proofread(speech, data)
    threads = speech.comments.threads_by_anchor()
    labels = {field.anchor: field.unit_label for field in text_fields(data)}
    # A unit that makes several paragraphs (the header: title, speaker, date) has its
    # comments and its comment form beside the first of them only; the first paragraph
    # of each unit and section also carries the id the editing page gives it, so the
    # sidebar's links work here for those who may not edit.
    # Where each field reads, for the marks of passage comments and for selecting a
    # passage to comment on (passages.js reads each paragraph's data-pieces).
    pieces = passages.place(data, paragraphs)
    marks = passage_marks(data, pieces, threads)
    pieces_of: dict[int, list] = {}
    for piece in pieces:
        pieces_of.setdefault(piece.paragraph, []).append(piece)
    # Each paragraph's runs cut where a finding (校对) or a comment's passage is.
    marked = proofreading_marks.mark_paragraphs(paragraphs, proof.shown, data, marks)
    rows, placed, targets = [], set(), set()
    for number, (paragraph, runs) in enumerate(zip(paragraphs, marked, strict=True)):
        anchors = [anchor for anchor in paragraph.sources if anchor not in placed]
        placed.update(anchors)
        ids = [element_id(paragraph.anchor, paragraph.item_id)]
        ids += [element_id(anchor) for anchor in paragraph.sources]
        ids = list(dict.fromkeys(id_ for id_ in ids if id_ not in targets))
        targets.update(ids)
        rows.append(
            {
                "paragraph": paragraph,
                "runs": runs,
                # [start, end, anchor, field, at] of each field's characters in it.
                "pieces": json.dumps(
                    [
                        [piece.start, piece.end, piece.anchor, piece.field, piece.at]
                        for piece in pieces_of.get(number, [])
                    ],
                    ensure_ascii=False,
                ),
                "threads": [t for anchor in anchors for t in threads.get(anchor, [])],
                "anchors": [(anchor, labels.get(anchor, "")) for anchor in anchors],
                "targets": ids,
            }
        )
    sidebar = sidebar_context(speech, data, paragraphs, proof)
    errors = proof.counts.errors
    actions = [
        (action, ActionForm(action=action, prefix=action.name, proof_errors=errors))
        for action in workflow.available_actions(speech.status, roles_of(request.user))
    ]
    if failed_action is not None:
        # The refused form comes back with its message and the note as typed, even when
        # the action is not one this user may take.
        name, bound = failed_action
        actions = [(action, form) for action, form in actions if action.name != name]
        if name in workflow.ACTIONS:
            actions.insert(0, (workflow.ACTIONS[name], bound))
    return {
        "speech": speech,
        "rows": rows,
        "can_comment": speech.status != Speech.Status.APPROVED,
        "next_url": reverse("drafts:speech-preview", args=[speech.pk]),
        "comment_draft": comment_draft,
        **sidebar,
        "placeholder_count": len(sidebar["placeholders"]),
        # The preview lists every finding beside the text for the reviewer.
        "proof_list": True,
        # The sidebar's links lead to the place to fill in on the editing page, or for
        # those who may not edit to the paragraph on this page.
        "sidebar_link_base": link_base,
        "actions": actions,
        "timeline": speech.transitions.select_related("actor"),
        "can_edit": bool(link_base),
    }


def passage_marks(data, pieces, threads) -> dict[int, list[tuple[int, int, object]]]:
    """The open comments on a passage where their words read in the delivered text:
    (start, end, comment) by paragraph number. ``data`` is the speech as structure,
    ``pieces`` its ``passages.place``, ``threads`` its comments by anchor."""
    texts = passages.field_texts(data)
    marks: dict[int, list] = {}
    for comment in (comment for thread in threads.values() for comment in thread):
        text = texts.get((comment.anchor, comment.field))
        if not comment.is_open or comment.passage is None or text is None:
            continue
        # Where the comment says, or (reopened after edits it did not follow) nearest.
        found = passages.confirm(text, comment.quote, comment.start)
        if found is None:
            continue
        for number, start, end in passages.in_paragraphs(
            pieces, comment.anchor, comment.field, found.start, found.end
        ):
            marks.setdefault(number, []).append((start, end, comment))
    return marks
