"""Cold starts from idle gaps: a request that arrives after at least `idle_timeout_s` of silence on
its replica (or endpoint) meets a replica that scaled to zero and has to load the model.

The first request of each replica in the data has no known gap before it; it is not counted as
cold (counting it would charge the trace's start to the model).
"""

from __future__ import annotations

import numpy as np


def idle_gap_cold(ts_ns: np.ndarray, key: np.ndarray, idle_timeout_s: float) -> np.ndarray:
    """`ts_ns` ascending; `key` the replica (or endpoint) code of each request."""
    order = np.argsort(key, kind="stable")  # stable: time order kept within each key
    k, t = key[order], ts_ns[order]
    gap = np.empty(len(t), dtype=np.int64)
    gap[0] = -1
    gap[1:] = t[1:] - t[:-1]
    first = np.ones(len(t), dtype=bool)
    first[1:] = k[1:] != k[:-1]
    cold_sorted = ~first & (gap >= int(idle_timeout_s * 1e9))
    cold = np.empty(len(t), dtype=bool)
    cold[order] = cold_sorted
    return cold
