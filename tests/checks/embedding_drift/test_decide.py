import numpy as np
import pandas as pd
import pytest

from airflow_evalguard.demo.experiments import retrieval_experiment
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.run import run_check
from tests.schema import assert_valid_result


def run(inputs, **params):
    r = run_check("embedding_drift", inputs, params)
    assert_valid_result(r)
    return r


def test_healthy_events_and_probe_pass():
    events, probe = retrieval_experiment(None)
    r = run({"events": events, "probe": probe})
    assert r.verdict.value == "PASS"
    assert r.metrics["version_mismatch"].value == 0
    assert r.metrics["neighbor_overlap@10"].value > 0.9
    assert r.metrics["similarity_rank_corr"].value > 0.99


def test_upgrade_mid_test_fails_and_names_arm_and_time():
    events, probe = retrieval_experiment("embedding_upgrade_mid_test")
    r = run({"events": events.sample(frac=1, random_state=0), "probe": probe})  # order does not matter
    assert r.verdict.value == "FAIL"
    codes = [f.code for f in r.findings]
    assert "EMBEDDING_VERSION_MISMATCH" in codes and "NEIGHBORHOOD_SHIFT" in codes
    mid = [f for f in r.findings if f.code == "EMBEDDING_CHANGED_MID_EXPERIMENT"]
    assert {f.slice for f in mid} == {"arm=A", "arm=B"}
    assert all("2026-11-04T00:" in f.message for f in mid)
    assert r.metrics["version_mismatch"].value == pytest.approx(96 * 2 / 336)


def test_npy_probe_and_corpus(tmp_path):
    rng = np.random.default_rng(0)
    c_old = rng.standard_normal((3000, 24)).astype(np.float32)
    p_old = rng.standard_normal((200, 24)).astype(np.float32)
    for name, arr in (("c_old", c_old), ("c_new", c_old * 2), ("p_old", p_old), ("p_new", p_old * 3)):
        np.save(tmp_path / f"{name}.npy", arr)
    r = run(
        {
            "probe_old": str(tmp_path / "p_old.npy"),
            "probe_new": str(tmp_path / "p_new.npy"),
            "corpus_old": str(tmp_path / "c_old.npy"),
            "corpus_new": str(tmp_path / "c_new.npy"),
        },
        k=5,
    )
    # a scaled embedding has the same cosine neighbours
    assert r.metrics["neighbor_overlap@5"].value == pytest.approx(1.0)
    assert r.verdict.value == "PASS"


def _relevance(drop: float, n_q=400, seed=0):
    """Each query has 4 relevant docs among 40; the new embedding finds each with less probability."""
    rng = np.random.default_rng(seed)
    rows = []
    for q in range(n_q):
        relevant = set(rng.choice(40, 4, replace=False))
        for version, p_find in (("old", 0.8), ("new", 0.8 - drop)):
            found = [d for d in relevant if rng.random() < p_find]
            others = [d for d in rng.permutation(40) if d not in found]
            ranking = (found + others)[:10]
            rows += [(q, d, r, int(d in relevant), version) for r, d in enumerate(ranking, 1)]
    return pd.DataFrame(rows, columns=["query_id", "doc_id", "rank", "relevant", "version"])


def test_retrieval_metrics_match_a_direct_computation():
    rel = _relevance(0.0, n_q=50)
    r = run({"relevance": rel})
    recalls, ndcgs = [], []
    for q, g in rel[rel["version"] == "old"].groupby("query_id"):
        n_rel = rel[(rel["query_id"] == q) & (rel["relevant"] == 1)]["doc_id"].nunique()
        hits = g[(g["rank"] <= 10) & (g["relevant"] == 1)]
        recalls.append(len(hits) / n_rel)
        dcg = sum(1 / np.log2(rank + 1) for rank in hits["rank"])
        ideal = sum(1 / np.log2(i + 2) for i in range(min(n_rel, 10)))
        ndcgs.append(dcg / ideal)
    assert r.metrics["recall@10.old"].value == pytest.approx(np.mean(recalls))
    assert r.metrics["ndcg@10.old"].value == pytest.approx(np.mean(ndcgs))


def test_retrieval_regression_fails_and_no_change_passes():
    assert run({"relevance": _relevance(0.0, seed=1)}).verdict.value == "PASS"
    r = run({"relevance": _relevance(0.3, seed=2)})
    assert r.verdict.value == "FAIL" and any(f.code == "RETRIEVAL_REGRESSION" for f in r.findings)
    assert r.metrics["recall@10.drop"].ci_low > 0.05


def test_bad_inputs():
    events, probe = retrieval_experiment(None, n_probe=50)
    with pytest.raises(EvalGuardInputError, match="at least one of the inputs"):
        run({})
    with pytest.raises(EvalGuardInputError, match="duplicate probe_id"):
        run({"probe": pd.concat([probe, probe.iloc[:1]])})
    nan = probe.copy()
    nan.at[3, "new"] = np.full(32, np.nan, dtype=np.float32)
    with pytest.raises(EvalGuardInputError, match=r"NaN or inf, rows \[3\]"):
        run({"probe": nan})
    zero = probe.copy()
    zero.at[2, "old"] = np.zeros(32, dtype=np.float32)
    with pytest.raises(EvalGuardInputError, match=r"zero-norm vector\(s\), rows \[2\]"):
        run({"probe": zero})
    ragged = probe.copy()
    ragged.at[1, "old"] = np.ones(8, dtype=np.float32)
    with pytest.raises(EvalGuardInputError, match="differ in length"):
        run({"probe": ragged})
    with pytest.raises(EvalGuardInputError, match="role' must be index or query"):
        run({"events": events.assign(role="search")})
    wide = probe.assign(new=[np.ones(64, dtype=np.float32)] * len(probe))
    with pytest.raises(EvalGuardInputError, match="old vectors have 32 dimensions, new ones 64"):
        run({"probe": wide})
    with pytest.raises(EvalGuardInputError, match="go together"):
        run({"probe_old": "x.npy"})


@pytest.mark.parametrize("column", ["arm", "embedding_model", "embedding_version"])
def test_events_with_a_missing_arm_or_version_are_refused_not_passed(column):
    # Found by the hostile suite: an all-missing arm dropped every event from the per-arm groups,
    # and the version checks passed vacuously.
    events, _ = retrieval_experiment(None, seed=0)
    events = events.assign(**{column: None})
    with pytest.raises(EvalGuardInputError, match=f"column '{column}'"):
        run_check("embedding_drift", {"events": events}, {})
