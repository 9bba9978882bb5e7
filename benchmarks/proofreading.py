"""How long proofreading a long speech takes, against assembling it (every preview pays that).

Run: ``.venv/bin/python benchmarks/proofreading.py``. It builds a speech of about
37,000 characters (our own generated text, every sentence its own, placeholders about
as dense as in a real draft: one in 50 characters), then times
``proofreading.check_speech`` with the starter house list against ``assembly.assemble``
of the same speech, and prints the medians and their ratio (target: checking at most
50 ms). The same again with an error put into every fifth body, and for the export
benchmark's speech, whose generated sentences recur hundreds of times (a worst case:
every recurrence is a finding). Last, for the editor: checking one field as it is typed
(``check_field``) and the whole speech for one field (``check_speech(..., only=)``).
It is a measurement, not a test.
"""

from __future__ import annotations

import copy
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "speechdraft.settings")

from benchmarks.export import sized_speech  # noqa: E402
from drafts.assembly import assemble  # noqa: E402
from drafts.proofreading import check_field, check_speech  # noqa: E402
from drafts.structure import InlineItem, LeadItem, PartOne, PartTwo, Speech, text_fields  # noqa: E402
from drafts.wording_csv import starter_rows  # noqa: E402

ROUNDS = 21
TARGET_MS = 50
TARGET_CHARS = 37_000

PLACES = ("全市", "各区县", "重点行业", "基层单位", "农村地区", "城市社区", "开发园区")
DOINGS = ("扎实推进", "持续深化", "全面落实", "认真组织", "统筹开展", "稳步实施", "着力加强")
WORKS = (
    "数据质量核查",
    "基层基础建设",
    "统计执法检查",
    "信息化平台建设",
    "重点项目调度",
    "干部队伍培训",
    "群众满意度调查",
)
RESULTS = ("完成任务{}项", "覆盖单位{}家", "提高{}个百分点", "形成报告{}份", "整改问题{}个")


def sentence(n: int) -> str:
    """A sentence of its own for every ``n``: the figures differ, a placeholder in three."""
    figure = "X" if n % 3 == 0 else str(n % 97 + 2)
    return (
        PLACES[n % 7]
        + DOINGS[(n // 7) % 7]
        + WORKS[(n // 49) % 7]
        + "，"
        + RESULTS[n % 5].format(figure)
        + f"，累计投入资金{n + 10}万元。"
    )


def prose(start: int, count: int) -> str:
    return "".join(sentence(n) for n in range(start, start + count))


def varied_speech(items: int) -> Speech:
    return Speech(
        title="在全市统计工作会议\n上的讲话",
        organization="市统计局",
        speaker="局长 某某",
        opening=prose(0, 8),
        part_one=PartOne(
            heading="回顾工作，数据质量持续提升",
            intro=prose(10, 5),
            achievements=[
                LeadItem(f"在{WORKS[n % 7]}上用力第{n + 1}年", prose(100 + n * 12, 12))
                for n in range(items)
            ],
            lessons_intro="我们有几点体会：",
            lessons=[InlineItem(f"必须坚持第{n + 1}条经验，" + WORKS[n % 7]) for n in range(5)],
        ),
        part_two=PartTwo(
            heading="正视不足，推动工作再上台阶",
            shortcomings_intro="不足主要是：",
            shortcomings=[InlineItem(f"第{n + 1}项工作还有差距") for n in range(4)],
            transition="对这些问题，要认真加以解决。",
            measures=[
                LeadItem(f"要在{WORKS[n % 7]}上加力第{n + 1}步", prose(5000 + n * 12, 12))
                for n in range(items)
            ],
        ),
        closing=prose(9000, 5),
    )


def sized_varied_speech() -> Speech:
    items = 5
    while sum(len("".join(p.text.split())) for p in assemble(varied_speech(items))) < TARGET_CHARS:
        items += 1
    return varied_speech(items)


ERRORS = ("，，", ",", "3-5万亩", "百分之2.3", "的的", "做为", "（", "...")


def median_ms(function) -> tuple[float, float]:
    """Median wall-clock and processor milliseconds of ``function``. The processor time
    is what a busy machine (other processes on the same cores) does not inflate."""
    function()  # warm caches (compiled patterns, the house list's matcher)
    wall, cpu = [], []
    for _ in range(ROUNDS):
        start, start_cpu = time.perf_counter(), time.process_time()
        function()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(wall) * 1000, statistics.median(cpu) * 1000


def with_errors(speech):
    """The speech with one error put into the body of every fifth item."""
    speech = copy.deepcopy(speech)
    items = speech.part_one.achievements + speech.part_two.measures
    for number, item in enumerate(items[::5]):
        middle = len(item.body) // 2
        item.body = item.body[:middle] + ERRORS[number % len(ERRORS)] + item.body[middle:]
    return speech


def main() -> None:
    wording = tuple(row.entry for row in starter_rows())
    cases = (
        ("clean", sized_varied_speech()),
        ("with errors", with_errors(sized_varied_speech())),
        ("recurring", sized_speech()),
    )
    for name, speech in cases:
        chars = sum(len("".join(p.text.split())) for p in assemble(speech))
        findings = check_speech(speech, wording)
        checking, checking_cpu = median_ms(lambda s=speech: check_speech(s, wording))
        assembling, assembling_cpu = median_ms(lambda s=speech: assemble(s))
        print(
            f"{name:11} {chars} characters, {len(findings):4} findings: "
            f"check_speech {checking:5.1f} ms (processor {checking_cpu:5.1f} ms; "
            f"target <= {TARGET_MS} ms), assemble {assembling:4.1f} ms "
            f"({assembling_cpu:4.1f} ms), ratio {checking / assembling:.0f} "
            f"({checking_cpu / assembling_cpu:.0f})"
        )
    speech = sized_varied_speech()
    longest = max(text_fields(speech), key=lambda field: len(field.text))
    one, _ = median_ms(lambda: check_field(longest, wording))
    only = {f"{longest.anchor}/{longest.name}"}
    whole, _ = median_ms(lambda: check_speech(speech, wording, only=only))
    print(
        f"one field as typed ({len(longest.text)} characters): check_field {one:.2f} ms, "
        f"check_speech(only=) {whole:.1f} ms"
    )


if __name__ == "__main__":
    main()
