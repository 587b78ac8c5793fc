"""assignment_integrity's decision: read the sufficient statistics, align the arms, run the parts
(shared inputs, SRM, balance, dependence, A/A), compose, and word the result.

The parts keep the check's own Holm families (warn band and fail band across covariates; one
across assembler inputs, each through `core.compose.judge_members`): their verdicts reach the
composer as validity verdicts, so the statistics are those of the check before the core.
"""

from __future__ import annotations

from typing import Any

from airflow_evalguard.checks.assignment_integrity.aa import aa_part
from airflow_evalguard.checks.assignment_integrity.arms import Arms, align
from airflow_evalguard.checks.assignment_integrity.balance import Balance, balance_part
from airflow_evalguard.checks.assignment_integrity.dependence import Dependence, dependence_part
from airflow_evalguard.checks.assignment_integrity.read import assembler_fields, read_tables, validate
from airflow_evalguard.checks.assignment_integrity.shared import shared_inputs_part
from airflow_evalguard.checks.assignment_integrity.srm import SRM_DETECT, srm_evidence, srm_part
from airflow_evalguard.checks.assignment_integrity.words import summary
from airflow_evalguard.core.compose import compose
from airflow_evalguard.core.decision import Decision
from airflow_evalguard.io import TableInput


def decide(tables: dict[str, TableInput], params: dict[str, Any]) -> Decision:
    validate(params)
    fields = assembler_fields(params)
    arms = align(read_tables(tables, params, fields), params["expected_split"])
    balance = balance_part(arms, params)
    dependence = dependence_part(arms, fields, params)
    parts = [shared_inputs_part(params), srm_part(arms, params), balance.part, dependence.part, aa_part(arms, params)]
    composed = compose(parts, alpha=params["alpha"])  # no family members: the parts judged their own
    stories = [*dependence.part.headline, *balance.part.headline]  # leaks name the cause first
    words = summary(composed.verdict, composed.findings, stories, arms.n)
    return Decision.from_composed(
        composed, words, method=_method(arms, balance, dependence), evidence=srm_evidence(arms)
    )


def _method(arms: Arms, balance: Balance, dependence: Dependence) -> dict[str, Any]:
    """How it decided, echoed into the result's params."""
    return {
        "expected_split_effective": arms.split,
        "srm_test": "chi-square goodness of fit",
        "srm_power": f"units at which the chi-square test has 80% power against {SRM_DETECT * 100:g} points of "
        "share moved from the largest arm to the second (noncentral chi-square; exact when an arm expects "
        "fewer than 1,000 units)",
        "smd_method": balance.methods,
        "smd_test": "one-sided z test of |SMD| beyond the band, Holm across covariates",
        "dependence_method": dependence.methods,
        "multiplicity": "holm across covariates; holm across assembler inputs",
        "aa_test": "welch t from per-arm count, sum and sum of squares",
        "input_form": arms.form,
    }
