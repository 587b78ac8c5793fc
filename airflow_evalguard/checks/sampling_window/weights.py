"""How to re-weight the sample to production's mix, and what that costs in effective sample size.

Post-stratification on the joint cells when every cell with traffic has enough sample rows (or
there is only hour of day); otherwise raking to each dimension's mix, since a thin joint cell
would get a wild weight. Strata the sample never saw cannot be weighted up: their share is left
out of the target. Sample rows in strata production never shows get weight 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from airflow_evalguard.checks.sampling_window.read import COUNT, Strata
from airflow_evalguard.checks.sampling_window.words import raking_finding, sample_only_finding
from airflow_evalguard.core.part import Part
from airflow_evalguard.result import Finding, Metric
from airflow_evalguard.stats.distances import shares
from airflow_evalguard.stats.weights import kish_ess, post_stratification_weights, raking_weights


@dataclass(frozen=True)
class Weighting:
    method: str  # "post_stratification" or "raking"
    cell_weights: np.ndarray  # one weight per joint cell
    ess: float  # Kish effective sample size
    raking: dict[str, Any] = field(default_factory=dict)  # iterations and convergence, when raked
    part: Part = field(default_factory=Part)


def _normalised(target: np.ndarray) -> np.ndarray:
    return target / target.sum() if target.sum() > 0 else target


def weights_part(strata: Strata, params: dict[str, Any]) -> Weighting:
    sample_cells, reference_cells = strata.sample_cells, strata.reference_cells
    reference_shares = shares(reference_cells)
    least = params["min_count_per_stratum"]
    thin_joint = (reference_shares > 0) & (sample_cells < least)
    raking: dict[str, Any] = {}
    if len(strata.dims) == 1 or not thin_joint.any():
        method = "post_stratification"
        cell_weights = post_stratification_weights(
            sample_cells, _normalised(np.where(sample_cells > 0, reference_shares, 0.0))
        )
    else:
        method = "raking"
        targets = [
            _normalised(np.where(sample > 0, shares(reference), 0.0))
            for sample, reference in zip(strata.sample_margins, strata.reference_margins, strict=True)
        ]
        cell_weights, iterations, converged = raking_weights(sample_cells, strata.cells.cell_levels, targets)
        raking = {"raking_iterations": iterations, "raking_converged": converged}
    ess = kish_ess(cell_weights, sample_cells)
    findings: list[Finding] = []
    if method == "raking":
        findings.append(raking_finding(int(thin_joint.sum()), least))
    sample_only = (sample_cells > 0) & (reference_shares == 0)
    if sample_only.any():
        findings.append(sample_only_finding(int(sample_cells[sample_only].sum()), strata.n))
    metrics = {"kish_ess": Metric(ess, n=strata.n), "kish_ess_ratio": Metric(ess / strata.n, n=strata.n)}
    return Weighting(method, cell_weights, ess, raking, Part(metrics=metrics, findings=tuple(findings)))


def weights_table(strata: Strata, weighting: Weighting, id_column: str | None) -> pd.DataFrame:
    """weights.parquet: one weight per sample row, or per stratum row of an aggregated sample."""
    row_weights = weighting.cell_weights[strata.cells.row_cells[0]]
    sample = strata.sample
    if sample.counts is not None:
        return sample.frame.drop(columns=[COUNT]).assign(count=sample.counts, weight=row_weights)
    if id_column:
        return pd.DataFrame({"id": sample.frame[id_column].to_numpy(), "weight": row_weights})
    return pd.DataFrame({"row": np.arange(strata.n), "weight": row_weights})


def evidence(strata: Strata, cell_weights: np.ndarray) -> pd.DataFrame:
    """Per stratum (each dimension's levels, then joint cells): shares, ratio and mean weight."""
    sample_cells, reference_cells = strata.sample_cells, strata.reference_cells
    cells = strata.cells
    frames = []
    for i, dim in enumerate(strata.dims):
        weighted = np.bincount(cells.cell_levels[i], weights=sample_cells * cell_weights, minlength=len(dim.levels))
        labels = [f"{dim.name}={level}" for level in dim.levels]
        frames.append(_rows(dim.name, labels, strata.sample_margins[i], strata.reference_margins[i], weighted))
    if len(strata.dims) > 1:
        labels = [
            ",".join(
                f"{dim.name}={dim.levels[levels[j]]}"
                for dim, levels in zip(strata.dims, cells.cell_levels, strict=True)
            )
            for j in range(len(sample_cells))
        ]
        frames.append(_rows("joint", labels, sample_cells, reference_cells, sample_cells * cell_weights))
    return pd.concat(frames, ignore_index=True)


def _rows(
    dimension: str, labels: list[str], sample: np.ndarray, reference: np.ndarray, weighted: np.ndarray
) -> pd.DataFrame:
    sample_shares, reference_shares = shares(sample), shares(reference)
    with np.errstate(divide="ignore", invalid="ignore"):  # empty strata: ratio inf, mean weight nan
        ratio = np.where(reference_shares > 0, sample_shares / reference_shares, np.inf)
        mean_weight = np.where(sample > 0, weighted / np.where(sample > 0, sample, 1), np.nan)
    return pd.DataFrame(
        {
            "dimension": dimension,
            "stratum": labels,
            "sample_count": sample.astype(np.int64),
            "sample_share": sample_shares,
            "reference_count": reference,
            "reference_share": reference_shares,
            "ratio": ratio,
            "weight": mean_weight,
        }
    )
