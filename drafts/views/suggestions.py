"""Suggestions (修改建议): proposing a change in 建议模式, and the drafter's answer to
it (accept, reject, accept all of one person's, reply); its author withdraws it.

Thin views over ``models.Suggestion``, which writes the audit. The editing page's
script asks for JSON and gets the units the step touched rendered anew
(``pages.suggestion_answer``), the field's new text and version after an accept; a
plain form post is sent back where it came from with the outcome in a message. A
refusal says why in Chinese and loses nothing: a refused proposal keeps its text in
the editor's box, or, posted without JavaScript, comes back on the page (422).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.timezone import localtime
from django.views.decorators.http import require_POST

from .. import audit
from ..access import (
    can_edit,
    check_can_comment,
    decide_refusal,
    get_speech_for_reader,
    get_suggestion_for_reader,
    step_refusal,
    suggest_refusal,
)
from ..forms import SuggestionAuthorForm, SuggestionForm, SuggestionReplyForm
from ..middleware import wants_json
from ..models import Speech, Suggestion, SuggestionRefused, SuggestionReply, UnitGone
from ..pages import editor_context, suggestion_answer, unit_key

GONE = "这条建议已不存在（讲话稿可能已被删除），请刷新页面。"
UNIT_GONE = "这一条已被删除，无法提出或接受修改建议。"


# --- Proposing


@login_required
@require_POST
def suggestion_add(request, pk):
    speech = get_speech_for_reader(request, pk, structure=True)
    form = SuggestionForm(request.POST, speech=speech)
    refusal = suggest_refusal(request.user, speech)
    if refusal:
        return proposal_refused(request, speech, form, 403, refusal)
    if not form.is_valid():
        message = next(m for errors in form.errors.values() for m in errors)
        return proposal_refused(request, speech, form, 422, message)
    data = form.cleaned_data
    try:
        suggestion = Suggestion.propose(
            speech.pk,
            data["anchor"],
            data["field"],
            base=data["base"],
            proposed=data["proposed"],
            user=request.user,
            reason=data["reason"],
            ip=audit.client_ip(request),
        )
    except SuggestionRefused as refused:
        return proposal_refused(request, speech, form, 422, str(refused))
    except ValidationError as refused:
        return proposal_refused(request, speech, form, 422, refused.messages[0])
    except UnitGone:
        return proposal_refused(request, speech, form, 404, UNIT_GONE)
    message = f"已提交对“{suggestion.label}”的修改建议，原文未改动，由起草人员决定是否接受。"
    return done(request, speech, [suggestion.anchor], message, "proposed", suggestion=suggestion)


def proposal_refused(request, speech: Speech, form, status: int, message: str):
    """A proposal not taken: the reason; the text stays in the editor's box (JSON), or
    the page comes back with it in the field's suggestion form (a plain post)."""
    if wants_json(request):
        kind = {403: "refused", 404: "gone", 422: "invalid"}[status]
        return JsonResponse({"status": kind, "message": f"未提交：{message}"}, status=status)
    if status == 403:
        raise PermissionDenied(message)
    messages.error(request, f"未提交建议：{message}")
    context = editor_context(speech, user=request.user)
    context["suggestion_draft"] = {
        name: form.data.get(name, "") for name in ("anchor", "field", "proposed", "reason")
    }
    return render(request, "drafts/speech_edit.html", context, status=422 if status == 422 else 404)


# --- Deciding: accept all of one person's; accept, reject or withdraw one


@login_required
@require_POST
def suggestion_accept_all(request, pk):
    speech = get_speech_for_reader(request, pk, structure=True)
    refusal = decide_refusal(request.user, speech, accepting=True)
    form = SuggestionAuthorForm(request.POST)
    if refusal:
        return answer(request, speech, [], refusal, "refused", 403)
    if not form.is_valid():
        return answer(request, speech, [], form.errors["author"][0], "invalid", 422)
    author = form.cleaned_data["author"]
    waiting = [s for s in speech.suggestions.open().select_related("author")]
    if not any(s.author_key == author for s in waiting):
        message = "这位建议人没有待处理的修改建议（可能已处理完），请刷新页面。"
        return answer(request, speech, [], message, "refused", 409)
    try:
        accepted, refused = Suggestion.accept_all(
            speech.pk, author, request.user, ip=audit.client_ip(request)
        )
    except PermissionDenied as locked:
        return answer(request, speech, [], str(locked), "refused", 409)
    if not accepted and not refused:  # decided by someone else meanwhile
        message = "这位建议人的修改建议已被他人处理，请刷新页面。"
        return answer(request, speech, [s.anchor for s in waiting], message, "refused", 409)
    who = (accepted or [s for s, _ in refused])[0].author_label
    message = f"已接受{who}的 {len(accepted)} 条修改建议。"
    if refused:
        reasons = "；".join(reason.removesuffix("。") for _, reason in refused)
        message += f"另有 {len(refused)} 条未能接受，仍待处理：{reasons}。"
    anchors = [s.anchor for s in accepted] + [s.anchor for s, _ in refused]
    status = "accepted" if accepted else "refused"
    return done(request, speech, anchors, message, status, refresh=True, failed=bool(refused))


# Once a step went through: what the editor's script reads, and what the page says.
DECIDED = {
    "accept": ("accepted", "已接受{author}对“{label}”的修改建议。"),
    "reject": ("rejected", "已拒绝{author}对“{label}”的修改建议，原文未改动。"),
    "withdraw": ("withdrawn", "已撤回对“{label}”的修改建议。"),
}


@login_required
@require_POST
def suggestion_decide(request, pk, step: str):
    """Accept, reject or withdraw one suggestion (``step``, named by the URL). Who may is
    asked first (403); the model refuses one decided or gone stale meanwhile or a locked
    speech (409), a unit since deleted (404), a text past its column (422)."""
    suggestion = suggestion_or_gone(request, pk)
    if not isinstance(suggestion, Suggestion):
        return suggestion
    refusal = step_refusal(request.user, suggestion, step)
    if refusal:
        return decision_refused(request, suggestion, 403, refusal)
    try:
        take_step(request, suggestion, step)
    except (SuggestionRefused, PermissionDenied) as refused:
        return decision_refused(request, suggestion, 409, str(refused))
    except UnitGone:
        return decision_refused(request, suggestion, 404, UNIT_GONE)
    except ValidationError as refused:
        return decision_refused(request, suggestion, 422, refused.messages[0])
    status, message = DECIDED[step]
    message = message.format(author=suggestion.author_label, label=suggestion.label)
    # Accepting rewrote the field: the answer carries its new text and version.
    refresh = step == "accept"
    return done(request, suggestion.speech, [suggestion.anchor], message, status, refresh=refresh)


def take_step(request, suggestion: Suggestion, step: str) -> None:
    """The model's step; withdrawing is not audited, so it takes no address."""
    if step == "accept":
        suggestion.accept(request.user, ip=audit.client_ip(request))
    elif step == "reject":
        suggestion.reject(request.user, ip=audit.client_ip(request))
    else:
        suggestion.withdraw(request.user)


# --- Answering it, as a comment is answered


@login_required
@require_POST
def suggestion_reply(request, pk):
    suggestion = suggestion_or_gone(request, pk)
    if not isinstance(suggestion, Suggestion):
        return suggestion
    try:
        check_can_comment(request.user, suggestion.speech)
    except PermissionDenied as refusal:
        return decision_refused(request, suggestion, 403, str(refusal))
    form = SuggestionReplyForm(request.POST)
    if not form.is_valid():
        message = form.errors["text"][0]
        if wants_json(request):
            return JsonResponse({"status": "invalid", "message": f"未回复：{message}"}, status=422)
        # The page again, the reply as typed in its box.
        messages.error(request, f"未回复：{message}")
        speech = Speech.objects.with_structure().get(pk=suggestion.speech_id)
        context = editor_context(speech, user=request.user)
        context["reply_draft"] = {"pk": suggestion.pk, "text": form.data.get("text", "")}
        return render(request, "drafts/speech_edit.html", context, status=422)
    SuggestionReply.objects.create(
        suggestion=suggestion, author=request.user, text=form.cleaned_data["text"]
    )
    return done(request, suggestion.speech, [suggestion.anchor], "已回复。", "replied")


# --- The answers


def suggestion_or_gone(request, pk: int):
    """The suggestion, or the answer that it is not there (404 to a reader of none)."""
    try:
        return get_suggestion_for_reader(request, pk)
    except Http404:
        if wants_json(request):
            return JsonResponse({"status": "gone", "message": GONE}, status=404)
        raise


def decision_refused(request, suggestion: Suggestion, status: int, message: str):
    """A step refused: the reason, and the page's view of the suggestion made current
    (it may have been decided meanwhile, or gone stale)."""
    return answer(request, suggestion.speech, [suggestion.anchor], message, "refused", status)


def done(
    request, speech, anchors, message, status, *, suggestion=None, refresh=False, failed=False
):
    """The step went through: the JSON answer, or back to the page with ``message``."""
    when = suggestion.created_at if suggestion is not None else None  # None: now
    if wants_json(request):
        body = suggestion_answer(request, speech.pk, anchors, refresh=refresh)
        # When it was done by the server's clock (TIME_ZONE), as the cards say it.
        body.update(status=status, message=message, at=f"{localtime(when):%H:%M}")
        if suggestion is not None:
            body["suggestion"] = suggestion.pk
        return JsonResponse(body)
    (messages.warning if failed else messages.success)(request, message)
    return redirect(back(request, speech, anchors, suggestion))


def answer(request, speech, anchors, message: str, status: str, code: int):
    """A step not taken: the JSON answer with the units made current, or for a plain
    post the 403 page (the wrong role), a page with the reason (a form no page sends),
    or back to the page with the reason (the suggestion was decided meanwhile...)."""
    if wants_json(request):
        body = suggestion_answer(request, speech.pk, anchors)
        body.update(status=status, message=message)
        return JsonResponse(body, status=code)
    if code == 403:
        raise PermissionDenied(message)
    if code == 422:
        context = {"reason": message, "speech_id": speech.pk}
        return render(request, "drafts/refused.html", context, status=422)
    messages.error(request, message)
    return redirect(back(request, speech, anchors))


def back(request, speech, anchors, suggestion=None) -> str:
    """Where a plain post returns: the editing page or the preview it came from, at the
    unit it was about."""
    editor = reverse("drafts:speech-edit", args=[speech.pk])
    preview = reverse("drafts:speech-preview", args=[speech.pk])
    wanted = request.POST.get("next", "")
    if wanted not in (editor, preview):
        wanted = editor if can_edit(request.user, speech) else preview
    if wanted == editor and anchors:
        key = unit_key(Speech.objects.with_structure().get(pk=speech.pk), anchors[0])
        return wanted + (f"#{key}" if key else "")
    return wanted + (f"#suggestion-{suggestion.pk}" if suggestion else "")
