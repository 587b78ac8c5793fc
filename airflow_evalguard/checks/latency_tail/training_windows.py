"""When training ran: from a `training_active` column or a table of training windows."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from airflow_evalguard.columns.timestamps import to_datetime
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.io import TableInput

RUN_GAP_NS = 30 * 60 * 10**9  # training-active requests further apart than this start a new window


@dataclass(frozen=True)
class Window:
    start: int  # ns UTC
    end: int
    pool: str | None = None

    def describe(self) -> str:
        start = pd.Timestamp(self.start, tz="UTC").strftime("%Y-%m-%d %H:%M")
        end = pd.Timestamp(self.end, tz="UTC").strftime(
            "%H:%M" if self.end - self.start < 86400e9 else "%Y-%m-%d %H:%M"
        )
        return f"{start}-{end} UTC" + (f" (pool {self.pool})" if self.pool else "")


def read_windows(table: TableInput) -> list[Window]:
    available = set(table.columns())
    frame = table.read(["start", "end", *(["pool"] if "pool" in available else [])])
    parsed = {}
    for col in ("start", "end"):
        values = to_datetime(frame[col], input_name=table.name, column=col)
        if not isinstance(values.dtype, pd.DatetimeTZDtype):
            raise EvalGuardInputError(
                f"input '{table.name}': column '{col}' is timezone-naive (e.g. {frame[col].iloc[0]!r}); a training "
                "window must say which time zone it is in: give an offset or Z",
                input_name=table.name,
                column=col,
            )
        parsed[col] = values.dt.tz_convert("UTC").to_numpy(dtype="datetime64[ns]").view(np.int64)
    backwards = np.flatnonzero(parsed["end"] <= parsed["start"])
    if len(backwards):
        raise EvalGuardInputError(
            f"input '{table.name}': {len(backwards)} window(s) end at or before they start (rows "
            f"{backwards[:5].tolist()})",
            input_name=table.name,
            column="end",
        )
    pools = frame["pool"].astype("string").tolist() if "pool" in frame else [None] * len(frame)
    return [
        Window(int(s), int(e), None if p is None or p is pd.NA else str(p))
        for s, e, p in zip(parsed["start"], parsed["end"], pools, strict=True)
    ]


def mask_from_windows(
    ts: np.ndarray, pool: np.ndarray | None, pools: list[str] | None, windows: list[Window]
) -> np.ndarray:
    """Requests (ts ascending) inside any window; a window with a pool covers only that pool's
    requests when the requests name their pool (`pool` codes into `pools`)."""
    mask = np.zeros(len(ts), dtype=bool)
    for w in windows:
        lo, hi = np.searchsorted(ts, [w.start, w.end], side="left")
        if w.pool is not None and pool is not None:
            if pools is not None and w.pool in pools:
                mask[lo:hi] |= pool[lo:hi] == pools.index(w.pool)
        else:
            mask[lo:hi] = True
    return mask


def windows_from_mask(ts: np.ndarray, mask: np.ndarray) -> list[Window]:
    """Contiguous runs of training-active requests, split at gaps of more than 30 minutes."""
    active = ts[mask]
    if len(active) == 0:
        return []
    breaks = np.flatnonzero(np.diff(active) > RUN_GAP_NS)
    starts = np.concatenate([[0], breaks + 1])
    ends = np.concatenate([breaks, [len(active) - 1]])
    return [Window(int(active[s]), int(active[e])) for s, e in zip(starts, ends, strict=True)]


def overlapping(windows: list[Window], ts: np.ndarray) -> list[Window]:
    """Windows during which at least one of the (ascending) request times `ts` falls."""
    out = []
    for w in windows:
        lo, hi = np.searchsorted(ts, [w.start, w.end], side="left")
        if hi > lo or (len(ts) and w.start == w.end and lo < len(ts) and ts[lo] == w.start):
            out.append(w)
    return out
