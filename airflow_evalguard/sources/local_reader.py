"""The InputReader the CLI and notebooks use by default: local files only.

An s3:// URI needs credentials, and credentials belong to the shell: the CLI builds an
`airflow_evalguard.hooks.s3_reader.S3HookReader` from `--aws-conn-id`, an operator from its
`aws_conn_id`. Handed an s3:// URI, this reader refuses it as bad input naming what is missing,
instead of guessing credentials from the environment.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.uri import is_s3


class NoSuchInput(EvalGuardInputError):
    """The object or file an input names does not exist (bad input: retrying cannot help)."""


class LocalReader:
    """Reads local paths; refuses s3:// (a connection is needed: see the module docstring)."""

    def read_bytes(self, uri: str, *, input_name: str) -> bytes:
        self._refuse_s3(uri, input_name)
        path = Path(uri)
        if not path.is_file():
            raise NoSuchInput(f"input '{input_name}': no such file: {uri}", input_name=input_name)
        return path.read_bytes()

    def arrow_filesystem(self, uri: str) -> tuple[Any, str]:
        self._refuse_s3(uri, None)
        return None, uri

    def _refuse_s3(self, uri: str, input_name: str | None) -> None:
        if is_s3(uri):
            raise EvalGuardInputError(
                f"{uri}: reading s3:// needs an AWS connection (the CLI's --aws-conn-id, or an "
                "S3HookReader handed to run_check)",
                input_name=input_name,
            )
