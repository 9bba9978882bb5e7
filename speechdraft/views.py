"""Project-level views that belong to no app."""

from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@never_cache
@require_safe
def healthz(request):
    """``ok`` for nginx's health checks and the load benchmark's baseline.

    No login and no database: it says the app server answers, and costs only Django's
    own request handling (benchmarks/load.py compares the preview page against it).
    """
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")
