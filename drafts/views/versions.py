"""Stored versions (issue 14): any snapshot previewed and downloaded as txt, JSON or Word.

Readers of the speech may open its versions; outsiders get 404 like for the speech.
A snapshot from before documents (only the compare units) can be compared, not read
again: its preview says so and its downloads are 404.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from .. import audit, speech_json
from ..access import get_speech_for_reader, user_name
from ..assembly import assemble, plain_text
from ..docx_changes import redline_docx
from ..docx_export import ExportOptions, render_docx
from ..export_origin import origin_of
from ..models import AuditEvent, Snapshot
from ..review_export import review_docx
from .review import CURRENT, snapshot_label
from .speeches import DOCX_TYPE, download


def _snapshot(request, pk, snapshot_pk, *, document: bool = True) -> Snapshot:
    speech = get_speech_for_reader(request, pk)
    snapshot = get_object_or_404(
        Snapshot.objects.select_related("transition__actor", "speech"),
        pk=snapshot_pk,
        speech=speech,
    )
    if document and not snapshot.has_document:
        raise Http404
    return snapshot


def is_approval(snapshot: Snapshot) -> bool:
    return snapshot.transition is not None and snapshot.transition.action == "approve"


def version_line(snapshot: Snapshot) -> str:
    """What the Word file says it is: the approval (date, approver) or the draft's version.

    An approval reads “审定通过：2026-12-01 10:00，审定人：张三”; any other version
    “讨论稿：” and the version's label.
    """
    when = f"{snapshot.created_at.astimezone():%Y-%m-%d %H:%M}"
    if is_approval(snapshot):
        return f"审定通过：{when}，审定人：{user_name(snapshot.transition.actor)}"
    return f"讨论稿：{snapshot_label(snapshot)}"


@login_required
@require_safe
def version_preview(request, pk, snapshot_pk):
    snapshot = _snapshot(request, pk, snapshot_pk, document=False)
    paragraphs = assemble(snapshot.as_structure()) if snapshot.has_document else []
    context = {
        "speech": snapshot.speech,
        "snapshot": snapshot,
        "label": snapshot_label(snapshot),
        "approved": is_approval(snapshot),
        "paragraphs": paragraphs,
    }
    return render(request, "drafts/version_preview.html", context)


def _download(request, snapshot, content: bytes, content_type: str, extension: str, label: str):
    detail = f"{label}（版本 {snapshot.pk}）"
    audit.record(request, AuditEvent.Action.EXPORT, speech=snapshot.speech, detail=detail)
    suffix = "（审定稿）" if is_approval(snapshot) else f"（版本{snapshot.pk}）"
    return download(content, content_type, snapshot.as_structure(), extension, suffix)


@login_required
@require_safe
def version_export_txt(request, pk, snapshot_pk):
    snapshot = _snapshot(request, pk, snapshot_pk)
    text = plain_text(assemble(snapshot.as_structure()))
    return _download(
        request, snapshot, text.encode("utf-8"), "text/plain; charset=utf-8", "txt", "纯文本"
    )


@login_required
@require_safe
def version_export_json(request, pk, snapshot_pk):
    snapshot = _snapshot(request, pk, snapshot_pk)
    text = speech_json.dumps(snapshot.as_structure())
    return _download(
        request, snapshot, text.encode("utf-8"), "application/json; charset=utf-8", "json", "JSON"
    )


@login_required
@require_safe
def version_export_docx(request, pk, snapshot_pk):
    snapshot = _snapshot(request, pk, snapshot_pk)
    data = snapshot.as_structure()
    approved = is_approval(snapshot)
    options = ExportOptions(
        author=data.organization,
        status="审定稿" if approved else "讨论稿",
        approved=approved,
        version=version_line(snapshot),
        origin=origin_of(snapshot.speech_id, data, snapshot.pk),
    )
    return _download(
        request, snapshot, render_docx(assemble(data), options), DOCX_TYPE, "docx", "Word"
    )


@login_required
@require_safe
def compare_redline_docx(request, pk):
    """下载修订稿: the compare page's new version as Word, with its differences from the
    old version as tracked changes (``?old=`` and ``?new=``: a snapshot id or current)."""
    speech = get_speech_for_reader(request, pk, structure=True)
    latest = speech.snapshots.order_by("-created_at", "-pk").first()
    old, old_snapshot = _version(
        request, speech, request.GET.get("old") or str(latest.pk if latest else CURRENT)
    )
    new, new_snapshot = _version(request, speech, request.GET.get("new") or CURRENT)
    if new_snapshot is not None and new_snapshot.transition is not None:
        author, date = user_name(new_snapshot.transition.actor), new_snapshot.created_at
    elif new_snapshot is not None:
        author, date = speech.organization, new_snapshot.created_at
    else:
        author = user_name(speech.updated_by) if speech.updated_by else speech.organization
        date = speech.updated_at
    approved = new_snapshot is not None and is_approval(new_snapshot)
    options = ExportOptions(
        author=new.organization,
        status="审定稿" if approved else "讨论稿",
        approved=approved,
        version=version_line(new_snapshot) if new_snapshot else "",
        origin=origin_of(speech.pk, new, new_snapshot.pk if new_snapshot else None),
    )
    if new_snapshot is None:
        # The present text: its open suggestions and comments go in too (issue 14), and
        # each save since the old version is its author's change.
        since = old_snapshot.created_at if old_snapshot is not None else None
        made = review_docx(speech, old=old, since=since, author=author, date=date, options=options)
        content, detail = made.content, "Word 修订稿（含修改建议和批注）"
    else:
        content = redline_docx(old, new, author=author, date=date, options=options)
        detail = "Word 修订稿"
    audit.record(request, AuditEvent.Action.EXPORT, speech=speech, detail=detail)
    return download(content, DOCX_TYPE, speech, "docx", "（修订稿）")


def _version(request, speech, key):
    """The version that a compare key names, its items with their ids (they pair the
    paragraphs of an item that moved), and its snapshot. ``speech`` comes with its
    structure."""
    if key == CURRENT:
        return speech.as_structure(), None
    snapshot = (
        speech.snapshots.select_related("transition__actor").filter(pk=key).first()
        if key.isdigit() and len(key) < 19
        else None
    )
    if snapshot is None or not snapshot.has_document:
        raise Http404
    return snapshot.as_structure(), snapshot
