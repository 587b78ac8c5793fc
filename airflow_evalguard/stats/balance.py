"""Covariate balance between two arms: standardized mean differences with a test of exceeding a band.

At small n a fixed SMD cutoff fires by chance, so a covariate is flagged only when its SMD is
significantly beyond the band (one-sided test of |d| > band with the large-sample SE of d,
Hedges & Olkin 1985), with a correction across covariates applied by the caller.
"""

from __future__ import annotations

import numpy as np


def smd_numeric(a: np.ndarray, b: np.ndarray) -> float:
    """(mean_b - mean_a) / sqrt((var_a + var_b) / 2); 0 when both arms are constant and equal."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    pooled = np.sqrt((np.var(a, ddof=1) + np.var(b, ddof=1)) / 2)
    diff = b.mean() - a.mean()
    if pooled == 0:
        return 0.0 if diff == 0 else float(np.sign(diff) * np.inf)
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
    from scipy.special import ndtr

    if not np.isfinite(d):
        return 0.0
    return float(1 - ndtr((abs(d) - band) / se)) if se > 0 else float(abs(d) <= band)
