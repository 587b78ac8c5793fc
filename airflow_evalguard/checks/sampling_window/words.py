"""sampling_window's sentences: which strata differ, the findings and the summary."""

from __future__ import annotations

from typing import Any

import numpy as np

from airflow_evalguard.columns.strata import Dimension
from airflow_evalguard.core.number_words import p_value
from airflow_evalguard.core.part import Describe
from airflow_evalguard.core.sizing import SampleSize
from airflow_evalguard.result import Finding
from airflow_evalguard.stats.distances import shares
from airflow_evalguard.stats.mix import DistanceCI
from airflow_evalguard.verdicts import Verdict

HOUR = "hour_of_day"
# Over/under-represented strata named in findings: enough to explain this share of the TVD.
EXPLAIN_SHARE = 0.8
MAX_NAMED = 3
MAX_THIN_NAMED = 5


def pct(share: float) -> str:
    return f"{100 * share:.0f}%" if share >= 0.01 or share == 0 else f"{100 * share:.1f}%"


def hour_runs(hours: list[int]) -> list[list[int]]:
    """Contiguous runs of hours, wrapping around midnight."""
    runs: list[list[int]] = []
    for hour in sorted(set(hours)):
        if runs and hour == runs[-1][-1] + 1:
            runs[-1].append(hour)
        else:
            runs.append([hour])
    if len(runs) > 1 and runs[0][0] == 0 and runs[-1][-1] == 23:
        runs[0] = runs.pop() + runs[0]
    return runs


def _pick(diff: np.ndarray, sign: int) -> list[int]:
    """Levels whose share gap (in direction `sign`) explains most of the distance."""
    gaps = sign * diff
    order = [i for i in np.argsort(-gaps) if gaps[i] > 0]
    total = float(np.sum(gaps[gaps > 0]))
    picked, explained = [], 0.0
    for i in order:
        picked.append(int(i))
        explained += float(gaps[i])
        if explained >= EXPLAIN_SHARE * total:
            break
    return picked


def _label(dim: Dimension, group: list[int], timezone: str) -> str:
    if dim.name == HOUR:
        first, last = int(dim.levels[group[0]]), int(dim.levels[group[-1]])
        return f"{first:02d}:00-{(last + 1) % 24:02d}:00 {timezone}"
    return f"{dim.name}={dim.levels[group[0]]}"


def describe_gaps(
    dim: Dimension, sample_shares: np.ndarray, reference_shares: np.ndarray, timezone: str
) -> tuple[list[str], list[str]]:
    """Plain-language phrases for the over- and under-represented strata of one dimension."""
    diff = sample_shares - reference_shares
    phrases = []
    for sign in (1, -1):
        picked = _pick(diff, sign)
        groups: list[list[int]]
        if dim.name == HOUR:  # adjacent hours read as one window
            hour_of = {int(dim.levels[i]): i for i in range(len(dim.levels))}
            groups = [[hour_of[h] for h in run] for run in hour_runs([int(dim.levels[i]) for i in picked])]
        else:
            groups = [[i] for i in picked]
        groups.sort(key=lambda group: -sign * float(np.sum(diff[group])))
        phrases.append(
            [
                f"{_label(dim, group, timezone)} holds {pct(float(np.sum(sample_shares[group])))} of the sample and "
                f"{pct(float(np.sum(reference_shares[group])))} of traffic"
                for group in groups[:MAX_NAMED]
            ]
        )
    return phrases[0], phrases[1]


def describe_mix(name: str, tvd: float) -> Describe:
    return lambda verdict: f"{name}: the sample's mix differs from production by TVD {tvd:.2f} ({verdict.value})"


def describe_coverage(name: str, covered: float) -> Describe:
    return lambda verdict: f"{name}: only {pct(covered)} of traffic falls in covered strata ({verdict.value})"


def mix_finding(
    dim: Dimension,
    margins: tuple[np.ndarray, np.ndarray],
    distances: DistanceCI,
    verdict: Verdict,
    p_adjusted: float | None,
    params: dict[str, Any],
) -> tuple[Finding | None, str | None]:
    """The finding on one dimension's mix (None when it matches) and its reason for the summary."""
    over, under = describe_gaps(dim, shares(margins[0]), shares(margins[1]), params["timezone"])
    detail = "; ".join(over + under)
    if verdict in (Verdict.FAIL, Verdict.WARN):
        message = (
            f"{dim.name}: the sample's mix differs from production by TVD {distances.tvd:.2f} "
            f"(CI {distances.tvd_low:.2f}-{distances.tvd_high:.2f}, "
            f"chi-square p {p_value(p_adjusted)} after Holm): {detail}"
        )
        reason = f"{dim.name} TVD {distances.tvd:.2f} ({over[0] if over else detail})"
        return Finding(verdict.value.lower(), "MIX_SHIFT", message, None), reason
    if over and p_adjusted is not None and p_adjusted < params["alpha"]:
        message = (
            f"{dim.name}: TVD {distances.tvd:.2f} is below warn_at {params['warn_at']} though detectable: {detail}"
        )
        return Finding("info", "MIX_DIFFERENCE_WITHIN_TOLERANCE", message), None
    return None, None


def coverage_finding(
    dim: Dimension,
    margins: tuple[np.ndarray, np.ndarray],
    covered: float,
    thin: list[int],
    verdict: Verdict,
    params: dict[str, Any],
) -> tuple[Finding, str | None]:
    """The finding on one dimension's coverage shortfall and, when it FAILs, its reason."""
    sample, reference_shares = margins[0], shares(margins[1])
    names = ", ".join(
        f"{dim.name}={dim.levels[k]} ({pct(float(reference_shares[k]))} of traffic, {int(sample[k])} rows)"
        for k in thin[:MAX_THIN_NAMED]
    )
    message = (
        f"{dim.name}: only {pct(covered)} of traffic falls in strata with at least "
        f"{params['min_count_per_stratum']} sample rows (min_coverage {pct(params['min_coverage'])}); thin: {names}"
    )
    if verdict is Verdict.FAIL:
        return Finding("fail", "LOW_COVERAGE", message), f"{dim.name} coverage {pct(covered)}"
    return Finding(
        "warn", "LOW_COVERAGE_SMALL_SAMPLE", message + "; a representative sample this small would fall short too"
    ), None


def insufficient_finding(n: int, fail_at: float, undecided: list[str], size: SampleSize) -> Finding:
    """INCONCLUSIVE: what cannot be told yet, and the size that would settle it (core.sizing)."""
    return Finding(
        "warn",
        "INSUFFICIENT_SAMPLE",
        f"{n} sample rows cannot tell a representative sample from one off by TVD {fail_at} on "
        f"{', '.join(undecided)}; {size.words()}",
    )


def raking_finding(thin_cells: int, least: int) -> Finding:
    return Finding(
        "info",
        "RAKING_WEIGHTS",
        f"{thin_cells} joint strata with traffic have fewer than {least} "
        "sample rows, so weights are raked to each dimension's mix instead of post-stratified",
    )


def sample_only_finding(rows: int, n: int) -> Finding:
    return Finding(
        "warn" if rows / n > 0.01 else "info",
        "SAMPLE_ONLY_STRATA",
        f"{rows} sample rows fall in strata production never shows; they get weight 0",
    )


def summary(
    verdict: Verdict,
    reasons: list[str],
    n: int,
    size: SampleSize | None,
    tvds: list[tuple[str, float]],
    covered: float,
    ess: float,
    min_coverage: float,
) -> str:
    """`tvds`: (dimension, TVD) in dimension order; `covered`: the worst dimension's coverage."""
    if verdict is Verdict.FAIL:
        if covered < min_coverage:
            # Weights cannot create rows for strata the sample never saw.
            fix = f"re-sample: {pct(1 - covered)} of traffic has too few sample rows for re-weighting to fix"
        else:
            fix = f"re-sample, or re-weight with weights.parquet (Kish effective n {ess:,.0f} of {n:,})"
        return (
            f"The eval sample does not represent production traffic ({'; '.join(reasons)}): do not promote "
            f"on it; {fix}."
        )
    if verdict is Verdict.WARN:
        return (
            f"The eval sample's mix departs moderately from production ({'; '.join(reasons)}); re-weight with "
            f"weights.parquet (Kish effective n {ess:,.0f} of {n:,})."
        )
    if verdict is Verdict.INCONCLUSIVE:
        need = size.words() if size else "no sample size was computed for it"
        return f"{n:,} sample rows are too few to tell whether the eval represents production traffic; {need}."
    largest_name, largest_tvd = max(tvds, key=lambda pair: pair[1])
    return (
        f"The eval sample matches the production mix on {', '.join(name for name, _ in tvds)} "
        f"(largest TVD {largest_tvd:.2f} on {largest_name}, coverage {pct(covered)})."
    )
