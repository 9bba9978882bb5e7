"""The work of one comparison and of one merge is bounded (issue 13, case 3).

1. The compare page of a speech whose 30 items of 19,000 characters each all changed
   (old and new texts unrelated): without a budget each item's diff ran into
   diff-match-patch's own two-second timeout, 60 s in all, the worker limit. With
   ``compare_chars`` and ``compare_milliseconds`` one deadline is shared by every
   diff, and past it changed paragraphs are shown whole (差异过大，已按段落显示).
2. A save whose three texts (base, theirs, mine) are unrelated 20,000-character texts:
   the three-way merge, run while the speech row is locked, is bounded by
   ``merge_milliseconds`` and then is a conflict.

Prints seconds (page) and milliseconds (merge), the median of a few runs, and the ratio
to the budget. Run: .venv/bin/python benchmarks/compare_budget.py
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.in_process import scratch_app  # noqa: E402

# The speech itself is past today's budgets (stored before them): 570,000 characters.
scratch_app("compare", DJANGO_MAX_SPEECH_CHARS="2000000")

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402

from drafts import merging  # noqa: E402
from drafts.models import Item, Snapshot, Speech, Transition  # noqa: E402
from drafts.structure import LeadItem, PartOne  # noqa: E402
from tests.factories import make_user, sample_structure  # noqa: E402

ITEMS, CHARS = 30, 19_000
RUNS = int(os.environ.get("SPEECHDRAFT_BENCH_RUNS", "3"))
WORDS = [
    "统计",
    "数据",
    "质量",
    "基层",
    "台账",
    "核查",
    "规范",
    "制度",
    "服务",
    "决策",
    "培训",
    "队伍",
    "平台",
    "共享",
    "应用",
]


def text(seed: int, size: int) -> str:
    pick = random.Random(seed)
    words = []
    while sum(map(len, words)) < size:
        words.append(pick.choice(WORDS) + ("。" if pick.random() < 0.1 else ""))
    return "".join(words)[:size]


def page_seconds() -> tuple[float, int, bool]:
    drafter = make_user("bench-drafter", role="起草人员")
    data = sample_structure(
        part_one=PartOne(
            heading="对比测试",
            achievements=[LeadItem("领句。", text(n, CHARS)) for n in range(ITEMS)],
        )
    )
    speech = Speech.create_from_structure(data, drafter)
    submitted = Transition.objects.create(
        speech=speech, action="submit", from_status="draft", to_status="submitted", actor=drafter
    )
    snapshot = Snapshot.take(speech, submitted)
    for n, item in enumerate(Item.objects.filter(part__speech=speech, kind="achievement")):
        Item.objects.filter(pk=item.pk).update(body=text(1000 + n, CHARS))
    client = Client()
    client.force_login(drafter)
    url = f"/speeches/{speech.pk}/compare/?old={snapshot.pk}&new=current"
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
    html = response.content.decode()
    return statistics.median(times), response.status_code, "差异过大，已按段落显示" in html


def merge_milliseconds() -> tuple[float, str]:
    base, theirs, mine = text(1, 20_000), text(2, 20_000), text(3, 20_000)
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        outcome = merging.merge_field(base, theirs, mine).outcome
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), outcome.name


def main() -> None:
    budgets = settings.BUDGETS
    seconds, status, notice = page_seconds()
    limit = budgets["compare_milliseconds"] / 1000
    print(f"compare page, {ITEMS} items × {CHARS} changed characters: {seconds:.2f} s")
    print(f"  status {status}, notice 差异过大 shown: {notice}; budget {limit:.1f} s,")
    print(f"  ratio to the budget {seconds / limit:.2f}")
    ms, outcome = merge_milliseconds()
    merge_limit = budgets.get("merge_milliseconds")
    print(f"merge of three unrelated 20,000-character texts: {ms:.0f} ms, {outcome}")
    if merge_limit:
        print(f"  budget {merge_limit} ms, ratio {ms / merge_limit:.2f}")


if __name__ == "__main__":
    main()
