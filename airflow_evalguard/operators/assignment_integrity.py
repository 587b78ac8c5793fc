"""AssignmentIntegrityGateOperator: refuse to read a prompt experiment whose assignment leaked."""

from __future__ import annotations

from typing import Any

from airflow_evalguard.operators.evalguard import EvalGuardOperator


class AssignmentIntegrityGateOperator(EvalGuardOperator):
    """The `assignment_integrity` check with typed arguments.

    :param units: one row per unit (path, ``s3://`` URI or DataFrame; templated).
    :param arm_counts: instead of units (pre-aggregated): arm, count; with ``field_counts``
        (field, value, arm, count) and ``moments`` (column, arm, count, sum, sum_sq), e.g. from
        ``SqlSource.assignment_tables``.
    Every other argument left as None takes the check's default (see ``evalguard list``):
    expected_split {} (equal), srm_alpha 0.001, covariates [], hash_inputs [], assembler_inputs [],
    smd_warn 0.1, smd_fail 0.25, aa False, metric None, alpha 0.05, n_perm 999, seed 0.
    """

    def __init__(
        self,
        *,
        units: Any = None,
        arm_counts: Any = None,
        field_counts: Any = None,
        moments: Any = None,
        expected_split: dict[str, float] | None = None,
        srm_alpha: float | None = None,
        covariates: list[str] | None = None,
        hash_inputs: list[str] | None = None,
        assembler_inputs: list[str] | None = None,
        smd_warn: float | None = None,
        smd_fail: float | None = None,
        aa: bool | None = None,
        metric: str | None = None,
        alpha: float | None = None,
        n_perm: int | None = None,
        seed: int | None = None,
        **kwargs: Any,
    ) -> None:
        given = {
            "expected_split": expected_split,
            "srm_alpha": srm_alpha,
            "covariates": covariates,
            "hash_inputs": hash_inputs,
            "assembler_inputs": assembler_inputs,
            "smd_warn": smd_warn,
            "smd_fail": smd_fail,
            "aa": aa,
            "metric": metric,
            "alpha": alpha,
            "n_perm": n_perm,
            "seed": seed,
        }
        super().__init__(
            check="assignment_integrity",
            inputs={
                k: v
                for k, v in {
                    "units": units,
                    "arm_counts": arm_counts,
                    "field_counts": field_counts,
                    "moments": moments,
                }.items()
                if v is not None
            },
            check_params={k: v for k, v in given.items() if v is not None},
            **kwargs,
        )
