"""The InputReader the CLI and notebooks use by default: local files only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.uri import is_s3


class LocalReader:
    """Reads local paths. An s3:// URI needs a connection: it is refused as bad input."""

    def read_bytes(self, uri: str, *, input_name: str) -> bytes:
        self._refuse_s3(uri, input_name)
        path = Path(uri)
        if not path.is_file():
            raise EvalGuardInputError(f"input '{input_name}': no such file: {uri}", input_name=input_name)
        return path.read_bytes()

    def arrow_filesystem(self, uri: str) -> tuple[Any, str]:
        self._refuse_s3(uri, None)
        return None, uri

    def _refuse_s3(self, uri: str, input_name: str | None) -> None:
        if is_s3(uri):
            raise EvalGuardInputError(f"{uri}: reading s3:// needs an AWS connection (the CLI's --aws-conn-id, "
                                      "or S3HookReader)", input_name=input_name)
