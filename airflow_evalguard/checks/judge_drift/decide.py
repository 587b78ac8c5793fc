"""judge_drift: read each given input, run its part, judge every part's gated effects as one Holm
family (core.compose), word the result."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from airflow_evalguard.checks.common.settle import with_sizes
from airflow_evalguard.checks.common.shift import shift_interval_used
from airflow_evalguard.checks.judge_drift import evidence, read, words
from airflow_evalguard.checks.judge_drift.anchors import anchors_part
from airflow_evalguard.checks.judge_drift.dual import dual_part, pick_judges
from airflow_evalguard.checks.judge_drift.human import human_part
from airflow_evalguard.checks.judge_drift.parse_failures import parse_part
from airflow_evalguard.checks.judge_drift.pin import pin_part, pin_part_counts
from airflow_evalguard.core.compose import compose
from airflow_evalguard.core.decision import Decision
from airflow_evalguard.core.part import Part
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.io import TableInput
from airflow_evalguard.verdicts import validate_bands

METHOD = {
    "multiplicity": "holm across every gated effect of every part",
    "shift_ci_method": "skewness-corrected paired t (Hall 1992) up to 2,000 items, paired t beyond",
    "alpha_ci_method": "percentile bootstrap over items",
    "kappa_weights": {"ordinal": "quadratic", "pairwise": "none"},
    "sizing": "items scaled from each interval (alpha: its replicates' spread), sized for a shift of fail_at or the "
    "observed distance to a minimum at 80% power (Holm first step)",
}


def _check(tables: dict[str, TableInput], params: dict[str, Any]) -> None:
    if not tables:
        raise EvalGuardInputError(
            "check 'judge_drift' needs at least one of the inputs scores (or score_counts), anchors, dual, human"
        )
    if len(params["max_shift"]) != 2:
        raise EvalGuardInputError(f"param 'max_shift' must be [warn_at, fail_at], got {params['max_shift']!r}")
    validate_bands(*params["max_shift"])
    validate_bands(params["parse_warn_at"], params["parse_fail_at"])
    if "scores" in tables and "score_counts" in tables:
        raise EvalGuardInputError("give either input 'scores' (rows) or 'score_counts' (pre-aggregated), not both")


def decide(tables: dict[str, TableInput], params: dict[str, Any]) -> Decision:
    _check(tables, params)
    score_type, pinned = params["score_type"], params["pinned_judge"]
    parts: list[Part] = []
    failures: dict[str, tuple[int, int]] = {}  # input -> (failed judgments, judgments)
    rows: list[pd.DataFrame] = []
    scores = None
    if "score_counts" in tables:
        counts = read.score_counts(tables["score_counts"])
        parts.append(pin_part_counts(counts.groupby("judge_model")["count"].sum(), pinned))
        failures["scores"] = read.count_failures(counts)
        rows.append(evidence.from_counts(counts, pinned))
    if "scores" in tables:
        scores = read.scores(tables["scores"], score_type, params["id_column"])
        rows.append(evidence.from_scores(scores, pinned))
        parts.append(pin_part(scores["judge_model"], pinned))
        failures["scores"] = read.score_failures(scores)
    if "anchors" in tables:
        anchors = read.anchors(tables["anchors"], score_type, params["id_column"])
        failures["anchors"] = (int(np.isnan(anchors.current).sum()), len(anchors.current))
        parts.append(anchors_part(anchors.reference, anchors.current, score_type=score_type, params=params))
        rows.append(evidence.from_anchors(anchors))
    if "dual" in tables:
        frame = read.dual(tables["dual"], score_type, params["id_column"])
        failures["dual"] = (read.failed(frame["score"]), len(frame))
        models = sorted(frame["judge_model"].unique())
        old, new = pick_judges(models, params["old_judge"], params["new_judge"], pinned)
        parts.append(dual_part(frame, old, new, params))
    if "human" in tables:
        human = read.human(tables["human"], scores, score_type, params["id_column"])
        parts.append(human_part(scores, human, score_type=score_type, params=params))
    if failures:
        # parse failures follow the pin when the scores were read, else lead
        parse = parse_part(
            failures, warn_at=params["parse_warn_at"], fail_at=params["parse_fail_at"], alpha=params["alpha"]
        )
        parts.insert(1 if "scores" in failures else 0, parse)
    composed = with_sizes(compose(parts, alpha=params["alpha"], underpowered=words.underpowered))
    return Decision.from_composed(
        composed,
        words.summary(composed.verdict, composed.headline, composed.findings),
        method={**METHOD, "shift_ci_method_used": shift_interval_used(params["n_boot"])},
        evidence=pd.concat(rows, ignore_index=True) if rows else None,
    )
