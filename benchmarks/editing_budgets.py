"""What the editing page's budgets cost: each hostile input just over its limit (the
refusal) and just under it (the work it still asks for), timed through the app in
process on a scratch SQLite database. Prints milliseconds, the median of RUNS.

- field_chars: a save of field_chars + 1 characters into an item's body, and of
  field_chars (the largest text a field takes);
- items_per_list: an add into a full list, and the add that fills it;
- speech_chars: a save that takes the speech one character past it, and one that fills it;
- an id past a bigint in a URL (404).

Run: .venv/bin/python benchmarks/editing_budgets.py
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.in_process import scratch_app  # noqa: E402

scratch_app("budgets")

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402

from drafts.models import Item, Part, stored_chars  # noqa: E402
from tests.factories import make_speech, make_user  # noqa: E402

RUNS = int(os.environ.get("SPEECHDRAFT_BENCH_RUNS", "5"))
JSON = {"HTTP_ACCEPT": "application/json"}
HTMX = {"HTTP_HX_REQUEST": "true"}


def timed(call) -> tuple[float, int]:
    times, status = [], None
    for _ in range(RUNS):
        start = time.perf_counter()
        status = call()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), status


def save_body(client, item, body):
    item = Item.objects.get(pk=item.pk)
    data = {"lead": item.lead, "body": body, "version": item.version, "base_body": item.body}
    data["base_lead"] = item.lead
    return client.post(f"/items/{item.pk}/", data, **JSON).status_code


def main() -> None:
    budgets = settings.BUDGETS
    drafter = make_user("bench-budgets", role="起草人员")
    client = Client()
    client.force_login(drafter)
    rows = []

    limit = budgets["field_chars"]
    speech = make_speech(owner=drafter)
    item = Item.objects.filter(part__speech=speech, kind="measure").first()
    over = timed(lambda: save_body(client, item, "长" * (limit + 1)))
    # Alternating two texts of the full length, so each run writes.
    texts = iter(["甲" * limit, "乙" * limit] * RUNS)
    under = timed(lambda: save_body(client, item, next(texts)))
    rows.append((f"field_chars ({limit})", over, under))

    limit = budgets["items_per_list"]
    speech = make_speech(owner=drafter, lessons=limit - 1)
    part = Part.objects.get(speech=speech, kind="achievements")
    url = f"/parts/{part.pk}/items/lesson/add/"

    def fill_then_remove():
        status = client.post(url, {}, **HTMX).status_code
        last = Item.objects.filter(part=part, kind="lesson").order_by("position").last()
        last.remove(drafter)
        return status

    under = timed(fill_then_remove)
    client.post(url, {}, **HTMX)
    over = timed(lambda: client.post(url, {}, **HTMX).status_code)
    rows.append((f"items_per_list ({limit}), htmx add", over, under))

    limit = budgets["speech_chars"]
    speech = make_speech(owner=drafter)
    item = Item.objects.filter(part__speech=speech, kind="measure").order_by("position").last()
    body = item.body
    # Fill the speech with full-length bodies until ``item`` alone can take it past.
    field = budgets["field_chars"]
    for target in Item.objects.filter(part__speech=speech).exclude(pk=item.pk):
        room = limit - stored_chars(speech.pk)
        if room <= field - len(body):
            break
        Item.objects.filter(pk=target.pk).update(body="满" * min(field, len(target.body) + room))
    room = limit - stored_chars(speech.pk)
    over = timed(lambda: save_body(client, item, body + "超" * (room + 1)))
    texts = iter([body + "甲" * room, body + "乙" * room] * RUNS)
    under = timed(lambda: save_body(client, item, next(texts)))
    rows.append((f"speech_chars ({limit})", over, under))

    huge = timed(lambda: client.get(f"/speeches/{'9' * 30}/").status_code)
    fine = timed(lambda: client.get(f"/speeches/{speech.pk}/").status_code)
    rows.append(("id past a bigint in the URL / the editing page", huge, fine))

    print(f"{'budget':48} {'just over: ms, status':>22} {'just under: ms, status':>24}")
    for name, (over_ms, over_status), (under_ms, under_status) in rows:
        print(f"{name:48} {over_ms:14.1f} {over_status:>7} {under_ms:16.1f} {under_status:>7}")


if __name__ == "__main__":
    main()
