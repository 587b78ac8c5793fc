"""The reports app's artifact store, made once per configuration instead of once per request.

An S3Store makes its S3Hook, and the hook its boto3 session and client, on first use: per
request that was a connection lookup and a client build (tens of milliseconds, and a fresh TLS
connection) before the first byte. The store is kept per (artifact root, connection id), so a
changed configuration gets a new store at the next request, and for at most `seconds`, so
rotated credentials in the Airflow connection are picked up. Safe to share between the server's
threads: one store is made per configuration, under a lock.
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
        self._lock = threading.Lock()
        self._held: tuple[tuple[str, str | None], float, ArtifactStore] | None = None

    def get(self, root: str, aws_conn_id: str | None) -> ArtifactStore:
        """The store of this configuration: the one kept, unless the configuration changed or it
        is older than `seconds`."""
        config = (root, aws_conn_id)
        with self._lock:
            held = self._held
            if held is None or held[0] != config or time.monotonic() - held[1] >= self.seconds:
                held = (config, time.monotonic(), self.make(root, aws_conn_id))
                self._held = held
            return held[2]
