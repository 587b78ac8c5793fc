"""The homogenization gate: alpha rising while discrimination falls and gold accuracy does not rise.

Each reading's trend is the least-squares change from the first batch to the last, with an
interval from the per-batch bootstrap replicates (`stats.trend`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from airflow_evalguard.checks.common.settle import SizedEffect, band_size, sized, standard_error
from airflow_evalguard.checks.labeler_agreement.read import BATCH
from airflow_evalguard.checks.labeler_agreement.readings import READINGS, Batches
from airflow_evalguard.core.part import GatedEffect, Part
from airflow_evalguard.result import Finding, Metric, SliceResult
from airflow_evalguard.stats.trend import Trend, trend
from airflow_evalguard.verdicts import Verdict

HOMOGENIZATION = "HOMOGENIZATION"


def trends(batches: Batches, alpha: float) -> dict[str, Trend]:
    """Each reading's trend over the batches (gold accuracy only where some batch has gold items)."""
    has_gold = bool(np.isfinite(batches.per_batch["gold_accuracy"]).any())
    return {
        reading: trend(batches.per_batch[reading], batches.replicates[reading], alpha)
        for reading in READINGS
        if reading != "gold_accuracy" or has_gold
    }


def effect(
    found: dict[str, Trend],
    params: dict[str, Any],
    describe: Callable[[Verdict], str],
    items_per_batch: float = float("nan"),
) -> SizedEffect:
    """The homogenizing alpha rise as one gated effect that core.compose judges.

    The gate is an intersection-union test: a homogenizing rise is shown only when alpha's trend
    interval lies above 0 AND discrimination's lies below 0 AND gold accuracy's does not lie above 0.
    Each condition is judged by its own interval at level alpha and an intersection-union test needs
    no multiplicity correction, so the effect carries no p-value: compose leaves it out of the Holm
    family and calls it significant when `ci_low > 0`. The other two conditions enter through which
    of alpha's interval ends compose sees, never through a changed statistic:
    - `ci_low` is alpha's lower end only when discrimination fell and gold did not rise (else None:
      not shown), so significant = all three conditions hold;
    - `ci_high` is alpha's upper end only while a homogenizing rise remains possible (discrimination
      not shown to hold or rise, gold not shown to rise; else None: nothing left to settle), so an
      upper end at or above fail_at makes the result INCONCLUSIVE as before.
    Then the gate rule on the fitted alpha rise gives FAIL, WARN, INCONCLUSIVE or PASS.

    Items per batch that would settle it: alpha's trend interval scaled by sqrt(items), sized for a
    rise of fail_at shown by the lower end (the same size keeps a flat alpha's upper end below
    fail_at); `items_per_batch` is the batches' harmonic mean, exact for two batches (the
    trend's variance is a sum of 1/items terms).
    """
    rise, spread, gold = found["alpha"], found["discrimination"], found.get("gold_accuracy")
    gold_not_up = gold is None or not gold.rising
    shown = spread.falling and gold_not_up
    possible = not (np.isfinite(spread.ci_low) and spread.ci_low >= 0) and gold_not_up
    gated = GatedEffect(
        code=HOMOGENIZATION,
        value=rise.change,
        ci_low=rise.ci_low if shown else None,
        ci_high=rise.ci_high if possible and np.isfinite(rise.ci_high) else None,
        p_value=None,
        warn_at=params["warn_at"],
        fail_at=params["fail_at"],
        describe=describe,
        unsettled_code="INSUFFICIENT_ITEMS",
    )
    size_for = band_size(
        standard_error(rise.ci_low, rise.ci_high, params["alpha"]),
        items_per_batch,
        params["fail_at"],
        alpha=params["alpha"],
        two_sided=True,  # the intersection-union test reads alpha's two-sided interval, no Holm
        unit="items per batch",
        what="alpha rise",
        method="percentile item bootstrap per batch",
    )
    return sized(gated, size_for)


def part(
    found: dict[str, Trend],
    params: dict[str, Any],
    describe: Callable[[Verdict], str],
    moved: str,
    items_per_batch: float = float("nan"),
) -> Part:
    """The trend metrics, the gated rise, and a note when agreement rose with gold accuracy."""
    metrics: dict[str, Metric] = {}
    for reading, change in found.items():
        metrics[f"trend.{reading}"] = Metric(change.change, change.ci_low, change.ci_high, n=change.batches)
        metrics[f"{reading}.first"] = Metric(change.first)
        metrics[f"{reading}.last"] = Metric(change.last)
    rise, gold = found["alpha"], found.get("gold_accuracy")
    findings: tuple[Finding, ...] = ()
    # Never beside a HOMOGENIZATION or INSUFFICIENT_ITEMS finding: both need gold not to rise.
    if rise.rising and gold is not None and gold.rising:
        findings = (
            Finding(
                "info",
                "AGREEMENT_WITH_ACCURACY",
                f"agreement rose with gold accuracy, as when labelers improve: {moved}",
            ),
        )
    return Part(metrics=metrics, findings=findings, gated=(effect(found, params, describe, items_per_batch),))


def items_per_batch(batches: Batches) -> float:
    """The harmonic mean of the batches' pairable items (what the trend's spread scales with)."""
    items = np.array([size[0] for size in batches.sizes], dtype=float)
    return float(len(items) / np.sum(1 / items)) if len(items) and np.all(items > 0) else float("nan")


def batch_part(batches: Batches) -> Part:
    """One slice per batch with its readings (the composer leaves them PASS: no gate is per batch)."""
    slices = []
    for index, batch in enumerate(batches.order):
        items, labelers, n_labels = batches.sizes[index]
        metrics = {}
        for reading in READINGS:
            value = batches.per_batch[reading][index]
            if reading != "gold_accuracy" or np.isfinite(value):
                low, high = batches.ci[reading][index]
                metrics[reading] = Metric(value, low, high, n=items)
        if labelers is not None:  # not known from label counts
            metrics["labelers"] = Metric(labelers)
        metrics["labels"] = Metric(n_labels)
        slices.append(SliceResult(f"{BATCH}={batch}", Verdict.PASS, metrics))
    return Part(slices=tuple(slices))
