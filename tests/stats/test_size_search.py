"""The shared size search against a linear scan."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from airflow_evalguard.stats.size_search import smallest_reaching


@given(threshold=st.integers(1, 5000), start=st.integers(1, 6000), limit=st.integers(1, 6000))
def test_exact_search_equals_a_linear_scan(threshold, start, limit):
    expected = threshold if threshold <= limit else None
    assert smallest_reaching(lambda n: n >= threshold, start=start, limit=limit) == expected


@given(threshold=st.integers(5, 100_000))  # below=4 promises 4 falls short
def test_coarse_search_lands_within_its_share_above_the_truth(threshold):
    found = smallest_reaching(lambda n: n >= threshold, start=8, below=4, limit=10**6, coarse_share=50)
    assert found is not None and threshold <= found <= threshold + max(1, threshold // 50) + 1


def test_a_known_short_size_is_not_searched_below():
    tried = []

    def reaches(size):
        tried.append(size)
        return size >= 3

    assert smallest_reaching(reaches, start=8, below=4, limit=100) == 5  # 3 lies below `below`
    assert min(tried) > 4


@pytest.mark.parametrize("start, limit", [(0, 10), (5, 0)])
def test_sizes_must_be_positive(start, limit):
    with pytest.raises(ValueError):
        smallest_reaching(lambda n: True, start=start, limit=limit)
