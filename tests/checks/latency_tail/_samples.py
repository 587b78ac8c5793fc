"""Group samples built directly from arrays, for the part tests (no reading involved)."""

import numpy as np

from airflow_evalguard.checks.latency_tail.tails import ColdSplit, Group, GroupSample
from airflow_evalguard.stats.order_stat import quantiles

PARAMS = {
    "alpha": 0.05,
    "warn_at": 0.10,
    "fail_at": 0.25,
    "quantiles": [0.5, 0.95, 0.99],
    "slo_ms": None,
    "baseline_endpoint": None,
}


def estimator(x):
    return lambda specs: quantiles(np.asarray(x, dtype=float), specs)


def sample(endpoint, x, klass="all", cold=None):
    x = np.asarray(x, dtype=float)
    group = Group(endpoint, klass, len(x))
    if cold is None:
        return GroupSample(group, estimator(x))
    cold = np.asarray(cold, dtype=bool)

    def tail_share(p99):
        above = x > p99
        return (float(cold[above].mean()) if above.any() else 0.0), int(above.sum())

    warm = estimator(x[~cold]) if cold.any() and not cold.all() else None  # judged only with both
    return GroupSample(group, estimator(x), ColdSplit(float(cold.mean()), warm, tail_share))
