"""What the editing page and the preview show, built from the stored speech: their
contexts, each editable unit with its form, and the item list that htmx swaps in after
an add, a move or a delete. Views call these; they never import each other.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from . import marking, passages, proofreading_marks, todo, workflow
from .access import (
    SuggestionRights,
    can_edit,
    get_speech_for_editor,
    roles_of,
    suggestion_rights,
)
from .assembly import assemble
from .comparison import Allowance, diff_texts, fold
from .forms import ActionForm, ItemForm, SpeechHeaderForm, TextForm
from .lengths import measure
from .models import (
    IgnoredFinding,
    Item,
    Part,
    Speech,
    Suggestion,
    SuggestionReply,
    WordingRule,
    plain,
    text_limit,
)
from .placeholders import find_in_speech
from .proofreading import PLACEHOLDER, Finding, check_speech
from .structure import text_fields
from .suggestions import Rebased
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
    # The unit's fields a suggestion may change: form field name → stored column.
    columns: dict = field(default_factory=dict)
    suggestions: list = field(default_factory=list)  # ``SuggestionView``s, open ones
    # Proofreading (issue 15): each form field's address in the speech
    # (``{"lead": "item:<id>/lead"}``) and, once the page has them, its findings.
    proof_fields: dict[str, str] = field(default_factory=dict)
    proof_findings: dict[str, list[dict]] = field(default_factory=dict)

    @property
    def comment_anchors(self) -> list[tuple[str, str]]:
        return [(self.anchor, self.label)]

    @property
    def suggest_fields(self) -> list[tuple[str, str, str]]:
        """(column, label, text as loaded) of each field a suggestion may change."""
        form = self.form
        return [
            (column, str(form.fields[name].label or self.label), plain(form[name].value()))
            for name, column in self.columns.items()
        ]

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


def editor_context(speech: Speech, replaced: UnitView | None = None, *, user) -> dict:
    """Everything the editing page shows to ``user``; ``replaced`` stands in for its own
    unit. Those who may not change the text (a reviewer, a submitted speech) see it
    read-only, with 建议模式 where they may suggest."""
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
    rights = suggestion_rights(user, speech)
    editable = can_edit(user, speech)
    views = suggestion_views(open_suggestions(speech), data)
    proof = proofread(speech, data)
    for unit in _all_units(context):
        unit.comments = threads.get(unit.anchor, [])
        unit.suggestions = views.get(unit.anchor, [])
        unit.take_proof(proof)
        if not editable:
            read_only(unit)
    context.update(sidebar_context(speech, data, proof=proof))
    context["proof_urls"] = proof_urls(speech)
    context.update(
        can_edit=editable,
        read_only=not editable,
        rights=rights,
        suggestion_panel=suggestion_panel(views, rights),
        next_url=reverse("drafts:speech-edit", args=[speech.pk]),
    )
    return context


def read_only(unit: UnitView) -> None:
    """The unit shown to someone who may not save it: no 保存, boxes that take no typing
    (editor.js opens the ones a suggestion may change in 建议模式)."""
    unit.form.helper.inputs = []
    for bound in unit.form.fields.values():
        bound.widget.attrs["readonly"] = True


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
    def other_errors(self) -> int:
        """The errors that are not placeholders (those are counted and listed apart)."""
        return self.counts.errors - self.placeholders

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
    columns = columns_marked(form, {name: name for name in HEADER_TEXTS}, "header")
    unit = UnitView(
        "header",
        template,
        form,
        "header",
        "标题与会议信息",
        partial(header_unit, speech),
        columns=columns,
    )
    unit.proof_fields = {name: f"header/{name}" for name in HEADER_TEXTS}
    return unit


# The header's fields that hold text (the date, the pace and the slot are checked by
# their form; a suggestion proposes text, not those).
HEADER_TEXTS = ("title", "occasion", "organization", "speaker", "salutation")


def columns_marked(form, columns: dict[str, str], anchor: str) -> dict[str, str]:
    """``columns``, each box marked with its unit's stable address and the column it
    stores, which editor.js sends when the box's change is a suggestion."""
    for name, column in columns.items():
        form.fields[name].widget.attrs.update({"data-anchor": anchor, "data-column": column})
    return columns


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
    columns = columns_marked(form, {"text": name}, name)
    template = "drafts/partials/unit_text.html"
    unit = UnitView(key, template, form, name, label, rebuild, columns=columns)
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
    columns = columns_marked(form, {"text": name}, part.anchor(name))
    unit = UnitView(key, template, form, part.anchor(name), label, rebuild, columns=columns)
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
    columns = {column: column for column in item.text_fields()}
    columns = columns_marked(form, columns, item.anchor)
    unit = UnitView(
        key, template, form, item.anchor, name, rebuild, context=context, columns=columns
    )
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
    # The swapped list shows its items' comments, suggestions and findings, as the page
    # does (a restored item's too).
    threads = speech.comments.threads_by_anchor()
    data = speech.as_structure()
    views = suggestion_views(open_suggestions(speech), data)
    # Only the list's fields are checked: the page's script has the others' findings.
    proof = proofread(
        speech, data, only={a for u in block["units"] for a in u.proof_fields.values()}
    )
    for unit in block["units"]:
        unit.comments = threads.get(unit.anchor, [])
        unit.suggestions = views.get(unit.anchor, [])
        unit.take_proof(proof)
    sidebar = sidebar_context(speech, data, live_proof=True)
    context = {"block": block, "speech": speech, "oob": True, **sidebar}
    context["rights"] = suggestion_rights(request.user, speech)
    context["next_url"] = reverse("drafts:speech-edit", args=[speech.pk])
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
    # Where each field reads, for the marks of passage comments and for selecting a
    # passage to comment on (passages.js reads each paragraph's data-pieces).
    pieces = passages.place(data, paragraphs)
    marks = passage_marks(data, pieces, threads)
    pieces_of: dict[int, list] = {}
    for piece in pieces:
        pieces_of.setdefault(piece.paragraph, []).append(piece)
    # Each paragraph's runs cut where a finding (校对) or a comment's passage is.
    runs_of = proofreading_marks.mark_paragraphs(paragraphs, proof.shown, data, marks)
    # The open suggestions marked in the text (a paragraph they mark shows their
    # insertions and deletions instead of its findings, until they are decided).
    suggestions = open_suggestions(speech)
    marked, views, inline = preview_suggestions(speech, data, paragraphs, suggestions)
    by_pk = {s.pk: s for s in suggestions}
    # A unit that makes several paragraphs (the header: title, speaker, date) has its
    # comments and its comment form beside the first of them only; the first paragraph
    # of each unit and section also carries the id the editing page gives it, so the
    # sidebar's links work here for those who may not edit. Its suggestions go there
    # too, or beside the paragraph a suggestion adds to a field that is empty now.
    rows, placed, targets, listed = [], set(), set(), set()
    number = -1
    for row in marked.rows:
        paragraph = row.paragraph
        fresh = [anchor for anchor in paragraph.sources if anchor not in listed]
        listed.update(fresh)
        entry = {
            "paragraph": paragraph,
            "marks": preview_marks(row.marks, by_pk) if row.marks else None,
            "new": row.new,
            "suggestions": [
                (view, view.suggestion.pk in inline)
                for anchor in fresh
                for view in views.get(anchor, [])
            ],
            "runs": [],
            "pieces": "[]",
            "threads": [],
            "anchors": [],
            "targets": [],
        }
        rows.append(entry)
        if row.new:
            continue
        number += 1  # the rows not new are the paragraphs, in order
        anchors = [anchor for anchor in paragraph.sources if anchor not in placed]
        placed.update(anchors)
        ids = [element_id(paragraph.anchor, paragraph.item_id)]
        ids += [element_id(anchor) for anchor in paragraph.sources]
        ids = list(dict.fromkeys(id_ for id_ in ids if id_ not in targets))
        targets.update(ids)
        entry["runs"] = runs_of[number]
        # [start, end, anchor, field, at] of each field's characters in it.
        entry["pieces"] = json.dumps(
            [
                [piece.start, piece.end, piece.anchor, piece.field, piece.at]
                for piece in pieces_of.get(number, [])
            ],
            ensure_ascii=False,
        )
        entry["threads"] = [t for anchor in anchors for t in threads.get(anchor, [])]
        entry["anchors"] = [(anchor, labels.get(anchor, "")) for anchor in anchors]
        entry["targets"] = ids
    # Suggestions on a field that makes no paragraph now and would make none (a stale
    # one on a field emptied since): listed after the speech.
    unlisted = [
        (view, False) for anchor, unit in views.items() if anchor not in listed for view in unit
    ]
    sidebar = sidebar_context(speech, data, paragraphs, proof)
    errors = proof.counts.errors
    waiting = sum(len(unit) for unit in views.values())
    rights = suggestion_rights(request.user, speech)
    actions = [
        (
            action,
            ActionForm(
                action=action,
                prefix=action.name,
                proof_errors=errors,
                placeholders=proof.placeholders,
                open_suggestions=waiting,
            ),
        )
        for action in workflow.available_actions(speech.status, roles_of(request.user))
    ]
    if failed_action is not None:
        # The refused form comes back with its message and the note as typed, even when
        # the action is not one this user may take.
        name, bound = failed_action
        actions = [(action, form) for action, form in actions if action.name != name]
        if name in workflow.ACTIONS:
            actions.insert(0, (workflow.ACTIONS[name], bound))
    # The warnings of what is left to fix advise the step they are for: 提交审核 or
    # 审定通过 (not 撤回提交 or 重新打开, which leave the text as it is).
    names = {action.name for action, _ in actions}
    advice = next((name for name in ("submit", "approve") if name in names), "")
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
        "advice": advice,
        "timeline": speech.transitions.select_related("actor"),
        "can_edit": bool(link_base),
        "rights": rights,
        "suggestion_count": waiting,
        "unlisted_suggestions": unlisted,
        "suggestion_panel": suggestion_panel(views, rights),
    }


def preview_marks(marks, suggestions: dict) -> list[dict]:
    """The marks of one paragraph as the preview shows them: who suggests each change."""
    shown = []
    for mark in marks:
        suggestion = suggestions.get(mark.by)
        title = ""
        if suggestion is not None:
            verb = "建议增加" if mark.op == 1 else "建议删除"
            when = timezone.localtime(suggestion.created_at)
            title = f"{suggestion.author_label} {verb}（{when:%m-%d %H:%M}）"
        shown.append({"op": mark.op, "text": mark.text, "role": mark.role, "title": title})
    return shown


# --- Suggestions (修改建议) as the pages show them


@dataclass(frozen=True)
class SuggestionView:
    """An open suggestion against its field as it is now: ``rebased`` holds the inline
    changes (or says it is 已过期, then ``current`` and the proposal are shown both)."""

    suggestion: Suggestion
    field_name: str  # the field's box in its unit (领句, 正文, 会议名称, 开场白, 内容)
    current: str
    rebased: Rebased

    @property
    def stale(self) -> bool:
        return self.rebased.stale

    @property
    def shown(self) -> list[tuple[int, str, bool]]:
        """The inline changes, long unchanged stretches folded (``comparison.fold``)."""
        return fold(tuple(self.rebased.ops))


def open_suggestions(speech: Speech) -> list[Suggestion]:
    """The speech's open suggestions, oldest first, with authors and replies (two queries)."""
    replies = SuggestionReply.objects.select_related("author")
    return list(
        speech.suggestions.open()
        .select_related("author")
        .prefetch_related(Prefetch("replies", queryset=replies))
    )


def current_texts(data) -> dict[tuple[str, str], str]:
    """Every text of the speech by (unit anchor, stored column)."""
    texts = {}
    for text_field in text_fields(data):
        column = "body" if text_field.name == "text" else text_field.name
        texts[(text_field.anchor, column)] = text_field.text
    return texts


FIELD_NAMES = {"lead": "领句", "body": "正文"}


def field_name(anchor: str, column: str, has_lead: bool) -> str:
    """What the editor's box of a stored column is labelled, named on every suggestion's
    card alike (a unit of one box too): 会议名称, 开场白, 引言; an item's 领句 or 正文
    (``has_lead``), or the 内容 of a lesson or a shortcoming.

    >>> field_name("opening", "opening", False), field_name("part_one.intro", "intro", False)
    ('开场白', '引言')
    >>> field_name("item:a", "body", True), field_name("item:b", "body", False)
    ('正文', '内容')
    """
    if anchor.startswith("item:"):
        return FIELD_NAMES[column] if has_lead else "内容"
    model = Speech if anchor == "header" or anchor in Speech.TEXT_VERSIONS else Part
    return str(model._meta.get_field(column).verbose_name)


def suggestion_views(suggestions, data) -> dict[str, list[SuggestionView]]:
    """The suggestions by the anchor of their unit, each against its field's text now;
    those of a unit deleted since are left out (nowhere to show or accept them)."""
    texts = current_texts(data)
    lead_items = {
        f"item:{item.id}"
        for part, name in (("part_one", "achievements"), ("part_two", "measures"))
        for item in getattr(getattr(data, part), name)
    }
    views: dict[str, list[SuggestionView]] = {}
    for suggestion in suggestions:
        current = texts.get((suggestion.anchor, suggestion.field))
        if current is None:
            continue
        name = field_name(suggestion.anchor, suggestion.field, suggestion.anchor in lead_items)
        view = SuggestionView(suggestion, name, current, suggestion.rebased(current))
        views.setdefault(suggestion.anchor, []).append(view)
    return views


@dataclass(frozen=True)
class AuthorCount:
    key: str
    label: str
    count: int
    stale: int


def suggestion_panel(views: dict[str, list[SuggestionView]], rights: SuggestionRights) -> dict:
    """The sidebar's list of open suggestions, with their number per author (全部接受)."""
    every = [view for unit in views.values() for view in unit]
    every.sort(key=lambda view: (view.suggestion.created_at, view.suggestion.pk))
    authors: dict[str, list[SuggestionView]] = {}
    for view in every:
        authors.setdefault(view.suggestion.author_key, []).append(view)
    counts = [
        AuthorCount(key, views[0].suggestion.author_label, len(views), sum(v.stale for v in views))
        for key, views in authors.items()
    ]
    return {"suggestions": every, "authors": counts, "rights": rights}


def unit_key(speech: Speech, anchor: str) -> str | None:
    """The id of the unit ``anchor`` on the editing page (``UnitView.key``)."""
    if anchor == "header":
        return "header"
    if anchor in Speech.TEXT_VERSIONS:
        return f"text-{anchor}"
    if anchor.startswith("item:"):
        return f"item-{anchor.removeprefix('item:')}"
    section, _, name = anchor.partition(".")
    for part in speech.parts.all():
        if part.section == section and name in part.text_fields():
            return f"part-{part.pk}-{name}"
    return None


def unit_of(speech: Speech, anchor: str) -> UnitView | None:
    """The unit ``anchor`` as the editing page builds it (``speech`` with its structure)."""
    if anchor == "header":
        return header_unit(speech)
    if anchor in Speech.TEXT_VERSIONS:
        return text_unit(speech, anchor)
    if anchor.startswith("item:"):
        item_id = anchor.removeprefix("item:")
        for part in speech.parts.all():
            for item in part.items.all():
                if str(item.pk) == item_id:
                    item.part = part
                    return item_unit(item)
        return None
    section, _, name = anchor.partition(".")
    for part in speech.parts.all():
        if part.section == section and name in part.text_fields():
            return part_text_unit(part, name)
    return None


def suggestion_answer(request, speech_pk: int, anchors, *, refresh: bool = False) -> dict:
    """The JSON answer to a suggestion's proposal or decision: per unit touched, its
    suggestions as the page shows them, and the sidebar's suggestion panel. After an
    accept (``refresh``) each unit's texts as stored, by form field, and its version,
    with the item names and the sidebar, as the answer to a save has them. ``todo``: the
    menu's 我的待办 badge as it is now, which the step may have changed."""
    speech = Speech.objects.with_structure().get(pk=speech_pk)
    data = speech.as_structure()
    rights = suggestion_rights(request.user, speech)
    views = suggestion_views(open_suggestions(speech), data)
    next_url = reverse("drafts:speech-edit", args=[speech.pk])
    units = {}
    for anchor in dict.fromkeys(anchors):
        unit = unit_of(speech, anchor)
        if unit is None:
            continue
        unit.suggestions = views.get(anchor, [])
        context = {"unit": unit, "speech": speech, "rights": rights, "next_url": next_url}
        entry = {"suggestions": render_to_string(SUGGESTIONS_TEMPLATE, context, request)}
        if refresh:
            form = unit.form
            entry["fields"] = {name: plain(form[name].value()) for name in unit.columns}
            entry["version"] = form.initial["version"]
        units[unit.key] = entry
    panel = {"speech": speech, "next_url": next_url, **suggestion_panel(views, rights)}
    answer = {
        "units": units,
        "panel": render_to_string(PANEL_TEMPLATE, panel, request),
        "todo": todo.badge(todo.count(request.user)),
    }
    if refresh:
        answer["labels"] = speech.item_names()
        sidebar = {"speech": speech, **sidebar_context(speech, data)}
        answer["sidebar"] = render_to_string("drafts/partials/sidebar.html", sidebar)
    return answer


SUGGESTIONS_TEMPLATE = "drafts/partials/unit_suggestions.html"
PANEL_TEMPLATE = "drafts/partials/suggestion_panel.html"


def preview_suggestions(speech: Speech, data, paragraphs, suggestions):
    """The preview's paragraphs with the open suggestions marked (``marking.Row``s), and
    the suggestions by anchor. Each suggestion that can be re-based is assembled into
    the speech on its own; one already in the text, or 已过期, is listed, not marked."""
    views = suggestion_views(suggestions, data)
    every = sorted(
        (view for unit in views.values() for view in unit),
        key=lambda view: (view.suggestion.created_at, view.suggestion.pk),
    )
    proposals = []
    for view in every:
        if view.stale or view.rebased.applied:
            continue
        suggestion = view.suggestion
        changed = marking.with_text(data, suggestion.anchor, suggestion.field, view.rebased.text)
        proposals.append((suggestion.pk, assemble(changed)))
    # One comparison's budget for the whole page (comparison.Allowance).
    marked = marking.mark(paragraphs, proposals, Allowance())
    return marked, views, set(marked.marked)


@dataclass(frozen=True)
class DecidedSuggestion:
    """A suggestion accepted, rejected or withdrawn, as the history lists it: its change
    from the text it was made on to the one it proposed."""

    suggestion: Suggestion
    shown: list  # (op, text, folded), as ``comparison.fold`` gives


HISTORY_SUGGESTIONS = 200


def decided_suggestions(speech: Speech) -> list[DecidedSuggestion]:
    """The speech's decided suggestions, latest first (the last ``HISTORY_SUGGESTIONS``),
    their differences within one comparison's budget."""
    decided = (
        speech.suggestions.exclude(status=Suggestion.Status.OPEN)
        .select_related("author", "decided_by")
        .order_by("-decided_at", "-pk")[:HISTORY_SUGGESTIONS]
    )
    allowance = Allowance()
    return [
        DecidedSuggestion(s, fold(tuple(diff_texts(s.base, s.proposed, allowance))))
        for s in decided
    ]


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
