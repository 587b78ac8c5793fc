"""How many requests would settle a latency_tail decision that cannot be decided yet.

Two cases (issue 17):
- the p99 a decision reads cannot be bounded at all: the exact order-statistic interval first
  exists at `order_stat.n_required` requests (368 for a two-sided 95% p99, more after the family
  correction); that size is certain to give an interval, not to settle the decision, and says so;
- the interval exists but straddles the band: `stats.quantile_sizing` reads each sample's quantile
  function across its interval and finds the factor k on the same traffic (every group k times
  larger, e.g. collected k times longer) at which the decision is settled with 80% power.

What a ratio (cold-start tax, training contention, fine-tune) is sized for: a ratio exactly at
`fail_at`, the smallest inflation the gate must catch; at the truth the check's interval must then
clear 0 (FAIL or WARN). When the requests at hand already give that 80% power (the estimate landed
between 0 and fail_at by chance), it is sized for the observed ratio instead. An SLO has no band:
it is sized for the observed distance of p99 from the SLO (none settles a p99 exactly at it).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from airflow_evalguard.core.sizing import SampleSize
from airflow_evalguard.stats.order_stat import n_required
from airflow_evalguard.stats.quantile_sizing import Comparison, Correlation, Estimator, read, scale_to_settle

TAIL = 0.99
POWER = 0.8
METHOD = "exact order-statistic intervals read from the sample's quantile function"


def interval_first_exists(alpha_used: float, unit: str) -> SampleSize:
    """Case (a): the size at which the interval exists. It does so with certainty at that n
    (SampleSize needs a power below 1: 0.999 reads "100%"); its width then sizes the rest."""
    return SampleSize(
        n_required(TAIL, alpha_used),
        unit,
        f"a p99 interval that exists at {1 - alpha_used:.4g} confidence, the least the decision needs; "
        "its width then says how many more",
        0.999,
        "exact binomial order statistics",
    )


@dataclass(frozen=True)
class Side:
    """One side of a ratio: the sample and its size."""

    estimate: Estimator
    n: int
    widening: float = 0.0  # how far the check's interval ends sit beyond the order statistics (logs)


def ratio_scale(
    num: Side, den: Side, alpha_used: float, fail_at: float, correlation: Correlation | None = None
) -> tuple[float | None, str]:
    """(k, what it was sized for): k times the requests of both sides settle num/den - 1 against
    the band [0, fail_at] with 80% power (None: no size does)."""
    num_reading = read(num.estimate, num.n, TAIL, alpha_used, num.widening)
    den_reading = read(den.estimate, den.n, TAIL, alpha_used, den.widening)
    if num_reading is None or den_reading is None:
        return None, f"a p99 ratio at fail_at ({fail_at:+.0%})"
    comparison = Comparison(num_reading, den_reading, TAIL, alpha_used, correlation=correlation)
    observed = math.log(num.estimate([(TAIL, alpha_used)])[0].value / den.estimate([(TAIL, alpha_used)])[0].value)
    smoothed = num_reading.at(TAIL) - den_reading.at(TAIL)  # the truth is the smoothed functions, shifted
    edges = (0.0, math.log1p(fail_at))
    scale = scale_to_settle(comparison, edges, edges[1] - smoothed, POWER)
    if scale is not None and scale > 1.0:
        return scale, f"a p99 ratio at fail_at ({fail_at:+.0%})"
    # At fail_at these requests already give 80% power: size for the ratio observed.
    # An observed ratio between 0 and fail_at settles by either end: sized with both ends moving together.
    inside = edges[0] < observed < edges[1]
    return scale_to_settle(comparison, edges, observed - smoothed, POWER, inside=inside), (
        f"the observed p99 ratio ({math.expm1(observed):+.0%}; the requests at hand already give 80% power at "
        f"fail_at {fail_at:+.0%})"
    )


def target_scale(sample: Side, target: float, alpha_used: float) -> tuple[float | None, str]:
    """(k, what it was sized for) for p99 against a fixed target (an SLO), at the observed p99."""
    reading = read(sample.estimate, sample.n, TAIL, alpha_used, sample.widening)
    if reading is None or target <= 0:
        return None, f"a p99 at its observed distance from the SLO ({target:,g} ms)"
    log_p99 = math.log(sample.estimate([(TAIL, alpha_used)])[0].value)
    observed = math.expm1(log_p99 - math.log(target))
    comparison = Comparison(reading, None, TAIL, alpha_used, log_target=math.log(target))
    return scale_to_settle(comparison, (0.0, 0.0), log_p99 - reading.at(TAIL), POWER), (
        f"a p99 at the observed {observed:+.1%} from the SLO of {target:,g} ms"
    )


def scaled(scale: float | None, n: int) -> int | None:
    """The size k times n, as SampleSize takes it (None stays None)."""
    return None if scale is None else max(math.ceil(scale * n), 1)
