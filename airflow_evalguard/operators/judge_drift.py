"""JudgeDriftGateOperator: refuse to read an eval whose LLM judge changed under it."""

from __future__ import annotations

from typing import Any

from airflow_evalguard.operators.evalguard import EvalGuardOperator


class JudgeDriftGateOperator(EvalGuardOperator):
    """The `judge_drift` check with typed arguments; each part runs when its input is given.

    Inputs (templated; paths, ``s3://`` URIs or DataFrames): scores, anchors, dual, human; or
    score_counts (judge_model, count, failed) in place of scores, e.g. from
    ``SqlSource.judge_score_counts`` (pin and parse failures only).
    Every other argument left as None takes the check's default (see ``evalguard list``):
    pinned_judge None, score_type "ordinal", max_shift [0.1, 0.25], min_alpha 0.8,
    min_human_alpha None, min_position_consistency None, parse_warn_at 0.02, parse_fail_at 0.1,
    old_judge None, new_judge None, alpha 0.05, n_boot 2000, seed 0, id_column "item_id".
    """

    def __init__(
        self,
        *,
        scores: Any = None,
        score_counts: Any = None,
        anchors: Any = None,
        dual: Any = None,
        human: Any = None,
        pinned_judge: str | list[str] | None = None,
        score_type: str | None = None,
        max_shift: list[float] | None = None,
        min_alpha: float | None = None,
        min_human_alpha: float | None = None,
        min_position_consistency: float | None = None,
        parse_warn_at: float | None = None,
        parse_fail_at: float | None = None,
        old_judge: str | None = None,
        new_judge: str | None = None,
        alpha: float | None = None,
        n_boot: int | None = None,
        seed: int | None = None,
        id_column: str | None = None,
        **kwargs: Any,
    ) -> None:
        given_inputs = {
            "scores": scores,
            "score_counts": score_counts,
            "anchors": anchors,
            "dual": dual,
            "human": human,
        }
        given = {
            "id_column": id_column,
            "pinned_judge": pinned_judge,
            "score_type": score_type,
            "max_shift": max_shift,
            "min_alpha": min_alpha,
            "min_human_alpha": min_human_alpha,
            "min_position_consistency": min_position_consistency,
            "parse_warn_at": parse_warn_at,
            "parse_fail_at": parse_fail_at,
            "old_judge": old_judge,
            "new_judge": new_judge,
            "alpha": alpha,
            "n_boot": n_boot,
            "seed": seed,
        }
        super().__init__(
            check="judge_drift",
            inputs={k: v for k, v in given_inputs.items() if v is not None},
            check_params={k: v for k, v in given.items() if v is not None},
            **kwargs,
        )
