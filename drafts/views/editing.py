"""The editing page: units (the header, each text, each item) that save in place.

Every unit saves with htmx and also works as a plain form post that reloads the page.
"""

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from .. import audit
from ..access import (
    check_can_edit,
    get_item_for_editor,
    get_part_for_editor,
    get_speech_for_editor,
    get_speech_for_reader,
)
from ..assembly import assemble
from ..comparison import diff_texts
from ..forms import ItemForm, SpeechHeaderForm, TextForm
from ..lengths import measure
from ..models import AuditEvent, Item, Part, Revision, Speech, compare_and_set
from ..placeholders import find_in_speech

CONFLICT_MESSAGE = (
    "保存冲突：您编辑期间，这段内容已被他人保存。您的文字仍在输入框中，"
    "请对照下方的最新内容修改后再次保存。"
)


@dataclass
class Unit:
    """One editable unit of the editing page: its DOM id, template, form and outcome."""

    key: str
    template: str
    form: object
    anchor: str
    label: str
    saved: bool = False
    conflict_text: str | None = None
    conflict_ops: tuple = ()
    context: dict = field(default_factory=dict)
    comments: list = field(default_factory=list)

    @property
    def comment_anchors(self) -> list[tuple[str, str]]:
        return [(self.anchor, self.label)]


# --- The editing page


@login_required
@require_safe
def speech_edit(request, pk):
    speech = get_speech_for_reader(request, pk, structure=True)
    try:
        check_can_edit(request.user, speech)
    except PermissionDenied as refusal:
        # Reviewers, and everyone once the speech is submitted or approved, read it.
        messages.info(request, str(refusal))
        return redirect("drafts:speech-preview", pk=pk)
    return render(request, "drafts/speech_edit.html", editor_context(speech))


def editor_context(speech: Speech, replaced: Unit | None = None) -> dict:
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
    for unit in _all_units(context):
        unit.comments = threads.get(unit.anchor, [])
    context.update(sidebar_context(speech))
    return context


def _all_units(context: dict):
    yield context["header"]
    yield context["opening"]
    for part in context["parts"]:
        for block in part["blocks"]:
            yield from block["units"] if isinstance(block, dict) else [block]
    yield context["closing"]


def _replace_unit(context: dict, replaced: Unit) -> None:
    for key in ("header", "opening", "closing"):
        if context[key].key == replaced.key:
            context[key] = replaced
    for part in context["parts"]:
        for index, block in enumerate(part["blocks"]):
            if isinstance(block, Unit) and block.key == replaced.key:
                part["blocks"][index] = replaced
            elif isinstance(block, dict):
                block["units"] = [
                    replaced if unit.key == replaced.key else unit for unit in block["units"]
                ]


def sidebar_context(speech: Speech, data=None, paragraphs=None) -> dict:
    """The sidebar's lengths and placeholders; ``data`` and ``paragraphs`` (the speech as
    structure and as assembled) when the caller has them already."""
    data = speech.as_structure() if data is None else data
    paragraphs = assemble(data) if paragraphs is None else paragraphs
    return {
        "lengths": measure(paragraphs, speech.pace),
        "placeholders": find_in_speech(data),
    }


def header_unit(speech: Speech, data=None) -> Unit:
    action = reverse("drafts:speech-header-edit", args=[speech.pk])
    # Field ids carry the unit's key: many units share field names on one page.
    form = SpeechHeaderForm(
        data,
        instance=speech,
        initial={"version": speech.version},
        action=action,
        auto_id="header-%s",
    )
    return Unit("header", "drafts/partials/unit_header.html", form, "header", "标题与会议信息")


def text_unit(speech: Speech, name: str, data=None) -> Unit:
    action = reverse("drafts:speech-text-edit", args=[speech.pk, name])
    initial = {
        "text": getattr(speech, name),
        "version": getattr(speech, Speech.TEXT_VERSIONS[name]),
    }
    label = Speech._meta.get_field(name).verbose_name
    key = f"text-{name}"
    form = TextForm(data, initial=initial, action=action, label=label, rows=5, auto_id=f"{key}-%s")
    return Unit(key, "drafts/partials/unit_text.html", form, name, label)


def part_text_unit(part: Part, name: str, data=None) -> Unit:
    action = reverse("drafts:part-text-edit", args=[part.pk, name])
    label = f"{part.number}{Part._meta.get_field(name).verbose_name}"
    rows = 1 if name == "heading" else 3
    initial = {"text": getattr(part, name), "version": part.version}
    key = f"part-{part.pk}-{name}"
    form = TextForm(
        data, initial=initial, action=action, label=label, rows=rows, auto_id=f"{key}-%s"
    )
    template = "drafts/partials/unit_text.html"
    return Unit(key, template, form, part.anchor(name), label)


def item_unit(item: Item, data=None, last: int | None = None) -> Unit:
    """An item's unit; ``last`` (the number of its siblings) disables moving past the end."""
    if last is None:
        last = item.siblings().count()
    action = reverse("drafts:item-edit", args=[item.pk])
    form = ItemForm(
        data,
        instance=item,
        initial={"version": item.version},
        action=action,
        auto_id=f"item-{item.pk}-%s",
    )
    context = {"item": item, "last": last}
    label = f"{item.get_kind_display()}{item.label}"
    template = "drafts/partials/item.html"
    return Unit(f"item-{item.pk}", template, form, item.anchor, label, context=context)


def item_list_context(part: Part, kind: str, items) -> dict:
    items = list(items)
    return {
        "key": f"items-{part.pk}-{kind}",
        "part": part,
        "kind": kind,
        "kind_label": Item.Kind(kind).label,
        "units": [item_unit(item, last=len(items)) for item in items],
    }


def unit_response(request, speech_pk: int, unit: Unit, status: int = 200):
    """After a save: the unit (and the sidebar) for htmx, else the page or a redirect."""
    speech = get_speech_for_editor(request, speech_pk, structure=True)
    if request.htmx:
        unit.comments = (
            speech.comments.filter(anchor=unit.anchor).threads_by_anchor().get(unit.anchor, [])
        )
        context = {"unit": unit, "speech": speech, "oob": True, **sidebar_context(speech)}
        return render(request, "drafts/partials/unit_response.html", context, status=status)
    if status == 200:
        return redirect(reverse("drafts:speech-edit", args=[speech_pk]) + f"#{unit.key}")
    return render(request, "drafts/speech_edit.html", editor_context(speech, unit), status=status)


def save_unit(
    request, speech_pk: int, make_unit, instance, *, version_field, changes, unchanged=None
):
    """The one shape of every save: validate, compare-and-set, answer.

    ``make_unit(data)`` builds the unit's form (bound to ``data``, or fresh from the
    stored instance when ``data`` is None); ``changes(cleaned_data)`` gives the fields
    to write and ``unchanged(form)`` the texts as the user loaded them. On a conflict
    nothing is written and the user's text is shown back beside the current text.
    """
    unit = make_unit(request.POST)
    if not unit.form.is_valid():
        return unit_response(request, speech_pk, unit, status=422)
    saved = compare_and_set(
        instance,
        version_field=version_field,
        version=unit.form.cleaned_data["version"],
        changes=changes(unit.form.cleaned_data),
        user=request.user,
        unchanged=unchanged(unit.form) if unchanged else None,
    )
    if saved:
        Speech.touch(speech_pk, request.user)
        Revision.objects.create(
            speech_id=speech_pk,
            anchor=unit.anchor,
            label=unit.label,
            fields=changes(unit.form.cleaned_data),
            author=request.user,
        )
        audit.record(
            request, AuditEvent.Action.EDIT, speech=instance_speech(instance), detail=unit.label
        )
        unit = make_unit(None)
        unit.saved = True
        return unit_response(request, speech_pk, unit)
    # The user's text stays in the form and the version moves on, so saving again is a
    # deliberate choice made while looking at the current text. The current text is read
    # before the form is validated again: a model form writes its data onto the instance.
    # The user's text comes through ``changes``: a text unit's field is "text", not the
    # column ("opening") it is saved to.
    wanted = changes(unit.form.cleaned_data)
    current = "\n".join(str(getattr(instance, name)) for name in wanted)
    mine = "\n".join(str(value) for value in wanted.values())
    data = request.POST.copy()
    data["version"] = getattr(instance, version_field)
    unit = make_unit(data)
    unit.form.is_valid()
    unit.form.add_error(None, CONFLICT_MESSAGE)
    unit.conflict_text = current
    unit.conflict_ops = tuple(diff_texts(current, mine))
    return unit_response(request, speech_pk, unit, status=409)


def instance_speech(instance) -> Speech:
    """The speech a saved row belongs to (the row itself, a part's or an item's)."""
    if isinstance(instance, Speech):
        return instance
    if isinstance(instance, Part):
        return instance.speech
    return instance.part.speech


# --- Saving the units


@login_required
@require_POST
def speech_header_edit(request, pk):
    speech = get_speech_for_editor(request, pk)
    return save_unit(
        request,
        pk,
        lambda data: header_unit(speech, data),
        speech,
        version_field="version",
        changes=lambda cleaned: {name: cleaned[name] for name in SpeechHeaderForm.Meta.fields},
    )


@login_required
@require_POST
def speech_text_edit(request, pk, name):
    if name not in Speech.TEXT_VERSIONS:
        raise Http404
    speech = get_speech_for_editor(request, pk)
    return save_unit(
        request,
        pk,
        lambda data: text_unit(speech, name, data),
        speech,
        version_field=Speech.TEXT_VERSIONS[name],
        changes=lambda cleaned: {name: cleaned["text"]},
    )


@login_required
@require_POST
def part_text_edit(request, pk, name):
    part = get_part_for_editor(request, pk)
    if name not in part.text_fields():
        raise Http404
    # The texts of a part share its version; a save still goes through when the
    # other user changed another text of the part and this one is as it was loaded.
    return save_unit(
        request,
        part.speech_id,
        lambda data: part_text_unit(part, name, data),
        part,
        version_field="version",
        changes=lambda cleaned: {name: cleaned["text"]},
        unchanged=lambda form: {name: form.initial["text"]},
    )


@login_required
@require_POST
def item_edit(request, pk):
    item = get_item_for_editor(request, pk)
    fields = ["lead", "body"] if item.has_lead else ["body"]
    return save_unit(
        request,
        item.part.speech_id,
        lambda data: item_unit(item, data),
        item,
        version_field="version",
        changes=lambda cleaned: {name: cleaned[name] for name in fields},
    )


# --- Adding, moving and deleting items: the list of that kind is renumbered


def item_list_response(request, part: Part, kind: str, focus: Item | None = None):
    """After adding, moving or deleting: the renumbered list (and sidebar), or a redirect."""
    Speech.touch(part.speech_id, request.user)
    if not request.htmx:
        anchor = f"item-{focus.pk}" if focus else f"items-{part.pk}-{kind}"
        return redirect(reverse("drafts:speech-edit", args=[part.speech_id]) + f"#{anchor}")
    speech = get_speech_for_editor(request, part.speech_id, structure=True)
    part = next(p for p in speech.parts.all() if p.pk == part.pk)
    context = {
        "block": item_list_context(part, kind, part.items_of(kind)),
        "speech": speech,
        "oob": True,
        **sidebar_context(speech),
    }
    return render(request, "drafts/partials/item_list_response.html", context)


@login_required
@require_POST
def item_add(request, pk, kind):
    part = get_part_for_editor(request, pk)
    if kind not in part.item_kinds():
        raise Http404
    after = None
    if request.POST.get("after"):
        after = get_item_for_editor(request, request.POST["after"])
    item = Item.insert(part, kind, after, request.user)
    audit.record(request, AuditEvent.Action.EDIT, speech=part.speech, detail=f"添加{item.label}")
    return item_list_response(request, part, kind, focus=item)


@login_required
@require_POST
def item_move(request, pk):
    item = get_item_for_editor(request, pk)
    direction = request.POST.get("direction")
    if direction == "up":
        item.move(-1)
    elif direction == "down":
        item.move(+1)
    elif (request.POST.get("position") or "").isdigit():
        item.move_to(int(request.POST["position"]))
    return item_list_response(request, item.part, item.kind, focus=item)


@login_required
@require_POST
def item_delete(request, pk):
    item = get_item_for_editor(request, pk)
    part, kind = item.part, item.kind
    item.remove(request.user)
    detail = f"删除{item.get_kind_display()}{item.label}"
    audit.record(request, AuditEvent.Action.DELETE, speech=part.speech, detail=detail)
    return item_list_response(request, part, kind)
