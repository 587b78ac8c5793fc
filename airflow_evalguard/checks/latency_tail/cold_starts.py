"""Cold starts from idle gaps: a request that arrives after at least `idle_timeout_s` of silence on
its replica (or endpoint) meets a replica that scaled to zero and has to load the model.

The first request of each replica in the data has no known gap before it; it is not counted as
cold (counting it would charge the trace's start to the model).
"""

from __future__ import annotations

import numpy as np


def idle_gap_cold(ts_ns: np.ndarray, key: np.ndarray, idle_timeout_s: float) -> np.ndarray:
    """`ts_ns` ascending; `key` the replica (or endpoint) code of each request."""
    n_keys = int(key.max()) + 1 if len(key) else 0
    small = key.astype(np.int16 if n_keys < 2**15 else np.int64)  # numpy radix-sorts <= 16-bit keys
    order = np.argsort(small, kind="stable")  # stable: time order kept within each key
    t = ts_ns[order]
    cold_sorted = np.zeros(len(t), dtype=bool)
    np.greater_equal(t[1:] - t[:-1], int(idle_timeout_s * 1e9), out=cold_sorted[1:])
    del t
    # The first request of each key has no gap before it; sorted by key, those are the block starts.
    starts = np.cumsum(np.bincount(small, minlength=n_keys))[:-1]
    cold_sorted[starts] = False
    cold = np.empty(len(cold_sorted), dtype=bool)
    cold[order] = cold_sorted
    return cold
