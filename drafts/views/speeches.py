"""The speeches: the list, creating and deleting, reading and downloading."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from .. import audit, importing, speech_json, workflow
from ..access import (
    get_speech_for_editor,
    get_speech_for_reader,
    may_read,
    readable_speeches,
    roles_of,
)
from ..assembly import assemble, plain_text
from ..docx_export import ExportOptions, render_docx
from ..downloads import content_disposition, speech_filename
from ..export_origin import origin_of
from ..forms import SpeechCreateForm
from ..lengths import measure
from ..models import AuditEvent, Speech
from ..pages import edit_link_base, preview_context, trashed_message
from ..placeholders import find_in_speech
from ..review_export import review_docx
from ..structure import blank_speech
from .page_cache import cached_page, key_for

# --- The list and creating speeches


@login_required
@require_safe
def speech_list(request):
    open_comments = Count("comments", filter=Q(comments__parent=None, comments__resolved_at=None))
    speeches = (
        readable_speeches(request.user)
        .select_related("updated_by")
        .annotate(open_comments=open_comments)
        .with_structure()
    )
    rows = [
        {"speech": speech, "lengths": measure(assemble(speech.as_structure()), speech.pace)}
        for speech in speeches
    ]
    return render(request, "drafts/speech_list.html", {"rows": rows})


@login_required
def speech_create(request):
    if workflow.DRAFTER not in roles_of(request.user):
        raise PermissionDenied("只有起草人员可以新建讲话稿。")
    form = SpeechCreateForm(request.POST or None, sources=readable_speeches(request.user))
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "drafts/speech_create.html", {"form": form}, status=422)
        data = blank_speech()
        if form.cleaned_data["start"] == SpeechCreateForm.START_COPY:
            source = form.cleaned_data["source"]
            data = get_speech_for_reader(request, source.pk, structure=True).as_structure()
        data.title = form.cleaned_data["title"]
        # A copy of a speech stored before the budgets may hold more than one may now
        # (a list of 10,000 items, issue 13): it is not made again.
        refusals = importing.speech_errors(data)
        if refusals:
            form.add_error(None, "未创建：" + "".join(refusals))
            return render(request, "drafts/speech_create.html", {"form": form}, status=422)
        speech = Speech.create_from_structure(data, request.user)
        audit.record(request, AuditEvent.Action.CREATE, speech=speech, detail=speech.display_title)
        messages.success(request, "讲话稿已创建。")
        return redirect("drafts:speech-edit", pk=speech.pk)
    return render(request, "drafts/speech_create.html", {"form": form})


@login_required
@require_POST
def speech_delete(request, pk):
    speech = get_speech_for_editor(request, pk)
    title = speech.display_title
    speech.move_to_trash(request.user)
    audit.record(request, AuditEvent.Action.DELETE, speech=speech, detail=f"{title}（移入回收站）")
    messages.success(request, trashed_message(f"已删除《{title}》"))
    return redirect("drafts:speech-list")


# --- Reading and downloading


@login_required
@require_safe
def speech_preview(request, pk):
    speech = Speech.objects.get_stamped(pk)
    if speech is None or not may_read(request.user, speech):
        raise Http404
    link_base = edit_link_base(request.user, speech)
    # Everything the page shows: the speech in its present state, and the user's roles
    # (in the menu and the review actions) and right to edit (the links to the editor).
    roles = sorted(roles_of(request.user))
    key = key_for("preview", speech.pk, *speech.page_stamp, roles, link_base)
    return cached_page(
        request,
        key,
        "drafts/speech_preview.html",
        lambda: preview_context(request, Speech.objects.with_structure().get(pk=speech.pk)),
    )


@login_required
@require_safe
def speech_export_txt(request, pk):
    speech = get_speech_for_reader(request, pk, structure=True)
    text = plain_text(assemble(speech.as_structure()))
    audit.record(request, AuditEvent.Action.EXPORT, speech=speech, detail="纯文本")
    return download(text.encode("utf-8"), "text/plain; charset=utf-8", speech, "txt")


@login_required
@require_safe
def speech_export_json(request, pk):
    speech = get_speech_for_reader(request, pk, structure=True)
    text = speech_json.dumps(speech.as_structure())
    audit.record(request, AuditEvent.Action.EXPORT, speech=speech, detail="JSON")
    return download(text.encode("utf-8"), "application/json; charset=utf-8", speech, "json")


def download(content: bytes, content_type: str, speech: Speech, extension: str, suffix=""):
    response = HttpResponse(content, content_type=content_type)
    filename = speech_filename(speech.title, extension, suffix)
    response["Content-Disposition"] = content_disposition(filename)
    return response


# --- Word export (issue 3): the export page with its switches, and the .docx download

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@login_required
@require_safe
def speech_export(request, pk):
    speech = get_speech_for_reader(request, pk, structure=True)
    context = {
        "speech": speech,
        "placeholders": find_in_speech(speech.as_structure()),
        "approved": speech.status == Speech.Status.APPROVED,
        "open_suggestions": speech.suggestions.open().count(),
        "open_comments": speech.comments.open().count(),
        # To the place on the editing page, or in the preview for those who may not edit.
        "sidebar_link_base": edit_link_base(request.user, speech)
        or reverse("drafts:speech-preview", args=[speech.pk]),
    }
    return render(request, "drafts/speech_export.html", context)


@login_required
@require_safe
def speech_export_docx(request, pk):
    """?large=1 for the large print; ?mark=0 leaves out 讨论稿, ?highlight=0 the yellow;
    ?review=1 writes the open suggestions as tracked changes and the open comments as
    Word comments (``review_export``)."""
    speech = get_speech_for_reader(request, pk, structure=True)
    data = speech.as_structure()
    large_print = request.GET.get("large") == "1"
    options = ExportOptions(
        author=speech.organization,
        status=speech.get_status_display(),
        approved=speech.status == Speech.Status.APPROVED,
        large_print=large_print,
        draft_mark=request.GET.get("mark") != "0",
        highlight_placeholders=request.GET.get("highlight") != "0",
        origin=origin_of(speech.pk, data),
    )
    label, suffix = ("Word 大字版", "（大字版）") if large_print else ("Word", "")
    if request.GET.get("review") == "1":
        content = review_docx(speech, options=options).content
        label, suffix = f"{label}（含修改建议和批注）", f"{suffix}（含修改建议）"
    else:
        content = render_docx(assemble(data), options)
    audit.record(request, AuditEvent.Action.EXPORT, speech=speech, detail=label)
    return download(content, DOCX_TYPE, speech, "docx", suffix)
