"""Template context every page needs."""

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .access import roles_of, user_name


def roles(request) -> dict:
    """``user_roles``: the review roles of the user ("drafter", "reviewer"), so pages
    offer only what the user may do, and ``user_name``, how the menu names the user.
    Lazy: pages that never ask cost nothing."""
    return {
        "user_roles": SimpleLazyObject(lambda: roles_of(request.user)),
        "user_name": SimpleLazyObject(lambda: user_name(request.user)),
    }


def trash(request) -> dict:
    """``trash_days``: how long the trash (回收站) keeps what was deleted, for the pages
    that say so (the delete buttons' questions, the notice after a delete)."""
    return {"trash_days": settings.TRASH_DAYS}
