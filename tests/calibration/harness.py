"""Simulate a check many times and compare its error rates with what it promises.

- null: no difference (representative sample, honest assignment, same model): the false-FAIL
  rate must stay at or below alpha, with a binomial tolerance for the number of simulations;
- a regression of exactly fail_at: the verdict must not be PASS in at least 95% of simulations,
  with the same kind of tolerance. The share of each verdict is printed: by the gate rule (docs/architecture.md)
  an effect measured significantly between warn_at and fail_at is WARN, and at exactly fail_at
  about half the estimates land just below it, so WARN appears beside FAIL and INCONCLUSIVE;
- coverage: the interval of a metric must contain the true value 93-97% of the time at 95%.
Every row is recorded and printed as a table at the end of the session (conftest.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.stats import binom

ALPHA = 0.05


@dataclass
class Row:
    check: str
    scenario: str
    sims: int
    observed: float
    requirement: str
    ok: bool
    detail: str = ""


ROWS: list[Row] = []


def record(check: str, scenario: str, sims: int, observed: float, requirement: str, ok: bool, detail: str = "") -> bool:
    ROWS.append(Row(check, scenario, sims, observed, requirement, ok, detail))
    return ok


def null_false_fail(check: str, verdicts: list[str], alpha: float = ALPHA, label: str = "null") -> None:
    sims = len(verdicts)
    fails = sum(v == "FAIL" for v in verdicts)
    allowed = int(binom.ppf(0.99, sims, alpha))  # the 99th percentile if the true rate were alpha
    ok = record(
        check,
        f"{label}: false FAIL",
        sims,
        fails / sims,
        f"<= {alpha:.0%} (at most {allowed}/{sims})",
        fails <= allowed,
    )
    assert ok, f"{check}: {fails}/{sims} false FAILs under the null (allowed {allowed})"


def power_honest(check: str, verdicts: list[str], label: str = "regression at fail_at") -> None:
    sims = len(verdicts)
    passes = sum(v == "PASS" for v in verdicts)
    allowed = int(binom.ppf(0.99, sims, 0.05))
    shares = ", ".join(
        f"{v} {sum(x == v for x in verdicts) / sims:.0%}" for v in ("FAIL", "INCONCLUSIVE", "WARN", "PASS")
    )
    ok = record(
        check,
        f"{label}: not PASS",
        sims,
        1 - passes / sims,
        f">= 95% (at most {allowed}/{sims} PASS)",
        passes <= allowed,
        detail=shares,
    )
    assert ok, f"{check}: PASS in {passes}/{sims} simulations of a regression at fail_at (allowed {allowed})"


def coverage(
    check: str, metric: str, hits: list[bool], low: float = 0.93, high: float = 0.97, shortfall: str = ""
) -> None:
    """`shortfall`: why a lower floor than 93% is asserted for this interval (printed beside it)."""
    sims = len(hits)
    rate = float(np.mean(hits))
    requirement = f"{low:.0%}-{high:.0%}" + (f" asserted; 93% not reached: {shortfall}" if shortfall else "")
    ok = record(check, f"coverage of {metric}", sims, rate, requirement, low <= rate <= high)
    assert ok, f"{check}: interval of {metric} covered the truth {rate:.1%} of {sims} times"


def covers(metric: dict, truth: float) -> bool:
    return metric.get("ci_low") is not None and metric["ci_low"] <= truth <= metric["ci_high"]


def stated_power(
    check: str, scenario: str, stated_n: int, detected: list[bool], nominal: float = 0.8, band: tuple = (0.75, 0.90)
) -> None:
    """A sample size a check states ("collect 368 pairs to detect a 5-point drop at 80% power") is
    simulated at exactly that size and effect; the share of runs that detect the effect must fall in
    `band` (issue 17: an honest size neither under- nor grossly over-promises)."""
    sims = len(detected)
    achieved = float(np.mean(detected))
    low, high = band
    ok = record(
        check,
        f"{scenario}: stated n={stated_n} for {nominal:.0%}",
        sims,
        achieved,
        f"achieved power in [{low:.2f}, {high:.2f}]",
        low <= achieved <= high,
    )
    assert ok, f"{check}: stated n={stated_n} ({scenario}) achieved power {achieved:.3f} of {sims} runs"
