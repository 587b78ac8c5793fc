"""Key layout shared by every store: `{root}/{dag_id}/{run_id}/{task_id}/try_{n}/`."""

from __future__ import annotations

import hashlib
import re
from abc import ABC, abstractmethod

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


def sanitize_key_part(part: str) -> str:
    """One path component that is safe on every filesystem and as an S3 key segment.

    Run ids carry `:` and `+` (and users put spaces and `/` in them). Unsafe characters become
    `_`; when anything changed, a short hash of the original is appended so two different run
    ids can never share a key ("a:b" and "a+b" would otherwise collide). `.`/`..` can't escape.
    """
    part = str(part)
    cleaned = _UNSAFE.sub("_", part).strip(".") or "_"
    if cleaned != part:
        cleaned = f"{cleaned}-{hashlib.sha256(part.encode()).hexdigest()[:8]}"
    return cleaned


def run_prefix(dag_id: str, run_id: str, task_id: str, try_number: int) -> str:
    parts = [sanitize_key_part(p) for p in (dag_id, run_id, task_id)]
    return "/".join(parts + [f"try_{int(try_number)}"])


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
    def list_keys(self, prefix: str = "") -> list[str]:
        """Keys (relative to root) under `prefix`, sorted."""

    @abstractmethod
    def uri(self, key: str) -> str: ...
