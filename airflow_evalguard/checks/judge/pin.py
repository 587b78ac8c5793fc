"""Pin: every score must come from the pinned judge snapshot; a changed snapshot fails directly."""

from __future__ import annotations

import pandas as pd

from airflow_evalguard.checks.judge.part import PartResult
from airflow_evalguard.result import Finding, Metric
from airflow_evalguard.verdicts import Verdict


def pin_part(models: pd.Series, pinned: list[str] | None) -> PartResult:
    """From the judge_model of every score."""
    return pin_part_counts(models.astype(str).value_counts(), pinned)


def pin_part_counts(counts: pd.Series, pinned: list[str] | None) -> PartResult:
    """From the number of scores per judge_model (index)."""
    part = PartResult()
    # most scores first, ties by name: the same listing from rows and from counts
    counts = counts[counts > 0].astype("int64").sort_index().sort_values(ascending=False, kind="stable")
    total = int(counts.sum())
    listing = ", ".join(f"{m!r} ({c:,})" for m, c in counts.items())
    part.metrics["judge_snapshots"] = Metric(len(counts), n=total)
    if not pinned:
        if len(counts) > 1:
            part.findings.append(Finding("warn", "MIXED_JUDGE_SNAPSHOTS",
                                         f"scores come from {len(counts)} judge snapshots: {listing}; pin one "
                                         "(param pinned_judge) so a silent update fails the gate"))
            part.validity.append(Verdict.WARN)
        else:
            part.findings.append(Finding("info", "JUDGE_NOT_PINNED",
                                         f"all scores from {listing}; set pinned_judge to fail when it changes"))
        return part
    pinned_set = {str(p) for p in pinned}
    off = counts[[m not in pinned_set for m in counts.index]]
    n_off = int(off.sum())
    part.metrics["unpinned_share"] = Metric(n_off / total if total else 0.0, n=total)
    if n_off:
        others = ", ".join(f"{m!r} ({c:,})" for m, c in off.items())
        text = (f"{n_off:,} of {total:,} scores came from judge snapshot(s) {others}, not the pinned "
                f"{sorted(pinned_set)}")
        part.findings.append(Finding("fail", "JUDGE_SNAPSHOT_CHANGED", text))
        part.validity.append(Verdict.FAIL)
        part.headline.append(f"The judge changed under the eval: {text}")
    return part
