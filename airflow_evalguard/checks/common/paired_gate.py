"""Paired binary outcomes as gated effects, shared by refusal_regression and slice_retention:
McNemar for significance, Newcombe's paired interval for the delta.

`paired_groups` summarises each group of a `PairedTable`; `PairedGroup.effect` turns one into a
`core.part.GatedEffect`, so Holm and the gate rule happen in `core.compose` with the rest of the
check's family; `PairedJudgement.of` joins a group to its judged member for the metrics and words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from airflow_evalguard.columns.strata import encode_dimension
from airflow_evalguard.core.compose import Judged
from airflow_evalguard.core.part import Describe, GatedEffect
from airflow_evalguard.result import Metric
from airflow_evalguard.stats.paired import PairedTable, mcnemar, newcombe_paired_ci
from airflow_evalguard.verdicts import Verdict


@dataclass(frozen=True)
class PairedGroup:
    """One group's 2x2 summary: rates, delta (candidate - baseline) with CI, McNemar's raw p."""

    n: int
    baseline: float
    candidate: float
    delta: float
    ci_low: float
    ci_high: float
    worse: int
    better: int
    p: float
    method: str

    def effect(
        self,
        code: str,
        *,
        warn_at: float,
        fail_at: float,
        describe: Describe,
        slice: str | None = None,
        unsettled_code: str | None = None,
    ) -> GatedEffect:
        """The delta as a degradation for the gate rule; the check words its own finding (report=False)."""
        return GatedEffect(
            code=code,
            value=self.delta,
            ci_high=self.ci_high,
            p_value=self.p,
            warn_at=warn_at,
            fail_at=fail_at,
            describe=describe,
            slice=slice,
            ci_low=self.ci_low,
            unsettled_code=unsettled_code,
            report=False,
        )


def paired_groups(table: PairedTable, alpha: float) -> list[PairedGroup | None]:
    """Every group of `table` summarised; None for a group without pairs (it is not tested)."""
    low, high = newcombe_paired_ci(table, alpha)
    p_values, methods = mcnemar(table.worse, table.better)
    groups: list[PairedGroup | None] = []
    for i in range(len(table.n)):
        if table.n[i] == 0:
            groups.append(None)
            continue
        groups.append(
            PairedGroup(
                n=int(table.n[i]),
                baseline=float(table.baseline_rate[i]),
                candidate=float(table.candidate_rate[i]),
                delta=float(table.delta[i]),
                ci_low=float(low[i]),
                ci_high=float(high[i]),
                worse=int(table.worse[i]),
                better=int(table.better[i]),
                p=float(p_values[i]),
                method=methods[i],
            )
        )
    return groups


@dataclass(frozen=True)
class PairedJudgement(PairedGroup):
    """A group with its family-adjusted McNemar p and verdict."""

    p_adjusted: float = float("nan")
    verdict: Verdict = Verdict.INCONCLUSIVE

    @classmethod
    def of(cls, group: PairedGroup, judged: Judged) -> PairedJudgement:
        # every paired group carries a McNemar p, so Holm always returns one
        p_adjusted = float(judged.p_adjusted) if judged.p_adjusted is not None else float("nan")
        return cls(**vars(group), p_adjusted=p_adjusted, verdict=judged.verdict)

    def metrics(self, rate: str, test: str) -> dict[str, Metric]:
        """Metric entries named `<rate>.baseline|candidate|delta`, `mcnemar_p...`, `discordant...`."""
        return {
            f"{rate}.baseline": Metric(self.baseline, n=self.n),
            f"{rate}.candidate": Metric(self.candidate, n=self.n),
            f"{rate}.delta": Metric(self.delta, self.ci_low, self.ci_high, n=self.n),
            f"mcnemar_p.{test}": Metric(self.p, n=self.n),
            f"mcnemar_p_holm.{test}": Metric(self.p_adjusted, n=self.n),
            f"discordant.{test}.worse": Metric(self.worse),
            f"discordant.{test}.better": Metric(self.better),
        }


def method_summary(methods: Sequence[str]) -> str:
    """`exact`, `chi2_cc`, `mixed` when groups used both, `none` without groups."""
    distinct = set(methods)
    return distinct.pop() if len(distinct) == 1 else ("mixed" if distinct else "none")


def group_codes(values: Any) -> tuple[np.ndarray, list[str]]:
    """Dense integer codes and sorted labels for a grouping column (missing -> '(missing)')."""
    dimension = encode_dimension("group", [values if isinstance(values, pd.Series) else pd.Series(values)])
    codes: np.ndarray = dimension.codes[0]
    return codes, list(dimension.levels)
