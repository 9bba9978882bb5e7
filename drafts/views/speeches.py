"""The speeches: the list, creating and deleting, reading and downloading."""

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, OuterRef, Q, Subquery
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST, require_safe

from .. import audit, speech_json, workflow
from ..access import (
    can_edit,
    get_speech_for_editor,
    get_speech_for_reader,
    readable_speeches,
    roles_of,
)
from ..assembly import assemble, plain_text
from ..docx_export import ExportOptions, render_docx
from ..downloads import content_disposition, speech_filename
from ..forms import ActionForm, SpeechCreateForm
from ..lengths import measure
from ..models import AuditEvent, Comment, Item, Part, Speech
from ..placeholders import find_in_speech
from ..structure import blank_speech, text_fields

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
    audit.record(request, AuditEvent.Action.DELETE, speech=speech, detail=title)
    speech.delete()
    messages.success(request, f"已删除《{title}》。")
    return redirect("drafts:speech-list")


# --- Reading and downloading


@login_required
@require_safe
def speech_preview(request, pk):
    speeches = with_preview_stamp(readable_speeches(request.user))
    speech = get_object_or_404(speeches, pk=pk)
    return render(request, "drafts/speech_preview.html", preview_context(request, speech))


def edit_link_base(user, speech: Speech) -> str:
    """Links to a place in the speech lead to the editing page, for those who may edit."""
    return reverse("drafts:speech-edit", args=[speech.pk]) if can_edit(user, speech) else ""


def preview_context(request, speech: Speech, failed_action=None, comment_draft=None) -> dict:
    """The preview page: the speech as read, comments beside each paragraph, and the
    review actions open to this user. ``failed_action`` is (name, bound form) and
    ``comment_draft`` (anchor, text) a refused comment, to show back as typed."""
    link_base = edit_link_base(request.user, speech)
    fragments = preview_fragments(speech, link_base, comment_draft)
    token = get_token(request)
    actions = [
        (action, ActionForm(action=action, prefix=action.name))
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
        "paper_html": mark_safe(fragments["paper"].replace(CSRF_MARK, token)),
        "sidebar_html": mark_safe(fragments["sidebar"]),
        "placeholder_count": fragments["placeholder_count"],
        "actions": actions,
        "timeline": speech.transitions.select_related("actor"),
        "can_edit": bool(link_base),
    }


# The preview's text, margin comments and sidebar are rendered once per version of the
# speech and kept in the cache: reviewers and drafters read a speech far more often than
# it changes. The CSRF token differs per browser, so the cached forms carry this mark,
# replaced on the way out.
CSRF_MARK = "csrf-token-mark-4f9b2c"
PREVIEW_CACHE_SECONDS = 3600


def preview_fragments(speech: Speech, link_base: str, comment_draft=None) -> dict:
    """The preview's paper and sidebar HTML, from the cache when the speech, its items,
    its comments and its state are as they were; a refused comment is never cached."""
    key = None if comment_draft else preview_cache_key(speech, link_base)
    fragments = cache.get(key) if key else None
    if fragments is None:
        fragments = render_preview_fragments(speech, link_base, comment_draft)
        if key:
            cache.set(key, fragments, PREVIEW_CACHE_SECONDS)
    return fragments


def with_preview_stamp(queryset):
    """Annotate what the preview's cache key needs, in the query that fetches the speech:
    the latest change and the number of its parts' and items' rows and of its comments."""

    def latest(model, path, field, aggregate=Max):
        rows = model.objects.filter(**{path: OuterRef("pk")}).order_by().values(path)
        return Subquery(rows.annotate(value=aggregate(field)).values("value")[:1])

    return queryset.annotate(
        stamp_parts_at=latest(Part, "speech", "updated_at"),
        stamp_items_at=latest(Item, "part__speech", "updated_at"),
        stamp_items=latest(Item, "part__speech", "pk", Count),
        stamp_comments=latest(Comment, "speech", "pk", Count),
        stamp_resolved=latest(Comment, "speech", "resolved_at", Count),
        stamp_comments_at=latest(Comment, "speech", "created_at"),
        stamp_resolved_at=latest(Comment, "speech", "resolved_at"),
    )


STAMP_FIELDS = (
    "stamp_parts_at",
    "stamp_items_at",
    "stamp_items",
    "stamp_comments",
    "stamp_resolved",
    "stamp_comments_at",
    "stamp_resolved_at",
)


def preview_cache_key(speech: Speech, link_base: str) -> str:
    """Changes whenever anything shown changes: every save touches the speech, and the
    item, part and comment figures also catch changes made elsewhere (the admin).
    ``speech`` comes from :func:`with_preview_stamp`, or the figures are queried here."""
    if not hasattr(speech, "stamp_items_at"):
        speech = with_preview_stamp(Speech.objects.filter(pk=speech.pk)).get()
    parts = [speech.pk, speech.updated_at, speech.status, link_base]
    parts += [getattr(speech, name) for name in STAMP_FIELDS]
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()
    return f"preview:{speech.pk}:{digest}"


def render_preview_fragments(speech: Speech, link_base: str, comment_draft=None) -> dict:
    speech = Speech.objects.with_structure().get(pk=speech.pk)
    data = speech.as_structure()
    paragraphs = assemble(data)
    threads = speech.comments.threads_by_anchor()
    labels = {field.anchor: field.unit_label for field in text_fields(data)}
    rows = [
        {
            "paragraph": paragraph,
            "threads": [t for anchor in paragraph.sources for t in threads.get(anchor, [])],
            "anchors": [(anchor, labels.get(anchor, "")) for anchor in paragraph.sources],
        }
        for paragraph in paragraphs
    ]
    placeholders = find_in_speech(data)
    paper = render_to_string(
        "drafts/partials/preview_paper.html",
        {
            "speech": speech,
            "rows": rows,
            "can_comment": speech.status != Speech.Status.APPROVED,
            "next_url": reverse("drafts:speech-preview", args=[speech.pk]),
            "comment_draft": comment_draft,
            "csrf_token": CSRF_MARK,
        },
    )
    sidebar = render_to_string(
        "drafts/partials/sidebar.html",
        {
            "speech": speech,
            "lengths": measure(paragraphs, speech.pace),
            "placeholders": placeholders,
            # The sidebar's links lead to the place to fill in, on the editing page.
            "sidebar_link_base": link_base,
        },
    )
    return {"paper": paper, "sidebar": sidebar, "placeholder_count": len(placeholders)}


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
        "sidebar_link_base": edit_link_base(request.user, speech),
    }
    return render(request, "drafts/speech_export.html", context)


@login_required
@require_safe
def speech_export_docx(request, pk):
    """?large=1 for the large print; ?mark=0 leaves out 讨论稿, ?highlight=0 the yellow."""
    speech = get_speech_for_reader(request, pk, structure=True)
    large_print = request.GET.get("large") == "1"
    options = ExportOptions(
        author=speech.organization,
        status=speech.get_status_display(),
        approved=speech.status == Speech.Status.APPROVED,
        large_print=large_print,
        draft_mark=request.GET.get("mark") != "0",
        highlight_placeholders=request.GET.get("highlight") != "0",
    )
    content = render_docx(assemble(speech.as_structure()), options)
    label = "Word 大字版" if large_print else "Word"
    audit.record(request, AuditEvent.Action.EXPORT, speech=speech, detail=label)
    return download(content, DOCX_TYPE, speech, "docx", "（大字版）" if large_print else "")
