"""How many sample rows would settle an INCONCLUSIVE result.

For each unsettled mix test: the rows at which a representative sample's TVD CI stays below
fail_at; for each unsettled coverage shortfall: the rows at which a representative sample covers
min_coverage of traffic. The largest of them settles every one.
"""

from __future__ import annotations

from typing import Any

from airflow_evalguard.checks.sampling_window.read import Strata
from airflow_evalguard.stats.coverage import n_to_bound_tvd, n_to_cover


def rows_needed(
    strata: Strata, unsettled_mix: list[int], unsettled_coverage: list[int], params: dict[str, Any]
) -> int | None:
    """Rows that would settle dimensions `unsettled_mix` and `unsettled_coverage`; None: far more."""
    needs = [
        n_to_bound_tvd(strata.reference_margins[i], params["fail_at"], params["alpha"], seed=params["seed"])
        for i in unsettled_mix
    ] + [
        n_to_cover(strata.reference_margins[i], params["min_count_per_stratum"], params["min_coverage"])
        for i in unsettled_coverage
    ]
    known = [need for need in needs if need is not None]
    return max(known) if known else None
