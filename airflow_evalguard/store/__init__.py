"""Artifact stores: they move bytes (result.json, evidence.parquet and friends) and nothing else.

`get_store(root)` picks LocalStore for a directory and S3Store for `s3://bucket/prefix`. Where
each file goes inside a store is store/layout.py's `RunLayout` alone; what is written (rendering
a report, committing a result) is the publish layer's (airflow_evalguard.publish).
"""

from __future__ import annotations

from airflow_evalguard.store.base import ArtifactStore
from airflow_evalguard.store.layout import GateKey, RunLayout, decode_id, encode_id
from airflow_evalguard.store.local import LocalStore
from airflow_evalguard.store.s3 import S3Store
from airflow_evalguard.uri import is_s3


def get_store(root: str, aws_conn_id: str | None = "aws_default") -> ArtifactStore:
    if is_s3(root):
        return S3Store(root, aws_conn_id=aws_conn_id)
    return LocalStore(root)


__all__ = [
    "ArtifactStore",
    "GateKey",
    "LocalStore",
    "RunLayout",
    "S3Store",
    "decode_id",
    "encode_id",
    "get_store",
]
