"""The one small-cell rule that reports and cascades both show their counts through."""

from core import disclosure


def test_counts_of_one_to_four_people_are_hidden_from_suppressed_viewers():
    assert [disclosure.cell(n, suppress=True) for n in (0, 1, 4, 5, 12)] == [0, "<5", "<5", 5, 12]
    assert [disclosure.cell(n, suppress=False) for n in (1, 4)] == [1, 4]
    assert disclosure.cell("n/a", suppress=True) == "n/a"


def test_rates_need_a_base_of_five_for_suppressed_viewers():
    assert disclosure.rate(2, 4, suppress=True) is None
    assert disclosure.rate(2, 4, suppress=False) == 50
    assert disclosure.rate(3, 5, suppress=True) == 60
    assert disclosure.rate(1, 0) is None
    assert disclosure.base_shown(4, suppress=True) is False
    assert disclosure.base_shown(4, suppress=False) is True
