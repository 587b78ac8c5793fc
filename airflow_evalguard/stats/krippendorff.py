"""Krippendorff's alpha from per-item sufficient statistics (any number of raters, missing ratings).

Following Krippendorff, "Computing Krippendorff's Alpha-Reliability" (2011): only pairable values
count (an item needs at least two ratings), each item adds its coincidences weighted 1/(m_u - 1),
and alpha = 1 - (n - 1) * sum(o_ck * d2_ck) / sum(n_c * n_k * d2_ck).

The per-item statistics are chosen so alpha is a function of their sums over items, which is
what makes the item bootstrap cheap (see item_bootstrap):
- nominal / ordinal: the item's coincidence matrix, flattened (V x V values);
- interval: four moments (m, sum x, sum x^2, within-item squared differences), so continuous
  ratings with thousands of distinct values cost four columns, not V x V.
The ordinal metric depends on the marginal value counts, so it is recomputed from each resample's
own marginals, as the definition requires.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from airflow_evalguard.stats.item_bootstrap import percentile_interval, profiles, resampled_sums

LEVELS = ("nominal", "ordinal", "interval")
# Above this many distinct values the V x V coincidence columns get too wide for a matrix product.
MAX_CATEGORIES = 200
# The largest items x values count matrix (or items x V x V coincidences) built: 2**25 float64
# cells is 256 MiB. Continuous ratings on tens of thousands of items would otherwise ask for tens
# of GiB (58,000 items tried 50.6 GiB); they take the interval statistics straight from the rows.
MAX_STATISTIC_CELLS = 2**25


@dataclass
class AlphaStatistics:
    """Per-item statistics for one measurement level; rows of `per_item` add up across items."""

    level: str
    values: np.ndarray  # the distinct values, in scale order (nominal: any order)
    per_item: np.ndarray  # items x k
    pairable_items: int
    unpairable_items: int  # items with a single rating: they carry no agreement information

    @property
    def pairable_values(self) -> int:
        return int(round(float(_pairable_values(self.per_item.sum(axis=0)[None, :], self)[0])))


def count_matrix(
    item_codes: ArrayLike, value_codes: ArrayLike, n_items: int, n_values: int, weights: ArrayLike | None = None
) -> NDArray[np.float64]:
    """items x values: how many raters gave item u value c (`weights`: rows that are already counts)."""
    _refuse_oversized(n_items * n_values, f"{n_items} items x {n_values} distinct values")
    flat = np.asarray(item_codes, dtype=np.int64) * n_values + np.asarray(value_codes, dtype=np.int64)
    counts = np.bincount(flat, weights=weights, minlength=n_items * n_values)
    return counts.reshape(n_items, n_values).astype(np.float64)


def item_statistics(counts: np.ndarray, values: np.ndarray, level: str) -> AlphaStatistics:
    """Per-item statistics from the items x values count matrix."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, got {level!r}")
    counts = np.asarray(counts, dtype=float)
    m = counts.sum(axis=1)
    pairable = m >= 2
    single = int((m == 1).sum())
    counts = counts * pairable[:, None]  # a single rating pairs with nothing: drop it
    m = m * pairable
    denom = np.where(pairable, m - 1, 1.0)
    if level == "interval":
        v = np.asarray(values, dtype=float)
        per_item = _interval_columns(m, counts @ v, counts @ (v * v))
    else:
        n_values = counts.shape[1]
        _refuse_too_many_categories(n_values, level)
        _refuse_oversized(len(counts) * n_values * n_values, f"{len(counts)} items x {n_values}^2 value pairs")
        coincidence = (counts[:, :, None] * counts[:, None, :]) / denom[:, None, None]
        idx = np.arange(n_values)
        coincidence[:, idx, idx] -= counts / denom[:, None]
        per_item = coincidence.reshape(len(counts), n_values * n_values)
    return AlphaStatistics(level, np.asarray(values), per_item, int(pairable.sum()), single)


def interval_statistics(item_codes: ArrayLike, ratings: ArrayLike, n_items: int) -> AlphaStatistics:
    """Interval-level statistics straight from long rows (item code, rating): O(rows) memory.

    The same four columns as `item_statistics(count_matrix(...), values, "interval")`, without the
    items x distinct-values matrix that continuous ratings would make enormous.
    """
    codes = np.asarray(item_codes, dtype=np.int64)
    rating = np.asarray(ratings, dtype=float)
    m = np.bincount(codes, minlength=n_items).astype(float)
    pairable = m >= 2
    keep = pairable.astype(float)  # a single rating pairs with nothing: drop it
    s1 = np.bincount(codes, weights=rating, minlength=n_items) * keep
    s2 = np.bincount(codes, weights=rating * rating, minlength=n_items) * keep
    per_item = _interval_columns(m * keep, s1, s2)
    return AlphaStatistics("interval", np.unique(rating), per_item, int(pairable.sum()), int((m == 1).sum()))


def _interval_columns(m: NDArray[np.float64], s1: NDArray[np.float64], s2: NDArray[np.float64]) -> NDArray[np.float64]:
    """(m, sum x, sum x^2, sum over ordered rating pairs of (x_i - x_j)^2 / (m - 1)) per item."""
    denom = np.where(m >= 2, m - 1, 1.0)
    within = 2 * (m * s2 - s1 * s1) / denom
    return np.column_stack([m, s1, s2, within])


def _refuse_too_many_categories(n_values: int, level: str) -> None:
    if n_values > MAX_CATEGORIES:
        raise ValueError(f"{n_values} distinct values at level '{level}'; above {MAX_CATEGORIES} use level='interval'")


def _refuse_oversized(cells: int, shape: str) -> None:
    if cells > MAX_STATISTIC_CELLS:
        raise ValueError(
            f"{shape} would need {cells * 8 / 2**30:.1f} GiB of agreement statistics "
            f"(the limit is {MAX_STATISTIC_CELLS * 8 / 2**30:.2f} GiB); fewer distinct values (round or bin the "
            "ratings) or fewer items per batch"
        )


def _pairable_values(sums: NDArray[np.float64], stats: AlphaStatistics) -> NDArray[np.float64]:
    if stats.level == "interval":
        return sums[:, 0]
    row_sums: NDArray[np.float64] = sums.sum(axis=1)
    return row_sums


def disagreements_from_sums(sums: np.ndarray, stats: AlphaStatistics) -> tuple[np.ndarray, np.ndarray]:
    """Observed and expected disagreement (D_o, D_e) for each row of summed per-item statistics."""
    sums = np.atleast_2d(np.asarray(sums, dtype=float))
    with np.errstate(divide="ignore", invalid="ignore"):
        if stats.level == "interval":
            n, s1, s2, within = sums.T
            return within / n, 2 * (n * s2 - s1 * s1) / (n * (n - 1))
        n_values = len(stats.values)
        o = sums.reshape(len(sums), n_values, n_values)
        marg = o.sum(axis=2)  # n_c
        n = marg.sum(axis=1)
        d2 = _metric(marg, stats.level)
        observed = (o * d2).sum(axis=(1, 2)) / n
        expected = np.einsum("bc,bk,bck->b", marg, marg, d2) / (n * (n - 1))
        return observed, expected


def alpha_from_sums(sums: np.ndarray, stats: AlphaStatistics) -> NDArray[np.float64]:
    """Alpha for each row of summed per-item statistics (one row per resample). NaN when undefined."""
    observed, expected = disagreements_from_sums(sums, stats)
    with np.errstate(divide="ignore", invalid="ignore"):
        alpha: NDArray[np.float64] = 1 - observed / expected
    return alpha


def _metric(marg: NDArray[np.float64], level: str) -> NDArray[np.float64]:
    """Squared difference function delta^2_ck for each resample (b x V x V)."""
    b, v = marg.shape
    if level == "nominal":
        return np.broadcast_to(1.0 - np.eye(v), (b, v, v))
    # ordinal: (sum_{g=c..k} n_g - (n_c + n_k) / 2)^2, from this resample's marginals
    cum = np.cumsum(marg, axis=1)
    c_idx, k_idx = np.meshgrid(np.arange(v), np.arange(v), indexing="ij")
    lo, hi = np.minimum(c_idx, k_idx), np.maximum(c_idx, k_idx)
    below = np.where(lo > 0, cum[:, np.maximum(lo - 1, 0)], 0.0)
    between = cum[:, hi] - below
    squared: NDArray[np.float64] = (between - (marg[:, c_idx] + marg[:, k_idx]) / 2) ** 2
    return squared


@dataclass
class AlphaEstimate:
    value: float
    ci_low: float
    ci_high: float
    pairable_items: int
    pairable_values: int
    unpairable_items: int
    replicates: np.ndarray


def krippendorff_alpha(stats: AlphaStatistics, *, n_boot: int = 0, alpha: float = 0.05, seed: int = 0) -> AlphaEstimate:
    """Alpha with a percentile bootstrap interval over items (n_boot=0: point estimate only)."""

    total = stats.per_item.sum(axis=0)
    value = float(alpha_from_sums(total[None, :], stats)[0])
    replicates = np.empty(0)
    lo = hi = float("nan")
    if n_boot > 0 and stats.pairable_items > 1:
        unique, counts = profiles(stats.per_item[_pairable_rows(stats)])
        replicates = alpha_from_sums(resampled_sums(unique, counts, n_boot, seed), stats)
        lo, hi = percentile_interval(replicates, alpha)
    return AlphaEstimate(value, lo, hi, stats.pairable_items, stats.pairable_values, stats.unpairable_items, replicates)


def _pairable_rows(stats: AlphaStatistics) -> NDArray[np.bool_]:
    if stats.level == "interval":
        return stats.per_item[:, 0] > 0
    paired: NDArray[np.bool_] = stats.per_item.sum(axis=1) > 0
    return paired


def alpha_from_long(
    items: ArrayLike,
    labels: ArrayLike,
    level: str,
    *,
    values_order: Iterable[Any] | None = None,
    n_boot: int = 0,
    alpha: float = 0.05,
    seed: int = 0,
) -> AlphaEstimate:
    """Convenience: alpha from two aligned arrays (item id, rating) in long form; NaN ratings are missing."""

    frame = pd.DataFrame({"item": np.asarray(items), "label": np.asarray(labels)}).dropna()
    item_codes, _ = pd.factorize(frame["item"])
    values, value_codes = encode_values(frame["label"], level, values_order)
    n_items = int(item_codes.max()) + 1 if len(item_codes) else 0
    if level == "interval":
        # numeric ratings in scale units (values_order maps words to their places on the scale)
        stats = interval_statistics(item_codes, np.asarray(values, dtype=float)[value_codes], n_items)
    else:
        _refuse_too_many_categories(len(values), level)
        stats = item_statistics(count_matrix(item_codes, value_codes, n_items, len(values)), values, level)
    return krippendorff_alpha(stats, n_boot=n_boot, alpha=alpha, seed=seed)


def encode_values(
    labels: ArrayLike, level: str, values_order: Iterable[Any] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Distinct values in scale order and each rating's code.

    Ordinal and interval ratings must be numbers unless `values_order` gives the scale order.
    """

    series = pd.Series(labels).reset_index(drop=True)
    if values_order is not None:
        order = list(values_order)
        lookup = {v: i for i, v in enumerate(order)}
        codes = series.map(lookup)
        if codes.isna().any():
            unknown = sorted({str(v) for v in series[codes.isna()]})[:10]
            raise ValueError(f"label(s) {unknown} are not in the given scale order {order}")
        return np.asarray(order, dtype=object), codes.to_numpy(dtype=np.int64)
    if level in ("ordinal", "interval"):
        numeric = pd.to_numeric(series, errors="coerce")
        if numeric.isna().any():
            bad = sorted({str(v) for v in series[numeric.isna()]})[:10]
            raise ValueError(f"{level} ratings must be numbers (or give the scale order); got {bad}")
        values, codes = np.unique(numeric.to_numpy(dtype=float), return_inverse=True)
        return values, codes
    if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
        # numbers stay numbers: no string round-trip of a million floats
        values, codes = np.unique(series.to_numpy(dtype=float), return_inverse=True)
        return values.astype(object), codes
    codes, uniques = pd.factorize(series.astype(str), sort=True)
    return np.asarray(uniques, dtype=object), codes
