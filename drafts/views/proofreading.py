"""校对 (issue 15): the 校对报告 download, and the editing page's live proofreading —
proofreading.js sends a field's text as typed and shows the findings in it; 忽略 is
remembered per speech.

The editing page's endpoints answer JSON, for the page's script: 422 with the reason in
Chinese for bad input, 404 for a field that is gone. Checking writes nothing; a fix
(一键修改) is made in the page's text box and saved by editor.js like any typing (save
protocol, ``editing.py``), never here.
"""

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from .. import audit
from ..access import check_can_edit, get_speech_for_editor, get_speech_for_reader, may_read
from ..forms import ProofCheckForm, ProofIgnoreForm
from ..middleware import wants_json
from ..models import AuditEvent, IgnoredFinding, Speech, WordingRule
from ..proofreading import check_speech
from ..proofreading_marks import addresses, counts, for_script, with_typed
from ..proofreading_report import ReportInfo, render_report
from .page_cache import PAGE_CACHE_SECONDS, key_for, release
from .speeches import DOCX_TYPE, download

FIELD_GONE = "这一栏已不存在（条目可能已被他人删除），未校对。"


def invalid(form) -> JsonResponse:
    message = next(message for messages in form.errors.values() for message in messages)
    return JsonResponse({"status": "invalid", "message": message}, status=422)


def stored_basis(speech) -> tuple:
    """What a check reads besides the typed text: the stored speech as structure, the
    house list and the keys ignored in it, kept in the cache while the speech's stamp
    (which sees all three, ``SpeechQuerySet.get_stamped``) stays the same: a drafter
    typing asks for a check every pause, and the speech changes only at a save."""
    key = f"proof-basis:{release()}:{key_for(speech.pk, *speech.page_stamp)}"
    basis = cache.get(key)
    if basis is None:
        data = Speech.objects.with_structure().get(pk=speech.pk).as_structure()
        ignored = IgnoredFinding.objects.keys_of(speech.pk)
        basis = (data, WordingRule.objects.entries(), ignored)
        cache.set(key, basis, PAGE_CACHE_SECONDS)
    return basis


@login_required
@require_POST
def proof_check(request, pk):
    """The findings of one field with the text typed in it (and the rest as stored)."""
    speech = Speech.objects.get_stamped(pk)
    if speech is None or not may_read(request.user, speech):
        raise Http404
    check_can_edit(request.user, speech)
    form = ProofCheckForm(request.POST)
    if not form.is_valid():
        return invalid(form)
    address, text = form.cleaned_data["address"], form.cleaned_data["text"]
    stored, wording, ignored = stored_basis(speech)
    data = with_typed(stored, address, text)
    if data is None:
        return JsonResponse({"status": "gone", "message": FIELD_GONE}, status=404)
    findings = check_speech(data, wording, only={address})
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


# --- The 校对报告


@login_required
@require_safe
def proofreading_report_docx(request, pk):
    speech = get_speech_for_reader(request, pk, structure=True)
    data = speech.as_structure()
    info = ReportInfo(
        title=speech.display_title,
        status=speech.get_status_display(),
        organization=speech.organization,
        checked_at=timezone.localtime(),
    )
    content = render_report(data, check_speech(data, WordingRule.objects.entries()), info)
    audit.record(request, AuditEvent.Action.EXPORT, speech=speech, detail="校对报告")
    return download(content, DOCX_TYPE, speech, "docx", "（校对报告）")
