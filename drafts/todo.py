"""我的待办: the open suggestions and comments addressed to a person (issue 14).

Addressed to a drafter: what others proposed or remarked on the speeches the drafter
owns or has edited, while there is something to do about it (a suggestion is decided
while the speech is being drafted or was returned; a comment is answered or resolved
until the speech is approved). Addressed to a reviewer: the answers others gave to the
reviewer's own open suggestions and comments, as long as the last word in the thread
is not the reviewer's. A person with both roles gets both.

Every page's menu shows how many (:func:`count`): one query, whatever the number of
speeches, suggestions and comments.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import F, Max, Q, QuerySet

from . import workflow
from .access import agency_id_of, readable_speeches, roles_of, table
from .models import Comment, Revision, Speech, Suggestion, SuggestionReply

# Where a suggestion can be decided (accepting writes the text), and a comment
# answered or resolved (until the approval makes the speech read-only).
DECIDABLE = (Speech.Status.DRAFT, Speech.Status.RETURNED)
ANSWERABLE = (Speech.Status.DRAFT, Speech.Status.RETURNED, Speech.Status.SUBMITTED)
# The badge counts this far and then says “99+”.
MOST = 99


def suggestions_for(user) -> QuerySet:
    """The open suggestions addressed to ``user``, newest first."""
    readable = readable_speeches(user).values("pk")
    found = Suggestion.objects.open().filter(speech__in=readable)
    addressed = _addressed(user, found, DECIDABLE)
    return found.filter(addressed).order_by("-created_at", "-pk")


def comments_for(user) -> QuerySet:
    """The open comments (threads not resolved) addressed to ``user``, newest first."""
    readable = readable_speeches(user).values("pk")
    found = Comment.objects.open().filter(speech__in=readable)
    addressed = _addressed(user, found, ANSWERABLE)
    return found.filter(addressed).order_by("-created_at", "-pk")


def count(user) -> int:
    """How many suggestions and comments are addressed to ``user``, up to ``MOST``
    (``MOST + 1`` for more): one query, the same rule as :func:`suggestions_for` and
    :func:`comments_for` (the tests hold them to it).

    In SQL because every page asks: built with the ORM, the query took 20 ms to
    compile for 1 ms of running (SQLite, benchmarks/todo_badge.py), as
    ``access.UserWithRolesBackend`` found for the user's own query.
    """
    roles = roles_of(user) if user.is_authenticated else set()
    agency_id = agency_id_of(user) if roles else None
    if not roles or (agency_id is None and not user.is_superuser):
        return 0
    quote = connection.ops.quote_name
    speech, revision = table(Speech), table(Revision)
    readable = "sp.deleted_at IS NULL" + ("" if user.is_superuser else " AND sp.agency_id = %s")
    agency = [] if user.is_superuser else [agency_id]
    counts, params = [], []
    for model, reply_model, opened, statuses, parent in (
        (Suggestion, SuggestionReply, "t.status = %s", DECIDABLE, "suggestion_id"),
        (Comment, Comment, "t.parent_id IS NULL AND t.resolved_at IS NULL", ANSWERABLE,
         "parent_id"),
    ):  # fmt: skip
        opened_params = [Suggestion.Status.OPEN] if model is Suggestion else []
        addressed, addressed_params = [], []
        if workflow.DRAFTER in roles:
            addressed.append(
                f"(sp.status IN ({_marks(statuses)}) AND (sp.owner_id = %s OR sp.id IN"
                f" (SELECT speech_id FROM {revision} WHERE author_id = %s))"
                " AND (t.author_id IS NULL OR t.author_id <> %s))"
            )
            addressed_params += [*statuses, user.pk, user.pk, user.pk]
        if workflow.REVIEWER in roles:
            # Someone else's answer with none of the reviewer's at or after it.
            replies = table(reply_model)
            addressed.append(
                f"(t.author_id = %s AND sp.status IN ({_marks(ANSWERABLE)}) AND EXISTS"
                f" (SELECT 1 FROM {replies} r WHERE r.{quote(parent)} = t.id AND r.author_id <> %s"
                f" AND NOT EXISTS (SELECT 1 FROM {replies} m WHERE m.{quote(parent)} = t.id"
                " AND m.author_id = %s AND m.created_at >= r.created_at)))"
            )
            addressed_params += [user.pk, *ANSWERABLE, user.pk, user.pk]
        # Counted up to MOST + 1 each: the badge says 99+ past that, and the database
        # stops looking there, however many threads a person has.
        counts.append(
            f"(SELECT COUNT(*) FROM (SELECT 1 FROM {table(model)} t JOIN {speech} sp"
            f" ON sp.id = t.speech_id WHERE {opened} AND {readable}"
            f" AND ({' OR '.join(addressed)}) LIMIT {MOST + 1}) found)"
        )
        params += [*opened_params, *agency, *addressed_params]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + " + ".join(counts), params)
        return min(cursor.fetchone()[0], MOST + 1)


def badge(waiting: int) -> str:
    """What the menu's badge says: nothing for none (an empty badge is not shown).

    >>> badge(0), badge(7), badge(MOST + 1)
    ('', '7', '99+')
    """
    if not waiting:
        return ""
    return f"{MOST}+" if waiting > MOST else str(waiting)


def _marks(values) -> str:
    return ", ".join(["%s"] * len(values))


def _addressed(user, found: QuerySet, statuses) -> Q:
    """Which of ``found`` (open suggestions or comments, answered by their ``replies``)
    are addressed to ``user``, on speeches in one of ``statuses``."""
    roles = roles_of(user)
    addressed = Q(pk__in=[])
    if workflow.DRAFTER in roles:
        edited = Revision.objects.filter(author=user).values("speech_id")  # by its index
        drafted = readable_speeches(user).filter(Q(owner=user) | Q(pk__in=edited))
        addressed |= Q(speech__in=drafted.values("pk"), speech__status__in=statuses) & ~Q(
            author=user
        )
    if workflow.REVIEWER in roles:
        # Someone else's answer later than any of the reviewer's own.
        answered = (
            found.filter(author=user, speech__status__in=ANSWERABLE)
            .annotate(
                theirs=Max("replies__created_at", filter=~Q(replies__author=user)),
                mine=Max("replies__created_at", filter=Q(replies__author=user)),
            )
            .filter(Q(theirs__gt=F("mine")) | Q(theirs__isnull=False, mine__isnull=True))
        )
        addressed |= Q(pk__in=answered.values("pk"))
    return addressed
