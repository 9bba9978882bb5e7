"""What keeping comments on their passages costs (issue 14).

1. Following: ``passages.follow`` on a 20,000-character field (the ``field_chars``
   budget) for edits before, inside and after a passage, a passage moved and edited
   (the fuzzy ``match_main`` path), a passage deleted, and the whole field replaced by
   another 20,000 characters (the words searched for in all of it); each against one
   diff-match-patch diff of the same two texts with semantic clean-up, which is what
   a save's merge costs at most. A save follows every open passage comment of the
   fields it wrote, inside the speech's lock.
2. Placing: ``passages.place`` (where every field reads in the delivered text, done
   on every preview) on a speech of about 37,000 characters, against ``assemble``.

Prints medians and ratios. Run: .venv/bin/python benchmarks/passages.py
"""

import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from diff_match_patch import diff_match_patch  # noqa: E402

from drafts.assembly import assemble  # noqa: E402
from drafts.passages import Passage, follow, follow_all, place  # noqa: E402
from drafts.structure import InlineItem, LeadItem, PartOne, PartTwo, Speech  # noqa: E402

WORDS = ["统计", "数据", "质量", "基层", "台账", "核查", "规范", "制度", "服务", "决策"]
RUNS = 9


def sentence(rng: random.Random, length: int) -> str:
    text = ""
    while len(text) < length:
        text += rng.choice(WORDS) + rng.choice(["", "，", "、"])
    return text[:length] + "。"


def median_ms(work) -> float:
    times = []
    for _ in range(RUNS):
        began = time.perf_counter()
        work()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def diff(old: str, new: str) -> None:
    engine = diff_match_patch()
    engine.diff_cleanupSemantic(engine.diff_main(old, new, False))


def following() -> None:
    rng = random.Random(14)
    old = "".join(sentence(rng, 40) for _ in range(490))[:20_000]
    at = 10_000
    passage = Passage(at, old[at : at + 60])
    cut = old[:at] + old[at + 60 :]
    edited = passage.quote.replace(passage.quote[20:24], "重点工作")
    edits = {
        "typed before": old[:100] + "新增一句话。" + old[100:],
        "typed inside": old[: at + 30] + "进一步" + old[at + 30 :],
        "typed after": old[:15_000] + "新增一句话。" + old[15_000:],
        "moved, edited": cut[:2_000] + edited + cut[2_000:],
        "deleted": cut,
        "field replaced": "".join(sentence(rng, 40) for _ in range(490))[:20_000],
    }
    print(f"Following a 60-character passage in a {len(old):,}-character field")
    print(f"{'edit':<16}{'follow ms':>10}{'diff ms':>10}{'ratio':>8}  result")
    for name, new in edits.items():
        result = follow(old, new, passage)
        mine = median_ms(lambda new=new: follow(old, new, passage))
        base = median_ms(lambda new=new: diff(old, new))
        where = "lost" if result is None else f"at {result.start}, {len(result.quote)} chars"
        print(f"{name:<16}{mine:>10.2f}{base:>10.2f}{mine / base:>8.2f}  {where}")
    # Ten passages of one field share the diff and the deadline (merge_milliseconds).
    many = [Passage(at, old[at : at + 60]) for at in range(1_000, 20_000, 2_000)]
    for name in ("typed before", "field replaced"):
        new = edits[name]
        mine = median_ms(lambda new=new: follow_all(old, new, many))
        print(f"10 passages, {name}: {mine:.2f} ms")


def placing() -> None:
    rng = random.Random(7)
    speech = Speech(
        title="基准测试讲话",
        opening=sentence(rng, 1500),
        part_one=PartOne(
            heading=sentence(rng, 20),
            intro=sentence(rng, 300),
            achievements=[
                LeadItem(sentence(rng, 18), sentence(rng, 700), id=f"a{i}") for i in range(30)
            ],
            lessons_intro=sentence(rng, 40),
            lessons=[InlineItem(sentence(rng, 60), id=f"l{i}") for i in range(20)],
        ),
        part_two=PartTwo(
            heading=sentence(rng, 20),
            shortcomings_intro=sentence(rng, 40),
            shortcomings=[InlineItem(sentence(rng, 50), id=f"s{i}") for i in range(20)],
            transition=sentence(rng, 60),
            measures=[
                LeadItem(sentence(rng, 16), sentence(rng, 500), id=f"m{i}") for i in range(20)
            ],
        ),
        closing=sentence(rng, 800),
    )
    paragraphs = assemble(speech)
    chars = sum(len(p.text) for p in paragraphs)
    pieces = place(speech, paragraphs)
    mine = median_ms(lambda: place(speech, paragraphs))
    base = median_ms(lambda: assemble(speech))
    print(f"\nPlacing the fields of a {chars:,}-character speech ({len(pieces)} pieces)")
    print(f"place {mine:.2f} ms, assemble {base:.2f} ms, ratio {mine / base:.2f}")


if __name__ == "__main__":
    following()
    placing()
