"""Artifacts on local disk (the default)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from airflow_evalguard.store.base import ArtifactStore


class LocalStore(ArtifactStore):
    def __init__(self, root: str | os.PathLike):
        self.root = str(Path(root).expanduser().resolve())

    def _path(self, key: str) -> Path:
        path = (Path(self.root) / key).resolve()
        # Keys are built from sanitized parts, but a hand-made key must not escape the root.
        if not path.is_relative_to(self.root):
            raise ValueError(f"key {key!r} points outside the store root {self.root}")
        return path

    def write_bytes(self, key: str, data: bytes) -> str:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write to a temp file in the same directory, then rename: atomic on POSIX.
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return str(path)

    def read_bytes(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def list_keys(self, prefix: str = "") -> list[str]:
        base = Path(self.root)
        start = self._path(prefix) if prefix else base
        if not start.exists():
            return []
        return sorted(
            str(p.relative_to(base)) for p in start.rglob("*") if p.is_file() and not p.name.endswith(".tmp")
        )

    def uri(self, key: str) -> str:
        return str(self._path(key))
