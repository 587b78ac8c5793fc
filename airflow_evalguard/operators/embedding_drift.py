"""EmbeddingDriftGateOperator: refuse to read a retrieval A/B test run across an embedding upgrade."""

from __future__ import annotations

from typing import Any

from airflow_evalguard.operators.evalguard import EvalGuardOperator

INPUTS = ("events", "probe", "probe_old", "probe_new", "corpus", "corpus_old", "corpus_new", "relevance")


class EmbeddingDriftGateOperator(EvalGuardOperator):
    """The `embedding_drift` check with typed arguments; each part runs when its input is given.

    Inputs (templated; paths, ``s3://`` URIs or DataFrames; ``*_old``/``*_new`` are .npy files):
    events, probe, probe_old, probe_new, corpus, corpus_old, corpus_new, relevance.
    Every other argument left as None takes the check's default (see ``evalguard list``):
    k 10, min_overlap_warn 0.8, min_overlap_fail 0.6, warn_at 0.02, fail_at 0.05,
    old_version "old", new_version "new", alpha 0.05, seed 0, n_boot 2000, id_column "probe_id",
    doc_column "doc_id", query_column "query_id".
    """

    def __init__(
        self,
        *,
        events: Any = None,
        probe: Any = None,
        probe_old: Any = None,
        probe_new: Any = None,
        corpus: Any = None,
        corpus_old: Any = None,
        corpus_new: Any = None,
        relevance: Any = None,
        k: int | None = None,
        min_overlap_warn: float | None = None,
        min_overlap_fail: float | None = None,
        warn_at: float | None = None,
        fail_at: float | None = None,
        old_version: str | None = None,
        new_version: str | None = None,
        alpha: float | None = None,
        seed: int | None = None,
        n_boot: int | None = None,
        id_column: str | None = None,
        doc_column: str | None = None,
        query_column: str | None = None,
        **kwargs: Any,
    ) -> None:
        given_inputs = {
            "events": events,
            "probe": probe,
            "probe_old": probe_old,
            "probe_new": probe_new,
            "corpus": corpus,
            "corpus_old": corpus_old,
            "corpus_new": corpus_new,
            "relevance": relevance,
        }
        given = {
            "id_column": id_column,
            "doc_column": doc_column,
            "query_column": query_column,
            "k": k,
            "min_overlap_warn": min_overlap_warn,
            "min_overlap_fail": min_overlap_fail,
            "warn_at": warn_at,
            "fail_at": fail_at,
            "old_version": old_version,
            "new_version": new_version,
            "alpha": alpha,
            "seed": seed,
            "n_boot": n_boot,
        }
        super().__init__(
            check="embedding_drift",
            inputs={k_: v for k_, v in given_inputs.items() if v is not None},
            check_params={k_: v for k_, v in given.items() if v is not None},
            **kwargs,
        )
