"""assignment_integrity's sufficient statistics: units per arm, a field x arm table of unit counts
per categorical (or binned) field, and per arm the count, sum and sum of squares of each numeric
column. Every decision of the check is made from these, whether they were counted here from
units or handed over pre-aggregated (input forms `units` or `arm_counts` + `field_counts` +
`moments`), so both forms give the same verdict."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from airflow_evalguard.checks.common.aggregates import whole_counts
from airflow_evalguard.columns.strata import encode_dimension
from airflow_evalguard.columns.validation import require_rows
from airflow_evalguard.exceptions import EvalGuardInputError
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
    return [f"<= {edges[1]:,.6g}" if i == 0 else (f"> {edges[i]:,.6g}" if i == last else f"in {edges[i]:,.6g}-{edges[i + 1]:,.6g}")
            for i in range(len(edges) - 1)]


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


def from_units(units: pd.DataFrame, fields: list[str], numeric: list[str]) -> ArmTables:
    """Count the statistics from one row per unit: `fields` tabulated, `numeric` summed."""
    arm_dim = encode_dimension(ARM, [units[ARM]])
    arms, n_obs = arm_dim.codes[0], len(arm_dim.levels)
    out = ArmTables(arm_dim.levels, np.bincount(arms, minlength=n_obs).astype(float))
    for name in fields:
        codes, levels, how = field_codes(units[name])
        table = np.bincount(codes * n_obs + arms, minlength=len(levels) * n_obs).reshape(len(levels), n_obs)
        out.fields[name] = FieldTable(levels, table.astype(float), how)
    for name in numeric:
        x = units[name].to_numpy(float)
        present = ~np.isnan(x)
        out.moments[name] = [Moments.of(x[present & (arms == k)]) for k in range(n_obs)]
    return out


def from_aggregates(arm_counts: pd.DataFrame, field_counts: pd.DataFrame | None,
                    moments: pd.DataFrame | None) -> ArmTables:
    """Read the pre-aggregated form (columns FIELD_COUNT_COLUMNS / MOMENT_COLUMNS); rows repeating
    a key (shards) are added up."""
    frames = [("arm_counts", arm_counts), ("field_counts", field_counts), ("moments", moments)]
    given = [(name, f) for name, f in frames if f is not None]
    dim = encode_dimension(ARM, [f[ARM] for _, f in given])
    codes = dict(zip([name for name, _ in given], dim.codes))
    counts = np.bincount(codes["arm_counts"], weights=whole_counts(arm_counts["count"], "arm_counts"),
                         minlength=len(dim.levels))
    observed = counts > 0
    for name, _ in given[1:]:
        stray = sorted({dim.levels[c] for c in np.unique(codes[name]) if not observed[c]})
        if stray:
            raise EvalGuardInputError(f"input '{name}': arm(s) {stray[:10]} have no units in input 'arm_counts'",
                                      input_name=name, column=ARM)
    keep = np.flatnonzero(observed)
    remap = np.full(len(dim.levels), -1)
    remap[keep] = np.arange(len(keep))
    out = ArmTables([dim.levels[k] for k in keep], counts[keep], form="aggregates")
    n_obs = len(keep)
    if field_counts is not None:
        weights = whole_counts(field_counts["count"], "field_counts")
        arms = remap[codes["field_counts"]]
        names = field_counts["field"].astype(str).to_numpy()
        for name in sorted(set(names)):
            rows = names == name
            vdim = encode_dimension("field", [field_counts["value"][rows]])
            table = np.bincount(vdim.codes[0] * n_obs + arms[rows], weights=weights[rows],
                                minlength=len(vdim.levels) * n_obs).reshape(len(vdim.levels), n_obs)
            if not np.array_equal(table.sum(axis=0), out.units):
                raise EvalGuardInputError(
                    f"input 'field_counts': field '{name}' counts {table.sum(axis=0).astype(int).tolist()} units per arm "
                    f"{out.arms}, input 'arm_counts' {out.units.astype(int).tolist()}; every unit needs a value "
                    "(NULL included)", input_name="field_counts", column="count")
            out.fields[name] = FieldTable(vdim.levels, table, "levels")
    if moments is not None:
        n = whole_counts(moments["count"], "moments")
        sums = {}
        for col in ("sum", "sum_sq"):
            v = pd.to_numeric(moments[col], errors="coerce")
            require_rows(moments[col], v.isna() & (n > 0), input_name="moments", column=col, requirement="must be a number")
            sums[col] = v.fillna(0).to_numpy(float)
        arms = remap[codes["moments"]]
        names = moments["column"].astype(str).to_numpy()
        for name in sorted(set(names)):
            rows = names == name
            per = [np.bincount(arms[rows], weights=w[rows], minlength=n_obs) for w in (n, sums["sum"], sums["sum_sq"])]
            if np.any(per[0] > out.units):
                raise EvalGuardInputError(f"input 'moments': column '{name}' has more values than units in some arm",
                                          input_name="moments", column="count")
            out.moments[name] = [Moments(*(float(x[k]) for x in per)) for k in range(n_obs)]
    return out
