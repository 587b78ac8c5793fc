"""slice_retention's inputs and parameters (light: no pandas, read when a DAG file is parsed)."""

from __future__ import annotations

from airflow_evalguard.core import params
from airflow_evalguard.core.spec import CheckSpec, InputSpec, ParamSpec

SPEC = CheckSpec(
    name="slice_retention",
    summary="Did a distilled or compressed student lose a rare slice the teacher handled?",
    inputs={
        "teacher": InputSpec(
            "one row per example: example_id, the slice columns, correct (0/1) or score", required=False
        ),
        "student": InputSpec("the same examples scored for the student", required=False),
        "cells": InputSpec(
            "instead of teacher/student: pre-aggregated paired cells, the slice columns, "
            "teacher_<metric>, student_<metric> and count",
            required=False,
        ),
        "moments": InputSpec(
            "instead of teacher/student (metric 'score'): per stratum of the slice columns, count, "
            "teacher_sum, student_sum, diff_sum, diff_sumsq (paired t for every slice)",
            required=False,
        ),
        "required_slices": InputSpec(
            "declared load-bearing slices: slice (col=value), optional min_n, tolerance", required=False
        ),
    },
    params={
        "slice_columns": ParamSpec([], list, "columns whose values define slices", column=True),
        "metric": ParamSpec(
            "correct", str, "0/1 column 'correct' or numeric column 'score'", choices=("correct", "score")
        ),
        **params.rate_bands(0.02, 0.05, "absolute drop"),
        "alpha": params.alpha(),
        "min_n": ParamSpec(30, int, "examples a slice needs to be judged on its own", minimum=1),
        "allow_unpaired": ParamSpec(False, bool, "drop examples present on one side only instead of failing"),
        "id_column": params.id_column("example_id", "an example in both teacher and student"),
        "seed": params.seed("seed for the paired bootstrap of scores"),
        "n_boot": params.n_boot("bootstrap resamples (unused: score slices take the skewness-corrected t)"),
    },
    decide="airflow_evalguard.checks.slice_retention.decide:decide",
    headline=("drop", "slices_regressed"),
    plots=None,
)
