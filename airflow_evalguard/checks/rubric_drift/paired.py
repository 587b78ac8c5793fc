"""Which periods are compared, on which scale, on which items, with which criterion weights.

The decomposition needs the same items everywhere: an item enters only when it carries human and
judge ratings for every criterion in both periods.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from airflow_evalguard.checks.rubric_drift.read import KEYS, RATER_TYPES
from airflow_evalguard.exceptions import EvalGuardInputError

# A period whose observed scale reaches this many times the other's is almost surely another scale.
SCALE_RATIO = 1.5
PAIRED_COLUMNS = ["h_base", "j_base", "h_cand", "j_cand"]


def periods(df: pd.DataFrame, params: dict[str, Any]) -> tuple[str, str]:
    """(baseline, candidate): as given, or the two periods present when there are exactly two."""
    present = sorted(df["period"].unique())
    base, cand = params["baseline_period"], params["candidate_period"]
    if base is None or cand is None:
        if len(present) != 2:
            raise EvalGuardInputError(
                f"input 'ratings' has {len(present)} periods {present[:10]}; set baseline_period and candidate_period",
                input_name="ratings",
                column="period",
            )
        base = base if base is not None else next(x for x in present if x != cand)
        cand = cand if cand is not None else next(x for x in present if x != base)
    for name, value in (("baseline_period", base), ("candidate_period", cand)):
        if str(value) not in present:
            raise EvalGuardInputError(
                f"param '{name}' {value!r} is not a period of input 'ratings' ({present[:10]})",
                input_name="ratings",
                column="period",
            )
    if str(base) == str(cand):
        raise EvalGuardInputError("params baseline_period and candidate_period must differ")
    return str(base), str(cand)


def check_scale(df: pd.DataFrame, base: str, cand: str, scale: list[Any] | None) -> None:
    """Scores inside the given scale; without one, both periods must span a similar range."""
    if scale is not None:
        if len(scale) != 2 or not scale[0] < scale[1]:
            raise EvalGuardInputError(f"param 'scale' must be [low, high], got {scale!r}")
        out = (df["min"] < scale[0]) | (df["max"] > scale[1])
        if out.any():
            rows = df.loc[out].head(3)[["period", "criterion", "item_id", "min", "max"]].to_dict("records")
            raise EvalGuardInputError(
                f"input 'ratings': {int(out.sum())} item rating(s) with scores outside the scale {scale}, e.g. {rows}",
                input_name="ratings",
                column="score",
            )
        return
    ranges = {per: (float(g["min"].min()), float(g["max"].max())) for per, g in df.groupby("period")}
    (blo, bhi), (clo, chi) = ranges[base], ranges[cand]
    span_b, span_c = bhi - blo, chi - clo
    if min(span_b, span_c) > 0 and max(span_b, span_c) / min(span_b, span_c) >= SCALE_RATIO:
        raise EvalGuardInputError(
            f"input 'ratings': the periods seem to use different scales (baseline {blo:g}-{bhi:g}, candidate "
            f"{clo:g}-{chi:g}); rescale one, or pass param 'scale' if this is one scale",
            input_name="ratings",
            column="score",
        )


def paired_means(df: pd.DataFrame, base: str, cand: str) -> tuple[pd.DataFrame, int]:
    """Per (criterion, item): mean human and judge score in each period (PAIRED_COLUMNS), on items
    complete in both periods for every criterion; and how many items were dropped."""
    sub = df[df["period"].isin([base, cand])]
    totals = sub.set_index(KEYS)  # one row per key: both forms are grouped by KEYS already
    means = totals["sum"] / totals["count"]
    wide = means.unstack(["period", "rater_type"])
    cells = [(per, kind) for per in (base, cand) for kind in RATER_TYPES]
    for cell in cells:
        if cell not in wide.columns:
            raise EvalGuardInputError(
                f"input 'ratings': no {cell[1]} ratings in period {cell[0]!r}",
                input_name="ratings",
                column="rater_type",
            )
    wide = wide[cells]
    n_before = wide.index.get_level_values("item_id").nunique()
    complete = wide.dropna()
    criteria = sorted(df["criterion"].unique())
    per_item = complete.reset_index().groupby("item_id")["criterion"].nunique()
    keep = per_item.index[per_item == len(criteria)]
    complete = complete[complete.index.get_level_values("item_id").isin(keep)]
    complete.columns = PAIRED_COLUMNS
    return complete, int(n_before - len(keep))


def require_pairs(wide: pd.DataFrame, base: str, cand: str) -> list[str]:
    """The criteria measured; an input error unless at least two items are paired."""
    criteria = sorted(str(c) for c in wide.index.get_level_values("criterion").unique())
    if not criteria or wide.index.get_level_values("item_id").nunique() < 2:
        raise EvalGuardInputError(
            "input 'ratings': fewer than two items carry human and judge ratings for every criterion in both "
            f"periods ({base!r}, {cand!r}); the drift is measured on paired items",
            input_name="ratings",
            column="item_id",
        )
    return criteria


def weights(given: dict[str, Any], criteria: list[str]) -> dict[str, float]:
    """Composite weights normalised to sum to 1 (equal when none are given)."""
    if not given:
        return {c: 1 / len(criteria) for c in criteria}
    unknown = sorted(set(map(str, given)) - set(criteria))
    lacking = sorted(set(criteria) - set(map(str, given)))
    if unknown or lacking:
        raise EvalGuardInputError(
            f"param 'weights' must name every criterion {criteria}; unknown {unknown}, missing {lacking}"
        )
    total = float(sum(given.values()))
    if total <= 0 or any(float(v) < 0 for v in given.values()):
        raise EvalGuardInputError("param 'weights' must be non-negative with a positive sum")
    return {str(k): float(v) / total for k, v in given.items()}
