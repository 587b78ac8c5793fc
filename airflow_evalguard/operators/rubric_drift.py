"""RubricDriftGateOperator: refuse to compare scores across a rubric or judge drift the composite hides."""

from __future__ import annotations

from typing import Any

from airflow_evalguard.operators.evalguard import EvalGuardOperator


class RubricDriftGateOperator(EvalGuardOperator):
    """The `rubric_drift` check with typed arguments.

    :param ratings: long-form ratings (path, ``s3://`` URI or DataFrame; templated).
    :param item_sums: instead of ratings: per item, criterion, period, rater_type the count, sum,
        min and max of the scores, e.g. from ``SqlSource.rubric_item_sums``.
    Every other argument left as None takes the check's default (see ``evalguard list``):
    baseline_period / candidate_period (the two periods present), weights {} (equal),
    warn_at 0.2, fail_at 0.5, scale None, alpha 0.05, n_boot 2000, seed 0, id_column "item_id".
    """

    def __init__(
        self,
        *,
        ratings: Any = None,
        item_sums: Any = None,
        baseline_period: str | None = None,
        candidate_period: str | None = None,
        weights: dict[str, float] | None = None,
        warn_at: float | None = None,
        fail_at: float | None = None,
        scale: list[float] | None = None,
        alpha: float | None = None,
        n_boot: int | None = None,
        seed: int | None = None,
        id_column: str | None = None,
        **kwargs: Any,
    ) -> None:
        given = {
            "id_column": id_column,
            "baseline_period": baseline_period,
            "candidate_period": candidate_period,
            "weights": weights,
            "warn_at": warn_at,
            "fail_at": fail_at,
            "scale": scale,
            "alpha": alpha,
            "n_boot": n_boot,
            "seed": seed,
        }
        super().__init__(
            check="rubric_drift",
            inputs={k: v for k, v in {"ratings": ratings, "item_sums": item_sums}.items() if v is not None},
            check_params={k: v for k, v in given.items() if v is not None},
            **kwargs,
        )
