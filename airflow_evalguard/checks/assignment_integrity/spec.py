"""assignment_integrity's inputs and parameters (light: no pandas, read when a DAG file is parsed)."""

from __future__ import annotations

from airflow_evalguard.core import params
from airflow_evalguard.core.spec import CheckSpec, InputSpec, ParamSpec

SPEC = CheckSpec(
    name="assignment_integrity",
    summary="Is the A/B assignment honest: no SRM, no shared hash/assembler input, no leak, balanced?",
    inputs={
        "units": InputSpec(
            "one row per unit: unit_id, arm, covariates, assembler inputs, optional metric", required=False
        ),
        "arm_counts": InputSpec("instead of units (pre-aggregated): arm, count", required=False),
        "field_counts": InputSpec(
            "with arm_counts: field, value, arm, count for categorical covariates and every "
            "assembler input (numeric ones binned)",
            required=False,
        ),
        "moments": InputSpec(
            "with arm_counts: column, arm, count, sum, sum_sq for numeric covariates and the A/A metric", required=False
        ),
    },
    params={
        "expected_split": ParamSpec({}, dict, "arm -> expected share (default: equal over observed arms)"),
        "srm_alpha": ParamSpec(0.001, float, "significance level of the SRM test", minimum=1e-9, maximum=0.5),
        "covariates": ParamSpec([], list, "columns to balance-check"),
        "hash_inputs": ParamSpec([], list, "fields the routing hash reads (from the experiment config)"),
        "assembler_inputs": ParamSpec([], list, "fields the prompt assembler reads (from the experiment config)"),
        # SMD bands: no upper bound (an SMD is not a share)
        "smd_warn": params.warn_at(0.1, "SMD band that warns"),
        "smd_fail": params.fail_at(0.25, "SMD band that fails"),
        "aa": ParamSpec(False, bool, "both arms got the same treatment: the lift must include 0"),
        "metric": ParamSpec(None, str, "outcome column for the A/A lift", nullable=True),
        "alpha": params.alpha("significance for balance, dependence and A/A tests"),
        "n_perm": params.n_perm("permutations for the dependence p-values"),
        "seed": params.seed("seed for the permutations"),
    },
    decide="airflow_evalguard.checks.assignment_integrity.decide:decide",
    headline=("srm_p",),
    plots=None,  # its plots stay in airflow_evalguard/report/plots.py for now
)
