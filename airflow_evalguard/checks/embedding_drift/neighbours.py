"""The probe part: do the probe items keep their nearest neighbours under the new embedding?

Per probe item, the Jaccard overlap of its exact top-k neighbour sets under old and new (searched
in the corpus, or in the probe set itself without the item); the mean overlap with a t interval
over probes. The gate rule judges the loss of overlap, 1 - overlap, against 1 - min_overlap_warn
and 1 - min_overlap_fail; it carries no p-value, so it is significant when its interval excludes 0.
The Spearman correlation of pairwise similarities (a random sample of probe pairs) is reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.special import stdtrit
from scipy.stats import spearmanr

from airflow_evalguard.checks.common.settle import sized
from airflow_evalguard.checks.embedding_drift import words
from airflow_evalguard.checks.embedding_drift.overlap_sizing import probes_needed
from airflow_evalguard.checks.embedding_drift.read import Probe
from airflow_evalguard.core.part import GatedEffect, Part
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.result import Metric
from airflow_evalguard.stats.neighbors import jaccard_rows, normalise, top_k
from airflow_evalguard.verdicts import Verdict

CODE = "NEIGHBORHOOD_SHIFT"
SIMILARITY_PAIRS = 100_000  # random probe pairs for the similarity rank correlation
EVIDENCE_ROWS = 1000  # probes with the least overlap kept as evidence


@dataclass(frozen=True)
class Overlap:
    k: int
    overlap: npt.NDArray[np.float64]  # per probe item
    mean: float
    half: float  # half-width of the t interval of the mean
    rho: float  # Spearman correlation of pairwise similarities, old vs new
    pairs: int  # probe pairs behind rho

    @property
    def ci_low(self) -> float:
        return max(self.mean - self.half, 0.0)

    @property
    def ci_high(self) -> float:
        return min(self.mean + self.half, 1.0)


def measure(probe: Probe, k: int, alpha: float, seed: int) -> Overlap:
    """Top-k neighbour overlap per probe item, its mean with a t interval, and the similarity rank correlation."""
    self_search = probe.corpus_old is None or probe.corpus_new is None
    searched_old = probe.old if probe.corpus_old is None else probe.corpus_old
    searched_new = probe.new if probe.corpus_new is None else probe.corpus_new
    if searched_old.shape[0] - (1 if self_search else 0) < k:
        raise EvalGuardInputError(f"probe: need more than k={k} items to search", input_name="probe")
    overlap = jaccard_rows(
        top_k(probe.old, searched_old, k, exclude_self=self_search),
        top_k(probe.new, searched_new, k, exclude_self=self_search),
    )
    n = len(overlap)
    se = overlap.std(ddof=1) / np.sqrt(n) if n > 1 else 0.0
    half = float(stdtrit(max(n - 1, 1), 1 - alpha / 2) * se)
    rho, pairs = _similarity_rank_corr(probe, seed)
    return Overlap(k, overlap, float(overlap.mean()), half, rho, pairs)


def _similarity_rank_corr(probe: Probe, seed: int) -> tuple[float, int]:
    """Spearman's rho between old and new cosine similarities of random distinct probe pairs."""
    n = len(probe.old)
    rng = np.random.default_rng(seed)
    pairs = min(SIMILARITY_PAIRS, n * (n - 1) // 2)
    first, second = rng.integers(0, n, pairs), rng.integers(0, n, pairs)
    keep = first != second
    unit_old, unit_new = normalise(probe.old), normalise(probe.new)
    sim_old = np.einsum("ij,ij->i", unit_old[first[keep]], unit_old[second[keep]])
    sim_new = np.einsum("ij,ij->i", unit_new[first[keep]], unit_new[second[keep]])
    kept = int(keep.sum())
    rho = float(spearmanr(sim_old, sim_new).statistic) if kept > 2 else float("nan")
    return rho, kept


def part(measured: Overlap, probe: Probe, params: dict[str, Any]) -> Part:
    """The overlap metrics and the loss of overlap as a gated effect (its finding is worded by decide)."""
    k, mean = measured.k, measured.mean
    metrics = {
        f"neighbor_overlap@{k}": Metric(mean, measured.ci_low, measured.ci_high, n=len(measured.overlap)),
        "probe_dimension.old": Metric(int(probe.old.shape[1])),
        "probe_dimension.new": Metric(int(probe.new.shape[1])),
        "similarity_rank_corr": Metric(measured.rho, n=measured.pairs),
    }

    def describe(verdict: Verdict) -> str:
        return words.neighbourhood_shift(mean, measured.half, k, measured.rho)

    loss = GatedEffect(
        CODE,
        1 - mean,
        1 - measured.ci_low,
        None,
        warn_at=1 - params["min_overlap_warn"],
        fail_at=1 - params["min_overlap_fail"],
        describe=describe,
        ci_low=1 - measured.ci_high,
        report=False,  # FAIL and WARN are worded by decide, an unsettled loss with its size
    )
    # the t interval's own power, simulated from the observed per-probe losses (overlap_sizing)
    size_for = probes_needed(
        measured.overlap, 1 - params["min_overlap_fail"], alpha=params["alpha"], seed=params["seed"]
    )
    return Part(metrics=metrics, gated=(sized(loss, size_for),))


def evidence(measured: Overlap, ids: npt.NDArray[Any]) -> pd.DataFrame:
    """The probe items whose neighbourhoods changed most."""
    worst_probes = np.argsort(measured.overlap, kind="stable")[:EVIDENCE_ROWS]
    return pd.DataFrame(
        {
            "part": "probe",
            "item": [str(item) for item in ids[worst_probes]],
            "arm": None,
            "value": measured.overlap[worst_probes],
            "detail": f"top-{measured.k} neighbour overlap old vs new",
        }
    )
