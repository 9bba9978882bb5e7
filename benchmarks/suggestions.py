"""What open suggestions (修改建议, issue 14) cost the pages that show them.

The preview marks each open suggestion in the text by assembling the speech once with
it applied (drafts/marking.py); the editor re-bases each onto its field. A long speech
(160 items, about 30,000 characters) is rendered with no suggestion, then with 10 and
50 open ones on different items, through the test client (the page cache is off).

Prints the median milliseconds of a few runs and the ratio to the page without
suggestions. Run: .venv/bin/python benchmarks/suggestions.py
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.in_process import scratch_app  # noqa: E402

scratch_app("suggestions", DJANGO_PAGE_CACHE="0")

from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from drafts.models import Item, Speech, Suggestion  # noqa: E402
from tests.factories import make_user, sample_structure  # noqa: E402

RUNS = int(os.environ.get("SPEECHDRAFT_BENCH_RUNS", "5"))


def median_ms(client: Client, url: str) -> float:
    client.get(url)  # templates compiled, numbers cached: not what is measured
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        assert client.get(url).status_code == 200
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    drafter = make_user("bench-drafter", role="起草人员")
    leader = make_user("bench-leader", role="审核领导")
    data = sample_structure(achievements=40, lessons=40, shortcomings=40, measures=40)
    for item in data.part_one.achievements + data.part_two.measures:
        item.body *= 20
    speech = Speech.create_from_structure(data, drafter)
    items = list(Item.objects.filter(part__speech=speech).exclude(body=""))
    chars = sum(len(item.lead) + len(item.body) for item in items)
    pages = {}
    for name, user in (("preview", leader), ("editor", drafter)):
        client = Client()
        client.force_login(user)
        route = "drafts:speech-preview" if name == "preview" else "drafts:speech-edit"
        pages[name] = (client, reverse(route, args=[speech.pk]))
    print(f"A speech of {len(items)} items, {chars} characters in them.")
    baseline = {name: median_ms(*page) for name, page in pages.items()}
    preview, editor = baseline["preview"], baseline["editor"]
    print(f"  no suggestion: preview {preview:6.0f} ms, editor {editor:6.0f} ms")
    made = 0
    for count in (10, 50):
        for item in items[made:count]:
            Suggestion.propose(
                speech.pk,
                item.anchor,
                "body",
                base=item.body,
                proposed=item.body[:8] + "进一步" + item.body[8:],
                user=leader,
            )
        made = count
        times = {name: median_ms(*page) for name, page in pages.items()}
        ratios = {name: times[name] / baseline[name] for name in times}
        print(
            f"  {count:2d} open:       preview {times['preview']:6.0f} ms"
            f" ({ratios['preview']:.2f}×), editor {times['editor']:6.0f} ms"
            f" ({ratios['editor']:.2f}×)"
        )


if __name__ == "__main__":
    main()
