"""LabelerAgreementGateOperator: refuse to trust labels whose labelers homogenized."""

from __future__ import annotations

from typing import Any

from airflow_evalguard.operators.evalguard import EvalGuardOperator


class LabelerAgreementGateOperator(EvalGuardOperator):
    """The `labeler_agreement` check with typed arguments.

    :param labels: one row per label (path, ``s3://`` URI or DataFrame; templated).
    :param gold: optional gold labels (item_id, label).
    :param label_counts: instead of labels: batch, item_id, label, count (e.g. from SqlSource).
    Every other argument left as None takes the check's default (see ``evalguard list``):
    level "nominal", order None, batch_order None, warn_at 0.05, fail_at 0.1, alpha 0.05,
    n_boot 1000, seed 0, id_column "item_id".
    """

    def __init__(
        self,
        *,
        labels: Any = None,
        gold: Any = None,
        label_counts: Any = None,
        level: str | None = None,
        order: list | None = None,
        batch_order: list | None = None,
        warn_at: float | None = None,
        fail_at: float | None = None,
        alpha: float | None = None,
        n_boot: int | None = None,
        seed: int | None = None,
        id_column: str | None = None,
        **kwargs: Any,
    ) -> None:
        given = {
            "id_column": id_column,
            "level": level,
            "order": order,
            "batch_order": batch_order,
            "warn_at": warn_at,
            "fail_at": fail_at,
            "alpha": alpha,
            "n_boot": n_boot,
            "seed": seed,
        }
        super().__init__(
            check="labeler_agreement",
            inputs={
                k: v for k, v in {"labels": labels, "gold": gold, "label_counts": label_counts}.items() if v is not None
            },
            check_params={k: v for k, v in given.items() if v is not None},
            **kwargs,
        )
