"""The trash (回收站): deleted speeches and items, and taking them back out."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from .. import audit
from ..access import (
    get_deleted_item_for_restorer,
    get_trashed_speech_for_restorer,
    item_restore_refusal,
    readable_speeches,
    restore_refusal,
    trashed_speeches,
)
from ..forms import TrashFilterForm
from ..models import AuditEvent, DeletedItem
from ..pages import item_list_fragment, item_list_response


@login_required
@require_safe
def trash(request):
    """What this user's unit deleted, newest first; ``?speech=ID`` shows one speech's
    items (the editing page links here so)."""
    speeches = trashed_speeches(request.user).select_related("deleted_by")
    items = DeletedItem.objects.filter(part__speech__in=readable_speeches(request.user))
    items = items.select_related("part__speech", "deleted_by")
    one_speech = None
    wanted = TrashFilterForm(request.GET)
    if wanted.is_valid() and wanted.cleaned_data["speech"]:
        pk = wanted.cleaned_data["speech"]
        one_speech = readable_speeches(request.user).filter(pk=pk).first()
        speeches = speeches.none()
        items = items.filter(part__speech=one_speech)
    user = request.user
    context = {
        "speeches": [
            (speech, restore_refusal(user, speech, speech.deleted_by_id))
            for speech in speeches.order_by("-deleted_at", "-pk")
        ],
        "items": [(entry, item_restore_refusal(user, entry)) for entry in items],
        "one_speech": one_speech,
    }
    return render(request, "drafts/trash.html", context)


@login_required
@require_POST
def speech_restore(request, pk):
    speech = get_trashed_speech_for_restorer(request, pk)
    speech.restore_from_trash()
    title = speech.display_title
    audit.record(request, AuditEvent.Action.TRASH_RESTORE, speech=speech, detail=title)
    messages.success(request, f"已从回收站恢复《{title}》。")
    return redirect("drafts:speech-edit", pk=speech.pk)


@login_required
@require_POST
def item_restore(request, pk):
    entry = get_deleted_item_for_restorer(request, pk)
    try:
        item = entry.restore(request.user)
    except DeletedItem.DoesNotExist:
        raise Http404("该条目已经恢复。") from None
    except ValidationError as refusal:
        # Its list is full (items_per_list) or the speech has no room for its text.
        reason = f"未恢复{entry.label}：{refusal.messages[0]}"
        if request.htmx:
            return item_list_fragment(request, entry.part, entry.kind, refusal=reason, status=422)
        messages.error(request, reason)
        return redirect(reverse("drafts:trash") + f"?speech={entry.part.speech_id}")
    label = item.name
    speech = entry.part.speech
    audit.record(request, AuditEvent.Action.TRASH_RESTORE, speech=speech, detail=label)
    if not request.htmx:
        messages.success(request, f"已从回收站恢复{label}。")
    return item_list_response(request, entry.part, entry.kind, focus=item)
