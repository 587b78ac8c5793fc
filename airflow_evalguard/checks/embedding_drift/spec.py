"""embedding_drift's inputs and parameters (light: no pandas, read when a DAG file is parsed)."""

from __future__ import annotations

from airflow_evalguard.core import params
from airflow_evalguard.core.param_limits import MAX_NEIGHBOURS
from airflow_evalguard.core.spec import CheckSpec, InputSpec, ParamSpec

SPEC = CheckSpec(
    name="embedding_drift",
    summary="Did an embedding model/version change under a retrieval experiment?",
    inputs={
        "events": InputSpec("index/query events: ts, arm, embedding_model, embedding_version, role", required=False),
        "probe": InputSpec("probe_id, old and new vectors (list columns)", required=False),
        "probe_old": InputSpec("probe vectors under the old model (.npy), with probe_new", required=False),
        "probe_new": InputSpec("probe vectors under the new model (.npy), with probe_old", required=False),
        "corpus": InputSpec("doc_id, old and new vectors to search (default: the probe set itself)", required=False),
        "corpus_old": InputSpec("corpus vectors under the old model (.npy)", required=False),
        "corpus_new": InputSpec("corpus vectors under the new model (.npy)", required=False),
        "relevance": InputSpec("query_id, doc_id, rank, relevant, version (old/new)", required=False),
    },
    params={
        "k": ParamSpec(10, int, "neighbours and retrieval cut-off", minimum=1, maximum=MAX_NEIGHBOURS),
        "min_overlap_warn": ParamSpec(0.8, float, "mean top-k overlap below this warns", minimum=0, maximum=1),
        "min_overlap_fail": ParamSpec(0.6, float, "mean top-k overlap below this fails", minimum=0, maximum=1),
        **params.rate_bands(0.02, 0.05, "recall@k / nDCG@k drop"),
        "id_column": params.id_column("probe_id", "a probe row (input 'probe')"),
        "doc_column": params.id_column("doc_id", "a document (inputs 'corpus' and 'relevance')"),
        "query_column": params.id_column("query_id", "a query (input 'relevance')"),
        "old_version": ParamSpec("old", str, "value of relevance.version for the old embedding"),
        "new_version": ParamSpec("new", str, "value of relevance.version for the new embedding"),
        "alpha": params.alpha(),
        "seed": params.seed("seed for bootstrap and pair sampling"),
        # percentile intervals of the drops covered 0.930-0.932 at 200 resamples, 0.940-0.956 from 500
        # (docs/decisions/resample-floors.md)
        "n_boot": params.n_boot(minimum=500),
    },
    decide="airflow_evalguard.checks.embedding_drift.decide:decide",
    # Metric names carry k; these are the default k=10's.
    headline=("version_mismatch", "neighbor_overlap@10", "recall@10.drop"),
    plots=None,
)
