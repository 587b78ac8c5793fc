"""The concentration part: is the accepted set dominated by one author, or by employees?

Measured on the accepted rows (what will be trained on): the author HHI, the top author's share
and the employee share, each against its limit directly (facts about this set, no intervals).
One row per author is the least concentrated a set can be, however small: never a finding.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from airflow_evalguard.checks.feedback_provenance import words
from airflow_evalguard.checks.feedback_provenance.rules import allowed
from airflow_evalguard.checks.feedback_provenance.scan import Mask
from airflow_evalguard.core.part import Part
from airflow_evalguard.pii.messages import redacted
from airflow_evalguard.result import Finding, Metric
from airflow_evalguard.verdicts import Verdict


def part(frame: pd.DataFrame, rejected: Mask, params: dict[str, Any]) -> Part:
    accepted = frame.loc[~rejected]
    if not len(accepted):
        return Part()
    authors = accepted["author_id"].astype("string").value_counts()
    shares = authors.to_numpy(dtype=float) / len(accepted)
    top_share = float(shares[0])
    metrics = {
        "author_hhi": Metric(float((shares**2).sum()), n=len(accepted)),
        "top_author_share": Metric(top_share, n=len(accepted)),
        "authors": Metric(len(authors)),
    }
    employee_share = None
    if "author_type" in frame.columns:
        employee_share = float(allowed(accepted["author_type"], params["employee_types"]).mean())
        metrics["employee_share"] = Metric(employee_share, n=len(accepted))
    findings = []
    top_rows = int(authors.iloc[0])
    if top_share > params["max_author_share"] and top_rows > 1:
        who = redacted(str(authors.index[0]))
        message = words.author_concentration(who, top_share, top_rows, len(accepted), params["max_author_share"])
        findings.append(Finding("fail", "AUTHOR_CONCENTRATION", message))
    if employee_share is not None and employee_share > params["max_employee_share"]:
        message = words.employee_feedback(employee_share, params["employee_types"], params["max_employee_share"])
        findings.append(Finding("fail", "EMPLOYEE_FEEDBACK", message))
    return Part(metrics=metrics, findings=tuple(findings), validity=(Verdict.FAIL,) * len(findings))
