"""A stand-in judge endpoint for the sensor and trigger tests: the snapshot id lives in a file
(so a test can change it while a sensor waits), or is served over HTTP on 127.0.0.1."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


def read_snapshot_file(path: str) -> str:
    """The callable a sensor pokes: raises while the file does not exist (endpoint down)."""
    return Path(path).read_text().strip()


def flip_after(path: str, calls_file: str, after: int, before: str, then: str) -> str:
    """Reports `before` for the first `after` calls, then `then` (counts calls in a file, so it
    works across the worker and triggerer processes)."""
    counter = Path(calls_file)
    n = int(counter.read_text()) + 1 if counter.exists() else 1
    counter.write_text(str(n))
    return then if n > after else before


class SnapshotServer:
    """GET /v1/models -> {"data": [{"id": <snapshot>}]} on 127.0.0.1."""

    def __init__(self, snapshot: str):
        self.snapshot = snapshot
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's name
                body = json.dumps({"data": [{"id": outer.snapshot}]}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
