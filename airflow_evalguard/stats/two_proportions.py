"""Difference of two independent proportions with Newcombe's hybrid score interval.

Newcombe (1998, Stat Med 17:873) method 10: Wilson intervals for each rate, combined. It keeps
coverage near nominal at small counts and rates near 0 or 1, where the Wald interval does not
(statsmodels' `confint_proportions_2indep(method="newcomb")` is the oracle in the tests).
"""

from __future__ import annotations

import numpy as np

from airflow_evalguard.stats.paired import wilson_interval


def newcombe_diff_ci(x_base: int, n_base: int, x_cand: int, n_cand: int, alpha: float) -> tuple[float, float, float]:
    """(candidate rate - baseline rate, ci_low, ci_high)."""
    p1, p2 = x_base / n_base, x_cand / n_cand
    l1, u1 = (float(v) for v in wilson_interval(np.array(x_base), np.array(n_base), alpha))
    l2, u2 = (float(v) for v in wilson_interval(np.array(x_cand), np.array(n_cand), alpha))
    delta = p2 - p1
    lower = delta - np.sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2)
    upper = delta + np.sqrt((u2 - p2) ** 2 + (p1 - l1) ** 2)
    return delta, float(max(lower, -1.0)), float(min(upper, 1.0))
