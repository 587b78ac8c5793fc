"""What the shell hands the core so it can read what a URI names, without knowing connections.

The core never builds a hook or holds a connection id: a worker hands in a reader backed by the
Airflow S3 connection (`airflow_evalguard.hooks.s3_reader.S3HookReader`), the CLI and notebooks a
local one (`airflow_evalguard.sources.local_reader.LocalReader`, which refuses s3:// unless given
a connection). Registries (output_contract's version registry) stay with the operator.
"""

from __future__ import annotations

from typing import Any, Protocol


class InputReader(Protocol):
    """Reads the bytes and Arrow datasets an input names.

    `read_bytes` raises EvalGuardInputError when the object does not exist (bad input, not
    retried) and lets environment errors (network, credentials) propagate (retried).
    """

    def read_bytes(self, uri: str, *, input_name: str) -> bytes: ...

    def arrow_filesystem(self, uri: str) -> tuple[Any, str]:
        """(a pyarrow filesystem or None for a local path, the path as that filesystem names it)."""
        ...
