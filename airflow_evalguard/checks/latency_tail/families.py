"""Which groups each decision judges, and the Bonferroni-corrected alpha of each family.

Each decision family (SLO, cold-start tax, training contention, fine-tune regression) keeps its
chance of a false FAIL at alpha by splitting alpha over its slices; a ratio combines two
intervals at half that each. The decisions are then significant when their interval clears 0,
so the composer's Holm step has no p-values to adjust here (docs/decisions: order-statistic
intervals instead of bootstrap for tails).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from airflow_evalguard.checks.latency_tail.tails import GroupSample
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.timewindows import zone
from airflow_evalguard.verdicts import validate_bands


@dataclass(frozen=True)
class Families:
    slo: list[GroupSample]
    cold: list[GroupSample]
    base: dict[str, GroupSample]  # latency class -> the baseline endpoint's group
    tuned: list[GroupSample]
    a_slo: float
    a_cold: float
    a_train: float
    a_ft: float

    def alphas_for(self, sample: GroupSample, alpha: float) -> set[float]:
        """Every alpha at which some decision reads this group's p99."""
        slo = {s.group.label for s in self.slo}
        cold = {s.group.label for s in self.cold}
        compared = {s.group.label for s in self.tuned} | {s.group.label for s in self.base.values()}
        label = sample.group.label
        return {
            alpha,
            alpha / 2,
            self.a_slo if label in slo else alpha,
            self.a_cold if label in cold else alpha,
            self.a_ft if label in compared else alpha,
        }


def plan(samples: Sequence[GroupSample], n_training_pairs: int, params: dict[str, Any]) -> Families:
    alpha, slo, baseline = params["alpha"], params["slo_ms"] or {}, params["baseline_endpoint"]
    slo_groups = [s for s in samples if s.group.klass in slo]
    cold_groups = [s for s in samples if s.cold is not None and s.cold.warm is not None]
    base = {s.group.klass: s for s in samples if s.group.endpoint == baseline}
    tuned = [s for s in samples if baseline is not None and s.group.endpoint != baseline and s.group.klass in base]
    return Families(
        slo_groups,
        cold_groups,
        base,
        tuned,
        alpha / max(len(slo_groups), 1),
        alpha / (2 * max(len(cold_groups), 1)),
        alpha / (2 * max(n_training_pairs, 1)),
        alpha / (2 * max(len(tuned), 1)),
    )


def check_params(params: dict[str, Any], classes: Sequence[str], endpoints: Sequence[str], source: str) -> None:
    """The parameters against the groups the input holds (`source`: "requests" or "histogram")."""
    validate_bands(params["warn_at"], params["fail_at"])
    zone(params["timezone"])
    if any(not 0 < q < 1 for q in params["quantiles"]):
        raise EvalGuardInputError(f"param 'quantiles' must lie strictly between 0 and 1, got {params['quantiles']}")
    for klass, target in (params["slo_ms"] or {}).items():
        if not isinstance(target, (int, float)) or isinstance(target, bool) or target <= 0:
            raise EvalGuardInputError(
                f"param 'slo_ms': target for class {klass!r} must be a positive number of ms, got {target!r}"
            )
        if klass not in classes:
            raise EvalGuardInputError(
                f"param 'slo_ms': class {klass!r} has an SLO but no requests; classes in the {source}: {list(classes)}"
            )
    baseline = params["baseline_endpoint"]
    if baseline is not None and baseline not in endpoints:
        raise EvalGuardInputError(
            f"param 'baseline_endpoint': {baseline!r} has no requests; endpoints: {list(endpoints)[:20]}"
        )
