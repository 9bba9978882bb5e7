"""Project-level views that belong to no app."""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from drafts.budgets import megabytes
from drafts.middleware import wants_json


@never_cache
@require_safe
def healthz(request):
    """``ok`` for nginx's health checks and the load benchmark's baseline.

    No login and no database: it says the app server answers, and costs only Django's
    own request handling (benchmarks/load.py compares the preview page against it).
    """
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


# Refusals the editing page's scripts asked for (editor.js with ``Accept:
# application/json``, htmx list operations) come back as JSON with the reason in
# Chinese, so the page can show it next to the text the user typed (issue 11); every
# other request gets Django's page (403.html, 404.html).
GONE = "未保存：要修改的内容已不存在，可能已被他人删除。您的文字仍在框中，可另存为新条目或复制。"
# An htmx list operation (move, insert after, delete) on an item a colleague deleted.
LIST_GONE = "要操作的内容已不存在（可能已被他人删除）。请刷新页面后再试。"


def permission_denied(request, exception):
    if wants_json(request):
        message = str(exception) or "没有权限进行此操作。"
        if not request.headers.get("HX-Request"):
            message = f"未保存：{message}"
        return JsonResponse({"status": "refused", "message": message}, status=403)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    if wants_json(request):
        message = LIST_GONE if request.headers.get("HX-Request") else GONE
        return JsonResponse({"status": "gone", "message": message}, status=404)
    return defaults.page_not_found(request, exception)


def bad_request(request, exception):
    """A request Django refused before any view: most often one past the request size
    (DATA_UPLOAD_MAX_MEMORY_SIZE), which the page names, so the user knows what to cut."""
    limit = megabytes(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    message = f"提交的内容有误或过大（单次提交上限 {limit}），未处理。"
    if wants_json(request):
        return JsonResponse({"status": "refused", "message": message}, status=400)
    return render(request, "400.html", {"message": message}, status=400)
