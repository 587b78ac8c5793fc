"""Encode stratum columns of two tables onto one shared set of levels, then into joint cells.

Missing values (NaN/None) are a stratum of their own, labelled MISSING, never dropped: a sample
whose region is unknown is exactly the kind of sample that misrepresents production.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from airflow_evalguard.exceptions import EvalGuardInputError

MISSING = "(missing)"


def _local_codes(values: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Integer codes (-1 for missing) and the label of each code."""
    integers = pd.api.types.is_integer_dtype(values.dtype) and len(values) and not values.hasnans
    if integers and values.min() >= 0 and values.max() < 65536:
        # Small non-negative integers (hour of day): a bincount finds the levels, no hashing. A
        # nullable integer column with a missing value takes the general path (MISSING is a level).
        arr = values.to_numpy(dtype=np.int64)
        present = np.flatnonzero(np.bincount(arr))
        lookup = np.full(int(present[-1]) + 1, -1, dtype=np.int64)
        lookup[present] = np.arange(len(present))
        return lookup[arr], [str(v) for v in present]
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = values.cat.codes.to_numpy(dtype=np.int64)
        labels = [str(c) for c in values.cat.categories]
    else:
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        codes = codes.astype(np.int64)
        labels = [str(u) for u in uniques]
    return codes, labels


def _sort_key(label: str) -> tuple[int, float, str]:
    # Numbers in numeric order (hour 2 before hour 10), then text; MISSING last.
    if label == MISSING:
        return (2, 0.0, label)
    try:
        return (0, float(label), label)
    except ValueError:
        return (1, 0.0, label)


@dataclass
class Dimension:
    """One stratum column: its shared levels and each side's per-row level index."""

    name: str
    levels: list[str]
    codes: list[np.ndarray]  # one per table, values in range(len(levels))


def encode_dimension(name: str, columns: list[pd.Series]) -> Dimension:
    local = [_local_codes(c) for c in columns]
    labels = set()
    for codes, lab in local:
        labels.update(lab)
        if (codes < 0).any():
            labels.add(MISSING)
    levels = sorted(labels, key=_sort_key)
    index = {lab: i for i, lab in enumerate(levels)}
    out = []
    for codes, lab in local:
        lookup = np.array([index[x] for x in lab] + [index.get(MISSING, -1)], dtype=np.int64)
        out.append(lookup[codes])  # code -1 picks the last entry: MISSING
    return Dimension(name, levels, out)


@dataclass
class JointCells:
    """Occupied joint strata across both tables and each table's weight (count) per cell."""

    cell_levels: list[np.ndarray]  # per dimension: the level index of each cell
    counts: list[np.ndarray]  # per table: count (or summed weight) per cell
    row_cells: list[np.ndarray]  # per table: the cell index of each row


def joint_cells(dims: list[Dimension], weights: list[np.ndarray | None]) -> JointCells:
    """Combine per-dimension codes into joint cells (mixed radix, then made dense)."""
    sizes = [len(d.levels) for d in dims]
    if float(np.prod([float(s) for s in sizes])) > 2**62:
        raise EvalGuardInputError(f"too many joint strata: {dict(zip([d.name for d in dims], sizes, strict=True))}")
    n_tables = len(weights)
    keys = []
    for t in range(n_tables):
        key = np.zeros(len(dims[0].codes[t]), dtype=np.int64)
        for d, size in zip(dims, sizes, strict=True):
            key = key * size + d.codes[t]
        keys.append(key)
    total_cells = int(np.prod(sizes))
    if total_cells <= 4_000_000:
        # Few possible cells: count straight into a dense array (fast for tens of millions of rows).
        dense = [np.bincount(k, weights=w, minlength=total_cells) for k, w in zip(keys, weights, strict=True)]
        occupied = np.zeros(total_cells, dtype=bool)
        for cell_counts in dense:
            occupied |= cell_counts > 0
        uniques = np.flatnonzero(occupied)
        remap = np.full(total_cells, -1, dtype=np.int64)
        remap[uniques] = np.arange(len(uniques))
        row_cells = [remap[k] for k in keys]
        counts = [cell_counts[uniques].astype(float) for cell_counts in dense]
    else:
        cell_of_row, uniques = pd.factorize(np.concatenate(keys), sort=True)
        row_cells, counts, start = [], [], 0
        for t in range(n_tables):
            rc = cell_of_row[start : start + len(keys[t])]
            start += len(keys[t])
            row_cells.append(rc)
            counts.append(np.bincount(rc, weights=weights[t], minlength=len(uniques)).astype(float))
    cell_levels = []
    rest = np.asarray(uniques, dtype=np.int64)
    for size in reversed(sizes):
        cell_levels.append(rest % size)
        rest = rest // size
    cell_levels.reverse()
    return JointCells(cell_levels=cell_levels, counts=counts, row_cells=row_cells)


def differs(a: pd.Series, b: pd.Series) -> np.ndarray:
    """Row-wise a != b by their string labels, via integer codes on shared levels (fast on a
    million rows, and tolerant of categoricals with different categories; missing == missing)."""
    dim = encode_dimension("compare", [a, b])
    return dim.codes[0] != dim.codes[1]
