"""Cohen's kappa against statsmodels (unweighted, linear and quadratic weights)."""

import numpy as np
import pytest

from airflow_evalguard.stats.kappa import cohen_kappa, disagreement_weights

inter_rater = pytest.importorskip("statsmodels.stats.inter_rater")


@pytest.mark.parametrize("weights,sm_wt", [("none", None), ("linear", "linear"), ("quadratic", "quadratic")])
@pytest.mark.parametrize("seed", [0, 1])
def test_matches_statsmodels(weights, sm_wt, seed):
    rng = np.random.default_rng(seed)
    a = rng.integers(0, 5, 300)
    b = np.clip(a + rng.integers(-1, 2, 300), 0, 4)
    est = cohen_kappa(a, b, 5, weights=weights)
    ref = inter_rater.cohens_kappa(est.table, wt=sm_wt)
    assert est.kappa == pytest.approx(ref.kappa, abs=1e-12)
    assert est.agreement == pytest.approx(np.mean(a == b))


def test_skewed_classes_high_accuracy_low_kappa():
    # 90% of items in class 0; the rater says 0 almost always: accuracy high, kappa near 0
    a = np.array([0] * 90 + [1] * 10)
    b = np.array([0] * 85 + [1] * 5 + [0] * 9 + [1] * 1)
    est = cohen_kappa(a, b, 2)
    assert est.agreement == pytest.approx(0.86)
    assert est.kappa < 0.15
    assert est.class_agreement[1] == pytest.approx(0.1)


def test_bootstrap_interval_brackets_and_is_seeded():
    rng = np.random.default_rng(3)
    a = rng.integers(0, 3, 500)
    b = np.where(rng.random(500) < 0.7, a, rng.integers(0, 3, 500))
    one = cohen_kappa(a, b, 3, n_boot=800, seed=1)
    two = cohen_kappa(a, b, 3, n_boot=800, seed=1)
    assert one.ci_low < one.kappa < one.ci_high
    assert (one.ci_low, one.ci_high) == (two.ci_low, two.ci_high)
    # asymptotic SE from statsmodels gives a comparable width
    ref = inter_rater.cohens_kappa(one.table)
    assert (one.ci_high - one.ci_low) == pytest.approx(2 * 1.96 * ref.std_kappa, rel=0.2)


def test_weights_are_zero_on_diagonal_and_one_at_extremes():
    for w in ("none", "linear", "quadratic"):
        m = disagreement_weights(4, w)
        assert np.all(np.diag(m) == 0) and m[0, 3] == 1
