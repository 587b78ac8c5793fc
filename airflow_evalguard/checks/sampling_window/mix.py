"""Does one dimension's mix in the sample differ from production's?

The effect is the bias-corrected total variation distance between the sample's and the reference's
shares over the dimension's levels, with an interval that holds whichever strata tie
(`stats.tvd_interval`; its upper end decides PASS against INCONCLUSIVE); its test is a chi-square test
of homogeneity (Monte Carlo when expected counts are small). The p-value joins the check's one
Holm family (`core.compose`), and the gate rule turns the adjusted test and the TVD into a verdict.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from airflow_evalguard.checks.sampling_window.read import Strata
from airflow_evalguard.checks.sampling_window.words import describe_mix
from airflow_evalguard.core.part import GatedEffect, Part
from airflow_evalguard.result import Metric
from airflow_evalguard.stats.mix import DistanceCI, bootstrap_distances, mix_test

CODE = "MIX_SHIFT"


@dataclass(frozen=True)
class MixTest:
    """One dimension's mix: the distances with their CIs, the raw test and its family member."""

    name: str
    distances: DistanceCI
    p_value: float
    method: str  # "chi2_contingency", "monte_carlo_chi2" or "single_stratum"
    effect: GatedEffect
    part: Part


def holm_metric(name: str) -> str:
    return f"chi2_p_holm[{name}]"


def mix_part(strata: Strata, index: int, params: dict[str, Any]) -> MixTest:
    """The mix test of dimension `index` (each dimension has its own seed: seed + index)."""
    name, n = strata.dims[index].name, strata.n
    sample, reference = strata.sample_margins[index], strata.reference_margins[index]
    seed = params["seed"] + index
    distances = bootstrap_distances(sample, reference, alpha=params["alpha"], n_boot=params["n_boot"], seed=seed)
    p_value, method = mix_test(sample, reference, n_sim=params["n_boot"], seed=seed)
    effect = GatedEffect(
        code=CODE,
        value=distances.tvd,
        ci_high=distances.tvd_high,
        p_value=p_value,
        warn_at=params["warn_at"],
        fail_at=params["fail_at"],
        describe=describe_mix(name, distances.tvd),
        ci_low=distances.tvd_low,
        report=False,  # the finding names the strata that differ: words.mix_findings writes it
        p_metric=holm_metric(name),
    )
    metrics = {
        f"tvd[{name}]": Metric(distances.tvd, distances.tvd_low, distances.tvd_high, n=n),
        f"tvd_plugin[{name}]": Metric(distances.tvd_plugin, n=n),
        f"psi[{name}]": Metric(distances.psi, distances.psi_low, distances.psi_high, n=n),
        f"chi2_p[{name}]": Metric(p_value, n=n),
        # Holds the metric's place in the result; the composer fills in the Holm-adjusted p-value.
        holm_metric(name): Metric(None, n=n),
    }
    return MixTest(name, distances, p_value, method, effect, Part(metrics=metrics, gated=(effect,)))
