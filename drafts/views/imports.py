"""Importing last year's speech: paste or upload, see the structure found, then create.

Nothing is written between the two steps: the preview carries the parsed speech as
its ``speechdraft/1`` document in a hidden field, read again on submit.

And importing a reviewed Word copy of a speech (issue 14): its 修订 become suggestions
and its 批注 comments, and the page lists what was recorded and what was not placed.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from .. import audit, review_import, workflow
from ..access import check_can_comment, get_speech_for_reader, roles_of
from ..forms import ReviewImportForm, SpeechImportConfirmForm, SpeechImportForm
from ..importing import count_items, import_speech
from ..models import AuditEvent
from ..parsing import ImportRefused, ParseResult
from ..review_import import import_review
from ..structure import text_fields


def check_can_import(user) -> None:
    if workflow.DRAFTER not in roles_of(user):
        raise PermissionDenied("只有起草人员可以导入讲话稿。")


@login_required
def speech_import(request):
    check_can_import(request.user)
    form = SpeechImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "drafts/speech_import.html", {"form": form}, status=422)
        context = preview_context(form.cleaned_data["parsed"], form.cleaned_data["document"])
        return render(request, "drafts/speech_import_preview.html", context)
    return render(request, "drafts/speech_import.html", {"form": form})


@login_required
@require_POST
def speech_import_create(request):
    check_can_import(request.user)
    confirm = SpeechImportConfirmForm(request.POST, action=reverse("drafts:speech-import-create"))
    if not confirm.is_valid():
        context = {"form": SpeechImportForm(), "confirm_errors": confirm.errors["document"]}
        return render(request, "drafts/speech_import.html", context, status=422)
    result = import_speech(ParseResult(confirm.cleaned_data["document"]), request.user)
    speech = result.speech
    audit.record(request, AuditEvent.Action.CREATE, speech=speech, detail=speech.display_title)
    messages.success(request, f"已导入讲话稿：{result.counts.summary()}。")
    return redirect("drafts:speech-edit", pk=speech.pk)


def preview_context(parsed: ParseResult, document: str) -> dict:
    """Source paragraphs beside the fields they went into, the findings, and the form
    that creates the speech (``document`` is the speech's ``speechdraft/1`` text)."""
    action = reverse("drafts:speech-import-create")
    flagged = {finding.paragraph for finding in parsed.findings}
    return {
        "parsed": parsed,
        "sources": [
            {"number": index + 1, "text": text, "placement": placement, "flagged": index in flagged}
            for index, (text, placement) in enumerate(
                zip(parsed.paragraphs, parsed.placements, strict=True)
            )
        ],
        "fields": [field for field in text_fields(parsed.speech) if field.text.strip()],
        "counts": count_items(parsed.speech),
        "confirm": SpeechImportConfirmForm(initial={"document": document}, action=action),
    }


# --- A reviewed Word copy of a speech (issue 14, Word in)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def speech_review_import(request, pk):
    """导入 Word 审阅稿: anyone who may comment on the speech (not once it is approved)."""
    speech = get_speech_for_reader(request, pk)
    try:
        check_can_comment(request.user, speech)
    except PermissionDenied:
        # The import says why in its own words (the comment rule's are about 批注).
        raise PermissionDenied(review_import.APPROVED) from None
    posted = request.method == "POST"
    form = ReviewImportForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        try:
            report = import_review(
                speech, form.cleaned_data["data"], request.user, ip=audit.client_ip(request)
            )
        except ImportRefused as refused:
            form.add_error("upload", refused.message)
        else:
            context = {"speech": speech, "report": report}
            return render(request, "drafts/speech_review_import_result.html", context)
    status = 422 if posted else 200
    context = {"speech": speech, "form": form}
    return render(request, "drafts/speech_review_import.html", context, status=status)
