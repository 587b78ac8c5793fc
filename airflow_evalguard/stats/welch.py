"""Welch's two-sample t test and interval for a difference of means, from each arm's moments
(count, sum, sum of squares), so rows and a database's GROUP BY give the same answer."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import stdtr, stdtrit

from airflow_evalguard.stats.balance import Moments


@dataclass(frozen=True)
class Welch:
    diff: float  # mean_b - mean_a
    ci_low: float
    ci_high: float
    p: float
    df: float


def welch(a: Moments, b: Moments, *, alpha: float) -> Welch:

    diff = b.mean - a.mean
    va, vb = a.var / a.count, b.var / b.count
    se = np.sqrt(va + vb)
    if not np.isfinite(se) or se == 0:
        return Welch(diff, diff, diff, 1.0 if diff == 0 else 0.0, float("nan"))
    df = (va + vb) ** 2 / (va**2 / (a.count - 1) + vb**2 / (b.count - 1))
    half = float(stdtrit(df, 1 - alpha / 2)) * se
    return Welch(diff, diff - half, diff + half, float(2 * stdtr(df, -abs(diff) / se)), float(df))
