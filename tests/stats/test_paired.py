import numpy as np
import pytest
from scipy.stats import binomtest
from statsmodels.stats.contingency_tables import mcnemar as sm_mcnemar
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

from airflow_evalguard.stats.paired import (
    PairedTable,
    mcnemar,
    newcombe_paired_ci,
    wilson_interval,
)


def table(both_bad, better, worse, both_ok):
    return PairedTable(*(np.array([float(x)]) for x in (both_bad, better, worse, both_ok)))


def test_from_flags_counts_cells_per_group():
    b = np.array([1, 1, 0, 0, 1, 0], bool)
    c = np.array([1, 0, 1, 0, 1, 1], bool)
    t = PairedTable.from_flags(b, c, np.array([0, 0, 0, 0, 1, 1]), 2)
    assert t.both_bad.tolist() == [1, 1] and t.better.tolist() == [1, 0]
    assert t.worse.tolist() == [1, 1] and t.both_ok.tolist() == [1, 0]
    assert t.delta.tolist() == [0.0, 0.5]


@pytest.mark.parametrize("x, n", [(0, 10), (3, 25), (50, 100), (99, 100), (7, 450)])
def test_wilson_matches_statsmodels(x, n):
    lo, hi = wilson_interval(np.array([x]), np.array([n]), 0.05)
    exp = proportion_confint(x, n, alpha=0.05, method="wilson")
    assert (lo[0], hi[0]) == pytest.approx(exp, abs=1e-10)


def test_newcombe_paired_reduces_to_independent_newcombe_when_phi_is_zero():
    # ad = bc -> phi = 0: the paired method 10 equals Newcombe's independent hybrid score interval
    t = table(both_bad=4, better=6, worse=8, both_ok=12)  # 4*12 == 6*8
    lo, hi = newcombe_paired_ci(t, 0.05)
    n = 30
    # statsmodels compares x1/n1 - x2/n2; candidate bad = 12, baseline bad = 10
    exp = confint_proportions_2indep(12, n, 10, n, method="newcomb", compare="diff", alpha=0.05)
    assert (lo[0], hi[0]) == pytest.approx(exp, abs=1e-10)


def test_newcombe_paired_covers_near_nominal():
    rng = np.random.default_rng(5)
    probs = np.array([0.05, 0.03, 0.10, 0.82])  # both_bad, better, worse, both_ok; true delta 0.07
    truth = probs[2] - probs[1]
    runs, n = 2000, 150
    counts = rng.multinomial(n, probs, size=runs).astype(float)
    t = PairedTable(counts[:, 0], counts[:, 1], counts[:, 2], counts[:, 3])
    lo, hi = newcombe_paired_ci(t, 0.05)
    coverage = np.mean((lo <= truth) & (truth <= hi))
    assert 0.93 <= coverage <= 0.975


@pytest.mark.parametrize("worse, better", [(3, 0), (10, 4), (12, 12), (40, 15), (100, 60), (0, 0)])
def test_mcnemar_matches_statsmodels_and_scipy(worse, better):
    p, methods = mcnemar(np.array([worse]), np.array([better]))
    tab = [[50, better], [worse, 50]]
    if worse + better < 25:
        assert methods == ["exact"]
        assert p[0] == pytest.approx(sm_mcnemar(tab, exact=True).pvalue)
        if worse + better:
            assert p[0] == pytest.approx(binomtest(worse, worse + better, 0.5).pvalue)
    else:
        assert methods == ["chi2_cc"]
        assert p[0] == pytest.approx(sm_mcnemar(tab, exact=False, correction=True).pvalue)
