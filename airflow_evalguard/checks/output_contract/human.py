"""The human-handled promise: escalations meant for a person must be resolved by one.

A share of automated resolutions above the contract's `max_automated_share` (default 0) FAILs:
the escalation contract no longer reaches a person.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from airflow_evalguard.checks.output_contract.words import automated_message
from airflow_evalguard.contracts.conditions import evaluate, parse_condition
from airflow_evalguard.contracts.loader import Contract
from airflow_evalguard.core.part import Part
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.result import Finding, Metric
from airflow_evalguard.verdicts import Verdict


@dataclass(frozen=True)
class HumanHandled:
    part: Part
    automated_rows: tuple[int, ...]  # rows a human should have handled but a bot did


def human_handled(contract: Contract, records: pd.DataFrame) -> HumanHandled:
    spec = contract.behaviour.get("human_handled")
    if spec is None:
        return HumanHandled(Part(), ())
    column, human = spec.get("column", "resolved_by_type"), spec.get("human_value", "human")
    if column not in records.columns:
        raise EvalGuardInputError(
            f"input 'records': the contract's human_handled clause reads column '{column}', "
            f"which the records do not have",
            input_name="records",
            column=column,
        )
    present = records[column].notna().to_numpy()
    applies = evaluate(parse_condition(spec["applies_when"]), records) if spec.get("applies_when") else present
    applies = applies & present
    handled = records.loc[applies, column]
    n_applies = int(applies.sum())
    automated = np.flatnonzero(applies)[(handled != human).to_numpy()]
    share = (n_applies - len(automated)) / n_applies if n_applies else float("nan")
    metrics = {
        "human_handled_share": Metric(share, n=n_applies),
        "automated_handled": Metric(len(automated), n=n_applies),
    }
    limit = spec.get("max_automated_share", 0.0)
    rows = tuple(int(row) for row in automated)
    if not (n_applies and len(automated) / n_applies > limit):
        return HumanHandled(Part(metrics=metrics), rows)
    consumers = records.loc[automated, column].astype(str).value_counts().head(5).to_dict()
    finding = Finding("fail", "CONSUMER_AUTOMATED", automated_message(len(automated), n_applies, consumers, limit))
    return HumanHandled(Part(metrics=metrics, findings=(finding,), validity=(Verdict.FAIL,)), rows)
