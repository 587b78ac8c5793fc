"""Requests (rows) -> one sample per endpoint x class group, cold starts, training pairs, evidence.

The requests are reordered once so each group is one contiguous block (a stable radix sort on a
small integer key keeps time order inside each block): per-group work is then a slice, never a
gather, which matters at tens of millions of rows.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from airflow_evalguard.checks.latency_tail import training_windows
from airflow_evalguard.checks.latency_tail.cold_starts import idle_gap_cold
from airflow_evalguard.checks.latency_tail.families import check_params
from airflow_evalguard.checks.latency_tail.read_rows import Requests, read_requests
from airflow_evalguard.checks.latency_tail.tails import ColdSplit, Estimator, Group, GroupSample, Sampled, TrainingPair
from airflow_evalguard.io import TableInput
from airflow_evalguard.result import Finding, Metric
from airflow_evalguard.stats.order_stat import QuantileEstimate, quantiles
from airflow_evalguard.timewindows import DailyWindow, parse_windows

EVIDENCE_PER_SLICE = 50
Block = tuple[Group, int, int]  # a group and its requests [start, end) in group order


def sample_rows(tables: dict[str, TableInput], params: dict[str, Any]) -> Sampled:
    req = read_requests(tables["requests"], params)
    check_params(params, req.classes, req.endpoints, "requests")
    protected = parse_windows(params["protected_windows"])
    cold, cold_method = _cold(req, params)
    windows, training = _training(tables, req)
    minutes = _local_minutes(req.ts, params["timezone"]) if training is not None and training.any() else None
    order = GroupOrder(req, cold, training, minutes, _eligible(minutes, protected, len(req)))
    totals = {"requests": Metric(len(req)), "endpoints": Metric(len(req.endpoints))}
    if cold is not None:
        totals["cold_start_rate"] = Metric(float(cold.mean()), n=len(req))
    notes = []
    if req.dropped_invalid:
        notes.append(Finding("info", "INVALID_LATENCY_DROPPED",
                             f"{req.dropped_invalid} request(s) with a missing, negative or infinite latency were "
                             "dropped (drop_invalid=true)"))  # fmt: skip
        totals["dropped_invalid"] = Metric(req.dropped_invalid)
    if req.was_unsorted:
        notes.append(Finding("info", "TIMESTAMPS_SORTED", "requests were not in time order; sorted by ts"))
    method = {
        "quantile_method": "linear (numpy default)",
        "ci_method": "order-statistic binomial interval, two-sided (scipy.stats.quantile_test)",
        "cold_start_method": cold_method,
        "training_windows": [w.describe() for w in windows[:20]],
    }
    return Sampled(
        [order.sample(block) for block in order.blocks],
        totals,
        _evidence(req, order),
        method,
        tuple(notes),
        order.training_pairs(),
        windows,
    )


def _cold(req: Requests, params: dict[str, Any]) -> tuple[np.ndarray | None, str | None]:
    """Which requests are cold starts: the is_cold column, else idle gaps when idle_timeout_s is set."""
    if req.is_cold is not None:
        return req.is_cold, "is_cold column"
    if params["idle_timeout_s"] is None:
        return None, None
    key = req.replica if req.replica is not None else req.endpoint
    on = "replica" if req.replica is not None else "endpoint"
    return idle_gap_cold(req.ts, key, params["idle_timeout_s"]), f"idle gap >= {params['idle_timeout_s']} s on the {on}"


def _training(tables: dict[str, TableInput], req: Requests) -> tuple[list[training_windows.Window], np.ndarray | None]:
    """(the training windows, which requests ran during training) from the table or the column."""
    training = req.training
    if "training_windows" in tables:
        windows = training_windows.read_windows(tables["training_windows"])
        if training is None:
            training = training_windows.mask_from_windows(req.ts, req.pool, req.pools, windows)
        return windows, training
    if training is not None:
        return training_windows.windows_from_mask(req.ts, training), training
    return [], None


def _local_minutes(ts: np.ndarray, timezone: str) -> np.ndarray:
    if timezone in ("UTC", "Etc/UTC"):
        return ((ts // 60_000_000_000) % 1440).astype(np.int32)
    local = pd.DatetimeIndex(ts.view("datetime64[ns]"), tz="UTC").tz_convert(timezone)
    return np.asarray((local.hour * 60 + local.minute).to_numpy(dtype=np.int32))


def _eligible(minutes: np.ndarray | None, protected: list[DailyWindow], n: int) -> np.ndarray | None:
    """Requests inside the protected daily windows (None: every request is eligible)."""
    if minutes is None or not protected:
        return None
    eligible = np.zeros(n, dtype=bool)
    for w in protected:
        if w.start_min < w.end_min:
            eligible |= (minutes >= w.start_min) & (minutes < w.end_min)
        else:  # a window across midnight
            eligible |= (minutes >= w.start_min) | (minutes < w.end_min)
    return eligible


def _estimator(x: np.ndarray) -> Estimator:
    def estimate(specs: list[tuple[float, float]]) -> list[QuantileEstimate]:
        return quantiles(x, specs)

    return estimate


class GroupOrder:
    """The requests in group order: each endpoint x class group one contiguous block."""

    def __init__(
        self,
        req: Requests,
        cold: np.ndarray | None,
        training: np.ndarray | None,
        minutes: np.ndarray | None,
        eligible: np.ndarray | None,
    ) -> None:
        n_keys = len(req.endpoints) * len(req.classes)
        key = req.endpoint.astype(np.int64) * len(req.classes) + req.klass
        small = key.astype(np.int16 if n_keys < 2**15 else np.int32)  # numpy radix-sorts <= 16-bit keys
        self.order = np.argsort(small, kind="stable")
        counts = np.bincount(small, minlength=n_keys)
        del key, small
        edges = np.concatenate([[0], np.cumsum(counts)])
        n_classes = len(req.classes)
        self.blocks: list[Block] = [
            (Group(req.endpoints[g // n_classes], req.classes[g % n_classes], int(counts[g])), int(edges[g]),
             int(edges[g + 1]))
            for g in np.flatnonzero(counts)
        ]  # fmt: skip
        self.x = req.latency[self.order]
        # Times in group order are only needed to name training windows; the evidence maps back.
        self.ts = req.ts[self.order] if training is not None else None
        self.cold = None if cold is None else cold[self.order]
        self.training = None if training is None else training[self.order]
        self.minutes = None if minutes is None else minutes[self.order]
        self.eligible = None if eligible is None else eligible[self.order]

    def sample(self, block: Block) -> GroupSample:
        group, start, end = block
        x = self.x[start:end]
        if self.cold is None:
            return GroupSample(group, _estimator(x))
        cold = self.cold[start:end]

        def tail_share(p99: float) -> tuple[float, int]:
            above = x > p99
            return (float(cold[above].mean()) if above.any() else 0.0), int(above.sum())

        warm = _estimator(x[~cold]) if cold.any() and not cold.all() else None
        return GroupSample(group, _estimator(x), ColdSplit(float(cold.mean()), warm, tail_share))

    def training_pairs(self) -> list[TrainingPair]:
        """Per group: requests while training ran (in the protected windows) and those in the same
        hours of day without training."""
        if self.training is None or self.minutes is None or self.ts is None:
            return []
        pairs = []
        for group, start, end in self.blocks:
            training, minutes = self.training[start:end], self.minutes[start:end]
            ok = np.ones(group.n, dtype=bool) if self.eligible is None else self.eligible[start:end]
            busy = training & ok
            if busy.any():
                quiet = ~training & ok & np.isin(minutes // 60, np.unique(minutes[busy] // 60))
                if quiet.any():
                    x = self.x[start:end]
                    pairs.append(
                        TrainingPair(group, _estimator(x[busy]), _estimator(x[quiet]), self.ts[start:end][busy])
                    )
        return pairs


def _evidence(req: Requests, order: GroupOrder) -> pd.DataFrame:
    """The slowest requests of each group (up to 1% of it, at most 50): what the tail is made of."""
    picks = []
    for group, start, end in order.blocks:
        x = order.x[start:end]
        k = min(EVIDENCE_PER_SLICE, max(1, group.n // 100))
        local = np.argpartition(x, group.n - k)[group.n - k :] if group.n > k else np.arange(group.n)
        picks.append(start + local)
    idx = np.concatenate(picks) if picks else np.array([], dtype=np.int64)
    rows = order.order[idx]
    frame = pd.DataFrame(
        {
            "ts": pd.to_datetime(req.ts[rows], utc=True),
            "endpoint": np.array(req.endpoints, dtype=object)[req.endpoint[rows]],
            "latency_class": np.array(req.classes, dtype=object)[req.klass[rows]],
            "latency_ms": order.x[idx],
        }
    )
    if order.cold is not None:
        frame["is_cold"] = order.cold[idx]
    if order.training is not None:
        frame["training_active"] = order.training[idx]
    return frame.sort_values("latency_ms", ascending=False, ignore_index=True)
