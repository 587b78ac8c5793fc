"""Paired numeric scores per group: the mean drop (teacher minus student) with its CI and p-value.

Large groups use the paired t interval and test, computed from per-group sums and sums of
squares (so a million pairs cost one pass, and a warehouse can hand over the sums instead of the
rows). Groups of 3 to SMALL_GROUP_MAX_N pairs given as rows, where the t approximation is shakiest
for skewed scores, get the skewness-corrected t interval of Hall (1992) / Johnson (1978), its
quantile on the degrees of freedom matched to the sample's kurtosis (stats.skew_t; Box 1953); their
p-value stays the paired t test's.

Why not a bootstrap (issue 17, tests/calibration/test_power_skew.py): on skewed differences the
BCa bootstrap (Efron & Tibshirani 1993, ch. 14) covered 0.91-0.92 from 20 to 60 pairs even at
1,000 resamples, as did the paired t below 60 (0.916 at 20, 0.928 at 40), both missing on the long
tail's side; the skewness-corrected t covered 0.94-0.95 there, needs no resamples (so it does not
depend on n_boot or the seed) and equals the paired t when the differences are symmetric.

Too few items or too few changes (issue 17, docs/decisions/small-paired-shifts.md): a group of
fewer than MIN_ITEMS pairs, or one of fewer than RULE_MAX_N pairs with fewer than
MIN_NONZERO_DIFFERENCES differences that are not exactly 0, gets no interval (ci
-inf..inf, method WITHHELD_METHOD), so its gate never reads PASS: INCONCLUSIVE, or FAIL / WARN when
the exact sign test on its changed pairs shows the shift (p NaN from sums alone). On 1-5 judge
scores with 75-90% unchanged items the t and the skewness-corrected t covered 0.34-0.87 at 5-12
items (most or all differences 0: the interval collapses onto 0); with the rule, the intervals it
gives cover at least 0.93 from 10 items (60% unchanged), 20 (75%) and 50 (90%). From 200 items the
rule on changes stops (0.949 at 90% unchanged without it; an all-tied set of 200 is a shift of 0,
e.g. the same judge twice).
From rows the non-zero differences are counted; from sums alone they cannot be, and n stands in.

Rows may come with weights (counts of identical (teacher, student) pairs): a small group's
differences are then expanded back to at most SMALL_GROUP_MAX_N values.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import stdtr, stdtrit
from scipy.stats import binomtest

from airflow_evalguard.stats.skew_t import SKEW_T_MIN_N, skew_t_interval

SMALL_GROUP_MAX_N = 2000
BOOTSTRAP_MAX_N = SMALL_GROUP_MAX_N  # the former name (groups up to it were bootstrapped)
BCA_MIN_RESAMPLES = 1000  # n_boot below which shifts took the paired t (docs/decisions/resample-floors.md)
SKEW_T_METHOD = "paired_skew_t"
MIN_ITEMS = 10  # fewer pairs: no interval (module doc)
MIN_NONZERO_DIFFERENCES = 5  # fewer non-zero differences on fewer than ...
RULE_MAX_N = 200  # ... this many pairs: no interval
WITHHELD_METHOD = "withheld_few_nonzero"


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
    nonzero: np.ndarray  # differences not exactly 0 (from sums alone: n, as ties cannot be seen)
    positive: np.ndarray | None = None  # differences above 0 (None from sums: signs cannot be seen)

    def withheld(self, group: int) -> bool:
        """True when the group had too few non-zero differences to be given an interval."""
        return self.methods[group] == WITHHELD_METHOD


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
    out = ScoreDrops(
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
        nonzero=np.where(m.diff_sumsq > 0, n, 0.0),
    )
    return withhold_few_nonzero(out)


def items_for_interval(n: int, nonzero: int) -> int:
    """Items at which a withheld group gets an interval: at least MIN_ITEMS, and
    MIN_NONZERO_DIFFERENCES non-zero differences expected at the observed non-zero share, taken as
    (nonzero + 0.5) / (n + 1) (Jeffreys' estimate: an all-tied sample counts half a change rather
    than none), at most RULE_MAX_N; at least one more item than observed."""
    share = (nonzero + 0.5) / (n + 1)
    return max(MIN_ITEMS, min(math.ceil(MIN_NONZERO_DIFFERENCES / share), RULE_MAX_N), n + 1)


def withhold_few_nonzero(drops: ScoreDrops) -> ScoreDrops:
    """No interval for groups below MIN_ITEMS pairs, or below RULE_MAX_N pairs with fewer than
    MIN_NONZERO_DIFFERENCES non-zero differences (module doc): it becomes -inf..inf, so the gate
    cannot read the group as settled below fail_at. Its p-value becomes the exact sign test's
    (sign_test_p), so a shift every changed pair agrees on can still be shown; from sums alone
    (no signs) NaN, no test."""
    few_changes = (drops.nonzero < MIN_NONZERO_DIFFERENCES) & (drops.n < RULE_MAX_N)
    for k in np.flatnonzero(few_changes | (drops.n < MIN_ITEMS)):
        drops.ci_low[k], drops.ci_high[k] = -np.inf, np.inf
        positive = None if drops.positive is None else int(drops.positive[k])
        drops.p[k] = np.nan if positive is None else sign_test_p(positive, int(drops.nonzero[k]))
        drops.methods[k] = WITHHELD_METHOD
    return drops


def sign_test_p(positive: int, nonzero: int) -> float:
    """Two-sided exact sign test on the non-zero differences, ties set aside (Dixon & Mood 1946,
    JASA 41:557): exact when, with no shift, a change is as likely up as down. 1 with no change."""
    if nonzero == 0:
        return 1.0
    return float(binomtest(positive, nonzero, 0.5).pvalue)


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
    """Paired mean drop per group: t test; interval from the skewness-corrected t for small groups
    (stats.skew_t), the paired t beyond; none for too few items or changes (module doc).
    n_boot and seed are accepted for callers' signatures: no resampling is done (issue 17: it
    under-covered on skewed differences)."""

    del n_boot, seed
    moments = ScoreMoments.from_pairs(teacher, student, groups, n_groups, weights)
    out = drops_from_moments(moments, alpha=alpha)
    diff = np.asarray(teacher, float) - np.asarray(student, float)
    g = np.asarray(groups, dtype=np.int64)
    w = None if weights is None else np.asarray(weights, dtype=np.int64)
    counts = 1.0 if w is None else w
    out.nonzero = np.bincount(g, weights=(diff != 0) * counts, minlength=n_groups)
    out.positive = np.bincount(g, weights=(diff > 0) * counts, minlength=n_groups)
    small = np.flatnonzero((out.n >= SKEW_T_MIN_N) & (out.n <= SMALL_GROUP_MAX_N))
    if len(small):
        order = np.argsort(g, kind="stable")
        starts = np.concatenate([[0], np.cumsum(np.bincount(g, minlength=n_groups))])
        for k in small:
            idx = order[starts[k] : starts[k + 1]]
            d = diff[idx] if w is None else np.repeat(diff[idx], w[idx])
            if np.ptp(d) <= 1e-12 * max(1.0, float(np.abs(d).max())):  # all equal (up to rounding): that value
                out.ci_low[k] = out.ci_high[k] = d[0]
            else:
                out.ci_low[k], out.ci_high[k] = skew_t_interval(d, alpha)
            out.methods[k] = SKEW_T_METHOD
    return withhold_few_nonzero(out)
