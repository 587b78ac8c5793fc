"""The events part: did queries search an index embedded with another model, and did an arm's
query embedding change during the experiment? Both are validity failures (FAIL), not effects.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from airflow_evalguard.checks.embedding_drift import words
from airflow_evalguard.core.part import Part
from airflow_evalguard.result import Finding, Metric
from airflow_evalguard.verdicts import Verdict

EVIDENCE_ROWS = 1000  # mismatched queries kept as evidence


def mismatch(index: pd.DataFrame, queries: pd.DataFrame) -> tuple[Part, pd.DataFrame | None]:
    """The share of queries embedded unlike the index in effect when they ran, and the first ones.

    The index in effect for a query is the latest index event at or before it (the first index
    event for queries before any). Nothing to compare without both index and query events.
    """
    if not (len(index) and len(queries)):
        return Part(), None
    in_effect = index[["ts", "version"]].rename(columns={"version": "index_version"})
    joined = pd.merge_asof(queries, in_effect, on="ts", direction="backward")
    joined["index_version"] = joined["index_version"].fillna(index["version"].iloc[0])
    mismatched = joined["version"] != joined["index_version"]
    metrics = {"version_mismatch": Metric(float(mismatched.mean()), n=len(joined))}
    bad = joined[mismatched].head(EVIDENCE_ROWS)
    evidence = pd.DataFrame(
        {
            "part": "events",
            "item": bad["ts"].map(lambda ts: ts.isoformat()),
            "arm": bad["arm"],
            "value": np.nan,
            "detail": "query " + bad["version"] + " vs index " + bad["index_version"],
        }
    )
    if not mismatched.any():
        return Part(metrics=metrics), evidence
    first = joined[mismatched].iloc[0]
    by_arm = joined[mismatched].groupby("arm").size().to_dict()
    message = words.version_mismatch(
        int(mismatched.sum()),
        len(joined),
        mismatched.mean(),
        first["ts"],
        first["version"],
        first["index_version"],
        by_arm,
    )
    finding = Finding("fail", "EMBEDDING_VERSION_MISMATCH", message)
    return Part(metrics=metrics, findings=(finding,), validity=(Verdict.FAIL,)), evidence


def changes(queries: pd.DataFrame) -> Part:
    """Per arm: how many times its query embedding changed; any change is a finding for that arm."""
    metrics: dict[str, Metric] = {}
    findings = []
    for arm, group in queries.groupby("arm", sort=True):
        versions = list(dict.fromkeys(group["version"]))
        metrics[f"version_change_during_experiment[{arm}]"] = Metric(len(versions) - 1, n=len(group))
        if len(versions) > 1:
            first_new = group[group["version"] != versions[0]].iloc[0]
            message = words.changed_mid_experiment(arm, versions[0], first_new["version"], first_new["ts"])
            findings.append(Finding("fail", "EMBEDDING_CHANGED_MID_EXPERIMENT", message, f"arm={arm}"))
    return Part(metrics=metrics, findings=tuple(findings), validity=(Verdict.FAIL,) * len(findings))
