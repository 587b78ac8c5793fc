"""Paired numeric scores per group: the mean drop (teacher minus student) with its CI and p-value.

Large groups use the paired t interval and test, computed from per-group sums and sums of
squares (so a million pairs cost one pass); groups of at most BOOTSTRAP_MAX_N pairs, where the
t approximation is shakiest for skewed scores, use a BCa bootstrap of the paired differences
(scipy.stats.bootstrap) for the interval: the plain percentile bootstrap under-covers there
(measured 0.89 at n=60 for skewed differences).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

BOOTSTRAP_MAX_N = 2000


@dataclass
class ScoreDrops:
    n: np.ndarray
    teacher: np.ndarray
    student: np.ndarray
    drop: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    p: np.ndarray
    sd: np.ndarray
    methods: list[str]


def paired_score_drops(teacher: np.ndarray, student: np.ndarray, groups: np.ndarray, n_groups: int, *,
                       alpha: float, n_boot: int, seed: int) -> ScoreDrops:
    from scipy.special import stdtr, stdtrit

    diff = np.asarray(teacher, float) - np.asarray(student, float)
    g = np.asarray(groups, dtype=np.int64)
    n = np.bincount(g, minlength=n_groups).astype(float)
    s1 = np.bincount(g, weights=diff, minlength=n_groups)
    s2 = np.bincount(g, weights=diff * diff, minlength=n_groups)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = s1 / n
        var = np.maximum(s2 - n * mean * mean, 0) / (n - 1)
        se = np.sqrt(var / n)
        t = mean / se
    df = np.maximum(n - 1, 1)
    p = np.where(se > 0, 2 * stdtr(df, -np.abs(np.nan_to_num(t))), np.where(mean == 0, 1.0, 0.0))
    p = np.where(n >= 2, p, 1.0)
    half = stdtrit(df, 1 - alpha / 2) * se
    lo, hi = mean - half, mean + half
    methods = ["paired_t"] * n_groups
    rng = np.random.default_rng(seed)
    small = np.flatnonzero((n >= 2) & (n <= BOOTSTRAP_MAX_N))
    if len(small):
        order = np.argsort(g, kind="stable")
        starts = np.concatenate([[0], np.cumsum(n)]).astype(int)
        from scipy.stats import bootstrap

        for k in small:
            d = diff[order[starts[k]: starts[k + 1]]]
            if np.ptp(d) <= 1e-12 * max(1.0, float(np.abs(d).max())):  # all equal (up to rounding): that value
                lo[k] = hi[k] = d[0]
            else:
                ci = bootstrap((d,), np.mean, n_resamples=n_boot, confidence_level=1 - alpha, method="BCa",
                               random_state=rng, vectorized=True, axis=-1).confidence_interval
                lo[k], hi[k] = ci.low, ci.high
            methods[k] = "paired_bootstrap_bca"
    t_mean = np.bincount(g, weights=np.asarray(teacher, float), minlength=n_groups) / np.where(n > 0, n, np.nan)
    s_mean = np.bincount(g, weights=np.asarray(student, float), minlength=n_groups) / np.where(n > 0, n, np.nan)
    return ScoreDrops(n=n, teacher=t_mean, student=s_mean, drop=mean, ci_low=lo, ci_high=hi, p=p,
                      sd=np.sqrt(var), methods=methods)
