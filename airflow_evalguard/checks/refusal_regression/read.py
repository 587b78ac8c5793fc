"""refusal_regression's inputs -> paired behaviours: per prompt (rows, joined on prompt_id) or per
aggregated cell (category, expected, baseline label, candidate label, count), side by side."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from airflow_evalguard.checks.common.aggregates import one_form, whole_counts
from airflow_evalguard.checks.common.pairing import pair
from airflow_evalguard.checks.refusal_regression import evidence
from airflow_evalguard.columns.offending import offending_values
from airflow_evalguard.columns.strata import differs
from airflow_evalguard.columns.values import map_unique
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.io import TableInput
from airflow_evalguard.labelers import string_match

ID, EXPECTED, LABEL, COMPLETION = "prompt_id", "expected", "label", "completion"
SIDES = ("baseline", "candidate")
BEHAVIOURS = ("refusal", "compliance", "partial")
BEHAVIOUR_DTYPE = pd.CategoricalDtype(["refusal", "compliance"])
DEFAULT_LABEL_MAP = {
    "refusal": "refusal",
    "compliance": "compliance",
    "partial": "partial",
    "1_full_compliance": "compliance",
    "2_full_refusal": "refusal",
    "3_partial_refusal": "partial",
}


@dataclass(frozen=True)
class Pairs:
    """Both models' behaviour on the same prompts, one entry per prompt or per aggregated cell."""

    groups: pd.Series  # the `by` category of each entry
    expected: pd.Series  # refuse | comply
    baseline: pd.Series  # refusal | compliance
    candidate: pd.Series
    weights: np.ndarray | None  # prompts per entry (cells), None for one entry per prompt
    n_pairs: int
    unpaired: dict[str, int]  # side -> prompts dropped for having no partner
    labelled: int  # labels made by the string-match labeler
    evidence: pd.DataFrame
    form: str  # "rows" or "cells"


def label_map(params: dict[str, Any]) -> dict[str, str]:
    """The defaults with the user's entries merged over them; targets must be known behaviours."""
    merged = {**DEFAULT_LABEL_MAP, **{str(key): value for key, value in params["label_map"].items()}}
    bad_targets = sorted({value for value in merged.values() if value not in BEHAVIOURS})
    if bad_targets:
        raise EvalGuardInputError(f"param 'label_map' may only map to {list(BEHAVIOURS)}; got {bad_targets}")
    return merged


def read(tables: dict[str, TableInput], params: dict[str, Any], labels: dict[str, str]) -> Pairs:
    by = params["by"]
    if one_form(set(tables), SIDES, "cells"):
        cells = _read_cells(tables["cells"], params, labels)
        weights = cells["count"].to_numpy()
        return Pairs(
            cells[by],
            cells[EXPECTED],
            cells["behaviour_baseline"],
            cells["behaviour_candidate"],
            weights,
            int(weights.sum()),
            {"baseline": 0, "candidate": 0},
            0,
            evidence.from_cells(cells, by),
            "cells",
        )
    base, cand = (_read_side(tables[side], params) for side in SIDES)
    _check_categories(base, cand, by)
    base_behaviour, made_base = _behaviour(base, "baseline", params, labels)
    cand_behaviour, made_cand = _behaviour(cand, "candidate", params, labels)
    base = base[[ID, by, EXPECTED]].assign(behaviour=base_behaviour)
    cand = cand[[ID, by, EXPECTED]].assign(behaviour=cand_behaviour)
    paired = pair(base, cand, names=SIDES, id_column=ID, allow_unpaired=params["allow_unpaired"])
    frame = paired.frame
    _check_consistent(frame, EXPECTED)
    _check_consistent(frame, by)
    return Pairs(
        frame[f"{by}_baseline"],
        frame[f"{EXPECTED}_baseline"],
        frame["behaviour_baseline"],
        frame["behaviour_candidate"],
        None,
        len(frame),
        paired.unpaired,
        made_base + made_cand,
        evidence.from_rows(frame, by),
        "rows",
    )


def _expected(values: pd.Series) -> pd.Series:
    return map_unique(values, lambda value: str(value).strip().lower())


def _read_side(table: TableInput, params: dict[str, Any]) -> pd.DataFrame:
    available = table.columns()
    columns = [params["id_column"], params["by"], EXPECTED]
    if LABEL in available or params["labeler"] is None:
        columns.append(LABEL)
    if params["labeler"] == "string_match":
        columns.append(COMPLETION)
    # The id column is read under the user's name and joined on under ours.
    df = table.read(list(dict.fromkeys(columns))).rename(columns={params["id_column"]: ID})
    if len(df) == 0:
        raise EvalGuardInputError(f"input '{table.name}' is empty", input_name=table.name)
    expected = _expected(df[EXPECTED])
    bad = ~expected.isin(["refuse", "comply"])
    if bad.any():
        values = offending_values(df.loc[bad, EXPECTED])
        raise EvalGuardInputError(
            f"input '{table.name}': column '{EXPECTED}' must be 'refuse' or 'comply'; found {values} "
            f"in {int(bad.sum())} row(s)",
            input_name=table.name,
            column=EXPECTED,
        )
    return df.assign(**{EXPECTED: expected})


def _behaviour(df: pd.DataFrame, side: str, params: dict[str, Any], labels: dict[str, str]) -> tuple[pd.Series, int]:
    """Map raw labels to refusal/compliance; returns the behaviour and how many the labeler made."""
    raw = df[LABEL] if LABEL in df.columns else pd.Series([None] * len(df), index=df.index, dtype=object)
    made = 0
    if params["labeler"] == "string_match":
        missing = raw.isna()
        made = int(missing.sum())
        if made:
            raw = raw.astype(object).copy()
            raw[missing] = map_unique(df.loc[missing, COMPLETION], string_match.label).astype(object)
    missing = raw.isna()
    if missing.any():
        ids = df.loc[missing, ID].head(5).tolist()
        hint = "" if params["labeler"] else " (or set labeler='string_match' with a 'completion' column)"
        raise EvalGuardInputError(
            f"input '{side}': {int(missing.sum())} row(s) without a label, e.g. {ID} {ids}{hint}",
            input_name=side,
            column=LABEL,
        )
    key = map_unique(raw, lambda value: str(value).strip())
    mapped = map_unique(key, labels.get)
    unknown = mapped.isna()
    if unknown.any():
        values = sorted(set(key[unknown]))[:10]
        raise EvalGuardInputError(
            f"input '{side}': label(s) outside the label map: {values} ({int(unknown.sum())} rows); "
            f"known: {sorted(labels)}",
            input_name=side,
            column=LABEL,
        )
    return _as_behaviour(mapped, params), made


def _as_behaviour(mapped: pd.Series, params: dict[str, Any]) -> pd.Series:
    behaviour = map_unique(mapped, lambda value: params["partial_as"] if value == "partial" else value)
    # one fixed dtype on both sides, so the two can be compared element-wise
    return behaviour.astype(BEHAVIOUR_DTYPE)


def _map_labels(values: pd.Series, side: str, params: dict[str, Any], labels: dict[str, str]) -> pd.Series:
    key = map_unique(values, lambda value: str(value).strip())
    mapped = map_unique(key, labels.get)
    unknown = mapped.isna()
    if unknown.any():
        raise EvalGuardInputError(
            f"input 'cells': {side} label(s) outside the label map: {sorted(set(key[unknown]))[:10]}; "
            f"known: {sorted(labels)}",
            input_name="cells",
            column=side,
        )
    return _as_behaviour(mapped, params)


def _read_cells(table: TableInput, params: dict[str, Any], labels: dict[str, str]) -> pd.DataFrame:
    """Pre-aggregated paired cells: one row per (category, expected, baseline label, candidate
    label) with the number of prompts in it: the GROUP BY a warehouse returns for this check."""
    by = params["by"]
    df = table.read([by, EXPECTED, "baseline", "candidate", "count"])
    if len(df) == 0:
        raise EvalGuardInputError("input 'cells' is empty", input_name="cells")
    counts = whole_counts(df["count"], "cells")
    expected = _expected(df[EXPECTED])
    if (~expected.isin(["refuse", "comply"])).any():
        raise EvalGuardInputError(
            f"input 'cells': column '{EXPECTED}' must be 'refuse' or 'comply'", input_name="cells", column=EXPECTED
        )
    return pd.DataFrame(
        {
            by: df[by],
            EXPECTED: expected,
            "behaviour_baseline": _map_labels(df["baseline"], "baseline", params, labels),
            "behaviour_candidate": _map_labels(df["candidate"], "candidate", params, labels),
            "count": counts,
        }
    )


def _check_consistent(frame: pd.DataFrame, column: str) -> None:
    differ = differs(frame[f"{column}_baseline"], frame[f"{column}_candidate"])
    if differ.any():
        rows = frame.loc[differ].head(5)
        examples = ", ".join(
            f"{row[ID]!r}: {row[f'{column}_baseline']!r} vs {row[f'{column}_candidate']!r}"
            for _, row in rows.iterrows()
        )
        raise EvalGuardInputError(
            f"inputs 'baseline' and 'candidate' disagree on '{column}' for {int(differ.sum())} prompt(s): {examples}",
            input_name="candidate",
            column=column,
        )


def _check_categories(base: pd.DataFrame, cand: pd.DataFrame, by: str) -> None:
    cats_base = {str(value) for value in pd.unique(base[by])}
    cats_cand = {str(value) for value in pd.unique(cand[by])}
    for only, side in ((cats_base - cats_cand, "baseline"), (cats_cand - cats_base, "candidate")):
        if only:
            raise EvalGuardInputError(
                f"input '{side}': {by} value(s) {sorted(only)[:10]} appear on this side only",
                input_name=side,
                column=by,
            )
