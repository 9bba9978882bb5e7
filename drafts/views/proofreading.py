"""Proofreading (校对, issue 15): the 校对报告 download."""

from django.contrib.auth.decorators import login_required
from django.utils import timezone
from django.views.decorators.http import require_safe

from .. import audit
from ..access import get_speech_for_reader
from ..models import AuditEvent, WordingRule
from ..proofreading import check_speech
from ..proofreading_report import ReportInfo, render_report
from .speeches import DOCX_TYPE, download


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
