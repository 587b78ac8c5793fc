"""A paired mean shift (e.g. judge-now minus pinned reference) with CI, as a two-sided gated effect."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from airflow_evalguard.checks.common.settle import SizedEffect, band_size, minimum_size, sized, standard_error
from airflow_evalguard.core.number_words import signed
from airflow_evalguard.core.part import Describe, GatedEffect
from airflow_evalguard.core.sizing import SampleSize
from airflow_evalguard.stats.krippendorff import AlphaEstimate
from airflow_evalguard.stats.paired_scores import (
    MIN_ITEMS,
    MIN_NONZERO_DIFFERENCES,
    RULE_MAX_N,
    SMALL_GROUP_MAX_N,
    WITHHELD_METHOD,
    items_for_interval,
    paired_score_drops,
)

METHOD_WORDS = {
    "paired_skew_t": "skewness-corrected paired t",
    "paired_t": "paired t",
    WITHHELD_METHOD: (
        f"no interval below {MIN_ITEMS} items, or {MIN_NONZERO_DIFFERENCES} non-zero differences"
        f" on fewer than {RULE_MAX_N} items (exact sign test)"
    ),
}


@dataclass(frozen=True)
class Shift:
    value: float
    ci_low: float
    ci_high: float
    p: float
    n: int
    method: str
    nonzero: int = 0  # differences not exactly 0
    sd: float = math.nan  # of the differences

    @property
    def withheld(self) -> bool:
        """Too few items or non-zero differences for an interval (stats.paired_scores): never PASS."""
        return self.method == WITHHELD_METHOD

    def ci_words(self, spec: str = ".3f") -> str:
        """'CI low to high' (signed, never "-0.000"), or why there is none (a withheld shift)."""
        if self.withheld:
            return f"no interval: {self.nonzero} of {self.n:,} differences non-zero ({METHOD_WORDS[WITHHELD_METHOD]})"
        spec = spec.lstrip("+")
        return f"CI {signed(self.ci_low, spec)} to {signed(self.ci_high, spec)}"

    @property
    def worst_abs(self) -> float:
        """The largest absolute shift the interval allows: the degradation's upper bound."""
        return float(max(abs(self.ci_low), abs(self.ci_high)))

    def as_effect(
        self,
        code: str,
        warn_at: float,
        fail_at: float,
        describe: Describe,
        *,
        slice: str | None = None,
        report: bool = True,
    ) -> GatedEffect:
        """The shift as a two-sided degradation: |shift|, bounded by the interval end farther from 0
        (a ruler that inflates or deflates scores misleads either way)."""
        return GatedEffect(
            code,
            abs(self.value),
            self.worst_abs,
            self._p_value(warn_at),
            warn_at,
            fail_at,
            describe,
            slice=slice,
            report=report,
        )

    def _p_value(self, warn_at: float) -> float | None:
        """The test's p-value. A withheld shift's interval reaches everywhere, so unless its sign
        test shows a shift of at least warn_at (WARN or FAIL) it must read INCONCLUSIVE: a
        significant shift below warn_at would read PASS, so it enters no test (None)."""
        if not math.isfinite(self.p) or (self.withheld and abs(self.value) < warn_at):
            return None
        return self.p

    def as_sized_effect(
        self,
        code: str,
        warn_at: float,
        fail_at: float,
        describe: Describe,
        *,
        alpha: float,
        unit: str = "paired items",
        slice: str | None = None,
        report: bool = True,
    ) -> SizedEffect:
        """`as_effect`, stating the items that would settle it: scaled from this interval's
        half-width, sized for a true shift of fail_at (checks.common.settle)."""
        effect = self.as_effect(code, warn_at, fail_at, describe, slice=slice, report=report)
        if self.withheld:
            return sized(effect, self._withheld_size(fail_at, alpha=alpha, unit=unit))
        size_for = band_size(
            standard_error(self.ci_low, self.ci_high, alpha),
            self.n,
            fail_at,
            alpha=alpha,
            two_sided=True,
            unit=unit,
            what="shift",
            method=METHOD_WORDS.get(self.method, self.method),
        )
        return sized(effect, size_for)

    def _withheld_size(self, fail_at: float, *, alpha: float, unit: str) -> Callable[[int], SampleSize]:
        """Items for an interval at the observed non-zero share (stats.paired_scores.
        items_for_interval), and at least the paired t's band size from the observed spread
        (checks.common.settle)."""
        for_nonzero = items_for_interval(self.n, self.nonzero)
        spread = band_size(
            self.sd / math.sqrt(max(self.n, 1)),
            self.n,
            fail_at,
            alpha=alpha,
            two_sided=True,
            unit=unit,
            what="shift",
            method="paired t",
        )

        def size_for(family: int) -> SampleSize:
            from_spread = spread(family)
            n = max(for_nonzero, from_spread.n or 0)
            effect = f"{MIN_NONZERO_DIFFERENCES} non-zero differences in {MIN_ITEMS}+ items and {from_spread.effect}"
            return SampleSize(
                n, unit, effect, from_spread.power, f"{METHOD_WORDS[WITHHELD_METHOD]}, then {from_spread.method}"
            )

        return size_for


def shift_interval_used(n_boot: int) -> str:
    """Which interval `paired_shift` runs, for a result's method (issue 17). n_boot no longer
    matters: the BCa bootstrap it set under-covered skewed shifts (stats.paired_scores)."""
    del n_boot
    return (
        f"skewness-corrected paired t (Hall 1992 / Johnson 1978) up to {SMALL_GROUP_MAX_N:,} items, paired t beyond;"
        f" {METHOD_WORDS[WITHHELD_METHOD]}"
    )


def paired_shift(after: np.ndarray, before: np.ndarray, *, alpha: float, n_boot: int, seed: int) -> Shift:
    """Mean of after - before: paired t test; skewness-corrected t interval up to 2,000 pairs, t
    beyond; no interval and no test below 10 items, or 5 non-zero differences on fewer than 200
    (stats.paired_scores)."""

    after = np.asarray(after, dtype=float)
    before = np.asarray(before, dtype=float)
    r = paired_score_drops(
        after, before, np.zeros(len(after), dtype=np.int64), 1, alpha=alpha, n_boot=n_boot, seed=seed
    )
    return Shift(
        float(r.drop[0]),
        float(r.ci_low[0]),
        float(r.ci_high[0]),
        float(r.p[0]),
        len(after),
        r.methods[0],
        nonzero=int(r.nonzero[0]),
        sd=float(r.sd[0]),
    )


def alpha_shortfall(
    code: str,
    estimate: AlphaEstimate,
    minimum: float,
    describe: Describe,
    *,
    slice: str | None = None,
    alpha: float = 0.05,
    unit: str = "items",
) -> SizedEffect:
    """Agreement below `minimum` as a degradation: any shortfall fails (warn_at = fail_at = 0),
    tested by the bootstrap replicates of alpha. The size that settles it scales the replicates'
    spread (the observed variance of alpha) to the observed distance from the minimum."""
    size_for = minimum_size(
        estimate.value,
        minimum,
        _spread(estimate.replicates),
        estimate.pairable_items,
        alpha=alpha,
        unit=unit,
        what="an alpha",
        method="percentile item bootstrap",
    )
    return sized(_shortfall(code, estimate, minimum, describe, slice), size_for)


def _spread(replicates: np.ndarray) -> float:
    finite = np.asarray(replicates, dtype=float)
    finite = finite[np.isfinite(finite)]
    return float(np.std(finite, ddof=1)) if len(finite) > 1 else float("nan")


def _shortfall(
    code: str, estimate: AlphaEstimate, minimum: float, describe: Describe, slice: str | None
) -> GatedEffect:
    return GatedEffect(
        code=code,
        value=minimum - estimate.value,
        ci_high=minimum - estimate.ci_low,
        p_value=alpha_shortfall_p(estimate.replicates, minimum),
        warn_at=0.0,
        fail_at=0.0,
        describe=describe,
        slice=slice,
    )


def alpha_shortfall_p(replicates: np.ndarray, min_alpha: float) -> float:
    """Bootstrap p-value of 'alpha >= min_alpha' (small when few resamples reach the bar)."""
    finite = np.asarray(replicates, dtype=float)
    finite = finite[np.isfinite(finite)]
    return float((1 + np.sum(finite >= min_alpha)) / (1 + len(finite)))
