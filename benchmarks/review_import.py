"""What importing a reviewed Word copy costs (drafts/review_import.py, issue 14).

The speech of benchmarks/diff.py (about 37,000 characters), stored, and a copy of it
with 5% of its characters changed in phrases as tracked changes by one reviewer (the
redline export of the two versions: what Word writes for such a review). Times the
import (read, map, record each changed field as a suggestion) against the plain Word
export of the speech, and counts its queries. No target: the figures say what a
drafter waits for. Run: .venv/bin/python benchmarks/review_import.py
"""

import datetime
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.in_process import scratch_app  # noqa: E402

scratch_app("review_import")

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from benchmarks.diff import build_speech, changed_copy, edit_phrases  # noqa: E402
from drafts.assembly import assemble  # noqa: E402
from drafts.docx_changes import redline_docx  # noqa: E402
from drafts.docx_export import render_docx  # noqa: E402
from drafts.models import Speech, Suggestion  # noqa: E402
from drafts.review_import import import_review  # noqa: E402
from drafts.speech_json import to_document  # noqa: E402
from drafts.word_review import map_review, read_review  # noqa: E402
from tests.factories import make_user  # noqa: E402

RUNS = 5


class Undo(Exception):
    pass


def main() -> None:
    rng = random.Random(20261127)
    old = build_speech(rng)
    edited = changed_copy(random.Random(20261201), old, edit_phrases)
    drafter = make_user("drafter", role="起草人员")
    make_user("reviewer", role="审核领导", first_name="人", last_name="审阅")
    speech = Speech.create_from_structure(old, drafter)
    when = datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC)
    docx = redline_docx(to_document(old), to_document(edited), author="审阅人", date=when)
    characters = sum(len(p.text) for p in assemble(old))

    times, queries, counts = [], [], []
    for _ in range(RUNS):
        try:
            with transaction.atomic():
                with CaptureQueriesContext(connection) as captured:
                    start = time.perf_counter()
                    report = import_review(speech, docx, drafter)
                    times.append(time.perf_counter() - start)
                queries.append(len(captured))
                counts.append(Suggestion.objects.count())
                raise Undo
        except Undo:
            pass
    reading = median(lambda: read_review(docx))
    review = read_review(docx)
    mapping = median(lambda: map_review(to_document(old), review))
    plain = median(lambda: render_docx(assemble(old)))
    total = statistics.median(times)
    print(f"speech: {characters} characters, file {len(docx) / 1024:.0f} KB, 5% changed in phrases")
    print(f"suggestions recorded: {counts[0]}, not placed: {len(report.not_placed)}")
    print(f"import (read, map, record): {total * 1000:.0f} ms (median of {RUNS})")
    print(f"  of which read_review {reading * 1000:.0f} ms, map_review {mapping * 1000:.0f} ms")
    print(f"  queries: {queries[0]} ({queries[0] / max(1, counts[0]):.1f} per suggestion)")
    print(f"plain Word export of the speech: {plain * 1000:.0f} ms")
    print(f"ratio import / plain export: {total / plain:.1f}")


def median(function) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


if __name__ == "__main__":
    main()
