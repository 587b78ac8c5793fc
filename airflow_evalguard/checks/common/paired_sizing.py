"""The sizes refusal_regression and slice_retention state when a paired comparison is unsettled,
computed for the test each check runs on that comparison (docs/checks/slice_retention.md, "How
sizes are stated").

A member of a Holm family of m members is significant when m times its p-value is below alpha if
it is the only real regression (Holm adjusts the smallest p by m), so it is sized at the level
alpha / m (Holm 1979): when other members regress too, Holm is less strict and the size is
conservative. A group that needs `at_least` pairs to be judged on its own (min_pairs, min_n) is
never told a smaller size would settle it.
"""

from __future__ import annotations

from airflow_evalguard.core.sizing import SampleSize
from airflow_evalguard.stats import mcnemar_power, paired_t_power


def family_level(alpha: float, members: int) -> float:
    """The significance level of one member of a Holm family of `members` (Bonferroni's, alpha/m)."""
    return alpha / max(members, 1)


def _stated(needed: int | None, at_least: int) -> int | None:
    return None if needed is None else max(needed, at_least)


def mcnemar_size(
    drop: float, *, discordance: float, alpha: float, members: int, unit: str, effect: str, at_least: int = 1
) -> SampleSize:
    """Pairs for 80% exact power to detect `drop` at the discordance observed overall."""
    level = family_level(alpha, members)
    needed = mcnemar_power.pairs_needed(drop, discordance=discordance, level=level)
    method = f"{mcnemar_power.METHOD_WORDS} {level:.2g}, discordance {discordance:.1%} observed overall"
    if discordance < drop:  # the checks' assumption: the least discordance such a drop allows
        method += ", raised to the drop (every discordant pair a loss)"
    return SampleSize(_stated(needed, at_least), unit, effect, mcnemar_power.TARGET_POWER, method)


def paired_t_size(
    drop: float, *, sd: float, alpha: float, members: int, unit: str, effect: str, at_least: int = 1
) -> SampleSize:
    """Pairs for 80% power of the paired t test to detect `drop` with differences of spread `sd`."""
    level = family_level(alpha, members)
    needed = paired_t_power.paired_t_pairs_needed(drop, sd=sd, level=level)
    method = f"{paired_t_power.METHOD_WORDS} {level:.2g}, sd of differences {sd:.3g} observed overall"
    return SampleSize(_stated(needed, at_least), unit, effect, mcnemar_power.TARGET_POWER, method)
