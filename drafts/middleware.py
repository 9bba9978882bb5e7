"""The project's middlewares: sliding sessions, and JSON answers for the page's scripts.

Sessions end after 30 idle minutes without a database write on every request.
"""

import time
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import resolve_url
from django.urls import reverse

# How stale the session's expiry may get before a request renews it. Renewing on every
# request (SESSION_SAVE_EVERY_REQUEST) writes the session row on every page and every
# htmx save; renewing at most once a minute keeps the idle time-out within a minute of
# SESSION_COOKIE_AGE at a fraction of the writes.
RENEW_AFTER_SECONDS = 60


class SlidingSessionMiddleware:
    """Renew a logged-in session's expiry when it is more than a minute old."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.COOKIES.get(settings.SESSION_COOKIE_NAME):
            now = int(time.time())
            renewed = request.session.get("_renewed_at", 0)
            if now - renewed >= RENEW_AFTER_SECONDS:
                # Marks the session modified: SessionMiddleware saves it with a new expiry.
                request.session["_renewed_at"] = now
        return self.get_response(request)


def wants_json(request) -> bool:
    """Whether ``request`` comes from the page's own script (editor.js asks for JSON,
    htmx says so in a header) rather than from a person following a link: such a
    request must get an answer a script understands, never a page to swap in."""
    return "application/json" in request.headers.get("Accept", "") or bool(
        request.headers.get("HX-Request")
    )


def login_answer() -> JsonResponse:
    """The 401 of save-protocol.md: the session has ended; the login (in a new tab)
    comes back to a page that says to return to the editor."""
    login_url = (
        resolve_url(settings.LOGIN_URL) + "?" + urlencode({"next": reverse("drafts:session-done")})
    )
    return JsonResponse(
        {"status": "login", "message": "登录已过期，请重新登录", "login_url": login_url},
        status=401,
    )


REFUSED = "您没有权限进行此操作。"
GONE = "要操作的内容已不存在（可能已被他人删除）。请刷新页面后再试。"


class JsonAnswersMiddleware:
    """Script requests get JSON instead of a page when a login or a right is missing.

    Without it an ended session answers an htmx save with the login page, which htmx
    swapped into the section (issue 11, point 1), and a 403 or 404 of an htmx list
    operation showed nothing at all (point 2). Views that answer JSON themselves (the
    unit saves) keep their own answers; this only replaces the login redirect of
    ``login_required`` and the error pages of PermissionDenied and Http404.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 302 and wants_json(request) and self.is_login_redirect(response):
            return login_answer()
        return response

    @staticmethod
    def is_login_redirect(response) -> bool:
        return urlsplit(response["Location"]).path == resolve_url(settings.LOGIN_URL)

    def process_exception(self, request, exception):
        if not wants_json(request):
            return None
        if isinstance(exception, PermissionDenied):
            message = str(exception) or REFUSED
            return JsonResponse({"status": "refused", "message": message}, status=403)
        if isinstance(exception, Http404):
            return JsonResponse({"status": "gone", "message": GONE}, status=404)
        return None
