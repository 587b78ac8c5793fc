"""Issue 17 calibration: the paired mean-difference interval on skewed differences at 40 and 60 items.

Small paired groups take the skewness-corrected t (Hall 1992, JRSS B 54:221; Johnson 1978, JASA
73:536; stats.skew_t). Measured before it (4,000 sims, exponential differences, 20 / 40 / 60 / 100 /
200 items): paired t 0.916 / 0.928 / 0.940 / 0.944 / 0.944, BCa at 1,000 resamples about 0.91-0.92 up
to 60; after: 0.943 / 0.947 / 0.952 / 0.951 / 0.950. Rows here: the judge_drift anchor shift through
the check (its skewed 1-5 scenario) and the part itself on exponential differences.

Since stats.paired_scores gives no interval below 10 items or 5 changed items (issue 17,
docs/decisions/small-paired-shifts.md), the anchor rows count the runs that were given an interval
and name the share given: a withheld interval is no claim (INCONCLUSIVE), not a miss.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from airflow_evalguard.run import run_check
from airflow_evalguard.stats.paired_scores import SKEW_T_METHOD, paired_score_drops
from tests.calibration.harness import coverage, covers

pytestmark = pytest.mark.slow

CHECK_SIMS = 1000  # sd of a coverage near 0.95: about 0.7%
PART_SIMS = 1000


@pytest.mark.parametrize("items", [40, 60])
def test_judge_anchor_shift_coverage_on_skewed_items(items):
    rng = np.random.default_rng(1700 + items)
    hits = []
    for _ in range(CHECK_SIMS):
        reference = rng.integers(1, 6, items).astype(float)
        # skewed differences: mostly unchanged, sometimes one point up, rarely two (true mean 0.2)
        current = reference + rng.choice([-1.0, 0.0, 1.0, 2.0], items, p=[0.05, 0.75, 0.15, 0.05])
        anchors = pd.DataFrame({"item_id": np.arange(items), "reference_score": reference, "score": current})
        result = run_check("judge_drift", {"anchors": anchors}, {"score_type": "interval"})
        assert result.params["shift_ci_method_used"].startswith("skewness-corrected paired t")
        shift = result.to_dict()["metrics"]["anchor_shift"]
        if shift["ci_low"] is not None:
            hits.append(covers(shift, -0.05 + 0.15 + 2 * 0.05))
    given = len(hits) / CHECK_SIMS
    coverage("judge_drift", f"anchor_shift, skewness-corrected t, {items} skewed items (given {given:.0%})", hits)


@pytest.mark.parametrize("items", [40, 60])
def test_paired_drop_coverage_on_exponential_differences(items):
    rng = np.random.default_rng(1800 + items)
    hits = []
    for _ in range(PART_SIMS):
        teacher = rng.exponential(1.0, items)  # differences skewed like a long tail of big regressions
        res = paired_score_drops(
            teacher, np.zeros(items), np.zeros(items, dtype=np.int64), 1, alpha=0.05, n_boot=1000, seed=0
        )
        assert res.methods == [SKEW_T_METHOD]
        hits.append(bool(res.ci_low[0] <= 1.0 <= res.ci_high[0]))
    coverage("paired_scores", f"drop, skewness-corrected t, {items} exponential differences", hits)
