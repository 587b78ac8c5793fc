"""assignment_integrity's sufficient statistics: units per arm, a field x arm table of unit counts
per categorical (or binned) field, and per arm the count, sum and sum of squares of each numeric
column. Every decision of the check is made from these, whether they were counted from units
(`read_units`) or handed over pre-aggregated (`read_aggregates`: `arm_counts` + `field_counts` +
`moments`), so both forms give the same verdict."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from airflow_evalguard.columns.strata import encode_dimension
from airflow_evalguard.stats.balance import Moments

ID, ARM = "unit_id", "arm"
NUMERIC_BINS = 4  # numeric fields are tested for dependence by quartile
FIELD_COUNT_COLUMNS = ["field", "value", "arm", "count"]
MOMENT_COLUMNS = ["column", "arm", "count", "sum", "sum_sq"]


@dataclass
class FieldTable:
    levels: list[str]
    counts: np.ndarray  # (level, observed arm)
    how: str  # "levels" or "quartiles"


@dataclass
class ArmTables:
    arms: list[str]  # observed arms
    units: np.ndarray  # units per observed arm
    fields: dict[str, FieldTable] = field(default_factory=dict)
    moments: dict[str, list[Moments]] = field(default_factory=dict)  # column -> per observed arm
    form: str = "units"


def is_numeric(values: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype)


def binned_by_quartile(distinct_values: int) -> bool:
    """A numeric field is tested by quartile when it has more than twice as many values as bins
    (fewer are tested level by level); SqlSource applies the same rule in the database."""
    return distinct_values > NUMERIC_BINS * 2


def quartile_labels(edges: np.ndarray) -> list[str]:
    """Names of the bins between quartile edges (numbers formatted the same wherever they come from)."""
    last = len(edges) - 2
    return [
        f"<= {edges[1]:,.6g}"
        if i == 0
        else (f"> {edges[i]:,.6g}" if i == last else f"in {edges[i]:,.6g}-{edges[i + 1]:,.6g}")
        for i in range(len(edges) - 1)
    ]


def field_codes(values: pd.Series) -> tuple[np.ndarray, list[str], str]:
    """Integer codes for a field: categories as they are, numbers with many values by quartile."""
    if is_numeric(values) and binned_by_quartile(values.nunique()):
        edges = np.unique(np.nanquantile(values.to_numpy(float), np.linspace(0, 1, NUMERIC_BINS + 1)))
        bins = np.clip(np.searchsorted(edges, values.to_numpy(float), side="right") - 1, 0, len(edges) - 2)
        bins = np.where(values.isna().to_numpy(), len(edges) - 1, bins)
        labels = quartile_labels(edges) + ["missing"]
        used = np.unique(bins)
        remap = np.full(len(labels), -1)
        remap[used] = np.arange(len(used))
        return remap[bins], [labels[u] for u in used], "quartiles"
    dim = encode_dimension("field", [values])
    return dim.codes[0], dim.levels, "levels"
