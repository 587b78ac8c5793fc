"""Artifacts on S3 (or any S3-compatible server) through the amazon provider's S3Hook."""

from __future__ import annotations

from airflow_evalguard.store.base import ArtifactStore, folder_prefix
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
        if {".", ".."} & set(key.split("/")):
            raise ValueError(f"key {key!r} points outside the store root {self.root}")
        return f"{self.prefix}/{key}" if self.prefix else key

    def write_bytes(self, key: str, data: bytes) -> str:
        self.hook.load_bytes(data, key=self._key(key), bucket_name=self.bucket, replace=True)
        return self.uri(key)

    def read_bytes(self, key: str) -> bytes:
        return self.hook.get_key(self._key(key), bucket_name=self.bucket).get()["Body"].read()

    def exists(self, key: str) -> bool:
        return self.hook.check_for_key(self._key(key), bucket_name=self.bucket)

    def delete(self, key: str) -> None:
        self.hook.delete_objects(bucket=self.bucket, keys=[self._key(key)])

    def list_keys(self, prefix: str = "") -> list[str]:
        # Always a folder: `dag/nightly-1/`, so a listing never picks up `dag/nightly-10/...`.
        folder = folder_prefix(prefix)
        full = folder_prefix(self._key(folder)) if folder else folder_prefix(self.prefix)
        keys = self.hook.list_keys(bucket_name=self.bucket, prefix=full) or []
        strip = len(folder_prefix(self.prefix))
        return sorted(k[strip:] for k in keys if k.startswith(full))

    def uri(self, key: str) -> str:
        return f"s3://{self.bucket}/{self._key(key)}"
