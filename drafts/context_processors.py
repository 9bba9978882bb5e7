"""Template context every page needs."""

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from . import todo
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


def todo_count(request) -> dict:
    """``todo_count``: how many open suggestions and comments are addressed to the user
    (我的待办; "" for none, 99+ past 99), for the badge in the menu of every page. Lazy:
    one query on the pages that show the menu, none on the htmx fragments."""
    return {"todo_count": SimpleLazyObject(lambda: todo.badge(todo.count(request.user)))}
