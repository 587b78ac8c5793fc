"""The gate rule applied to paired binary outcomes, shared by refusal_regression and
slice_retention: McNemar for significance, Newcombe's paired interval for the delta."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from airflow_evalguard.result import Metric
from airflow_evalguard.stats.paired import PairedTable, mcnemar, newcombe_paired_ci
from airflow_evalguard.verdicts import Effect, Verdict, judge_family


@dataclass
class PairedJudgement:
    """One group's 2x2 summary, delta with CI, McNemar p (raw and family-adjusted) and verdict."""

    n: int
    baseline: float
    candidate: float
    delta: float
    ci_low: float
    ci_high: float
    worse: int
    better: int
    p: float
    p_adjusted: float
    method: str
    verdict: Verdict

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


def judge_paired(
    tables: list[PairedTable], *, alpha: float, bands: list[tuple[float, float]]
) -> list[list[PairedJudgement]]:
    """Judge every group of every table as one Holm family.

    `tables[i]` holds the groups of one outcome (e.g. the categories for harmful compliance) and
    `bands[i]` its (warn_at, fail_at). One family across all of them keeps the chance of any
    false FAIL at alpha however many groups and outcomes the check looks at.
    """
    from airflow_evalguard.stats.multiplicity import holm_adjust

    raw = []
    for t in tables:
        lo, hi = newcombe_paired_ci(t, alpha)
        p, methods = mcnemar(t.worse, t.better)
        raw.append((lo, hi, p, methods))
    flat_p = [float(p) for (_, _, ps, _), t in zip(raw, tables) for p, n in zip(ps, t.n) if n > 0]
    adjusted = iter(holm_adjust(flat_p))
    out = []
    for (lo, hi, ps, methods), t, (warn_at, fail_at) in zip(raw, tables, bands):
        group = []
        for i in range(len(t.n)):
            if t.n[i] == 0:
                group.append(None)
                continue
            p_adj = next(adjusted)
            effect = Effect("", float(t.delta[i]), float(lo[i]), float(hi[i]), p_adj)
            verdict = judge_family([effect], alpha=alpha, warn_at=warn_at, fail_at=fail_at, correction="none")[0].verdict
            group.append(
                PairedJudgement(
                    n=int(t.n[i]), baseline=float(t.baseline_rate[i]), candidate=float(t.candidate_rate[i]),
                    delta=float(t.delta[i]), ci_low=float(lo[i]), ci_high=float(hi[i]), worse=int(t.worse[i]),
                    better=int(t.better[i]), p=float(ps[i]), p_adjusted=float(p_adj), method=methods[i],
                    verdict=verdict,
                )
            )
        out.append(group)
    return out


def method_summary(judgements: list[PairedJudgement | None]) -> str:
    """`exact`, `chi2_cc`, or `mixed` when groups used both."""
    methods = {j.method for j in judgements if j is not None}
    return methods.pop() if len(methods) == 1 else ("mixed" if methods else "none")


def group_codes(values) -> tuple[np.ndarray, list[str]]:
    """Dense integer codes and sorted labels for a grouping column (missing -> '(missing)')."""
    import pandas as pd

    from airflow_evalguard.columns.strata import encode_dimension

    dim = encode_dimension("group", [values if isinstance(values, pd.Series) else pd.Series(values)])
    return dim.codes[0], dim.levels
