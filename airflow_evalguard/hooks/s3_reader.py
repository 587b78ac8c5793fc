"""An InputReader backed by an Airflow AWS connection: what a worker (and the CLI) hands `run_check`.

The connection's credentials, region and endpoint_url reach both reads: whole objects through
the S3Hook, and record-batch streams through a pyarrow S3FileSystem built from the same
connection (no full download). Local paths are read as LocalReader reads them.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from airflow_evalguard.sources.local_reader import LocalReader, NoSuchInput
from airflow_evalguard.store.s3_client import s3_hook
from airflow_evalguard.uri import is_s3, split_s3


class S3HookReader(LocalReader):
    """Reads s3:// through the S3Hook of `aws_conn_id`, built on first S3 use (the amazon provider
    costs ~1.7 s to import: never paid by a run that reads only local files)."""

    def __init__(self, aws_conn_id: str | None = "aws_default") -> None:
        self.aws_conn_id = aws_conn_id
        self._hook: Any = None

    @property
    def hook(self) -> Any:
        if self._hook is None:
            self._hook = s3_hook(self.aws_conn_id)  # imports the provider: only when S3 is actually read
        return self._hook

    def read_bytes(self, uri: str, *, input_name: str) -> bytes:
        if not is_s3(uri):
            return super().read_bytes(uri, input_name=input_name)
        bucket, key = split_s3(uri)
        # check_for_key answers False on 404 and raises on anything else (server down,
        # credentials): a missing key is bad input, the rest must stay retryable.
        if not self.hook.check_for_key(key, bucket_name=bucket):
            raise NoSuchInput(f"input '{input_name}': no such S3 object: {uri}", input_name=input_name)
        body: bytes = self.hook.get_key(key, bucket_name=bucket).get()["Body"].read()
        return body

    def arrow_filesystem(self, uri: str) -> tuple[Any, str]:
        if not is_s3(uri):
            return super().arrow_filesystem(uri)
        import pyarrow.fs as pafs  # only a streamed S3 read needs it

        bucket, key = split_s3(uri)
        creds = self.hook.get_credentials()
        kwargs = {
            "access_key": creds.access_key,
            "secret_key": creds.secret_key,
            "session_token": creds.token,
            "region": self.hook.conn_region_name or "us-east-1",
        }
        endpoint = self.hook.conn_config.endpoint_url if self.hook.conn_config else None
        if endpoint:
            parts = urlsplit(endpoint if "://" in endpoint else f"https://{endpoint}")
            kwargs.update(endpoint_override=parts.netloc, scheme=parts.scheme)
        return pafs.S3FileSystem(**{k: v for k, v in kwargs.items() if v is not None}), f"{bucket}/{key}"
