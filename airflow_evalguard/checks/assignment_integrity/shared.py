"""Before any data: is a field both hashed for routing and read by the prompt assembler?

Then the arm can follow the prompt's content, and no amount of data makes the lift a treatment
effect: each such field FAILs from the experiment's configuration alone.
"""

from __future__ import annotations

from typing import Any

from airflow_evalguard.core.part import Part
from airflow_evalguard.result import Finding
from airflow_evalguard.verdicts import Verdict


def shared_inputs_part(params: dict[str, Any]) -> Part:
    shared = sorted(set(params["hash_inputs"]) & set(params["assembler_inputs"]))
    findings = tuple(
        Finding(
            "fail",
            "SHARED_INPUT",
            f"'{name}' is both hashed for routing and read by the prompt assembler: the arm can "
            "follow the prompt's content, so the lift is not a treatment effect",
        )
        for name in shared
    )
    return Part(findings=findings, validity=(Verdict.FAIL,) * len(shared))
