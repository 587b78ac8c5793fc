"""Covariate balance between two arms: standardized mean differences with a test of exceeding a band.

At small n a fixed SMD cutoff fires by chance, so a covariate is flagged only when its SMD is
significantly beyond the band (one-sided test of |d| > band with the large-sample SE of d,
Hedges & Olkin 1985), with a correction across covariates applied by the caller.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import ndtr


@dataclass(frozen=True)
class Moments:
    """Count, sum and sum of squares of a numeric column: all a mean and variance need, and what a
    database returns from one GROUP BY."""

    count: float
    total: float
    total_sq: float

    @classmethod
    def of(cls, x: np.ndarray) -> Moments:
        return cls(float(len(x)), float(np.sum(x)), float(np.sum(x * x)))

    @property
    def mean(self) -> float:
        return self.total / self.count if self.count else float("nan")

    @property
    def var(self) -> float:
        """Sample variance (ddof 1); nan below two values."""
        if self.count < 2:
            return float("nan")
        return max(self.total_sq - self.count * self.mean**2, 0.0) / (self.count - 1)


def smd_from_moments(a: Moments, b: Moments) -> float:
    """(mean_b - mean_a) / sqrt((var_a + var_b) / 2); 0 when both arms are constant and equal."""
    pooled = np.sqrt((a.var + b.var) / 2)
    diff = b.mean - a.mean
    if pooled == 0 or pooled <= 1e-12 * max(abs(a.mean), abs(b.mean)):  # constant up to rounding of the sums
        return 0.0 if abs(diff) <= 1e-12 * max(abs(a.mean), abs(b.mean), 1.0) else float(np.sign(diff) * np.inf)
    return float(diff / pooled)


def smd_binary(p_a: float, p_b: float) -> float:
    """SMD of a 0/1 indicator (one level of a categorical), by the usual proportion formula."""
    pooled = np.sqrt((p_a * (1 - p_a) + p_b * (1 - p_b)) / 2)
    if pooled == 0:
        return 0.0 if p_a == p_b else float(np.sign(p_b - p_a) * np.inf)
    return float((p_b - p_a) / pooled)


def smd_se(d: float, n_a: int, n_b: int) -> float:
    """Large-sample standard error of a standardized mean difference."""
    d = 0.0 if not np.isfinite(d) else d
    return float(np.sqrt((n_a + n_b) / (n_a * n_b) + d * d / (2 * (n_a + n_b))))


def beyond_band_p(d: float, se: float, band: float) -> float:
    """One-sided p-value of 'the true |SMD| exceeds `band`' (small when it clearly does)."""

    if not np.isfinite(d):
        return 0.0
    return float(1 - ndtr((abs(d) - band) / se)) if se > 0 else float(abs(d) <= band)
