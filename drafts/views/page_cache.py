"""Whole pages kept in the cache while nothing they show changes.

Reviewers and drafters read a speech far more often than it changes, and the preview
of a long speech takes several times longer to render than to fetch. A cached page is
shared by everyone who would see the same page, except for three things:

- the CSRF token, which differs per browser and which Django masks anew on every
  response, the user's name in the menu and the count of their to-do (我的待办, one
  query): the page is rendered with marks in their place, replaced on the way out;
- messages shown once (“已提交。”): a page with messages waiting is rendered as usual,
  so they show and are used up, and is not cached.

The key must name everything else the page shows (the user's roles, say). It also
carries a digest of the project's code and templates, so that after an upgrade no
server serves a page the old release rendered, even from a cache the servers share.
"""

import functools
import hashlib
from collections.abc import Callable

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.crypto import salted_hmac
from django.utils.html import escape

from .. import todo
from ..access import user_name

# The key sees every change to the speech, its comments and its review; what it cannot
# see (a person renamed in the admin: names in comments and the timeline) shows within
# this time. Reading a speech is bursty, so even five minutes serve most requests.
PAGE_CACHE_SECONDS = 300
# Where the code and templates that render pages live (for ``release``).
SOURCE_FOLDERS = ("drafts", "speechdraft", "templates")


def mark(name: str) -> str:
    """A stand-in for a per-request value: the same on every server sharing the secret
    key, and impossible to type into a speech without knowing that key."""
    return f"mark-{salted_hmac('page-cache-mark', name).hexdigest()[:24]}"


CSRF_MARK = mark("csrf_token")
USER_NAME_MARK = mark("user_name")
TODO_MARK = mark("todo_count")


def cached_page(request, key: str, template: str, context: Callable[[], dict]) -> HttpResponse:
    """``template`` rendered with ``context()``, from the cache under ``key`` if there."""
    token = get_token(request)
    if get_messages(request) or not settings.PAGE_CACHE:
        return render(request, template, context())
    key = f"page:{release()}:{key}"
    html = cache.get(key)
    if html is None:
        marked = {"csrf_token": CSRF_MARK, "user_name": USER_NAME_MARK, "todo_count": TODO_MARK}
        html = render_to_string(template, {**context(), **marked}, request)
        cache.set(key, html, PAGE_CACHE_SECONDS)
    name = escape(user_name(request.user))
    waiting = todo.badge(todo.count(request.user)) if TODO_MARK in html else ""
    html = html.replace(CSRF_MARK, token).replace(USER_NAME_MARK, name)
    return HttpResponse(html.replace(TODO_MARK, waiting))


def key_for(*parts) -> str:
    """A short cache key naming ``parts`` (their text)."""
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()


@functools.cache
def release() -> str:
    """A digest of the code and templates that render pages, read once per process."""
    digest = hashlib.sha256()
    for folder in SOURCE_FOLDERS:
        for path in sorted((settings.BASE_DIR / folder).rglob("*")):
            if path.suffix in (".py", ".html"):
                digest.update(path.relative_to(settings.BASE_DIR).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
