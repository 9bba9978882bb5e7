"""校对 in the editing page (issue 15): proofreading.js sends a field's text as typed and
shows the findings in it; 忽略 is remembered per speech.

Both answer JSON only, for the page's script: 422 with the reason in Chinese for bad
input, 404 for a field that is gone. Checking writes nothing; a fix (一键修改) is made in
the page's text box and saved by editor.js like any typing (save protocol,
``editing.py``), never here.
"""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from ..access import get_speech_for_editor
from ..forms import ProofCheckForm, ProofIgnoreForm
from ..middleware import wants_json
from ..models import IgnoredFinding, WordingRule
from ..proofreading import check_speech
from ..proofreading_marks import addresses, counts, for_script, with_typed

FIELD_GONE = "这一栏已不存在（条目可能已被他人删除），未校对。"


def invalid(form) -> JsonResponse:
    message = next(message for messages in form.errors.values() for message in messages)
    return JsonResponse({"status": "invalid", "message": message}, status=422)


@login_required
@require_POST
def proof_check(request, pk):
    """The findings of one field with the text typed in it (and the rest as stored)."""
    speech = get_speech_for_editor(request, pk, structure=True)
    form = ProofCheckForm(request.POST)
    if not form.is_valid():
        return invalid(form)
    address, text = form.cleaned_data["address"], form.cleaned_data["text"]
    data = with_typed(speech.as_structure(), address, text)
    if data is None:
        return JsonResponse({"status": "gone", "message": FIELD_GONE}, status=404)
    findings = check_speech(data, WordingRule.objects.entries(), only={address})
    ignored = IgnoredFinding.objects.keys_of(speech.pk)
    left = counts(findings, ignored)
    return JsonResponse(
        {
            "status": "checked",
            "address": address,
            "text": text,
            "findings": for_script(findings, text, ignored),
            "errors": left.errors,
            "suggestions": left.suggestions,
        }
    )


@login_required
@require_POST
def proof_ignore(request, pk):
    """忽略 one finding of the speech, or take the 忽略 back (``undo``)."""
    speech = get_speech_for_editor(request, pk, structure=True)
    form = ProofIgnoreForm(request.POST, addresses=addresses(speech.as_structure()))
    if not form.is_valid():
        return invalid(form)
    key = form.cleaned_data["key"]
    if form.cleaned_data["undo"]:
        IgnoredFinding.restore(speech.pk, key)
    else:
        IgnoredFinding.ignore(speech.pk, key, request.user)
    if not wants_json(request):
        return redirect("drafts:speech-edit", pk=speech.pk)
    status = "restored" if form.cleaned_data["undo"] else "ignored"
    return JsonResponse({"status": status, "key": key})
