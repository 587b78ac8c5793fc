"""Resampling per-item statistics is the same distribution as resampling the items."""

import numpy as np

from airflow_evalguard.stats.item_bootstrap import percentile_interval, profiles, resampled_sums


def test_profile_path_and_index_path_agree_in_distribution():
    rng = np.random.default_rng(0)
    few = rng.integers(0, 3, (5000, 2)).astype(float)  # 9 profiles: multinomial path
    u, c = profiles(few)
    assert len(u) <= 9 and c.sum() == 5000
    sums = resampled_sums(u, c, 3000, seed=1)
    # direct resampling of the items for reference
    direct = np.array([few[rng.integers(0, 5000, 5000)].sum(axis=0) for _ in range(3000)])
    assert np.allclose(sums.mean(axis=0), few.sum(axis=0), rtol=0.002)
    assert np.allclose(sums.std(axis=0), direct.std(axis=0), rtol=0.1)


def test_many_profiles_use_chunked_index_path():
    rng = np.random.default_rng(2)
    cont = rng.normal(size=(2000, 1))
    u, c = profiles(cont)
    assert len(u) == 2000
    sums = resampled_sums(u, c, 500, seed=3)
    expected_sd = cont[:, 0].std() * np.sqrt(2000)
    assert abs(sums[:, 0].std() / expected_sd - 1) < 0.12
    assert np.array_equal(sums, resampled_sums(u, c, 500, seed=3))


def test_percentile_interval_ignores_nan():
    lo, hi = percentile_interval(np.array([np.nan, 1, 2, 3, 4, 5]), 0.2)
    assert 1 <= lo < hi <= 5
