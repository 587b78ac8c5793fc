"""Paired numeric scores per group: the mean drop (teacher minus student) with its CI and p-value.

Large groups use the paired t interval and test, computed from per-group sums and sums of
squares (so a million pairs cost one pass, and a warehouse can hand over the sums instead of the
rows); groups of at most BOOTSTRAP_MAX_N pairs, where the t approximation is shakiest for skewed
scores, use a BCa bootstrap of the paired differences (scipy.stats.bootstrap) for the interval:
the plain percentile bootstrap under-covers there (measured 0.89 at n=60 for skewed differences).

BCa places its endpoints at adjusted tail percentiles, estimated from the resamples; with fewer
than BCA_MIN_RESAMPLES they are too noisy to hold coverage (measured 0.907 at 100 and 0.919 at
300 resamples on 60 paired items, 0.939-0.951 from 1,000 on: docs/decisions/resample-floors.md;
Efron & Tibshirani 1993, An Introduction to the Bootstrap, ch. 14 and 19, ask for 1,000 or more).
Asked for fewer, a group gets the paired t interval instead (measured 0.946-0.955 on the same
data), and its method says so.

Rows may come with weights (counts of identical (teacher, student) pairs): a small group's
differences are then expanded back to at most BOOTSTRAP_MAX_N values. Each group's differences
are sorted before resampling, so rows and their counted form draw the very same resamples.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import stdtr, stdtrit
from scipy.stats import bootstrap

BOOTSTRAP_MAX_N = 2000
BCA_MIN_RESAMPLES = 1000


@dataclass
class ScoreMoments:
    """Per group: pairs, and sums of teacher, student, difference and squared difference."""

    n: np.ndarray
    teacher_sum: np.ndarray
    student_sum: np.ndarray
    diff_sum: np.ndarray
    diff_sumsq: np.ndarray

    @classmethod
    def from_pairs(
        cls, teacher: ArrayLike, student: ArrayLike, groups: ArrayLike, n_groups: int, weights: ArrayLike | None = None
    ) -> ScoreMoments:
        t, s = np.asarray(teacher, float), np.asarray(student, float)
        g = np.asarray(groups, dtype=np.int64)
        w = np.ones(len(t)) if weights is None else np.asarray(weights, float)
        diff = t - s
        return cls(
            *(np.bincount(g, weights=v, minlength=n_groups) for v in (w, t * w, s * w, diff * w, diff * diff * w))
        )


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
    moments: ScoreMoments  # what the drops were computed from


def drops_from_moments(m: ScoreMoments, *, alpha: float) -> ScoreDrops:
    """Paired t interval and test for every group, from its moments alone."""

    n = m.n.astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = m.diff_sum / n
        var = np.maximum(m.diff_sumsq - n * mean * mean, 0) / (n - 1)
        se = np.sqrt(var / n)
        t = mean / se
        t_mean = m.teacher_sum / np.where(n > 0, n, np.nan)
        s_mean = m.student_sum / np.where(n > 0, n, np.nan)
    df = np.maximum(n - 1, 1)
    p = np.where(se > 0, 2 * stdtr(df, -np.abs(np.nan_to_num(t))), np.where(mean == 0, 1.0, 0.0))
    p = np.where(n >= 2, p, 1.0)
    half = stdtrit(df, 1 - alpha / 2) * se
    return ScoreDrops(
        n=n,
        teacher=t_mean,
        student=s_mean,
        drop=mean,
        ci_low=mean - half,
        ci_high=mean + half,
        p=p,
        sd=np.sqrt(var),
        methods=["paired_t"] * len(n),
        moments=m,
    )


def paired_score_drops(
    teacher: np.ndarray,
    student: np.ndarray,
    groups: np.ndarray,
    n_groups: int,
    *,
    alpha: float,
    n_boot: int,
    seed: int,
    weights: np.ndarray | None = None,
) -> ScoreDrops:

    out = drops_from_moments(ScoreMoments.from_pairs(teacher, student, groups, n_groups, weights), alpha=alpha)
    diff = np.asarray(teacher, float) - np.asarray(student, float)
    g = np.asarray(groups, dtype=np.int64)
    w = None if weights is None else np.asarray(weights, dtype=np.int64)
    rng = np.random.default_rng(seed)
    if n_boot < BCA_MIN_RESAMPLES:
        return out  # too few resamples to place BCa endpoints: the paired t interval of every group
    small = np.flatnonzero((out.n >= 2) & (out.n <= BOOTSTRAP_MAX_N))
    if len(small):
        order = np.argsort(g, kind="stable")
        starts = np.concatenate([[0], np.cumsum(np.bincount(g, minlength=n_groups))])
        for k in small:
            idx = order[starts[k] : starts[k + 1]]
            d = np.sort(diff[idx] if w is None else np.repeat(diff[idx], w[idx]))
            if np.ptp(d) <= 1e-12 * max(1.0, float(np.abs(d).max())):  # all equal (up to rounding): that value
                out.ci_low[k] = out.ci_high[k] = d[0]
            else:
                ci = bootstrap(
                    (d,),
                    np.mean,
                    n_resamples=n_boot,
                    confidence_level=1 - alpha,
                    method="BCa",
                    random_state=rng,
                    vectorized=True,
                    axis=-1,
                ).confidence_interval
                out.ci_low[k], out.ci_high[k] = ci.low, ci.high
            out.methods[k] = "paired_bootstrap_bca"
    return out
