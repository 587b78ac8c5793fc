"""Issue 17 calibration for the resampling intervals and the judge/rubric/labeler sizes.

- coverage of every resampling interval at its new floor (docs/decisions/resample-floors.md):
  the paired shifts (skewness-corrected t since test_power_skew.py; BCa from 1,000 resamples before), the
  percentile item bootstrap (alpha, its trend) and the paired percentile bootstrap (retrieval) at
  the shared floor of 200;
- stated power: a size an INCONCLUSIVE finding states is simulated at exactly that size with the
  effect it was sized for (a fail_at shift or rise); the share of runs that detect it must lie in
  [0.75, 0.90] (checks.common.settle).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from airflow_evalguard.run import run_check
from tests.calibration.harness import coverage, covers, stated_power
from tests.calibration.test_calibration import _labelers, _pull_for_alpha_rise, _ratings, _retrieval

pytestmark = pytest.mark.slow

SIMS = 400  # sd of a coverage near 0.95: about 1.1%
SCALE = [-10, 15]  # _ratings' scores are unbounded normals: name the scale, so no sample reads as rescaled


def stated_n(result, code: str, where: str = "") -> int:
    """The size a finding states ("about 1,234 <unit> would settle it"), after `where` in its message."""
    finding = next(f for f in result.findings if f.code == code)
    found = re.search(re.escape(where) + r".*?about ([0-9,]+) ", finding.message)
    assert found, finding.message
    return int(found.group(1).replace(",", ""))


# -- coverage at the floors -------------------------------------------------------------------------
@pytest.mark.parametrize("n_boot", [1000, 200])
def test_rubric_axis_coverage_at_the_floor(n_boot):
    method = "skewness-corrected paired t"  # at any n_boot since test_power_skew (issue 17)
    rng = np.random.default_rng(40 + n_boot)
    hits = []
    for _ in range(SIMS):
        result = run_check("rubric_drift", {"ratings": _ratings(rng, 200, 0.5)}, {"n_boot": n_boot, "scale": SCALE})
        assert result.params["ci_method_used"].startswith(method)
        hits.append(covers(result.to_dict()["metrics"]["rubric_axis[helpfulness]"], 0.5))
    coverage("rubric_drift", f"rubric_axis, {method}, n_boot={n_boot}, 200 items", hits)


def test_judge_anchor_shift_coverage_at_the_bca_floor():
    rng = np.random.default_rng(41)
    hits = []
    for _ in range(1000):  # no resamples since test_power_skew: cheap, so sd ~0.7% (400 read 0.925)
        reference = rng.integers(1, 6, 60).astype(float)
        # skewed differences: mostly unchanged, sometimes one point up, rarely two
        current = reference + rng.choice([-1.0, 0.0, 1.0, 2.0], 60, p=[0.05, 0.75, 0.15, 0.05])
        anchors = pd.DataFrame({"item_id": np.arange(60), "reference_score": reference, "score": current})
        result = run_check("judge_drift", {"anchors": anchors}, {"score_type": "interval", "n_boot": 1000})
        hits.append(covers(result.to_dict()["metrics"]["anchor_shift"], -0.05 + 0.15 + 2 * 0.05))
    coverage("judge_drift", "anchor_shift, skewness-corrected t, 60 skewed", hits)


def test_labeler_alpha_and_trend_coverage_at_the_floor():
    import krippendorff

    marks = _labelers(np.random.default_rng(98), 40_000, 0.2, "x")[0]["label"].to_numpy().reshape(-1, 4)
    truth = krippendorff.alpha(reliability_data=marks.T.astype(float), level_of_measurement="ordinal")
    rng = np.random.default_rng(42)
    alpha_hits, trend_hits = [], []
    for _ in range(SIMS):
        first, last = _labelers(rng, 150, 0.2, "b0"), _labelers(rng, 150, 0.2, "b1")
        result = run_check(
            "labeler_agreement", {"labels": pd.concat([first[0], last[0]])}, {"level": "ordinal", "n_boot": 200}
        )
        out = result.to_dict()
        batch = next(s for s in out["slices"] if s["slice"] == "batch=b0")
        alpha_hits.append(covers(batch["metrics"]["alpha"], truth))
        trend_hits.append(covers(out["metrics"]["trend.alpha"], 0.0))
    coverage("labeler_agreement", "batch alpha, percentile, n_boot=200, 150 items", alpha_hits)
    coverage("labeler_agreement", "trend.alpha (true 0), n_boot=200, 150/batch", trend_hits)


def test_retrieval_drop_coverage_at_the_floor():
    rng = np.random.default_rng(43)
    hits = []
    for _ in range(SIMS):
        result = run_check("embedding_drift", {"relevance": _retrieval(rng, 100, 0.7, 0.7)}, {"n_boot": 500})
        hits.append(covers(result.to_dict()["metrics"]["recall@10.drop"], 0.0))
    coverage("embedding_drift", "recall@10.drop, paired percentile, n_boot=500", hits)


# -- stated sizes, simulated at the size and the effect they were sized for ---------------------------
# Every simulation draws its own small sample first (the one that could not decide), takes the size
# its finding states, then draws a sample of that size with the effect the size was sized for: the
# achieved power is what a team sizing its next eval from the finding gets (median stated n shown).
# The full-size runs decide significance by the same paired t test at any n_boot, so they run at the
# floor of 200 for speed; the small runs that state the size use the interval the check defaults to.
STATED_SIMS = 300


def achieved(pilot, code, where, full, detect, sims=STATED_SIMS, seed=0):
    rng = np.random.default_rng(seed)
    sizes, detected = [], []
    while len(detected) < sims:
        observed = pilot(rng)
        if not any(f.code == code and where in f.message for f in observed.findings):
            continue  # this small sample happened to settle: nothing stated
        n = stated_n(observed, code, where)
        sizes.append(n)
        detected.append(detect(full(rng, n)))
    return int(np.median(sizes)), detected


RUBRIC_BANDS = {"warn_at": 0.1, "fail_at": 0.15, "scale": SCALE}


def _judge_moved(rng, n, shift):
    """_ratings without a human shift, the judge alone moving `shift` on helpfulness (judge axis)."""
    ratings = _ratings(rng, n, 0.0)
    moved = (ratings["rater_type"] == "judge") & (ratings["period"] == "p2") & (ratings["criterion"] == "helpfulness")
    ratings.loc[moved, "score"] += shift
    return ratings


def test_rubric_stated_items_detect_a_fail_at_shift():
    """The helpfulness criterion's stated items, from 30 paired items without a shift, against the
    judge moving fail_at relative to humans on helpfulness: the judge axis, whose wider interval sets
    the criterion's size (the largest of its two axes)."""
    n, detected = achieved(
        lambda rng: run_check(
            "rubric_drift", {"ratings": _judge_moved(rng, 30, 0.0)}, {**RUBRIC_BANDS, "n_boot": 1000}
        ),
        "UNDERPOWERED_SLICE",
        "criterion=helpfulness:",
        lambda rng, n: run_check(
            "rubric_drift", {"ratings": _judge_moved(rng, n, 0.15)}, {**RUBRIC_BANDS, "n_boot": 200}
        ),
        lambda result: any(
            f.code == "JUDGE_AXIS_DRIFT" and f.slice == "criterion=helpfulness" for f in result.findings
        ),
        seed=51,
    )
    stated_power("rubric_drift", "judge axis +fail_at 0.15 (from 30 items)", n, detected)


def _noisy_anchors(rng, n, shift):
    reference = rng.uniform(1, 5, n)
    return pd.DataFrame(
        {"item_id": np.arange(n), "reference_score": reference, "score": reference + shift + rng.normal(0, 1.0, n)}
    )


def test_judge_stated_anchors_detect_a_fail_at_shift():
    params = {"score_type": "interval", "min_alpha": 0.0}  # the shift alone is sized here
    n, detected = achieved(
        lambda rng: run_check("judge_drift", {"anchors": _noisy_anchors(rng, 40, 0.0)}, {**params, "n_boot": 1000}),
        "ANCHOR_SHIFT_UNSETTLED",
        "",
        lambda rng, n: run_check("judge_drift", {"anchors": _noisy_anchors(rng, n, 0.25)}, {**params, "n_boot": 200}),
        lambda result: any(f.code == "ANCHOR_SHIFT" for f in result.findings),
        seed=53,
    )
    stated_power("judge_drift", "anchor shift +fail_at 0.25 (from 40 anchors)", n, detected)


def _two_batches(rng, items, pull):
    first, last = _labelers(rng, items, 0.0, "b0"), _labelers(rng, items, pull, "b1")
    return {"labels": pd.concat([first[0], last[0]]), "gold": pd.concat([first[1], last[1]])}


def test_labeler_stated_items_detect_a_fail_at_rise():
    """Items per batch stated from two stationary 40-item batches, against labelers homogenizing
    by exactly fail_at (an alpha rise of 0.10) between the two batches."""
    params = {"level": "ordinal", "n_boot": 200}
    pull = _pull_for_alpha_rise(0.10)
    n, detected = achieved(
        lambda rng: run_check("labeler_agreement", _two_batches(rng, 40, 0.0), params),
        "INSUFFICIENT_ITEMS",
        "",
        lambda rng, n: run_check("labeler_agreement", _two_batches(rng, n, pull), params),
        lambda result: any(f.code == "HOMOGENIZATION" for f in result.findings),
        seed=56,
    )
    stated_power("labeler_agreement", f"alpha rise +fail_at 0.10 (pull {pull:.2f}, from 40/batch)", n, detected)
