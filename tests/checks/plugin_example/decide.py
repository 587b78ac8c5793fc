"""Read, one part, compose, words: the shape every check has."""

from typing import Any

from airflow_evalguard.core.compose import compose
from airflow_evalguard.core.decision import Decision
from airflow_evalguard.core.part import GatedEffect, Part
from airflow_evalguard.io import TableInput
from airflow_evalguard.result import Metric
from airflow_evalguard.stats.paired import wilson_interval


def decide(tables: dict[str, TableInput], params: dict[str, Any]) -> Decision:
    failed = tables["rows"].read(["failed"])["failed"].astype(int)
    low, high = wilson_interval(int(failed.sum()), len(failed), params["alpha"])
    share = float(failed.mean())
    effect = GatedEffect(
        "FAILURE_SHARE",
        share,
        float(high),
        None,
        params["warn_at"],
        params["fail_at"],
        lambda verdict: f"failure share {share:.1%} is {verdict.value}",
        ci_low=float(low),
    )
    part = Part(metrics={"failure_share": Metric(share, float(low), float(high), n=len(failed))}, gated=(effect,))
    composed = compose([part], alpha=params["alpha"])
    return Decision.from_composed(composed, f"Failure share {share:.1%}.", method={"interval": "wilson"})
