import numpy as np

from airflow_evalguard.stats.neighbors import jaccard_rows, top_k


def brute_force(q, d, k, exclude_self):
    qn = q / np.linalg.norm(q, axis=1, keepdims=True)
    dn = d / np.linalg.norm(d, axis=1, keepdims=True)
    sims = qn @ dn.T
    if exclude_self:
        np.fill_diagonal(sims, -np.inf)
    return np.argsort(-sims, axis=1, kind="stable")[:, :k]


def test_top_k_is_exact():
    rng = np.random.default_rng(0)
    d = rng.standard_normal((500, 16)).astype(np.float32)
    q = rng.standard_normal((50, 16)).astype(np.float32)
    got = top_k(q, d, 10, exclude_self=False)
    want = brute_force(q, d, 10, False)
    assert all(set(a) == set(b) for a, b in zip(got, want, strict=True))
    self_got = top_k(d, d, 5, exclude_self=True)
    self_want = brute_force(d, d, 5, True)
    assert all(set(a) == set(b) for a, b in zip(self_got, self_want, strict=True))
    assert not np.any(self_got == np.arange(500)[:, None])


def test_jaccard_rows_matches_sets():
    rng = np.random.default_rng(1)
    a = np.array([rng.choice(100, 10, replace=False) for _ in range(200)])
    b = np.array([rng.choice(100, 10, replace=False) for _ in range(200)])
    expected = [len(set(x) & set(y)) / len(set(x) | set(y)) for x, y in zip(a, b, strict=True)]
    assert np.allclose(jaccard_rows(a, b), expected)
    assert np.allclose(jaccard_rows(a, a), 1.0)
