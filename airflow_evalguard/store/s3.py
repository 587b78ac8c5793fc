"""Artifacts on S3 (or any S3-compatible server) through the amazon provider's S3Hook."""

from __future__ import annotations

from airflow_evalguard.store.base import ArtifactStore
from airflow_evalguard.store.s3_client import s3_hook
from airflow_evalguard.uri import split_s3


class S3Store(ArtifactStore):
    """`s3://bucket/prefix` with an Airflow connection. A PUT is atomic: readers see whole objects."""

    def __init__(self, root: str, aws_conn_id: str | None = "aws_default"):
        self.root = root.rstrip("/")
        self.bucket, prefix = split_s3(self.root)
        self.prefix = prefix.strip("/")
        self.aws_conn_id = aws_conn_id
        self._hook = None

    @property
    def hook(self):
        if self._hook is None:
            self._hook = s3_hook(self.aws_conn_id)
        return self._hook

    def _key(self, key: str) -> str:
        key = key.lstrip("/")
        if ".." in key.split("/"):
            raise ValueError(f"key {key!r} points outside the store root {self.root}")
        return f"{self.prefix}/{key}" if self.prefix else key

    def write_bytes(self, key: str, data: bytes) -> str:
        self.hook.load_bytes(data, key=self._key(key), bucket_name=self.bucket, replace=True)
        return self.uri(key)

    def read_bytes(self, key: str) -> bytes:
        return self.hook.get_key(self._key(key), bucket_name=self.bucket).get()["Body"].read()

    def exists(self, key: str) -> bool:
        return self.hook.check_for_key(self._key(key), bucket_name=self.bucket)

    def list_keys(self, prefix: str = "") -> list[str]:
        full = self._key(prefix) if prefix else (f"{self.prefix}/" if self.prefix else "")
        keys = self.hook.list_keys(bucket_name=self.bucket, prefix=full) or []
        strip = len(self.prefix) + 1 if self.prefix else 0
        return sorted(k[strip:] for k in keys)

    def uri(self, key: str) -> str:
        return f"s3://{self.bucket}/{self._key(key)}"
