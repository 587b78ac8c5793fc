"""Artifacts on local disk (the default)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from airflow_evalguard.store.base import ArtifactStore

_TMP_SUFFIX = ".tmp"


class LocalStore(ArtifactStore):
    def __init__(self, root: str | os.PathLike):
        self.root = str(Path(root).expanduser().resolve())

    def _path(self, key: str) -> Path:
        path = (Path(self.root) / key).resolve()
        # Keys are built from encoded ids, but a hand-made key must not escape the root.
        if not path.is_relative_to(self.root):
            raise ValueError(f"key {key!r} points outside the store root {self.root}")
        return path

    def write_bytes(self, key: str, data: bytes) -> str:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write a temp file in the same directory, then rename: atomic on POSIX. Created with
        # os.open(0o666) so the umask decides the mode (0644 by default), as for any file the
        # worker writes: an API server, a report reader or a downstream task running as another
        # user can read it. (mkstemp's 0600 would survive the rename.)
        while True:
            tmp = path.parent / f".{path.name}.{secrets.token_hex(8)}{_TMP_SUFFIX}"
            try:
                fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o666)
                break
            except FileExistsError:
                continue
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return str(path)

    def read_bytes(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def list_keys(self, prefix: str = "") -> list[str]:
        base = Path(self.root)
        start = self._path(prefix) if prefix.strip("/") else base
        if not start.is_dir():
            return []
        return sorted(
            p.relative_to(base).as_posix()
            for p in start.rglob("*")
            if p.is_file() and not (p.name.startswith(".") and p.name.endswith(_TMP_SUFFIX))
        )

    def uri(self, key: str) -> str:
        return str(self._path(key))
