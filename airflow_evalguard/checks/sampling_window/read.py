"""sampling_window's inputs -> strata: each dimension's levels and the sample's and reference's counts.

Each input is either rows (a timestamp and the stratum columns) or pre-aggregated counts per
stratum (the form a warehouse GROUP BY returns: the stratum columns, `hour_of_day` or the
timestamp, and `count`); both forms give the same counts, so the same verdict.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from airflow_evalguard.checks.common.aggregates import whole_counts
from airflow_evalguard.columns.strata import Dimension, JointCells, encode_dimension, joint_cells
from airflow_evalguard.columns.timestamps import local_hour, validate_timezone
from airflow_evalguard.columns.validation import require_rows
from airflow_evalguard.core.part import Part
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.io import TableInput
from airflow_evalguard.result import Metric
from airflow_evalguard.verdicts import validate_bands

HOUR = "hour_of_day"
COUNT = "count"


@dataclass(frozen=True)
class Side:
    """One input as read: its frame, the local hour of each row and, for counts, each row's count."""

    frame: pd.DataFrame
    hours: np.ndarray
    counts: np.ndarray | None  # None: one row per item


@dataclass(frozen=True)
class Strata:
    """The dimensions (hour of day first), the joint cells and each dimension's marginal counts."""

    sample: Side
    dims: list[Dimension]
    cells: JointCells
    sample_margins: list[np.ndarray]  # per dimension: sample count per level
    reference_margins: list[np.ndarray]  # per dimension: reference count (or weight) per level
    n: int  # sample rows (the sum of the counts for an aggregated sample)

    @property
    def sample_cells(self) -> np.ndarray:
        return np.asarray(self.cells.counts[0])

    @property
    def reference_cells(self) -> np.ndarray:
        return np.asarray(self.cells.counts[1])


def validate(params: dict[str, Any]) -> list[str]:
    """Refuse inconsistent parameters; the user's stratum columns besides hour of day, deduplicated."""
    validate_bands(params["warn_at"], params["fail_at"])
    validate_timezone(params["timezone"])
    if params["timestamp_column"] in params["dimensions"]:
        raise EvalGuardInputError(
            "param 'dimensions' must not contain the timestamp column; hour_of_day is derived from it"
        )
    return [dim for dim in dict.fromkeys(params["dimensions"]) if dim != HOUR]


def read_strata(tables: dict[str, TableInput], params: dict[str, Any], user_dims: list[str]) -> Strata:
    sample = _read_sample(tables["sample"], params, user_dims)
    reference = _read_reference(tables["reference"], params, user_dims)
    n = int(sample.counts.sum()) if sample.counts is not None else len(sample.frame)
    dims = [encode_dimension(HOUR, [pd.Series(sample.hours), pd.Series(reference.hours)])]
    dims += [encode_dimension(dim, [sample.frame[dim], reference.frame[dim]]) for dim in user_dims]
    cells = joint_cells(dims, [sample.counts, reference.counts])
    margins = [
        [np.bincount(cells.cell_levels[i], weights=counts, minlength=len(dim.levels)) for i, dim in enumerate(dims)]
        for counts in cells.counts
    ]
    return Strata(sample, dims, cells, margins[0], margins[1], n)


def totals_part(strata: Strata) -> Part:
    """How much was compared: sample rows and the reference's total count."""
    return Part(
        metrics={
            "sample_rows": Metric(strata.n),
            "reference_total": Metric(float(np.sum(strata.reference_cells))),
        }
    )


def _read_counts(table: TableInput, params: dict[str, Any], dims: list[str], *, whole: bool) -> Side:
    """Pre-aggregated rows: the stratum columns, `hour_of_day` (or the timestamp) and `count`.

    Sample counts must be whole numbers: the bootstrap and the tests resample them as counts of rows.
    """
    ts, name = params["timestamp_column"], table.name
    available = table.columns()
    hour_source = HOUR if HOUR in available else ts
    if hour_source not in available:
        raise EvalGuardInputError(
            f"input '{name}': pre-aggregated counts need a '{HOUR}' column (or '{ts}'); it has {available[:20]}",
            input_name=name,
            column=HOUR,
        )
    frame = table.read(dims + [hour_source, COUNT])
    if whole:
        counts = pd.Series(whole_counts(frame[COUNT], name))
    else:
        counts = pd.to_numeric(frame[COUNT], errors="coerce")
        require_rows(
            frame[COUNT],
            counts.isna() | (counts < 0),
            input_name=name,
            column=COUNT,
            requirement="must be a non-negative number",
        )
    if float(counts.sum()) <= 0:
        raise EvalGuardInputError(f"input '{name}': zero total count", input_name=name, column=COUNT)
    if hour_source == HOUR:
        hour_values = pd.to_numeric(frame[HOUR], errors="coerce")
        require_rows(
            frame[HOUR],
            hour_values.isna() | ~hour_values.isin(range(24)),
            input_name=name,
            column=HOUR,
            requirement="must hold whole hours 0-23",
        )
        hours = hour_values.to_numpy(dtype=np.int64)
    else:
        hours = local_hour(frame[ts], params["timezone"], input_name=name, column=ts)
    return Side(frame, hours, counts.to_numpy(dtype=float))


def _read_sample(table: TableInput, params: dict[str, Any], dims: list[str]) -> Side:
    """Rows (one per eval item), or pre-aggregated counts per stratum."""
    if COUNT in table.columns():
        if params["id_column"]:
            raise EvalGuardInputError(
                "param 'id_column' needs a row-level sample; input 'sample' holds counts",
                input_name="sample",
                column=COUNT,
            )
        return _read_counts(table, params, dims, whole=True)
    ts, id_column = params["timestamp_column"], params["id_column"]
    frame = table.read([ts] + dims + ([id_column] if id_column and id_column not in dims else []))
    if len(frame) == 0:
        raise EvalGuardInputError("input 'sample' is empty: there is nothing to compare", input_name="sample")
    return Side(frame, local_hour(frame[ts], params["timezone"], input_name="sample", column=ts), None)


def _read_reference(table: TableInput, params: dict[str, Any], dims: list[str]) -> Side:
    """Rows like the sample, or pre-aggregated rows with a `count` column (and `hour_of_day`)."""
    ts = params["timestamp_column"]
    if COUNT in table.columns():
        return _read_counts(table, params, dims, whole=False)
    frame = table.read([ts] + dims)
    if len(frame) == 0:
        raise EvalGuardInputError("input 'reference' is empty: zero total count", input_name="reference")
    return Side(frame, local_hour(frame[ts], params["timezone"], input_name="reference", column=ts), None)
