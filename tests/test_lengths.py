import doctest

import pytest

from drafts import lengths
from drafts.lengths import compare_to_target


def test_doctests_of_lengths_pass():
    assert doctest.testmod(lengths).failed == 0


@pytest.mark.parametrize(
    ("minutes", "target", "over", "on_target", "label"),
    [
        (25.0, 20, True, False, "超出5分00秒"),
        (18.5, 20, False, False, "还差1分30秒"),
        (20.4, 20, True, True, "与目标时长基本相当"),
        (19.6, 20, False, True, "与目标时长基本相当"),
        (0.0, 1, False, False, "还差1分00秒"),
    ],
)
def test_speaking_time_is_compared_with_the_meeting_slot(minutes, target, over, on_target, label):
    gap = compare_to_target(minutes, target)
    assert (gap.over, gap.on_target, gap.label) == (over, on_target, label)


@pytest.mark.parametrize("target", [None, 0])
def test_no_slot_means_no_comparison(target):
    assert compare_to_target(12.0, target) is None
