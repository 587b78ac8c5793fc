"""judge_drift.agreement: kappa against statsmodels, alpha against the krippendorff package, consensus
and the prevalence paradox by hand."""

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.inter_rater import cohens_kappa
from statsmodels.stats.proportion import proportion_confint

from airflow_evalguard.checks.judge_drift.agreement import (
    agreement_metrics,
    human_consensus,
    paradox,
    position_consistency,
)
from airflow_evalguard.result import Metric

PARAMS = {"n_boot": 200, "alpha": 0.05, "seed": 0}


def ordinal_pairs(n=300, seed=0):
    rng = np.random.default_rng(seed)
    human = rng.integers(1, 6, n).astype(float)
    judge = np.clip(human + rng.integers(-1, 2, n), 1, 5)
    return pd.DataFrame({"judge": judge, "human": human})


def test_quadratic_kappa_and_alpha_match_statsmodels_and_krippendorff():
    krippendorff = pytest.importorskip("krippendorff")
    joined = ordinal_pairs()
    metrics, est = agreement_metrics(joined, "ordinal", PARAMS)
    table = pd.crosstab(joined["judge"], joined["human"]).reindex(index=range(1, 6), columns=range(1, 6), fill_value=0)
    expected = cohens_kappa(table.to_numpy(), wt="quadratic").kappa
    assert metrics["judge_human_kappa"].value == pytest.approx(expected, abs=1e-12)
    assert metrics["judge_human_agreement"].value == pytest.approx(np.mean(joined["judge"] == joined["human"]))
    reliability = np.vstack([joined["judge"], joined["human"]])
    assert est is not None
    assert metrics["judge_human_alpha"].value == pytest.approx(
        krippendorff.alpha(reliability_data=reliability, level_of_measurement="ordinal"), abs=1e-10
    )
    threes = joined["human"] == 3
    assert metrics["class_agreement[3]"].value == pytest.approx(np.mean(joined.loc[threes, "judge"] == 3))
    assert metrics["class_agreement[3]"].n == int(threes.sum())


def test_interval_scores_report_the_mean_difference_instead_of_kappa():
    joined = ordinal_pairs()
    metrics, _ = agreement_metrics(joined, "interval", PARAMS)
    assert "judge_human_kappa" not in metrics
    assert metrics["judge_human_mean_difference"].value == pytest.approx(np.mean(joined["judge"] - joined["human"]))
    assert agreement_metrics(joined.iloc[:0], "interval", PARAMS) == ({}, None)


def test_position_consistency_is_a_wilson_share():
    joined = pd.DataFrame({"judge": ["1", "2", "1", None, "tie"], "swapped": ["1", "1", "1", "2", "tie"]})
    metric = position_consistency(joined, 0.05)
    low, high = proportion_confint(3, 4, alpha=0.05, method="wilson")
    assert metric is not None and metric.value == 0.75 and metric.n == 4
    assert (metric.ci_low, metric.ci_high) == pytest.approx((low, high))
    assert position_consistency(joined.drop(columns="swapped"), 0.05) is None


def test_consensus_majority_low_median_and_mean():
    pairwise = pd.DataFrame({"item_id": ["a", "a", "a", "b", "b"], "human": ["1", "1", "2", "1", "2"]})
    labels, several = human_consensus(pairwise, "pairwise")
    assert several == 2 and labels.set_index("item_id")["human"].to_dict() == {"a": "1", "b": "tie"}
    scores = pd.DataFrame({"item_id": ["a", "a", "a", "a", "b"], "human": [1.0, 4.0, 2.0, 5.0, 3.0]})
    assert human_consensus(scores, "ordinal")[0].set_index("item_id")["human"].to_dict() == {"a": 2.0, "b": 3.0}
    assert human_consensus(scores, "interval")[0].set_index("item_id")["human"].to_dict() == {"a": 3.0, "b": 3.0}
    single = pd.DataFrame({"item_id": ["a", "b"], "human": [1.0, 2.0]})
    assert human_consensus(single, "ordinal")[1] == 0


def test_paradox_needs_high_agreement_low_kappa_and_one_dominant_class():
    metrics = {
        "judge_human_agreement": Metric(0.82),
        "judge_human_kappa": Metric(0.1),
        "class_agreement[1]": Metric(0.9, n=90),
        "class_agreement[2]": Metric(0.1, n=10),
    }
    found = paradox(metrics, "m")
    assert found is not None and found.slice == "judge_model=m" and "class 1 holds 90%" in found.message
    assert paradox({**metrics, "judge_human_kappa": Metric(0.45)}, None) is None
    assert paradox({**metrics, "class_agreement[2]": Metric(0.1, n=50)}, None) is None
    assert paradox({**metrics, "judge_human_agreement": Metric(0.69)}, None) is None
