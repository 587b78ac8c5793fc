"""How many sample rows would settle an INCONCLUSIVE result, and what that size was computed for.

For each unsettled mix test: the rows at which a representative sample's TVD interval (the
check's own upper end, `stats.tvd_interval`) ends below fail_at in 80% of simulations; for each
unsettled coverage shortfall: the rows at which a representative sample covers min_coverage of
traffic in 80% of simulations. The largest of them settles every one; when one of them cannot
be settled at any size, neither can the result.
"""

from __future__ import annotations

from typing import Any

from airflow_evalguard.checks.sampling_window.read import Strata
from airflow_evalguard.checks.sampling_window.words import pct
from airflow_evalguard.core.sizing import SampleSize
from airflow_evalguard.stats.coverage import n_to_bound_tvd, n_to_cover

POWER = 0.8
METHOD = "simulated with the check's own interval and coverage rule"


def rows_needed(
    strata: Strata, unsettled_mix: list[int], unsettled_coverage: list[int], params: dict[str, Any]
) -> SampleSize | None:
    """Rows that would settle dimensions `unsettled_mix` and `unsettled_coverage` (n None: no
    size does); None when nothing is unsettled."""
    if not unsettled_mix and not unsettled_coverage:
        return None
    seed = params["seed"]
    needs = [
        n_to_bound_tvd(strata.reference_margins[i], params["fail_at"], params["alpha"], seed=seed, power=POWER)
        for i in unsettled_mix
    ] + [
        n_to_cover(
            strata.reference_margins[i], params["min_count_per_stratum"], params["min_coverage"], seed=seed, power=POWER
        )
        for i in unsettled_coverage
    ]
    n = None if any(need is None for need in needs) else max(need for need in needs if need is not None)
    return SampleSize(n, "sample rows", _effect(strata, unsettled_mix, unsettled_coverage, params), POWER, METHOD)


def _effect(strata: Strata, unsettled_mix: list[int], unsettled_coverage: list[int], params: dict[str, Any]) -> str:
    """What the size was computed for, in words."""
    goals = []
    if unsettled_mix:
        names = ", ".join(strata.dims[i].name for i in unsettled_mix)
        goals.append(f"TVD interval ending below fail_at {params['fail_at']:g} on {names}")
    if unsettled_coverage:
        names = ", ".join(strata.dims[i].name for i in unsettled_coverage)
        goals.append(
            f"{pct(params['min_coverage'])} of traffic in strata of {params['min_count_per_stratum']}+ rows on {names}"
        )
    return "a representative sample: " + "; ".join(goals)
