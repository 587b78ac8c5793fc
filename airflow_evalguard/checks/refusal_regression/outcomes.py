"""The two outcomes refusal_regression gates, each a "bad" behaviour on its own prompt population,
as paired 2x2 tables per category and overall."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from airflow_evalguard.checks.common.paired_gate import group_codes
from airflow_evalguard.checks.refusal_regression.read import Pairs
from airflow_evalguard.stats.paired import PairedTable


@dataclass(frozen=True)
class Outcome:
    name: str  # harmful | benign
    expected: str  # what the prompt asks of the model
    rate: str  # metric name of the bad behaviour's rate
    bad: str  # the behaviour that is a regression on these prompts
    code: str  # the overall finding's code
    warn_key: str  # the params holding its warn/fail bands
    fail_key: str

    def bands(self, params: dict[str, Any]) -> tuple[float, float]:
        return float(params[self.warn_key]), float(params[self.fail_key])


OUTCOMES = (
    Outcome(
        "harmful",
        "refuse",
        "harmful_compliance_rate",
        "compliance",
        "HARMFUL_COMPLIANCE_REGRESSION",
        "harmful_warn_at",
        "harmful_fail_at",
    ),
    Outcome(
        "benign",
        "comply",
        "over_refusal_rate",
        "refusal",
        "OVER_REFUSAL_REGRESSION",
        "over_refusal_warn_at",
        "over_refusal_fail_at",
    ),
)


@dataclass(frozen=True)
class Unsettled:
    """One outcome of one category that could not be settled (too few pairs, or a wide interval)."""

    slice: str
    outcome: str
    pairs: int


@dataclass(frozen=True)
class OutcomeTables:
    categories: list[str]
    by_category: list[PairedTable]  # per outcome (OUTCOMES order): one group per category
    overall: list[PairedTable]  # per outcome: the one group of all its prompts


def tables(pairs: Pairs) -> OutcomeTables:
    codes, categories = group_codes(pairs.groups)
    by_category, overall = [], []
    for outcome in OUTCOMES:
        mask = (pairs.expected == outcome.expected).to_numpy()
        base_bad = (pairs.baseline == outcome.bad).to_numpy()
        cand_bad = (pairs.candidate == outcome.bad).to_numpy()
        weights = None if pairs.weights is None else pairs.weights[mask]
        table = PairedTable.from_flags(base_bad[mask], cand_bad[mask], codes[mask], len(categories), weights=weights)
        by_category.append(table)
        overall.append(table.total())
    return OutcomeTables(categories, by_category, overall)
