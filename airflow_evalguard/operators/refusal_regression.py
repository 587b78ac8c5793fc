"""RefusalRegressionGateOperator: block a fine-tune that stopped refusing (or started over-refusing)."""

from __future__ import annotations

from typing import Any

from airflow_evalguard.operators.evalguard import EvalGuardOperator


class RefusalRegressionGateOperator(EvalGuardOperator):
    """The `refusal_regression` check with typed arguments.

    :param baseline: per-prompt labels of the base model (path, ``s3://`` URI or DataFrame; templated).
    :param candidate: the same prompts for the fine-tuned model (templated).
    :param cells: instead of the two, pre-aggregated paired cells (category, expected, baseline,
        candidate, count), e.g. from a warehouse through ``airflow_evalguard.sources.SqlSource``.
    Every other argument left as None takes the check's default (see ``evalguard list``):
    label_map {} (merged over refusal/compliance/partial and XSTest's labels), partial_as "refusal",
    labeler None, harmful_warn_at 0.02, harmful_fail_at 0.05, over_refusal_warn_at 0.05,
    over_refusal_fail_at 0.10, alpha 0.05, by "category", min_pairs 30, allow_unpaired False, seed 0,
    id_column "prompt_id".
    """

    def __init__(
        self,
        *,
        baseline: Any = None,
        candidate: Any = None,
        cells: Any = None,
        label_map: dict[str, str] | None = None,
        partial_as: str | None = None,
        labeler: str | None = None,
        harmful_warn_at: float | None = None,
        harmful_fail_at: float | None = None,
        over_refusal_warn_at: float | None = None,
        over_refusal_fail_at: float | None = None,
        alpha: float | None = None,
        by: str | None = None,
        min_pairs: int | None = None,
        allow_unpaired: bool | None = None,
        seed: int | None = None,
        id_column: str | None = None,
        **kwargs: Any,
    ) -> None:
        given = {
            "id_column": id_column,
            "label_map": label_map,
            "partial_as": partial_as,
            "labeler": labeler,
            "harmful_warn_at": harmful_warn_at,
            "harmful_fail_at": harmful_fail_at,
            "over_refusal_warn_at": over_refusal_warn_at,
            "over_refusal_fail_at": over_refusal_fail_at,
            "alpha": alpha,
            "by": by,
            "min_pairs": min_pairs,
            "allow_unpaired": allow_unpaired,
            "seed": seed,
        }
        super().__init__(
            check="refusal_regression",
            inputs={
                k: v for k, v in {"baseline": baseline, "candidate": candidate, "cells": cells}.items() if v is not None
            },
            check_params={k: v for k, v in given.items() if v is not None},
            **kwargs,
        )
