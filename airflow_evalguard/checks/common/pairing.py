"""Join two per-item tables (baseline/candidate, teacher/student) on an id column, with the input
errors every paired check needs: empty tables, duplicate ids, items on one side only."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from airflow_evalguard.exceptions import EvalGuardInputError


@dataclass
class Paired:
    frame: pd.DataFrame  # columns suffixed with the two side names
    unpaired: dict[str, int]  # side -> rows dropped for having no partner


def _preview(values: Iterable[Any], limit: int = 5) -> str:
    values = list(values)
    more = f" (+{len(values) - limit} more)" if len(values) > limit else ""
    return ", ".join(repr(v) for v in values[:limit]) + more


def check_side(df: pd.DataFrame, side: str, id_column: str) -> None:
    if len(df) == 0:
        raise EvalGuardInputError(f"input '{side}' is empty", input_name=side)
    if df[id_column].isna().any():
        rows = df.index[df[id_column].isna()][:5].tolist()
        raise EvalGuardInputError(
            f"input '{side}': column '{id_column}' is missing in rows {rows}", input_name=side, column=id_column
        )
    dup = df[id_column].duplicated(keep=False)
    if dup.any():
        ids = pd.unique(df.loc[dup, id_column])
        raise EvalGuardInputError(
            f"input '{side}': {len(ids)} duplicate {id_column}(s): {_preview(ids)}; one row per item is required",
            input_name=side,
            column=id_column,
        )


def pair(
    left: pd.DataFrame, right: pd.DataFrame, *, names: tuple[str, str], id_column: str, allow_unpaired: bool
) -> Paired:
    """Inner-join on `id_column`; items on one side only are an error unless `allow_unpaired`."""
    a, b = names
    check_side(left, a, id_column)
    check_side(right, b, id_column)
    left_s = left.rename(columns={c: f"{c}_{a}" for c in left.columns if c != id_column})
    right_s = right.rename(columns={c: f"{c}_{b}" for c in right.columns if c != id_column})
    if len(left) == len(right) and left[id_column].reset_index(drop=True).equals(
        right[id_column].reset_index(drop=True)
    ):
        # Same ids in the same order (the usual export): no join needed.
        frame = pd.concat(
            [left_s.reset_index(drop=True), right_s.drop(columns=[id_column]).reset_index(drop=True)], axis=1
        )
        return Paired(frame, {a: 0, b: 0})
    only_a = ~left[id_column].isin(right[id_column])
    only_b = ~right[id_column].isin(left[id_column])
    if (only_a.any() or only_b.any()) and not allow_unpaired:
        parts = []
        if only_a.any():
            parts.append(f"{int(only_a.sum())} only in '{a}': {_preview(left.loc[only_a, id_column])}")
        if only_b.any():
            parts.append(f"{int(only_b.sum())} only in '{b}': {_preview(right.loc[only_b, id_column])}")
        raise EvalGuardInputError(
            f"unpaired {id_column}s: " + "; ".join(parts) + " (set allow_unpaired=true to drop them)",
            input_name=a if only_a.any() else b,
            column=id_column,
        )
    frame = left_s.merge(right_s, on=id_column, how="inner")
    if len(frame) == 0:
        raise EvalGuardInputError(f"inputs '{a}' and '{b}' share no {id_column}", input_name=a, column=id_column)
    return Paired(frame, {a: int(only_a.sum()), b: int(only_b.sum())})
