"""An InputReader backed by an Airflow AWS connection: what a worker hands `run_check`."""

from __future__ import annotations

from typing import Any

from airflow_evalguard.sources.local_reader import LocalReader


class S3HookReader(LocalReader):
    """Reads s3:// URIs through the S3Hook of `aws_conn_id` (its credentials, region and
    endpoint_url); local paths as LocalReader does. The hook is built on first S3 use."""

    def __init__(self, aws_conn_id: str | None = "aws_default") -> None:
        super().__init__()
        self.aws_conn_id = aws_conn_id
        self._hook: Any = None

    def read_bytes(self, uri: str, *, input_name: str) -> bytes:
        return super().read_bytes(uri, input_name=input_name)  # STUB: S3 comes next

    def arrow_filesystem(self, uri: str) -> tuple[Any, str]:
        return super().arrow_filesystem(uri)  # STUB
