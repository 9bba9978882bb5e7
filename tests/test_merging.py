"""The three-way merge of a save is bounded: it runs while the speech is locked, so a
merge that runs out of its time (BUDGETS merge_milliseconds) is a conflict, never a merge
built on a diff cut short (issue 13, case 3)."""

import random
import time
from dataclasses import replace

import pytest

from drafts.budgets import configured
from drafts.merging import Outcome, deadline, merge_field, three_way
from drafts.models import Item, Speech

WORDS = ["统计", "数据", "质量", "基层", "台账", "核查", "规范", "制度", "服务", "决策"]


def unrelated(seed: int, size: int = 20_000) -> str:
    pick = random.Random(seed)
    return "".join(pick.choice(WORDS) for _ in range(size // 2))


def test_three_unrelated_long_texts_out_of_time_are_a_conflict():
    # Two unrelated 20,000-character diffs cannot end within the smallest budget.
    budget = replace(configured(), merge_milliseconds=20)
    base, theirs, mine = unrelated(1), unrelated(2), unrelated(3)
    merge = merge_field(base, theirs, mine, deadline(budget))
    assert merge.outcome is Outcome.CONFLICT
    assert merge.text == theirs  # nothing of mine is written


def test_a_merge_past_its_deadline_is_a_conflict_even_when_it_would_merge():
    base, theirs, mine = "开头。中间。结尾。", "开头好。中间。结尾。", "开头。中间。结尾好。"
    assert merge_field(base, theirs, mine).outcome is Outcome.MERGED
    assert merge_field(base, theirs, mine, time.time() - 1).outcome is Outcome.CONFLICT
    assert three_way(base, theirs, mine, time.time() - 1) is None


def test_whole_field_outcomes_need_no_diff_and_no_time():
    past = time.time() - 1
    assert merge_field("甲", "甲", "乙", past).outcome is Outcome.WRITTEN
    assert merge_field("甲", "乙", "甲", past).outcome is Outcome.UNCHANGED


@pytest.mark.django_db
def test_a_save_whose_merge_runs_out_of_time_is_a_conflict_and_writes_nothing(
    speech, drafter, settings
):
    settings.BUDGETS = {**settings.BUDGETS, "merge_milliseconds": 20}
    item = Item.objects.get(part__speech=speech, kind="measure", position=1)
    base, theirs, mine = unrelated(1, 19_000), unrelated(2, 19_000), unrelated(3, 19_000)
    Item.objects.filter(pk=item.pk).update(body=theirs, version=2)
    result = Speech.save_unit(
        speech.pk,
        item.anchor,
        texts={"body": mine},
        bases={"body": base},
        version=1,
        user=drafter,
        label="措施",
    )
    assert result.conflicts == ["body"]
    assert Item.objects.get(pk=item.pk).body == theirs
