"""What the 我的待办 badge in every page's menu costs (issue 14, drafts/todo.py).

An agency with 300 speeches, 6,000 saves, 900 open suggestions and 1,500 comment threads
of three; a trivial login-required page (修改密码, nothing on it but the menu and a
form) is requested by a drafter and by a reviewer with the badge and without it (its
count not asked for). Prints the least time of interleaved runs of each, the
badge query alone, and the ratio with / without (each request with the badge followed
by one without). On a busy machine the two pages' times move by more than the query
takes: the last figure, the query's time over the page's, is the steadier one.

Run: .venv/bin/python benchmarks/todo_badge.py (a scratch SQLite file); with
``TODO_BENCH_DATABASE_URL=postgres://…/an_empty_database`` on PostgreSQL (the tables are
created there, and the rows stay).
"""

import contextlib
import datetime
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.in_process import scratch_app  # noqa: E402

extra = {}
if os.environ.get("TODO_BENCH_DATABASE_URL"):
    extra["DATABASE_URL"] = os.environ["TODO_BENCH_DATABASE_URL"]
scratch_app("todo_badge", **extra)

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from drafts import todo  # noqa: E402
from drafts.access import DRAFTER_GROUP, REVIEWER_GROUP  # noqa: E402
from drafts.models import Comment, Revision, Speech, Suggestion, SuggestionReply  # noqa: E402
from drafts.structure import Speech as SpeechData  # noqa: E402
from tests.factories import make_user  # noqa: E402

SPEECHES, SAVES, SUGGESTIONS, THREADS = 300, 20, 3, 5
RUNS = int(os.environ.get("SPEECHDRAFT_BENCH_RUNS", "200"))


def populate():
    drafters = [make_user(f"drafter{n}", role=DRAFTER_GROUP) for n in range(5)]
    leaders = [make_user(f"leader{n}", role=REVIEWER_GROUP) for n in range(3)]
    now = timezone.now()
    for number in range(SPEECHES):
        owner = drafters[number % len(drafters)]
        data = SpeechData(title=f"讲话稿{number}", opening=f"第{number}篇的开场白。")
        speech = Speech.create_from_structure(data, owner)
        Revision.objects.bulk_create(
            Revision(speech=speech, anchor="opening", label="开场白", fields={}, author=owner)
            for _ in range(SAVES)
        )
        suggestions = Suggestion.objects.bulk_create(
            Suggestion(
                speech=speech,
                anchor="opening",
                field="opening",
                label="开场白",
                author=leaders[k % len(leaders)],
                base=data.opening,
                proposed=data.opening + f"补充{k}。",
            )
            for k in range(SUGGESTIONS)
        )
        SuggestionReply.objects.bulk_create(
            SuggestionReply(suggestion=s, author=owner, text="收到") for s in suggestions[:1]
        )
        for k in range(THREADS):
            leader = leaders[k % len(leaders)]
            thread = Comment.objects.create(
                speech=speech, anchor="opening", author=leader, text=f"意见{k}"
            )
            when = now + datetime.timedelta(seconds=k)
            Comment.objects.bulk_create(
                [
                    Comment(speech=speech, anchor="opening", author=owner, text="已改",
                            parent=thread, created_at=when),
                    Comment(speech=speech, anchor="opening", author=leader, text="好",
                            parent=thread, created_at=when + datetime.timedelta(seconds=1)),
                ][: 1 + k % 2]
            )  # fmt: skip
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would have: the planner's statistics
    return drafters[0], leaders[0]


@contextlib.contextmanager
def without_badge():
    """The page as it was before the badge: its count is never asked for."""
    counted = todo.count
    todo.count = lambda user: 0
    try:
        yield
    finally:
        todo.count = counted


def alternated(request) -> tuple[float, float]:
    """The least time of ``request`` with the badge and without it, one after the other
    so that whatever else the machine does weighs on both alike."""
    shown = plain = float("inf")
    for _ in range(RUNS):
        start = time.perf_counter()
        request()
        shown = min(shown, time.perf_counter() - start)
        with without_badge():
            start = time.perf_counter()
            request()
            plain = min(plain, time.perf_counter() - start)
    return shown, plain


def least(function, runs: int = RUNS) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    drafter, leader = populate()
    url = reverse("password_change")
    print(f"{connection.vendor}: {SPEECHES} speeches, {Suggestion.objects.count()} open "
          f"suggestions, {Comment.objects.filter(parent=None).count()} threads, "
          f"{Revision.objects.count()} saves")  # fmt: skip
    for person in (drafter, leader):
        client = Client()
        client.force_login(person)
        client.get(url)
        shown, plain = alternated(lambda c=client: c.get(url))
        query = least(lambda p=person: todo.count(p))
        role = "drafter" if person is drafter else "reviewer"
        print(f"{role}: {todo.count(person)} waiting; page with the badge {shown * 1000:.2f} ms, "
              f"without {plain * 1000:.2f} ms, ratio {shown / plain:.2f}; the count alone "
              f"{query * 1000:.2f} ms, (page without + count) / page without "
              f"{(plain + query) / plain:.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
