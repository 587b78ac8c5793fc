"""Tell local paths from s3:// URIs; shared by io (inputs) and store (artifacts)."""

from __future__ import annotations

from urllib.parse import urlsplit


def is_s3(uri: str) -> bool:
    return str(uri).startswith("s3://")


def split_s3(uri: str) -> tuple[str, str]:
    """`s3://bucket/some/key` -> ("bucket", "some/key")."""
    parts = urlsplit(str(uri))
    if parts.scheme != "s3" or not parts.netloc:
        raise ValueError(f"not an s3:// URI: {uri!r}")
    return parts.netloc, parts.path.lstrip("/")
