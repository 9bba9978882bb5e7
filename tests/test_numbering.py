import pytest

from drafts.numbering import achievement_label, chinese_numeral, heading_label, ordinal_label


@pytest.mark.parametrize(
    ("number", "numeral"),
    [
        (1, "一"),
        (9, "九"),
        (10, "十"),
        (11, "十一"),
        (12, "十二"),
        (20, "二十"),
        (21, "二十一"),
        (100, "一百"),
    ],
)
def test_chinese_numerals_go_past_ten(number, numeral):
    assert chinese_numeral(number) == numeral


def test_labels_of_each_level():
    assert heading_label(2) == "二、"
    assert achievement_label(11) == "（十一）"
    assert ordinal_label(12) == "十二是"


def test_numbering_starts_at_one():
    with pytest.raises(ValueError):
        chinese_numeral(0)
