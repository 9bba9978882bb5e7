"""Sessions that end after 30 idle minutes without a database write on every request."""

import time

from django.conf import settings

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
