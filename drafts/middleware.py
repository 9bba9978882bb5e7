"""The project's middlewares: sliding sessions, and JSON answers for the page's scripts.

Sessions end after 30 idle minutes without a database write on every request.
"""

import time
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render, resolve_url
from django.urls import reverse

# How stale the session's expiry may get before a request renews it. Renewing on every
# request (SESSION_SAVE_EVERY_REQUEST) writes the session row on every page and every
# htmx save; renewing at most once a minute keeps the idle time-out within a minute of
# SESSION_COOKIE_AGE at a fraction of the writes.
RENEW_AFTER_SECONDS = 60


# Requests the page sends by itself, not for anything the user did (the presence beat,
# asking whether the session is back): they must not keep an unattended page logged in.
BACKGROUND_HEADER = "X-Background"


class SlidingSessionMiddleware:
    """Renew a session's expiry when it is more than a minute old, unless the request is
    the page's own background traffic (``BACKGROUND_HEADER``).

    Only a session that exists and that the request used: renewing before the view ran
    loaded the session of every request with a cookie, and marking an unknown key's
    empty session as modified made Django save it, one new row per request, /healthz
    included (issue 13, point 8). After the response, the session has been read if
    anything needed the user, and it is empty if its key was unknown or expired.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if (
            session is not None
            and session.accessed
            and not session.is_empty()
            and not request.headers.get(BACKGROUND_HEADER)
        ):
            now = int(time.time())
            if now - session.get("_renewed_at", 0) >= RENEW_AFTER_SECONDS:
                # Marks the session modified: SessionMiddleware saves it with a new expiry.
                session["_renewed_at"] = now
        return response


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


class JsonAnswersMiddleware:
    """Script requests get the 401 JSON instead of the login redirect of ``login_required``.

    Without it an ended session answered an htmx save with the login page, which htmx
    swapped into the section (issue 11, point 1). A refusal (403, 404) of a script
    request is answered in JSON by the project's handlers (speechdraft/views.py).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 302 and wants_json(request) and self.is_login_redirect(response):
            return login_answer()
        if response.status_code == 405 and not response.content:
            return method_not_allowed(request, response)
        return response

    @staticmethod
    def is_login_redirect(response) -> bool:
        return urlsplit(response["Location"]).path == resolve_url(settings.LOGIN_URL)


NOT_ALLOWED = "这个地址只接收表单提交，不能直接打开。请回到上一页，用页面上的按钮操作。"


def method_not_allowed(request, refused: HttpResponse) -> HttpResponse:
    """``require_POST`` answers a GET with an empty 405: a browser shows its own English
    error page when someone opens a form's address again (the address bar still holds it
    after a refused submit). A page in Chinese, or JSON for the page's scripts."""
    if wants_json(request):
        response = JsonResponse({"status": "refused", "message": NOT_ALLOWED}, status=405)
    else:
        response = render(request, "405.html", {"message": NOT_ALLOWED}, status=405)
    response["Allow"] = refused.get("Allow", "")
    return response
