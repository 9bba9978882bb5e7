"""Template context every page needs."""

from django.utils.functional import SimpleLazyObject

from .access import roles_of


def roles(request) -> dict:
    """``user_roles``: the review roles of the user ("drafter", "reviewer"), so pages
    offer only what the user may do. Lazy: pages that never ask cost no query."""
    return {"user_roles": SimpleLazyObject(lambda: roles_of(request.user))}
