"""Sample ratio mismatch: do the arms hold the units the split says they should?

Chi-square goodness of fit of the arm counts against `expected_split` at its own, strict
`srm_alpha` (a direct FAIL: a broken split invalidates everything else). When it does not reject,
the experiment may still be too small to see a mismatch that matters: INCONCLUSIVE, naming the
units at which this test (chi-square at srm_alpha) has 80% power against the least detectable
2-point mismatch: 2 points of share moved from the largest arm to the second largest (moving
share between the two largest arms changes the statistic least; towards the smaller arm is the
harder direction when exact). Sized by `stats.srm_power` (noncentral chi-square, or exact where
an arm expects few units).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy.special import chdtrc

from airflow_evalguard.checks.assignment_integrity.arms import Arms
from airflow_evalguard.core import number_words
from airflow_evalguard.core.part import Part
from airflow_evalguard.core.sizing import SampleSize
from airflow_evalguard.result import Finding, Metric
from airflow_evalguard.stats.srm_power import units_needed
from airflow_evalguard.verdicts import Verdict

SRM_DETECT = 0.02  # share deviation the SRM test must be able to see (2 points)
POWER = 0.8


def sized_split(shares: np.ndarray) -> tuple[np.ndarray, int, int, float]:
    """(true split, arm losing share, arm gaining it, shift): 2 points (at most half the largest
    arm's share, past 50 arms) moved from the largest arm to the second largest."""
    order = np.argsort(-np.asarray(shares), kind="stable")
    losing, gaining = int(order[0]), int(order[1])
    shift = min(SRM_DETECT, float(shares[losing]) / 2)
    true = np.array(shares, dtype=float)
    true[losing] -= shift
    true[gaining] += shift
    return true, losing, gaining, shift


def srm_size(labels: list[str], shares: np.ndarray, alpha: float) -> SampleSize:
    true, losing, gaining, shift = sized_split(shares)
    need, how = units_needed(np.asarray(shares, dtype=float), true, alpha, POWER)
    return SampleSize(
        need,
        "units",
        f"a {shift * 100:.3g}-point share shift from arm {labels[losing]} ({shares[losing]:.1%}) to arm "
        f"{labels[gaining]} ({shares[gaining]:.1%}), the least detectable such mismatch",
        POWER,
        f"the chi-square test at srm_alpha {alpha:g}, power by {how}",
    )


def srm_units_needed(shares: np.ndarray, alpha: float) -> int | None:
    """Units at which the SRM test has 80% power against the sized mismatch (`srm_size`)."""
    return srm_size([str(i) for i in range(len(shares))], shares, alpha).n


def expected_counts(arms: Arms) -> np.ndarray:
    return np.asarray(arms.expected_shares * arms.n)


def srm_part(arms: Arms, params: dict[str, Any]) -> Part:
    counts, expected, n, srm_alpha = arms.counts, expected_counts(arms), arms.n, params["srm_alpha"]
    statistic = float(np.sum((counts - expected) ** 2 / expected))
    p_value = float(chdtrc(len(arms.labels) - 1, statistic))
    size = srm_size(arms.labels, arms.expected_shares, srm_alpha)
    metrics = {"srm_p": Metric(p_value, n=n), "srm_units_needed": Metric(size.n)}
    for arm, count, expect in zip(arms.labels, counts, expected, strict=True):
        metrics[f"arm_count[{arm}]"] = Metric(int(count))
        metrics[f"arm_expected[{arm}]"] = Metric(float(expect))
    if p_value < srm_alpha:
        worst = int(np.argmax(np.abs(counts - expected) / expected))
        message = (
            f"arm {arms.labels[worst]} has {int(counts[worst]):,} units, {expected[worst]:,.0f} expected "
            f"({counts[worst] / n:.1%} vs {arms.expected_shares[worst]:.1%}); "
            f"chi-square p {number_words.p_value(p_value)} < {srm_alpha}"
        )
        return Part(metrics, (Finding("fail", "SAMPLE_RATIO_MISMATCH", message),), validity=(Verdict.FAIL,))
    if size.n is None or n < size.n:
        message = f"{n:,} units are too few for the SRM test to see a mismatch that matters; {size.words()}"
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
