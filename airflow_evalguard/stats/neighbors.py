"""Exact nearest neighbours by cosine similarity, and how much two embeddings' neighbourhoods agree.

faiss' exact flat inner-product index (no approximation) does the blocked matrix product and the
top-k selection in one pass, so memory stays bounded by the index and one block of scores; the
top-k costs less than the product itself (see benchmarks/embedding_overlap_scale.py).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray


def normalise(vectors: ArrayLike) -> NDArray[np.float32]:
    v = np.ascontiguousarray(vectors, dtype=np.float32)
    unit: NDArray[np.float32] = v / np.linalg.norm(v, axis=1, keepdims=True)
    return unit


def top_k(queries: ArrayLike, database: ArrayLike, k: int, *, exclude_self: bool) -> NDArray[np.int64]:
    """Indices of the k most similar database rows for each query (cosine; exact search).

    With `exclude_self` the queries are the database itself and each row's own index is dropped.
    """
    import faiss

    q, d = normalise(queries), normalise(database)
    index = faiss.IndexFlatIP(d.shape[1])
    index.add(d)
    extra = 1 if exclude_self else 0
    _, ids = index.search(q, min(k + extra, d.shape[0]))
    if not exclude_self:
        nearest: NDArray[np.int64] = ids[:, :k]  # faiss is untyped: its labels are int64
        return nearest
    own = np.arange(len(q))[:, None]
    keep = ids != own
    # drop the query itself wherever it appears (ties may move it off position 0)
    out = np.empty((len(q), min(k, d.shape[0] - 1)), dtype=ids.dtype)
    for i in range(len(q)):
        out[i] = ids[i][keep[i]][: out.shape[1]]
    return out


def jaccard_rows(a: np.ndarray, b: np.ndarray) -> NDArray[np.float64]:
    """Jaccard overlap of the id sets in each row of a and b (equal shapes)."""
    k = a.shape[1]
    both = np.sort(np.concatenate([a, b], axis=1), axis=1)
    shared = np.sum(both[:, 1:] == both[:, :-1], axis=1)
    overlap: NDArray[np.float64] = shared / (2 * k - shared)
    return overlap
