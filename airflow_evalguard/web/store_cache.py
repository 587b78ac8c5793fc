"""The reports app's artifact store, made once per configuration and thread instead of per request.

An S3Store makes its S3Hook, and the hook its boto3 session, client and resource, on first use:
per request that was a connection lookup and a client build (tens of milliseconds, and a fresh
connection) before the first byte. The store is kept per (artifact root, connection id), so a
changed configuration gets a new store at the next request, and for at most `seconds`, so
rotated credentials in the Airflow connection are picked up. It is kept per thread of the
server's pool: the hook reads objects through a boto3 resource, which boto3 documents as unsafe
to share between threads (its clients are safe, and the history pages' parallel reads use the
client: publish/history_read.py).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from airflow_evalguard.store.base import ArtifactStore

STORE_SECONDS = 300.0

MakeStore = Callable[[str, str | None], ArtifactStore]


class StoreCache:
    def __init__(self, make: MakeStore, seconds: float = STORE_SECONDS) -> None:
        self.make, self.seconds = make, seconds
        self._local = threading.local()

    def get(self, root: str, aws_conn_id: str | None) -> ArtifactStore:
        """This thread's store of this configuration: the one kept, unless the configuration
        changed or it is older than `seconds`."""
        config = (root, aws_conn_id)
        held: tuple[tuple[str, str | None], float, ArtifactStore] | None = getattr(self._local, "held", None)
        if held is None or held[0] != config or time.monotonic() - held[1] >= self.seconds:
            held = (config, time.monotonic(), self.make(root, aws_conn_id))
            self._local.held = held
        return held[2]
