"""The editing page: units (the header, each text, each item) that save in place.

The save protocol: editor.js posts a unit's form with ``Accept: application/json``
and gets JSON back (``saved_answer``, ``refused``): every field as now stored, the
fields merged with a colleague's change, the conflicts with both texts, or the reason
a save was refused (403, 404, 422), in Chinese. Each field carries a hidden
``base_NAME``, the stored text it was loaded with, so ``Speech.save_unit`` decides
field by field. Without JavaScript the same forms post and the page reloads.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from .. import audit
from ..access import (
    can_edit,
    check_can_edit,
    get_item_for_editor,
    get_part_for_editor,
    get_speech_for_editor,
    may_read,
    roles_of,
    suggestion_rights,
    user_name,
)
from ..comparison import Allowance, diff_texts
from ..forms import (
    ItemAddForm,
    ItemForm,
    ItemMoveForm,
    SpeechHeaderForm,
    bases_of,
)
from ..middleware import wants_json
from ..models import AuditEvent, Item, Part, SaveResult, Speech, UnitGone, plain
from ..pages import (
    UnitView,
    editor_context,
    header_unit,
    item_list_fragment,
    item_list_response,
    item_unit,
    part_text_unit,
    sidebar_context,
    text_unit,
    trashed_message,
)
from .page_cache import cached_page, key_for

CONFLICT_MESSAGE = (
    "保存冲突：您编辑期间，他人修改了同一处文字。您的文字仍在输入框中；"
    "请对照对方的文字，选择保留哪一份，或合并后再保存。"
)
GONE_MESSAGE = "未保存：这一条已被他人删除。您的文字仍在框中，可另存为新条目或复制。"


# --- The editing page


@login_required
@require_safe
def speech_edit(request, pk):
    speech = Speech.objects.get_stamped(pk)
    if speech is None or not may_read(request.user, speech):
        raise Http404
    rights = suggestion_rights(request.user, speech)
    try:
        check_can_edit(request.user, speech)
    except PermissionDenied as refusal:
        # Those who may suggest (reviewers, a submitted speech too) see the editor
        # read-only, with 建议模式; the others read the speech in the preview.
        if not rights.suggest:
            messages.info(request, str(refusal))
            return redirect("drafts:speech-preview", pk=pk)
    # Cached as the preview is (page_cache.py): the page shows the speech in its present
    # state, the user's roles (the menu) and what they may do with it and with its
    # suggestions; the forms' CSRF tokens are put in per request, the unsaved text and
    # the presence line come from editor.js.
    roles = sorted(roles_of(request.user))
    editable = can_edit(request.user, speech)
    return cached_page(
        request,
        key_for("edit", speech.pk, *speech.page_stamp, roles, editable, rights.key),
        "drafts/speech_edit.html",
        lambda: editor_context(Speech.objects.with_structure().get(pk=pk), user=request.user),
    )


def save_unit(request, speech_pk: int, unit: UnitView, columns: dict[str, str]):
    """The one shape of every save: validate, ``Speech.save_unit``, answer.

    ``unit`` holds the form bound to the request; ``columns`` maps its fields to the
    stored columns they save (a text unit's "text" is the column "opening", say).
    """
    form = unit.form
    if not form.is_valid():
        return refused(request, speech_pk, unit, 422, "未保存：请按提示修改后再保存。")
    try:
        result = Speech.save_unit(
            speech_pk,
            unit.anchor,
            texts={column: form.cleaned_data[name] for name, column in columns.items()},
            bases={columns[name]: base for name, base in bases_of(form, columns).items()},
            version=form.cleaned_data["version"],
            user=request.user,
            label=unit.label,
            ip=audit.client_ip(request),
        )
    except PermissionDenied as refusal:
        return refused(request, speech_pk, unit, 403, f"未保存：{refusal}")
    except UnitGone:
        return refused(request, speech_pk, unit, 404, GONE_MESSAGE)
    except ValidationError as refusal:
        # A budget (the column, the whole speech): the text stays in the user's box.
        message = f"未保存：{refusal.messages[0]}"
        form.add_error(None, message)
        return refused(request, speech_pk, unit, 422, message)
    if wants_json(request):
        return JsonResponse(
            saved_answer(speech_pk, unit, result, columns), status=409 if result.conflicts else 200
        )
    if not result.conflicts:
        for note in form.notes:
            # Shown in the unit's status area (unit_status.html), where the page lands.
            messages.info(request, note, extra_tags=f"unit-note {unit.key}")
        return redirect(reverse("drafts:speech-edit", args=[speech_pk]) + f"#{unit.key}")
    # Without JavaScript: the page again, each conflicting field holding the user's text
    # typed on the other person's (which the page shows); the others as now stored.
    data = request.POST.copy()
    for name, column in columns.items():
        stored = plain(result.fields[column])
        data[f"base_{name}"] = stored
        if column not in result.conflicts:
            data[name] = stored
    data["version"] = result.version
    conflicts = conflict_views(unit, result, columns)
    unit = unit.rebound(data)
    unit.form.is_valid()
    unit.form.add_error(None, CONFLICT_MESSAGE)
    unit.conflicts = conflicts
    speech = get_speech_for_editor(request, speech_pk, structure=True)
    context = editor_context(speech, unit, user=request.user)
    return render(request, "drafts/speech_edit.html", context, status=409)


def saved_answer(speech_pk: int, unit: UnitView, result: SaveResult, columns) -> dict:
    """The JSON answer to a save, as the save protocol describes it."""
    name_of = {column: name for name, column in columns.items()}
    saved_at = timezone.localtime(result.saved_at).strftime("%H:%M") if result.saved_at else None
    merged = [name_of[column] for column in result.merged]
    if result.conflicts:
        message = CONFLICT_MESSAGE
    elif saved_at:
        message = f"已保存 {saved_at}" + ("，已合并他人的修改" if merged else "")
    else:
        message = "内容未变，无需保存"
    speech = Speech.objects.with_structure().get(pk=speech_pk)
    context = {"speech": speech, **sidebar_context(speech, live_proof=True)}
    sidebar = render_to_string("drafts/partials/sidebar.html", context)
    return {
        "status": "conflict" if result.conflicts else "saved",
        "message": message,
        "saved_at": saved_at,
        "version": result.version,
        "fields": {name_of[column]: plain(value) for column, value in result.fields.items()},
        "merged": merged,
        "notes": list(unit.form.notes),
        # Text written into an empty item (or all of it deleted) renumbers its list.
        "labels": speech.item_names(),
        "conflicts": {
            view.name: {
                "label": view.label,
                "base": view.base,
                "theirs": view.theirs,
                "mine": view.mine,
                "by": view.by,
                "at": view.at,
                "ops": [list(op) for op in view.ops],
            }
            for view in conflict_views(unit, result, columns)
        },
        "sidebar": sidebar,
    }


@dataclass(frozen=True)
class ConflictView:
    """One field both people changed in the same passage: the texts to choose between."""

    name: str
    label: str
    base: str
    theirs: str
    mine: str
    by: str
    at: str
    ops: tuple  # the difference theirs → mine


def conflict_views(unit: UnitView, result: SaveResult, columns) -> list[ConflictView]:
    form = unit.form
    bases = bases_of(form, columns)
    by = user_name(result.theirs_by) if result.theirs_by else "他人"
    at = timezone.localtime(result.theirs_at).strftime("%H:%M") if result.theirs_at else ""
    # The fields of one answer share one comparison's budget (comparison.Allowance).
    allowance = Allowance()
    views = []
    for name, column in columns.items():
        if column not in result.conflicts:
            continue
        theirs, mine = plain(result.fields[column]), plain(form.cleaned_data[name])
        label = str(form.fields[name].label or unit.label)
        base = bases.get(name, "")
        views.append(
            ConflictView(
                name, label, base, theirs, mine, by, at, tuple(diff_texts(theirs, mine, allowance))
            )
        )
    return views


def refused(request, speech_pk: int, unit: UnitView, status: int, message: str):
    """A save that wrote nothing: the reason, in Chinese, and the user's text kept."""
    if wants_json(request):
        kind = {403: "refused", 404: "gone", 422: "invalid"}[status]
        errors = unit.form.errors.get_json_data() if status == 422 else {}
        errors = {name: [error["message"] for error in items] for name, items in errors.items()}
        return JsonResponse({"status": kind, "message": message, "errors": errors}, status=status)
    if status == 403:
        raise PermissionDenied(message)
    if status == 404:
        raise Http404(message)
    speech = get_speech_for_editor(request, speech_pk, structure=True)
    context = editor_context(speech, unit, user=request.user)
    return render(request, "drafts/speech_edit.html", context, status=status)


# --- Saving the units


@login_required
@require_POST
def speech_header_edit(request, pk):
    speech = get_speech_for_editor(request, pk)
    columns = {name: name for name in SpeechHeaderForm.Meta.fields}
    return save_unit(request, pk, header_unit(speech, request.POST), columns)


@login_required
@require_POST
def speech_text_edit(request, pk, name):
    if name not in Speech.TEXT_VERSIONS:
        raise Http404
    speech = get_speech_for_editor(request, pk)
    return save_unit(request, pk, text_unit(speech, name, request.POST), {"text": name})


@login_required
@require_POST
def part_text_edit(request, pk, name):
    part = get_part_for_editor(request, pk)
    if name not in part.text_fields():
        raise Http404
    unit = part_text_unit(part, name, request.POST)
    return save_unit(request, part.speech_id, unit, {"text": name})


@login_required
@require_POST
def item_edit(request, pk):
    item = get_item_for_editor(request, pk)
    columns = {name: name for name in item.text_fields()}
    return save_unit(request, item.part.speech_id, item_unit(item, request.POST), columns)


# --- Adding, moving and deleting items: the list of that kind is renumbered

ITEM_GONE = "这一条已不存在，可能已被他人删除。请刷新页面查看最新的列表。"
AFTER_GONE = "要在其后插入的那一条已不存在，可能已被他人删除。请刷新页面后再添加。"
PART_GONE = "这一部分已不存在，可能讲话稿已被删除。"


def list_refused(request, reason: str, status: int, part: Part | None = None, kind: str = ""):
    """A refused add, move or delete, with its reason and nothing changed.

    htmx swaps a 422 in (base.html): then the list as it stands, the reason above it
    (``part`` and ``kind`` name it). Otherwise JSON for the page's script (speechdraft.js
    shows the message beside the list), and for a plain post a page with the way back.
    """
    if request.htmx and status == 422:
        return item_list_fragment(request, part, kind, refusal=reason, status=status)
    if wants_json(request):
        answer = {"status": "gone" if status == 404 else "invalid", "message": reason}
        return JsonResponse(answer, status=status)
    context = {"reason": reason, "speech_id": part.speech_id if part else None}
    return render(request, "drafts/refused.html", context, status=status)


def first_error(form) -> str:
    return next(message for messages in form.errors.values() for message in messages)


@login_required
@require_POST
def item_add(request, pk, kind):
    part = get_part_for_editor(request, pk)
    if kind not in part.item_kinds():
        raise Http404
    form = ItemAddForm(request.POST)
    if not form.is_valid():
        return list_refused(request, first_error(form), 422, part, kind)
    # 另存为新条目 (save-protocol.md) may bring the text of an item a colleague deleted:
    # it is checked as every save is (length, NUL, typed numbers) before anything is added.
    texts = ItemForm({**request.POST.dict(), "version": 1}, instance=Item(kind=kind), action="")
    if not texts.is_valid():
        return not_kept(first_error(texts))
    after_id = form.cleaned_data["after"]
    try:
        # One transaction: a kept text the speech has no room for adds no empty item.
        with transaction.atomic():
            after = get_item_for_editor(request, after_id) if after_id else None
            item = Item.insert(part, kind, after, request.user)
            keep_texts(request, part, item, texts)
    except (Http404, ObjectDoesNotExist):
        return list_refused(request, AFTER_GONE if after_id else PART_GONE, 404)
    except ValidationError as refusal:
        # The list is full, the speech too, or ``after`` is in another list.
        if any(texts.cleaned_data.get(name) for name in ("lead", "body")):
            return not_kept(refusal.messages[0])
        return list_refused(request, refusal.messages[0], 422, part, kind)
    audit.record(request, AuditEvent.Action.EDIT, speech=part.speech, detail=f"添加{item.name}")
    return item_list_response(request, part, kind, focus=item)


def not_kept(reason: str):
    """另存为新条目 refused: not swapped in by htmx (which would replace the card still
    holding the text); editor.js shows the reason beside the card."""
    return JsonResponse({"status": "invalid", "message": f"未另存：{reason}"}, status=400)


def keep_texts(request, part: Part, item: Item, form: ItemForm) -> None:
    """Write the text 另存为新条目 brought into the new ``item``, as a save does."""
    texts = {name: form.cleaned_data[name] for name in item.text_fields()}
    if any(texts.values()):
        Speech.save_unit(
            part.speech_id,
            item.anchor,
            texts=texts,
            bases={name: "" for name in texts},
            version=item.version,
            user=request.user,
            label=item.name,  # save_unit names the item as it is after the save
            ip=audit.client_ip(request),
        )


@login_required
@require_POST
def item_move(request, pk):
    try:
        item = get_item_for_editor(request, pk)
        form = ItemMoveForm(request.POST)
        if not form.is_valid():
            return list_refused(request, first_error(form), 422, item.part, item.kind)
        if form.cleaned_data["offset"]:
            item.move(form.cleaned_data["offset"])
        else:
            item.move_to(form.cleaned_data["position"])
    except (Http404, ObjectDoesNotExist):
        return list_refused(request, ITEM_GONE, 404)
    return item_list_response(request, item.part, item.kind, focus=item)


@login_required
@require_POST
def item_delete(request, pk):
    try:
        item = get_item_for_editor(request, pk)
        part, kind = item.part, item.kind
        entry = item.remove(request.user)
    except (Http404, ObjectDoesNotExist):
        return list_refused(request, ITEM_GONE, 404)
    detail = f"删除{entry.label}（移入回收站）"
    audit.record(request, AuditEvent.Action.DELETE, speech=part.speech, detail=detail)
    if not request.htmx:
        messages.success(request, trashed_message(f"已删除{entry.label}", part.speech_id))
    return item_list_response(request, part, kind, trashed=entry)
