"""judge_drift's inputs and parameters (light: no pandas, read when a DAG file is parsed)."""

from __future__ import annotations

from airflow_evalguard.core import params
from airflow_evalguard.core.spec import CheckSpec, InputSpec, ParamSpec

SCORE_TYPES = ("ordinal", "interval", "pairwise")

SPEC = CheckSpec(
    name="judge_drift",
    summary="Did the LLM judge change under the eval (snapshot, anchors, dual window, human agreement)?",
    inputs={
        "scores": InputSpec(
            "eval records: item_id, judge_model, score (or winner 1|2|tie + winner_swapped), optional parse_error",
            required=False,
        ),
        "score_counts": InputSpec(
            "instead of scores (pre-aggregated; pin and parse failures only): judge_model, "
            "count, failed, optional judgments",
            required=False,
        ),
        "anchors": InputSpec(
            "fixed anchor set: item_id, reference_score (pinned snapshot), score (judge now)", required=False
        ),
        "dual": InputSpec("overlap window: item_id, system (baseline|candidate), judge_model, score", required=False),
        "human": InputSpec("human labels: item_id, human_score (or human_winner)", required=False),
    },
    params={
        "pinned_judge": ParamSpec(None, list, "pinned judge snapshot id(s); any other fails", nullable=True),
        "score_type": ParamSpec("ordinal", str, "what the judge outputs", choices=SCORE_TYPES),
        "id_column": params.id_column("item_id", "an item in scores, anchors, dual and human"),
        "max_shift": ParamSpec(
            [0.1, 0.25],
            list,
            "[warn_at, fail_at] on |anchor shift| and |ruler effect|, in score units (pairwise: preference -1..1)",
        ),
        "min_alpha": ParamSpec(
            0.8, float, "anchor alpha below this fails (0.667: tentative conclusions only)", minimum=0, maximum=1
        ),
        "min_human_alpha": ParamSpec(
            None,
            float,
            "judge-human alpha below this fails (default: report only)",
            nullable=True,
            minimum=-1,
            maximum=1,
        ),
        "min_position_consistency": ParamSpec(
            None,
            float,
            "pairwise verdicts surviving an order swap below this fail (default: report only)",
            nullable=True,
            minimum=0,
            maximum=1,
        ),
        "parse_warn_at": params.warn_at(0.02, "judge parse-failure rate that warns", maximum=1),
        "parse_fail_at": params.fail_at(0.10, "judge parse-failure rate that fails", maximum=1),
        "old_judge": ParamSpec(None, str, "the old snapshot in input 'dual' (default: the pinned one)", nullable=True),
        "new_judge": ParamSpec(None, str, "the new snapshot in input 'dual'", nullable=True),
        "alpha": params.alpha(),
        # The shared floor of 200: the percentile alpha and kappa intervals cover from there; the
        # shifts take the skewness-corrected t, no resamples (stats.paired_scores, issue 17).
        "n_boot": params.n_boot("bootstrap resamples (alpha; shifts use the skewness-corrected t)"),
        "seed": params.seed(),
    },
    decide="airflow_evalguard.checks.judge_drift.decide:decide",
    headline=(
        "unpinned_share",
        "judge_parse_failure_rate",
        "anchor_shift",
        "anchor_alpha",
        "ruler_effect",
        "judge_human_kappa",
    ),
    plots=None,
)
