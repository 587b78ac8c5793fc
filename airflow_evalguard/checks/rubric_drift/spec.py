"""rubric_drift's inputs and parameters (light: no pandas, read when a DAG file is parsed)."""

from __future__ import annotations

from airflow_evalguard.core import params
from airflow_evalguard.core.spec import CheckSpec, InputSpec, ParamSpec

SPEC = CheckSpec(
    name="rubric_drift",
    summary="Did the rubric (humans) or the judge (relative to humans) drift, per criterion, behind a steady "
    "composite?",
    inputs={
        "ratings": InputSpec(
            "long form: item_id, criterion, rater_type (human|judge), rater_id, score, period", required=False
        ),
        "item_sums": InputSpec(
            "instead of ratings (pre-aggregated): item_id, criterion, period, rater_type, count, "
            "sum, min, max of the scores, optional missing (NULL scores)",
            required=False,
        ),
    },
    params={
        "id_column": params.id_column("item_id", "an item rated in both periods"),
        "baseline_period": ParamSpec(
            None, str, "the baseline period (default: the first of exactly two)", nullable=True
        ),
        "candidate_period": ParamSpec(None, str, "the candidate period (default: the other one)", nullable=True),
        "weights": ParamSpec({}, dict, "composite weight per criterion (default equal)"),
        "warn_at": params.warn_at(0.2, "absolute per-criterion shift that warns (score units)"),
        "fail_at": params.fail_at(0.5, "absolute per-criterion shift that fails (score units)"),
        "scale": ParamSpec(None, list, "[low, high] of the rating scale; scores outside are an error", nullable=True),
        "alpha": params.alpha(),
        # Below 1,000 the shifts take the paired t interval (stats.paired_scores.BCA_MIN_RESAMPLES);
        # 200 is the shared floor (docs/decisions/resample-floors.md).
        "n_boot": params.n_boot("bootstrap resamples (unused: shifts take the skewness-corrected t)"),
        "seed": params.seed(),
    },
    decide="airflow_evalguard.checks.rubric_drift.decide:decide",
    headline=("composite_change", "composite_change.rubric_axis", "composite_change.judge_axis"),
    plots=None,
)
