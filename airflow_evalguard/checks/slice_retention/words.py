"""slice_retention's sentences: findings, the underpowered note and the summary."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple

from airflow_evalguard.checks.slice_retention.drops import Drops
from airflow_evalguard.core.part import Describe
from airflow_evalguard.core.sizing import SampleSize
from airflow_evalguard.stats.paired_scores import MIN_ITEMS, MIN_NONZERO_DIFFERENCES
from airflow_evalguard.verdicts import Verdict

SHOWN = 20  # unsettled slices named in full; the rest are counted


def overall_describer(drop: float) -> Describe:
    def describe(verdict: Verdict) -> str:
        return f"the overall drop ({drop:+.1%}, {verdict.value})"

    return describe


def slice_describer(label: str) -> Describe:
    def describe(verdict: Verdict) -> str:
        return f"{label}: {verdict.value}"

    return describe


def slice_regression(label: str, found: Drops, i: int, n_total: int, p_adjusted: float) -> str:
    return (
        f"{label} ({int(found.n[i]) / n_total:.1%} of examples): {found.teacher[i]:.1%} -> {found.student[i]:.1%} "
        f"(drop {found.drop[i]:+.1%}, CI {found.lo[i]:+.1%} to {found.hi[i]:+.1%}, p {p_adjusted:.2g} after Holm)"
    )


class Unsettled(NamedTuple):
    """One unsettled slice: why, in a few words, and the size that would settle it."""

    entry: str
    size: SampleSize


def unsettled(
    label: str,
    n: int,
    min_n: int,
    fail_at: float,
    detectable: float | None,
    size: SampleSize,
    *,
    withheld: bool = False,
) -> Unsettled:
    why = f"n={n} < {min_n}" if n < min_n else f"CI reaches {fail_at:.0%}"
    if withheld:  # stats.paired_scores gives no interval below this many changed pairs
        why += f"; fewer than {MIN_ITEMS} pairs or {MIN_NONZERO_DIFFERENCES} changed, no interval"
    can = f"detectable drop {detectable:.1%}" if detectable is not None else "no drop detectable at 80% power"
    return Unsettled(f"{label} ({why}; {can})", size)


def underpowered(items: Sequence[Unsettled]) -> str:
    """The unsettled slices (the first SHOWN named), then each distinct size once, with the slices
    it is for when the slices differ in min_n or tolerance."""
    more = f" (+{len(items) - SHOWN} more)" if len(items) > SHOWN else ""
    listed = f"{len(items)} slice(s) cannot be settled: " + "; ".join(item.entry for item in items[:SHOWN]) + more
    sizes: dict[str, list[str]] = {}
    for item in items:
        sizes.setdefault(item.size.words(), []).append(item.entry.split(" (", 1)[0])
    if len(sizes) == 1:
        return f"{listed}. Per slice, {next(iter(sizes))}"
    return f"{listed}. Per slice: " + "; ".join(f"{', '.join(names[:SHOWN])}: {said}" for said, names in sizes.items())


def average(overall_drop: float, overall: Verdict, regressions: Sequence[tuple[str, float]]) -> tuple[str, str, str]:
    """(severity, code, message) comparing the overall drop with the slices that regressed."""
    if regressions and overall is Verdict.PASS:
        worst_label, worst_drop = max(regressions, key=lambda regression: regression[1])
        return (
            "warn",
            "AVERAGE_HIDES_REGRESSION",
            f"the overall drop ({overall_drop:+.1%}) passes, but {len(regressions)} slice(s) regressed; "
            f"worst {worst_label} ({worst_drop:+.1%})",
        )
    return (
        "info",
        "AVERAGE_CONSISTENT",
        f"the overall drop ({overall_drop:+.1%}, {overall.value}) "
        + ("and the slices agree" if not regressions else "already shows the regression"),
    )


def overall_unsettled(drop: float, low: float, high: float, fail_at: float, size: SampleSize) -> str:
    interval = f"CI {low:+.1%} to {high:+.1%}"
    if not math.isfinite(low):  # withheld (stats.paired_scores)
        interval = f"no interval: fewer than {MIN_ITEMS} pairs or {MIN_NONZERO_DIFFERENCES} changed"
    return f"the overall drop ({drop:+.1%}, {interval}) cannot rule out a drop of {fail_at:.0%}: {size.words()}"


def unpaired(teacher_only: int, student_only: int) -> str:
    return f"{teacher_only} teacher-only and {student_only} student-only examples dropped"


def summary(
    verdict: Verdict, overall_drop: float, regressions: Sequence[tuple[str, float, str]], missing: bool, n_total: int
) -> str:
    if missing:
        return (
            "A required slice was never measured: the eval cannot vouch for a behaviour the team declared "
            "load-bearing. Do not promote."
        )
    if verdict in (Verdict.FAIL, Verdict.WARN) and regressions:
        label, _, sentence = max(regressions, key=lambda regression: regression[1])
        hidden = " while the overall average looks flat" if abs(overall_drop) < 0.01 else ""
        head = "The student lost" if verdict is Verdict.FAIL else "The student slipped on"
        return f"{head} {label}{hidden}: {sentence}."
    if verdict is Verdict.INCONCLUSIVE:
        return (
            f"{n_total:,} paired examples cannot rule out a failing drop overall or in a required slice; "
            "see OVERALL_DROP_UNSETTLED or UNDERPOWERED_SLICE for the examples that would settle it."
        )
    return (
        f"The student retains the teacher's behaviour overall (drop {overall_drop:+.1%}) and in every measurable slice."
    )
