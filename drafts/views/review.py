"""The review cycle: actions, comments, history, comparison and restoring."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import OuterRef, Q, Subquery
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from .. import audit, todo, workflow
from ..access import (
    can_edit,
    check_can_comment,
    check_can_edit,
    get_comment_for_commenter,
    get_speech_for_reader,
    readable_speeches,
    roles_of,
    user_name,
)
from ..budgets import configured
from ..comparison import compare, fold, speech_units
from ..forms import ActionForm, CommentForm, HistoryFilterForm
from ..models import (
    AuditEvent,
    Comment,
    Revision,
    Snapshot,
    Speech,
    Transition,
    UnitGone,
)
from ..pages import decided_suggestions, editor_context, preview_context, proofread

CURRENT = "current"
# The to-do lists show the newest this many of each; the badge counts them all.
TODO_SHOWN = 50


# --- My to-do list


@login_required
@require_safe
def home(request):
    """我的待办: what waits for this user, by role."""
    roles = roles_of(request.user)
    speeches = readable_speeches(request.user)
    context = {"roles": roles}
    if roles:
        # Addressed to me (drafts/todo.py): what the menu's badge counts.
        context["open_suggestions"] = todo.suggestions_for(request.user).select_related(
            "speech", "author"
        )[:TODO_SHOWN]
        context["open_comments"] = todo.comments_for(request.user).select_related(
            "speech", "author"
        )[:TODO_SHOWN]
    if workflow.REVIEWER in roles:
        context["awaiting_review"] = speeches.filter(status=Speech.Status.SUBMITTED)
    if workflow.DRAFTER in roles:
        mine = speeches.filter(Q(owner=request.user) | Q(revisions__author=request.user)).distinct()
        last_return = Transition.objects.filter(speech=OuterRef("pk"), action="return")
        context["returned"] = mine.filter(status=Speech.Status.RETURNED).annotate(
            return_note=Subquery(last_return.order_by("-created_at", "-pk").values("note")[:1])
        )
        context["drafts"] = mine.filter(status=Speech.Status.DRAFT)[:10]
    return render(request, "drafts/home.html", context)


# --- Submitting, returning, approving, reopening


@login_required
@require_POST
def speech_action(request, pk, name):
    speech = get_speech_for_reader(request, pk, structure=True)
    # An approval while suggestions wait asks to confirm leaving them (Speech.take_action).
    waiting = speech.suggestions.open().count() if name == "approve" else 0
    # Submitting with proofreading errors left is confirmed (issue 15): counted now, on
    # the speech as stored, whatever the page showed.
    proof = proofread(speech) if name == "submit" else None
    form = ActionForm(
        request.POST,
        action=workflow.ACTIONS.get(name),
        prefix=name,
        open_suggestions=waiting,
        proof_errors=proof.counts.errors if proof else 0,
        placeholders=proof.placeholders if proof else 0,
    )
    if form.is_valid():
        try:
            speech.take_action(
                name,
                request.user,
                roles_of(request.user),
                form.cleaned_data["note"],
                confirmed=form.cleaned_data.get("confirmed", False),
            )
        except workflow.TransitionRefused as refusal:
            form.add_error("note" if "请填写" in str(refusal) else None, str(refusal))
        else:
            audit.record(request, name, speech=speech, detail=form.cleaned_data["note"][:200])
            messages.success(request, f"已{workflow.ACTIONS[name].label}。")
            return redirect("drafts:speech-preview", pk=pk)
    context = preview_context(request, speech, failed_action=(name, form))
    return render(request, "drafts/speech_preview.html", context, status=422)


# --- Comments


@login_required
@require_POST
def comment_add(request, pk):
    speech = get_speech_for_reader(request, pk)
    try:
        check_can_comment(request.user, speech)
    except PermissionDenied as refusal:
        # Approved since the page was opened: the comment typed there comes back to copy.
        kept = request.POST.get("text", "")
        context = {"reason": str(refusal), "speech_id": speech.pk, "kept_text": kept}
        return render(request, "drafts/refused.html", context, status=403)
    form = CommentForm(request.POST, speech=speech)
    if not form.is_valid():
        # The page comes back with the message and the comment as typed, in its place.
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        draft = {name: request.POST.get(name, "") for name in ("anchor", "text")}
        if not form.non_field_errors() and not _passage_refused(form):
            # The selection was fine (the text was not): it comes back with the text.
            draft.update({n: request.POST.get(n, "") for n in ("field", "start", "end", "quote")})
        speech = Speech.objects.with_structure().get(pk=speech.pk)
        if _back(request, speech) == reverse("drafts:speech-edit", args=[speech.pk]):
            context = editor_context(speech, user=request.user)
            template = "drafts/speech_edit.html"
        else:
            context = preview_context(request, speech, comment_draft=draft)
            template = "drafts/speech_preview.html"
        context["comment_draft"] = draft
        return render(request, template, context, status=422)
    comment = form.save(commit=False)
    comment.speech, comment.author = speech, request.user
    comment.save()
    audit.record(request, AuditEvent.Action.COMMENT, speech=speech, detail=comment.text[:200])
    return redirect(_back(request, speech) + f"#comment-{comment.pk}")


@login_required
@require_POST
def comment_resolve(request, pk):
    comment = get_comment_for_commenter(request, pk)
    if comment.parent_id is None:
        resolved = comment.resolved_at is None
        Comment.objects.filter(pk=comment.pk).update(
            resolved_at=timezone.now() if resolved else None,
            resolved_by=request.user if resolved else None,
        )
        if not resolved:
            comment.find_words_again()
    return redirect(_back(request, comment.speech))


def _passage_refused(form) -> bool:
    return any(form.has_error(name) for name in ("field", "start", "end", "quote"))


def _back(request, speech) -> str:
    """Where the form came from: the editing page or the preview of this speech."""
    back = request.POST.get("next", "")
    allowed = {
        reverse("drafts:speech-edit", args=[speech.pk]),
        reverse("drafts:speech-preview", args=[speech.pk]),
    }
    return back if back in allowed else reverse("drafts:speech-preview", args=[speech.pk])


# --- History and comparing


@login_required
@require_safe
def speech_history(request, pk):
    speech = get_speech_for_reader(request, pk)
    # An accepted suggestion's save names whose words it wrote: one join, not a query a row.
    revisions = speech.revisions.select_related("author", "suggestion__author")
    wanted = HistoryFilterForm(request.GET)
    anchor = wanted.cleaned_data["anchor"] if wanted.is_valid() else ""
    if anchor:
        revisions = revisions.filter(anchor=anchor)
    page = Paginator(revisions, 30).get_page(request.GET.get("page"))
    # A restore is made over the version shown here (see ``revision_restore``).
    versions = Speech.objects.with_structure().get(pk=speech.pk).unit_versions()
    for revision in page.object_list:
        revision.unit_version = versions.get(revision.anchor)
    context = {
        "speech": speech,
        "page": page,
        "anchor": anchor,
        "timeline": speech.transitions.select_related("actor"),
        "snapshots": speech.snapshots.select_related("transition"),
        "can_restore": can_edit(request.user, speech),
        "suggestions": decided_suggestions(speech),
    }
    return render(request, "drafts/speech_history.html", context)


@login_required
@require_safe
def speech_compare(request, pk):
    speech = get_speech_for_reader(request, pk)
    snapshots = list(speech.snapshots.select_related("transition__actor"))
    old_key = request.GET.get("old") or _default_base(request.user, speech, snapshots)
    new_key = request.GET.get("new") or CURRENT
    old_units, old_label = _version(speech, snapshots, old_key)
    new_units, new_label = _version(speech, snapshots, new_key)
    if old_units is None or new_units is None:
        messages.error(request, "没有找到要比较的版本，已改为比较最近的版本。")
        return redirect("drafts:speech-compare", pk=pk)
    changes = compare(old_units, new_units)
    compared = [
        (name, next((s for s in snapshots if str(s.pk) == str(key)), None))
        for name, key in (("old", old_key), ("new", new_key))
    ]
    context = {
        "speech": speech,
        "snapshots": snapshots,
        "old_key": str(old_key),
        "new_key": str(new_key),
        "old_label": old_label,
        "new_label": new_label,
        "changes": [(change, fold(change.ops)) for change in changes],
        "changed_count": sum(1 for change in changes if change.changed),
        # The compared stored versions, for their preview and download links.
        "compared": compared,
        # 下载修订稿 needs both versions as documents (not a units-only old snapshot).
        "redline_ready": all(s is None or s.has_document for _, s in compared),
        # Past the comparison's budget some texts are shown by paragraph, and say so.
        "by_paragraph": any(change.by_paragraph for change in changes),
        "budgets": configured(),
    }
    return render(request, "drafts/speech_compare.html", context)


def _default_base(user, speech, snapshots) -> str:
    """Reviewers: the version they last returned or approved. Others: the latest snapshot."""
    if not snapshots:
        return CURRENT
    last = (
        speech.transitions.filter(actor=user, action__in=("return", "approve"))
        .order_by("-created_at", "-pk")
        .first()
    )
    if last is not None:
        earlier = [s for s in snapshots if s.created_at <= last.created_at]
        if earlier:
            return str(earlier[-1].pk)
    return str(snapshots[-1].pk)


def _version(speech, snapshots, key):
    if key == CURRENT:
        data = Speech.objects.with_structure().get(pk=speech.pk).as_structure()
        return speech_units(data), "当前内容"
    snapshot = next((s for s in snapshots if str(s.pk) == str(key)), None)
    if snapshot is None:
        return None, ""
    return snapshot.text_units(), snapshot_label(snapshot)


def snapshot_label(snapshot: Snapshot) -> str:
    transition = snapshot.transition
    when = f"{snapshot.created_at.astimezone():%Y-%m-%d %H:%M}"
    if transition is None:
        return f"{when} 快照"
    actor = user_name(transition.actor)
    return f"{when} {actor} {transition.label}时"


# --- Restoring a unit from an earlier revision


@login_required
@require_POST
def revision_restore(request, pk):
    revision = get_object_or_404(
        Revision.objects.filter(speech__in=readable_speeches(request.user)), pk=pk
    )
    speech = revision.speech
    check_can_edit(request.user, speech)
    history = reverse("drafts:speech-history", args=[speech.pk])
    located = speech.unit_for(revision.anchor)
    seen = request.POST.get("version", "")
    if located is None:
        messages.error(request, "该条目已被删除，无法恢复到原位置。请先在回收站中恢复该条目。")
        return redirect(history)
    names = located[2]
    try:
        # Restored over the version the history page showed: a save made since then
        # is a conflict, never silently undone.
        result = Speech.save_unit(
            speech.pk,
            revision.anchor,
            texts={name: value for name, value in revision.fields.items() if name in names},
            bases={},
            # A version is a positive integer column: a longer "number" names none
            # (and one of 4,300 digits would be past what int() parses).
            version=int(seen) if seen.isascii() and seen.isdigit() and len(seen) <= 10 else None,
            user=request.user,
            label=revision.label,
            ip=audit.client_ip(request),
            action=AuditEvent.Action.RESTORE,
        )
    except PermissionDenied as refusal:
        messages.error(request, f"未恢复：{refusal}")
        return redirect(history)
    except UnitGone:
        messages.error(request, "未恢复：该条目已被删除。")
        return redirect(history)
    except ValidationError as refusal:
        # A budget lowered since, or a speech grown since: the revision stays in history.
        messages.error(request, f"未恢复：{refusal.messages[0]}")
        return redirect(history)
    when = f"{revision.created_at.astimezone():%m-%d %H:%M}"
    if result.conflicts:
        messages.error(
            request,
            f"未恢复：您打开本页之后，“{revision.label}”又被修改过。请查看最新的修改记录后再恢复。",
        )
    elif result.saved_at is None:
        messages.info(request, f"“{revision.label}”现在的内容与 {when} 的版本相同，无需恢复。")
    else:
        messages.success(request, f"已将“{revision.label}”恢复到 {when} 的版本。")
    return redirect(history)
