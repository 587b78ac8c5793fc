"""embedding_drift.neighbours against brute force: full cosine matrices, sorted by hand, sets
compared with Python sets; the interval against scipy.stats.t.interval."""

import numpy as np
import pytest
from scipy import stats

from airflow_evalguard.checks.embedding_drift import neighbours
from airflow_evalguard.checks.embedding_drift.read import Probe
from airflow_evalguard.core.compose import compose
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.verdicts import Verdict

PARAMS = {"min_overlap_warn": 0.8, "min_overlap_fail": 0.6, "alpha": 0.05, "seed": 0}


def _probe(old, new, corpus_old=None, corpus_new=None):
    return Probe(
        np.arange(len(old)),
        old.astype(np.float32),
        new.astype(np.float32),
        None if corpus_old is None else corpus_old.astype(np.float32),
        None if corpus_new is None else corpus_new.astype(np.float32),
    )


def _brute_top_k(queries, database, k, exclude_self):
    unit_q = queries / np.linalg.norm(queries, axis=1, keepdims=True)
    unit_d = database / np.linalg.norm(database, axis=1, keepdims=True)
    out = []
    for row, sims in enumerate(unit_q @ unit_d.T):
        order = [j for j in np.argsort(-sims, kind="stable") if not (exclude_self and j == row)]
        out.append(set(order[:k]))
    return out


def _brute_overlap(old, new, k, corpus_old=None, corpus_new=None):
    self_search = corpus_old is None
    before = _brute_top_k(old, old if self_search else corpus_old, k, self_search)
    after = _brute_top_k(new, new if self_search else corpus_new, k, self_search)
    return np.array([len(b & a) / len(b | a) for b, a in zip(before, after, strict=True)])


def test_overlap_and_interval_match_brute_force_and_scipy():
    rng = np.random.default_rng(1)
    old = rng.standard_normal((60, 8))
    new = old + rng.standard_normal((60, 8)) * 0.5
    measured = neighbours.measure(_probe(old, new), k=5, alpha=0.05, seed=0)
    expected = _brute_overlap(old, new, 5)
    np.testing.assert_allclose(measured.overlap, expected)
    low, high = stats.t.interval(0.95, len(expected) - 1, loc=expected.mean(), scale=stats.sem(expected))
    assert measured.mean == pytest.approx(expected.mean())
    assert measured.ci_low == pytest.approx(max(low, 0)) and measured.ci_high == pytest.approx(min(high, 1))


def test_a_corpus_is_searched_instead_of_the_probe_set():
    rng = np.random.default_rng(2)
    old, corpus = rng.standard_normal((20, 6)), rng.standard_normal((50, 6))
    new, corpus_new = old + rng.standard_normal((20, 6)) * 0.3, corpus + rng.standard_normal((50, 6)) * 0.3
    measured = neighbours.measure(_probe(old, new, corpus, corpus_new), k=4, alpha=0.05, seed=0)
    np.testing.assert_allclose(measured.overlap, _brute_overlap(old, new, 4, corpus, corpus_new))


def test_a_rescaled_embedding_keeps_neighbours_and_similarity_ranks():
    rng = np.random.default_rng(3)
    old = rng.standard_normal((30, 5))
    measured = neighbours.measure(_probe(old, old * 3), k=3, alpha=0.05, seed=0)
    assert measured.mean == 1 and measured.rho == pytest.approx(1.0)


def test_too_few_items_for_k():
    old = np.eye(4)
    with pytest.raises(EvalGuardInputError, match="need more than k=4"):
        neighbours.measure(_probe(old, old), k=4, alpha=0.05, seed=0)


@pytest.mark.parametrize("noise,verdict", [(0.0, Verdict.PASS), (2.0, Verdict.FAIL)])
def test_the_loss_of_overlap_is_gated_against_one_minus_min_overlap(noise, verdict):
    rng = np.random.default_rng(4)
    old = rng.standard_normal((200, 8))
    probe = _probe(old, old + rng.standard_normal((200, 8)) * noise)
    measured = neighbours.measure(probe, k=5, alpha=0.05, seed=0)
    part = neighbours.part(measured, probe, PARAMS)
    (loss,) = part.gated
    assert loss.value == pytest.approx(1 - measured.mean) and loss.p_value is None
    assert (loss.warn_at, loss.fail_at) == pytest.approx((0.2, 0.4))
    assert compose([part], alpha=0.05).verdict is verdict
    assert part.metrics["neighbor_overlap@5"].value == measured.mean
