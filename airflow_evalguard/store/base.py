"""The store interface every backend implements: it moves bytes. Keys are store/layout.py's alone."""

from __future__ import annotations

from abc import ABC, abstractmethod


def folder_prefix(prefix: str) -> str:
    """`prefix` as a folder: `a/b` -> `a/b/`, so listing `dag/nightly-1` never returns
    `dag/nightly-10/...`; "" stays "" (the whole store)."""
    prefix = prefix.strip("/")
    return f"{prefix}/" if prefix else ""


class ArtifactStore(ABC):
    """Whole-object writes only: a reader never sees a half-written file."""

    root: str

    @abstractmethod
    def write_bytes(self, key: str, data: bytes) -> str:
        """Write `data` under `key` (relative to root), replacing it; return the object's URI."""

    @abstractmethod
    def read_bytes(self, key: str) -> bytes: ...

    @abstractmethod
    def exists(self, key: str) -> bool: ...

    @abstractmethod
    def delete(self, key: str) -> None:
        """Remove `key` if it exists."""

    @abstractmethod
    def list_keys(self, prefix: str = "") -> list[str]:
        """Keys (relative to root) in the folder `prefix` and below it, sorted. `prefix` is a
        folder, never a string prefix: `a/b` lists `a/b/...`, not `a/bc/...`."""

    @abstractmethod
    def uri(self, key: str) -> str: ...
