"""What the editing page's live proofreading costs (issue 15): one check of a field as
typed (``drafts:speech-proof-check``), against a trivial login-required view (the floor
every request of a logged-in user pays: session, user, middleware), timed through the
app in process on a scratch SQLite database. Prints milliseconds, the median of RUNS,
and the ratio to the floor.

Speeches: the sample with 3 items of each kind, and one of about 37,000 characters (the
issue's benchmark size); fields: the opening, and an achievement's body (its siblings'
leads and the repeated-sentence rule read the whole speech).

Run: .venv/bin/python benchmarks/proofreading_live.py
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.in_process import scratch_app  # noqa: E402

scratch_app("proofreading_live")

from django.contrib.auth.decorators import login_required  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import clear_url_caches, path, reverse  # noqa: E402

import speechdraft.urls  # noqa: E402
from drafts.models import Item, stored_chars  # noqa: E402
from tests.factories import make_speech, make_user  # noqa: E402

RUNS = int(os.environ.get("SPEECHDRAFT_BENCH_RUNS", "41"))
JSON = {"HTTP_ACCEPT": "application/json"}
TYPED = "我们要推动推动工作,做为重点，截止6月底完成３项任务。。"


@login_required
def trivial(request):
    return HttpResponse("ok")


speechdraft.urls.urlpatterns.append(path("bench/trivial/", trivial, name="bench-trivial"))
clear_url_caches()


def timed(call) -> float:
    call()  # warm: the first request compiles regexes and fills caches
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        status = call()
        times.append((time.perf_counter() - start) * 1000)
        assert status == 200, status
    return statistics.median(times)


def long_speech(owner):
    """About 37,000 characters: 40 achievements and 40 measures with bodies of about
    430 characters, every sentence its own (a real speech does not repeat itself)."""
    speech = make_speech(owner=owner, achievements=40, lessons=8, shortcomings=8, measures=40)
    items = Item.objects.filter(part__speech=speech, kind__in=["achievement", "measure"])
    for n, item in enumerate(items, start=1):
        body = "".join(
            f"第{n}项工作的第{k}个环节，围绕年度目标梳理任务清单，建立台账、明确责任、限时办结，"
            f"每月调度一次进展，对滞后的{k}类事项挂牌督办。"
            for k in range(1, 8)
        )
        Item.objects.filter(pk=item.pk).update(body=body)
    return speech


def main() -> None:
    drafter = make_user("bench-proof", role="起草人员")
    client = Client()
    client.force_login(drafter)
    floor = timed(lambda: client.get(reverse("bench-trivial")).status_code)
    rows = [("trivial login-required view", floor)]
    for name, speech in (
        ("sample speech", make_speech(owner=drafter)),
        ("37k speech", long_speech(drafter)),
    ):
        chars = stored_chars(speech.pk)
        url = reverse("drafts:speech-proof-check", args=[speech.pk])
        item = Item.objects.filter(part__speech=speech, kind="achievement").first()
        for field, address, text in (
            ("opening", "opening/opening", speech.opening + TYPED),
            ("achievement body", f"item:{item.pk}/body", item.body + TYPED),
        ):
            data = {"address": address, "text": text}
            ms = timed(lambda url=url, data=data: client.post(url, data, **JSON).status_code)
            rows.append((f"check: {name} ({chars} chars), {field}", ms))
    print(f"{'request':60} {'ms':>7} {'× floor':>8}")
    for label, ms in rows:
        print(f"{label:60} {ms:7.2f} {ms / floor:8.1f}")


if __name__ == "__main__":
    main()
