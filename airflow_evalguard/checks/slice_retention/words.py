"""slice_retention's sentences: findings, the underpowered note and the summary."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple

from airflow_evalguard.checks.slice_retention.drops import Drops
from airflow_evalguard.core.number_words import p_value, signed
from airflow_evalguard.core.part import Describe
from airflow_evalguard.core.sizing import SampleSize
from airflow_evalguard.stats.paired_scores import MIN_ITEMS, MIN_NONZERO_DIFFERENCES
from airflow_evalguard.verdicts import Verdict

SHOWN = 20  # unsettled slices named in full; the rest are counted


def level(value: float, metric: str) -> str:
    """A teacher's or student's value: a share for 0/1 outcomes, the score itself for scores."""
    return f"{value:.1%}" if metric == "correct" else f"{value:.3g}"


def amount(magnitude: float, metric: str) -> str:
    """The size of a change: percentage points for 0/1 outcomes, score units for scores."""
    return f"{magnitude * 100:.1f} points" if metric == "correct" else f"{magnitude:.3g}"


def change(drop: float, metric: str) -> str:
    """A drop (teacher - student) said with its direction, so no reader has to decode a sign:
    "a drop of 4.9 points", "improved by 4.9 points" or "unchanged"."""
    said = amount(abs(drop), metric)
    if float(said.split()[0]) == 0:
        return "unchanged"
    return f"a drop of {said}" if drop > 0 else f"improved by {said}"


def drop_interval(low: float, high: float, metric: str) -> str:
    """The drop's interval, signed (a negative end is an improvement), in the change's units."""
    if metric == "correct":
        return f"CI of the drop {signed(low * 100, '.1f')} to {signed(high * 100, '.1f')} points"
    return f"CI of the drop {signed(low, '.3g')} to {signed(high, '.3g')}"


def overall_describer(drop: float, metric: str) -> Describe:
    def describe(verdict: Verdict) -> str:
        return f"the overall change ({change(drop, metric)}, {verdict.value})"

    return describe


def slice_describer(label: str) -> Describe:
    def describe(verdict: Verdict) -> str:
        return f"{label}: {verdict.value}"

    return describe


def slice_regression(label: str, found: Drops, i: int, n_total: int, p_adjusted: float, metric: str) -> str:
    return (
        f"{label} ({int(found.n[i]) / n_total:.1%} of examples): {level(found.teacher[i], metric)} -> "
        f"{level(found.student[i], metric)} ({change(found.drop[i], metric)}, "
        f"{drop_interval(found.lo[i], found.hi[i], metric)}, p {p_value(p_adjusted)} after Holm)"
    )


class Unsettled(NamedTuple):
    """One unsettled slice: why, in a few words, and the size that would settle it; `required`
    when the user declared it (then it holds the result at INCONCLUSIVE)."""

    entry: str
    size: SampleSize
    required: bool = False

    @property
    def slice(self) -> str:
        return self.entry.split(" (", 1)[0]


def unsettled(
    label: str,
    n: int,
    min_n: int,
    fail_at: float,
    detectable: float | None,
    size: SampleSize,
    required: bool = False,
    *,
    withheld: bool = False,
) -> Unsettled:
    why = f"n={n} < {min_n}" if n < min_n else f"CI reaches {fail_at:.0%}"
    if withheld:  # stats.paired_scores gives no interval below this many changed pairs
        why += f"; fewer than {MIN_ITEMS} pairs or {MIN_NONZERO_DIFFERENCES} changed, no interval"
    can = f"detectable drop {detectable:.1%}" if detectable is not None else "no drop detectable at 80% power"
    return Unsettled(f"{label} ({why}; {can})", size, required)


def underpowered(items: Sequence[Unsettled]) -> str:
    """The unsettled slices (the first SHOWN named), then each distinct size once, with the slices
    it is for when the slices differ in min_n or tolerance, then what they do to the verdict."""
    more = f" (+{len(items) - SHOWN} more)" if len(items) > SHOWN else ""
    listed = f"{len(items)} slice(s) cannot be settled: " + "; ".join(item.entry for item in items[:SHOWN]) + more
    sizes: dict[str, list[str]] = {}
    for item in items:
        sizes.setdefault(item.size.words(), []).append(item.slice)
    if len(sizes) == 1:
        sized = f"Per slice, {next(iter(sizes))}"
    else:
        sized = "Per slice: " + "; ".join(f"{', '.join(names[:SHOWN])}: {said}" for said, names in sizes.items())
    return f"{listed}. {sized}. {verdict_effect(items)}"


def verdict_effect(items: Sequence[Unsettled]) -> str:
    """Why unsettled slices do (required) or do not (the rest) change the verdict."""
    required = [item.slice for item in items if item.required]
    if not required:
        return (
            "They warn without changing the verdict: only a slice declared in required_slices holds the result "
            "at INCONCLUSIVE."
        )
    named = ", ".join(required[:SHOWN]) + (f" (+{len(required) - SHOWN} more)" if len(required) > SHOWN else "")
    others = "; the others warn without changing it" if len(required) < len(items) else ""
    return f"Required slice(s) {named} hold the result at INCONCLUSIVE{others}."


def average(
    overall_drop: float, overall: Verdict, regressions: Sequence[tuple[str, float]], metric: str
) -> tuple[str, str, str]:
    """(severity, code, message) comparing the overall change with the slices that regressed."""
    overall_change = change(overall_drop, metric)
    if regressions and overall is Verdict.PASS:
        worst_label, worst_drop = max(regressions, key=lambda regression: regression[1])
        return (
            "warn",
            "AVERAGE_HIDES_REGRESSION",
            f"the overall change ({overall_change}) passes, but {len(regressions)} slice(s) regressed; "
            f"worst {worst_label} ({change(worst_drop, metric)})",
        )
    return (
        "info",
        "AVERAGE_CONSISTENT",
        f"the overall change ({overall_change}, {overall.value}) "
        + ("and the slices agree" if not regressions else "already shows the regression"),
    )


def overall_unsettled(drop: float, low: float, high: float, fail_at: float, size: SampleSize, metric: str) -> str:
    interval = drop_interval(low, high, metric)
    if not math.isfinite(low):  # withheld (stats.paired_scores)
        interval = f"no interval: fewer than {MIN_ITEMS} pairs or {MIN_NONZERO_DIFFERENCES} changed"
    return (
        f"the overall change ({change(drop, metric)}, {interval}) cannot rule out "
        f"a drop of {amount(fail_at, metric)}: {size.words()}"
    )


def unpaired(teacher_only: int, student_only: int) -> str:
    return f"{teacher_only:,} teacher-only and {student_only:,} student-only examples dropped"


def summary(
    verdict: Verdict,
    overall_drop: float,
    regressions: Sequence[tuple[str, float, str]],
    missing: bool,
    n_total: int,
    metric: str = "correct",
    unsettled: Sequence[Unsettled] = (),
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
    kept = f"The student retains the teacher's behaviour overall ({change(overall_drop, metric)})"
    if not unsettled:
        return f"{kept} and in every measurable slice."
    return f"{kept} and in every slice large enough to measure. {_passes_despite(unsettled)}"


def _passes_despite(items: Sequence[Unsettled]) -> str:
    """Why a PASS stands beside unsettled slices, and the size that would settle them."""
    names = ", ".join(item.slice for item in items[:3]) + (f" (+{len(items) - 3} more)" if len(items) > 3 else "")
    sizes = {item.size.n for item in items}
    if len(sizes) > 1:
        sized = "UNDERPOWERED_SLICE states the paired examples each needs"
    elif None in sizes:
        sized = "no sample size would settle them (see UNDERPOWERED_SLICE)"
    else:
        sized = f"about {next(iter(sizes)):,} {items[0].size.unit} per slice would settle them (see UNDERPOWERED_SLICE)"
    return (
        f"{len(items)} slice(s) too small to settle ({names}) do not change the verdict because none is declared "
        f"in required_slices; {sized}."
    )
