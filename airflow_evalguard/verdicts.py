"""The gate rule of docs/architecture.md, implemented once for every check.

Decisions rest on an effect size with a confidence interval, never on a bare p-value: at a million
rows every difference is "significant", at forty rows nothing is.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.stats.multiplicity import holm_adjust


# Not StrEnum: str()/format() of a StrEnum member give "PASS", of this one "Verdict.PASS", and
# messages and results already written must not change.
class Verdict(str, enum.Enum):  # noqa: UP042
    PASS = "PASS"
    WARN = "WARN"
    INCONCLUSIVE = "INCONCLUSIVE"
    FAIL = "FAIL"

    @property
    def rank(self) -> int:
        # INCONCLUSIVE ranks above WARN: the data cannot rule out a failing regression.
        return _RANK[self]


_RANK = {Verdict.PASS: 0, Verdict.WARN: 1, Verdict.INCONCLUSIVE: 2, Verdict.FAIL: 3}


def worst(verdicts: Iterable[Verdict]) -> Verdict:
    """The most severe verdict; PASS for an empty family."""
    return max(verdicts, key=lambda v: v.rank, default=Verdict.PASS)


def validate_bands(warn_at: float, fail_at: float) -> None:

    if not (0 <= warn_at <= fail_at):
        raise EvalGuardInputError(f"params: need 0 <= warn_at <= fail_at, got warn_at={warn_at}, fail_at={fail_at}")


def gate_rule(value: float, ci_high: float | None, significant: bool, warn_at: float, fail_at: float) -> Verdict:
    """One degradation `value` (larger is worse) -> verdict, by the table in docs/architecture.md.

    | significant and value >= fail_at               | FAIL         |
    | significant and warn_at <= value < fail_at     | WARN         |
    | not significant, CI still reaches fail_at      | INCONCLUSIVE |
    | otherwise                                      | PASS         |
    """
    if significant and value >= fail_at:
        return Verdict.FAIL
    if significant and value >= warn_at:
        return Verdict.WARN
    if not significant and ci_high is not None and ci_high >= fail_at:
        return Verdict.INCONCLUSIVE
    return Verdict.PASS


@dataclass(frozen=True)
class Effect:
    """A degradation estimate with its interval and the p-value of its test of 'no difference'."""

    name: str
    value: float
    ci_low: float | None
    ci_high: float | None
    p_value: float | None = None


@dataclass(frozen=True)
class JudgedEffect:
    effect: Effect
    p_adjusted: float | None
    significant: bool
    verdict: Verdict


def judge_family(
    effects: Sequence[Effect], *, alpha: float, warn_at: float, fail_at: float, correction: str = "holm"
) -> list[JudgedEffect]:
    """Apply the gate rule to a family of effects with Holm correction across the family.

    `correction="none"` when the p-values are already adjusted (a check whose family also holds
    other tests, e.g. coverage tests beside the mix tests). An effect without a p-value is
    significant when its CI excludes 0 (the caller then owns the multiplicity of that interval).
    """
    if correction not in ("holm", "none"):
        raise ValueError(f"correction must be 'holm' or 'none', got {correction!r}")
    raw = [e.p_value for e in effects]
    adjusted = holm_adjust(raw) if correction == "holm" else raw
    judged = []
    for effect, p_adj in zip(effects, adjusted, strict=True):
        # without a p-value, significant when the CI excludes 0
        significant = p_adj < alpha if p_adj is not None else effect.ci_low is not None and effect.ci_low > 0
        verdict = gate_rule(effect.value, effect.ci_high, significant, warn_at, fail_at)
        judged.append(JudgedEffect(effect, p_adj, significant, verdict))
    return judged


@dataclass(frozen=True)
class SliceVerdict:
    slice: str
    verdict: Verdict
    required: bool = False


def overall_verdict(
    overall: Iterable[Verdict], validity: Iterable[Verdict] = (), slices: Iterable[SliceVerdict] = ()
) -> tuple[Verdict, list[str]]:
    """Worst of the overall metrics, the validity tests and each slice's FAIL or WARN.

    An INCONCLUSIVE slice only makes the whole result INCONCLUSIVE when the user declared it
    required; otherwise it is returned in the second value, to be reported as UNDERPOWERED_SLICE.
    """
    family = list(overall) + list(validity)
    underpowered = []
    for s in slices:
        if s.verdict is Verdict.INCONCLUSIVE and not s.required:
            underpowered.append(s.slice)
        else:
            family.append(s.verdict)
    return worst(family), underpowered
