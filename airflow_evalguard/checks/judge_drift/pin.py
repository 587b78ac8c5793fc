"""Pin: every score must come from the pinned judge snapshot; a changed snapshot fails directly."""

from __future__ import annotations

import pandas as pd

from airflow_evalguard.core.part import Part
from airflow_evalguard.result import Finding, Metric
from airflow_evalguard.verdicts import Verdict


def pin_part(models: pd.Series, pinned: list[str] | None) -> Part:
    """From the judge_model of every score."""
    return pin_part_counts(models.astype(str).value_counts(), pinned)


def pin_part_counts(counts: pd.Series, pinned: list[str] | None) -> Part:
    """From the number of scores per judge_model (index)."""
    # most scores first, ties by name: the same listing from rows and from counts
    counts = counts[counts > 0].astype("int64").sort_index().sort_values(ascending=False, kind="stable")
    total = int(counts.sum())
    listing = ", ".join(f"{model!r} ({count:,})" for model, count in counts.items())
    snapshots = {"judge_snapshots": Metric(len(counts), n=total)}
    if not pinned:
        if len(counts) > 1:
            mixed = Finding(
                "warn",
                "MIXED_JUDGE_SNAPSHOTS",
                f"scores come from {len(counts)} judge snapshots: {listing}; pin one "
                "(param pinned_judge) so a silent update fails the gate",
            )
            return Part(metrics=snapshots, findings=(mixed,), validity=(Verdict.WARN,))
        unpinned = Finding(
            "info", "JUDGE_NOT_PINNED", f"all scores from {listing}; set pinned_judge to fail when it changes"
        )
        return Part(metrics=snapshots, findings=(unpinned,))
    pinned_set = {str(snapshot) for snapshot in pinned}
    off = counts[[model not in pinned_set for model in counts.index]]
    n_off = int(off.sum())
    metrics = {**snapshots, "unpinned_share": Metric(n_off / total if total else 0.0, n=total)}
    if not n_off:
        return Part(metrics=metrics)
    others = ", ".join(f"{model!r} ({count:,})" for model, count in off.items())
    pinned_names = ", ".join(f"{snapshot!r}" for snapshot in sorted(pinned_set))
    text = f"{n_off:,} of {total:,} scores came from judge snapshot(s) {others}, not the pinned {pinned_names}"
    return Part(
        metrics=metrics,
        findings=(Finding("fail", "JUDGE_SNAPSHOT_CHANGED", text),),
        validity=(Verdict.FAIL,),
        headline=(f"The judge changed under the eval: {text}",),
    )
