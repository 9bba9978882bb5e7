"""The session as the editing page's script sees it (save-protocol.md, "Session endpoints").

When a save answers 401 the page keeps every typed character, opens the login in a new
tab (which comes back to ``session_done``) and asks ``session_status`` until the user is
logged in again; then it takes the fresh CSRF token (a login rotates it) and saves.
"""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from ..access import user_name
from ..middleware import login_answer, wants_json

CSRF_MESSAGE = "页面的安全校验已过期，正在重试…"


@never_cache
@require_safe
def session_status(request):
    """Who is logged in and the CSRF token to send, or the 401 of an ended session."""
    if not request.user.is_authenticated:
        return login_answer()
    return JsonResponse({"user": user_name(request.user), "csrf": get_token(request)})


@login_required
@require_safe
def session_done(request):
    """Where the login opened from the editing page ends: the user goes back to it."""
    return render(request, "drafts/session_done.html")


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a script gets JSON (it fetches a fresh token and retries);
    a person gets the page that says what to do."""
    if wants_json(request):
        return JsonResponse({"status": "csrf", "message": CSRF_MESSAGE}, status=403)
    return render(request, "403_csrf.html", status=403)
