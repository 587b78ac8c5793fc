"""The correlation of all requests' p99 with the warm requests' p99 against simulation."""

import math

import numpy as np
import pytest
from scipy import stats

from airflow_evalguard.stats.subset_correlation import subset_correlation

LOGNORMAL = stats.lognorm(s=0.5, scale=math.exp(6))


def test_subset_correlation_is_the_simulated_correlation_of_all_and_warm_p99():
    rng = np.random.default_rng(3)
    cold_rate, n = 0.02, 20_000
    pairs, last = [], None
    for _ in range(600):
        cold = rng.random(n) < cold_rate
        x = np.where(cold, rng.lognormal(7.5, 0.3, n), LOGNORMAL.rvs(n, random_state=rng))
        warm = np.sort(x[~cold])
        pairs.append((math.log(np.quantile(x, 0.99)), math.log(np.quantile(warm, 0.99))))
        last = (x, warm)
    simulated = np.corrcoef(np.array(pairs).T)[0, 1]
    x, warm = last
    rho = subset_correlation(lambda v: np.searchsorted(warm, v, side="right") / len(warm), len(warm) / len(x))
    predicted = rho(0.99, math.log(np.quantile(x, 0.99)), 0.99, math.log(np.quantile(warm, 0.99)))
    assert predicted == pytest.approx(simulated, abs=0.1)
