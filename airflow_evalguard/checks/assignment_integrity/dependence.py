"""Does the arm depend on what the prompt assembler reads?

For each assembler input, Cramér's V of its field x arm table with a permutation p-value (chi-square
at large n). The inputs form one Holm family of their own (judged by `core.compose.judge_members`,
as before the move to the core); a significant dependence FAILs: the arm then follows the prompt.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from airflow_evalguard.checks.assignment_integrity.arms import Arms
from airflow_evalguard.checks.assignment_integrity.words import describe_claim, describe_leak
from airflow_evalguard.core import number_words
from airflow_evalguard.core.compose import judge_members
from airflow_evalguard.core.part import Part, TestedClaim
from airflow_evalguard.result import Finding, Metric
from airflow_evalguard.stats.dependence import dependence_test
from airflow_evalguard.verdicts import Verdict

CODE = "ASSIGNMENT_LEAK"


@dataclass(frozen=True)
class Dependence:
    part: Part  # headline: how each leaking input predicts the arm, for the summary
    methods: dict[str, str]  # input -> how it was tested, echoed as dependence_method


def dependence_part(arms: Arms, fields: list[str], params: dict[str, Any]) -> Dependence:
    tests = {
        name: dependence_test(arms.fields[name].counts, n_perm=params["n_perm"], seed=params["seed"]) for name in fields
    }
    members = [
        TestedClaim(CODE, p_value, Verdict.FAIL, describe_claim(f"dependence on {name}"))
        for name, (_, p_value, _) in tests.items()
    ]
    metrics: dict[str, Metric] = {}
    findings: list[Finding] = []
    leaks: list[str] = []
    methods: dict[str, str] = {}
    for (name, (cramers_v, _, method)), judged in zip(
        tests.items(), judge_members(members, params["alpha"]), strict=True
    ):
        metrics[f"dependence[{name}]"] = Metric(cramers_v, n=arms.n)
        metrics[f"dependence_p[{name}]"] = Metric(judged.p_adjusted, n=arms.n)
        methods[name] = f"cramers_v on {arms.fields[name].how}, {method} p-value"
        if judged.significant:
            story = describe_leak(name, arms.fields[name], arms.labels)
            findings.append(
                Finding(
                    "fail",
                    CODE,
                    f"the assembler input '{name}' predicts the arm (Cramér's V {cramers_v:.2f}, "
                    f"p {number_words.p_value(judged.p_adjusted)} after Holm): {story}",
                )
            )
            leaks.append(story)
    part = Part(metrics, tuple(findings), validity=(Verdict.FAIL,) * len(leaks), headline=tuple(leaks))
    return Dependence(part, methods)
