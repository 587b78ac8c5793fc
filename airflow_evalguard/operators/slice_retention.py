"""SliceRetentionGateOperator: block a distilled student that lost a rare slice the teacher handled."""

from __future__ import annotations

from typing import Any

from airflow_evalguard.operators.evalguard import EvalGuardOperator


class SliceRetentionGateOperator(EvalGuardOperator):
    """The `slice_retention` check with typed arguments.

    :param teacher: per-example results of the teacher (path, ``s3://`` URI or DataFrame; templated).
    :param cells: instead of teacher/student: pre-aggregated paired cells (slice columns,
        teacher_<metric>, student_<metric>, count), e.g. from ``SqlSource.paired_cells``.
    :param moments: instead of teacher/student (metric "score"): per stratum count, teacher_sum,
        student_sum, diff_sum, diff_sumsq, e.g. from ``SqlSource.paired_moments``.
    :param student: the same examples for the student (templated).
    :param required_slices: optional table of declared load-bearing slices (templated).
    Every other argument left as None takes the check's default (see ``evalguard list``):
    slice_columns [], metric "correct", warn_at 0.02, fail_at 0.05, alpha 0.05, min_n 30,
    allow_unpaired False, seed 0, n_boot 2000, id_column "example_id".
    """

    def __init__(
        self,
        *,
        teacher: Any = None,
        student: Any = None,
        cells: Any = None,
        moments: Any = None,
        required_slices: Any = None,
        slice_columns: list[str] | None = None,
        metric: str | None = None,
        warn_at: float | None = None,
        fail_at: float | None = None,
        alpha: float | None = None,
        min_n: int | None = None,
        allow_unpaired: bool | None = None,
        seed: int | None = None,
        n_boot: int | None = None,
        id_column: str | None = None,
        **kwargs: Any,
    ) -> None:
        given = {
            "id_column": id_column,
            "slice_columns": slice_columns,
            "metric": metric,
            "warn_at": warn_at,
            "fail_at": fail_at,
            "alpha": alpha,
            "min_n": min_n,
            "allow_unpaired": allow_unpaired,
            "seed": seed,
            "n_boot": n_boot,
        }
        inputs = {
            k: v
            for k, v in {"teacher": teacher, "student": student, "cells": cells, "moments": moments}.items()
            if v is not None
        }
        if required_slices is not None:
            inputs["required_slices"] = required_slices
        super().__init__(
            check="slice_retention",
            inputs=inputs,
            check_params={k: v for k, v in given.items() if v is not None},
            **kwargs,
        )
