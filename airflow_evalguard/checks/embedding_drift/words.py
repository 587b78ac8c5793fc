"""embedding_drift's sentences: the findings of each part and the summary."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from airflow_evalguard.core.number_words import p_value, tally
from airflow_evalguard.result import Finding
from airflow_evalguard.verdicts import Verdict


def version_mismatch(
    count: int, queries: int, share: float, first_at: Any, version: str, index_version: str, by_arm: dict[Any, int]
) -> str:
    return (
        f"{count:,} of {queries:,} queries ({share:.1%}) were embedded with a "
        f"different model/version than the index they searched, first at {first_at.isoformat()} "
        f"({version} against index {index_version}); by arm: {tally(by_arm)}"
    )


def changed_mid_experiment(arm: Any, before: str, after: str, at: Any) -> str:
    return (
        f"arm {arm}: query embeddings changed from {before} to {after} at {at.isoformat()}, "
        "in the middle of the experiment"
    )


def neighbourhood_shift(mean: float, half: float, k: int, rho: float) -> str:
    # The interval as computed (mean +- half), not clipped to [0, 1] as the metric is.
    return (
        f"only {mean:.0%} of each probe's top-{k} neighbours survive the new embedding "
        f"(CI {mean - half:.0%}-{mean + half:.0%}; similarity rank correlation {rho:.2f}): results "
        "retrieved before and after the upgrade are not comparable"
    )


def retrieval_regression(
    name: str, drop: float, ci_low: float, ci_high: float, p_adjusted: float | None, queries: int
) -> str:
    return (
        f"{name} drops by {drop:.3f} under the new embedding (CI of the drop {ci_low:.3f} to {ci_high:.3f}, "
        f"p {p_value(p_adjusted)} after Holm, {queries:,} queries)"
    )


def moved(drop: float) -> str:
    """A retrieval metric's change said with its direction: an unsettled one may have risen."""
    if f"{abs(drop):.3f}" == "0.000":
        return "is unchanged"
    return f"drops by {drop:.3f}" if drop > 0 else f"rises by {-drop:.3f}"


def retrieval_unsettled(name: str, drop: float, ci_low: float, ci_high: float, queries: int, fail_at: float) -> str:
    return (
        f"{name} {moved(drop)} under the new embedding (CI of the drop {ci_low:.3f} to {ci_high:.3f}, "
        f"{queries:,} queries): too few queries to rule out a drop of {fail_at:g}"
    )


def summary(verdict: Verdict, findings: Sequence[Finding], parts: Sequence[str]) -> str:
    if verdict is Verdict.FAIL:
        fails = [finding for finding in findings if finding.severity == "fail"]
        return f"Do not read this retrieval experiment: {fails[0].message}."
    if verdict is Verdict.WARN:
        return f"The embedding upgrade moved retrieval within tolerance: {findings[0].message}."
    if verdict is Verdict.INCONCLUSIVE:
        return "Too few probes or queries to rule out a failing shift; add more before trusting the comparison."
    return f"Embeddings are consistent ({', '.join(parts)} checked): the experiment compares like with like."
