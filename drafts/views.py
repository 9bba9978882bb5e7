"""Views: thin functions over access helpers, forms and the domain modules.

The editing page is made of units (the header, each text, each item) that save in place
with htmx; every unit also works as a plain form post that reloads the page.
"""

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from . import speech_json
from .access import (
    get_item_for_editor,
    get_part_for_editor,
    get_speech_for_editor,
    get_speech_for_reader,
    readable_speeches,
    with_structure,
)
from .assembly import assemble, plain_text
from .downloads import content_disposition, speech_filename
from .forms import ItemForm, SpeechCreateForm, SpeechHeaderForm, TextForm
from .lengths import measure
from .models import Item, Part, Speech, compare_and_set
from .placeholders import find_in_speech
from .structure import blank_speech

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
    saved: bool = False
    conflict_text: str | None = None
    context: dict = field(default_factory=dict)


# --- The list and creating speeches


@login_required
def speech_list(request):
    speeches = with_structure(readable_speeches(request.user).select_related("updated_by"))
    rows = [
        {"speech": speech, "lengths": measure(assemble(speech.as_structure()), speech.pace)}
        for speech in speeches
    ]
    return render(request, "drafts/speech_list.html", {"rows": rows})


@login_required
def speech_create(request):
    form = SpeechCreateForm(request.POST or None, sources=readable_speeches(request.user))
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "drafts/speech_create.html", {"form": form}, status=422)
        data = blank_speech()
        if form.cleaned_data["start"] == SpeechCreateForm.START_COPY:
            source = form.cleaned_data["source"]
            data = get_speech_for_reader(request, source.pk, structure=True).as_structure()
        data.title = form.cleaned_data["title"]
        speech = Speech.create_from_structure(data, request.user)
        messages.success(request, "讲话稿已创建。")
        return redirect("drafts:speech-edit", pk=speech.pk)
    return render(request, "drafts/speech_create.html", {"form": form})


@login_required
@require_POST
def speech_delete(request, pk):
    speech = get_speech_for_editor(request, pk)
    title = speech.display_title
    speech.delete()
    messages.success(request, f"已删除《{title}》。")
    return redirect("drafts:speech-list")


# --- The editing page


@login_required
def speech_edit(request, pk):
    speech = get_speech_for_editor(request, pk, structure=True)
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
    context.update(sidebar_context(speech))
    return context


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


def sidebar_context(speech: Speech) -> dict:
    data = speech.as_structure()
    paragraphs = assemble(data)
    return {
        "lengths": measure(paragraphs, speech.pace),
        "placeholders": find_in_speech(data),
    }


def header_unit(speech: Speech, data=None) -> Unit:
    action = reverse("drafts:speech-header-edit", args=[speech.pk])
    form = SpeechHeaderForm(
        data, instance=speech, initial={"version": speech.version}, action=action
    )
    return Unit("header", "drafts/partials/unit_header.html", form)


def text_unit(speech: Speech, name: str, data=None) -> Unit:
    action = reverse("drafts:speech-text-edit", args=[speech.pk, name])
    initial = {
        "text": getattr(speech, name),
        "version": getattr(speech, Speech.TEXT_VERSIONS[name]),
    }
    label = Speech._meta.get_field(name).verbose_name
    form = TextForm(data, initial=initial, action=action, label=label, rows=5)
    return Unit(f"text-{name}", "drafts/partials/unit_text.html", form)


def part_text_unit(part: Part, name: str, data=None) -> Unit:
    action = reverse("drafts:part-text-edit", args=[part.pk, name])
    label = f"{part.number}{Part._meta.get_field(name).verbose_name}"
    rows = 1 if name == "heading" else 3
    initial = {"text": getattr(part, name), "version": part.version}
    form = TextForm(data, initial=initial, action=action, label=label, rows=rows)
    return Unit(f"part-{part.pk}-{name}", "drafts/partials/unit_text.html", form)


def item_unit(item: Item, data=None, last: int | None = None) -> Unit:
    """An item's unit; ``last`` (the number of its siblings) disables moving past the end."""
    if last is None:
        last = item.siblings().count()
    action = reverse("drafts:item-edit", args=[item.pk])
    form = ItemForm(data, instance=item, initial={"version": item.version}, action=action)
    context = {"item": item, "last": last}
    return Unit(f"item-{item.pk}", "drafts/partials/item.html", form, context=context)


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
        unit = make_unit(None)
        unit.saved = True
        return unit_response(request, speech_pk, unit)
    # The user's text stays in the form and the version moves on, so saving again is a
    # deliberate choice made while looking at the current text.
    data = request.POST.copy()
    data["version"] = getattr(instance, version_field)
    unit = make_unit(data)
    unit.form.is_valid()
    unit.form.add_error(None, CONFLICT_MESSAGE)
    unit.conflict_text = "\n".join(
        str(getattr(instance, name)) for name in changes(unit.form.cleaned_data)
    )
    return unit_response(request, speech_pk, unit, status=409)


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
    item.remove()
    return item_list_response(request, part, kind)


# --- Reading and downloading


@login_required
def speech_preview(request, pk):
    speech = get_speech_for_reader(request, pk, structure=True)
    data = speech.as_structure()
    paragraphs = assemble(data)
    context = {
        "speech": speech,
        "paragraphs": paragraphs,
        "lengths": measure(paragraphs, speech.pace),
        "placeholders": find_in_speech(data),
    }
    return render(request, "drafts/speech_preview.html", context)


@login_required
def speech_export_txt(request, pk):
    speech = get_speech_for_reader(request, pk, structure=True)
    text = plain_text(assemble(speech.as_structure()))
    return download(text.encode("utf-8"), "text/plain; charset=utf-8", speech, "txt")


@login_required
def speech_export_json(request, pk):
    speech = get_speech_for_reader(request, pk, structure=True)
    text = speech_json.dumps(speech.as_structure())
    return download(text.encode("utf-8"), "application/json; charset=utf-8", speech, "json")


def download(content: bytes, content_type: str, speech: Speech, extension: str, suffix=""):
    response = HttpResponse(content, content_type=content_type)
    filename = speech_filename(speech.title, extension, suffix)
    response["Content-Disposition"] = content_disposition(filename)
    return response
