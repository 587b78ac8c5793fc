"""Sample ratio mismatch: do the arms hold the units the split says they should?

Chi-square goodness of fit of the arm counts against `expected_split` at its own, strict
`srm_alpha` (a direct FAIL: a broken split invalidates everything else). When it does not reject,
the experiment may still be too small to see a 2-point share deviation: INCONCLUSIVE.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy.special import chdtrc
from scipy.stats import chi2, ncx2

from airflow_evalguard.checks.assignment_integrity.arms import Arms
from airflow_evalguard.core.part import Part
from airflow_evalguard.result import Finding, Metric
from airflow_evalguard.verdicts import Verdict

SRM_DETECT = 0.02  # share deviation the SRM test must be able to see (2 points)


def srm_units_needed(shares: np.ndarray, alpha: float, power: float = 0.8) -> int:
    """Units for the chi-square SRM test to detect a 2-point share shift between the two largest
    arms with `power` at `alpha` (noncentral chi-square, scipy.stats.ncx2)."""
    order = np.sort(shares)[::-1]
    df = len(shares) - 1
    per_unit = SRM_DETECT**2 * (1 / order[0] + 1 / order[1])  # noncentrality per unit
    crit = chi2.ppf(1 - alpha, df)
    lo, hi = 1, 1 << 30
    while lo < hi:  # bisect: power grows with the number of units
        mid = (lo + hi) // 2
        if ncx2.sf(crit, df, per_unit * mid) >= power:
            hi = mid
        else:
            lo = mid + 1
    return lo


def expected_counts(arms: Arms) -> np.ndarray:
    return np.asarray(arms.expected_shares * arms.n)


def srm_part(arms: Arms, params: dict[str, Any]) -> Part:
    counts, expected, n, srm_alpha = arms.counts, expected_counts(arms), arms.n, params["srm_alpha"]
    statistic = float(np.sum((counts - expected) ** 2 / expected))
    p_value = float(chdtrc(len(arms.labels) - 1, statistic))
    need = srm_units_needed(arms.expected_shares, srm_alpha)
    metrics = {"srm_p": Metric(p_value, n=n), "srm_units_needed": Metric(need)}
    for arm, count, expect in zip(arms.labels, counts, expected, strict=True):
        metrics[f"arm_count[{arm}]"] = Metric(int(count))
        metrics[f"arm_expected[{arm}]"] = Metric(float(expect))
    if p_value < srm_alpha:
        worst = int(np.argmax(np.abs(counts - expected) / expected))
        message = (
            f"arm {arms.labels[worst]} has {int(counts[worst]):,} units, {expected[worst]:,.0f} expected "
            f"({counts[worst] / n:.1%} vs {arms.expected_shares[worst]:.1%}); chi-square p {p_value:.2g} < {srm_alpha}"
        )
        return Part(metrics, (Finding("fail", "SAMPLE_RATIO_MISMATCH", message),), validity=(Verdict.FAIL,))
    if n < need:
        message = (
            f"{n:,} units cannot detect a {SRM_DETECT:.0%} share deviation at srm_alpha {srm_alpha}; "
            f"about {need:,} would"
        )
        return Part(metrics, (Finding("warn", "SRM_UNDERPOWERED", message),), validity=(Verdict.INCONCLUSIVE,))
    return Part(metrics)


def srm_evidence(arms: Arms) -> pd.DataFrame:
    """Observed and expected units per arm."""
    expected = expected_counts(arms)
    return pd.DataFrame(
        {
            "arm": arms.labels,
            "observed": arms.counts.astype(int),
            "expected": expected,
            "observed_share": arms.counts / arms.n,
            "expected_share": arms.expected_shares,
        }
    )
