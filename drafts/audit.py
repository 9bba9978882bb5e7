"""The audit log: who did what to which speech, when and from which address."""

from django.conf import settings

from .models import AuditEvent


def client_ip(request) -> str | None:
    """The client's address; behind a trusted proxy, the first X-Forwarded-For entry."""
    if settings.AUDIT_TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None


def record(
    request, action: str, *, speech=None, detail: str = "", user=None, username: str = ""
) -> AuditEvent:
    """Add one row to the log. ``user`` defaults to the request's user; ``username``
    names who tried when nobody is logged in (a failed login)."""
    user = user if user is not None else getattr(request, "user", None)
    return AuditEvent.write(
        action,
        user=user,
        ip=client_ip(request) if request is not None else None,
        speech_id=speech.pk if speech is not None else None,
        detail=detail,
        username=username,
    )
