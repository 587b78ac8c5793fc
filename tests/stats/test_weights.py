import numpy as np
import pytest

from airflow_evalguard.stats.weights import kish_ess, post_stratification_weights, raking_weights


def test_kish_published_example():
    # statistics.md: 1,000 rows, 800 at weight 0.5 and 200 at weight 3 -> 500
    assert kish_ess(np.array([0.5, 3.0]), np.array([800, 200])) == pytest.approx(500)
    assert kish_ess(np.r_[np.full(800, 0.5), np.full(200, 3.0)]) == pytest.approx(500)


def test_post_stratification_reproduces_reference_shares():
    counts = np.array([50, 30, 20])
    target = np.array([0.2, 0.3, 0.5])
    w = post_stratification_weights(counts, target)
    weighted = counts * w
    assert weighted / weighted.sum() == pytest.approx(target)
    assert weighted.sum() == pytest.approx(counts.sum())  # mean weight 1


def test_raking_matches_margins_and_equals_poststrat_when_reference_is_independent():
    # 2x3 joint with every cell filled; the reference is a product of its margins, so raking to
    # the margins must land on the joint post-stratification weights.
    a_levels = np.array([0, 0, 0, 1, 1, 1])
    b_levels = np.array([0, 1, 2, 0, 1, 2])
    counts = np.array([30, 15, 15, 10, 5, 5], dtype=float)  # product form: 60/20 x 2:1:1
    ma, mb = np.array([0.6, 0.4]), np.array([0.2, 0.5, 0.3])
    joint = ma[a_levels] * mb[b_levels]
    w, iters, converged = raking_weights(counts, [a_levels, b_levels], [ma, mb])
    assert converged
    weighted = counts * w / (counts * w).sum()
    assert np.bincount(a_levels, weights=weighted) == pytest.approx(ma, abs=1e-8)
    assert np.bincount(b_levels, weights=weighted) == pytest.approx(mb, abs=1e-8)
    assert w == pytest.approx(post_stratification_weights(counts, joint), rel=1e-6)
