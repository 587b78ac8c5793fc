"""Ids as key segments: a reversible escape, so two different ids never share a key.

The characters [A-Za-z0-9_-] stay as they are, every other character (`.` included) becomes `!`
and the lowercase hex of its UTF-8 bytes (`café` -> `caf!c3!a9`, `a:b` -> `a!3ab`), and the empty
id is a lone `!`. So two different ids never share a key; a segment is never `.` or `..` and
never holds `/` or `.`, so it cannot collide with a file name such as `summary.html` or
`result.json`; and it is made of characters that are safe on every filesystem and in an S3 key.
An encoded id longer than SEGMENT_MAX characters is cut into several segments, each but the last
ending in `!` (which never ends a complete encoding), so no segment passes the 255-byte limit
of common filesystems.
"""

from __future__ import annotations

import string

ESCAPE = "!"
SEGMENT_MAX = 255
_PLAIN = frozenset(string.ascii_letters + string.digits + "_-")
_HEX = frozenset("0123456789abcdef")


def _escape(value: str) -> str:
    return (
        "".join(
            ch if ch in _PLAIN else "".join(f"{ESCAPE}{b:02x}" for b in ch.encode("utf-8", "surrogatepass"))
            for ch in value
        )
        or ESCAPE
    )


def encode_id(value: str) -> str:
    """A DAG, run, task (or contract) id as a key part: one segment, or several joined by `/`
    when the encoding is longer than SEGMENT_MAX."""
    encoded = _escape(str(value))
    if len(encoded) <= SEGMENT_MAX:
        return encoded
    chunks, start = [], 0
    while len(encoded) - start > SEGMENT_MAX:
        end = start + SEGMENT_MAX - 1  # room for the continuation mark
        # never cut inside an escape: back up to the `!` that starts it
        for back in (1, 2):
            if encoded[end - back] == ESCAPE:
                end -= back
                break
        chunks.append(encoded[start:end] + ESCAPE)
        start = end
    chunks.append(encoded[start:])
    return "/".join(chunks)


def _is_continued(segment: str) -> bool:
    """A segment ending in a bare `!` continues in the next one. A complete encoding never ends
    in `!` (escapes end in a hex digit), except the empty id, which is `!` alone."""
    return len(segment) > 1 and segment.endswith(ESCAPE)


def _unescape(encoded: str) -> str:
    if encoded == ESCAPE:
        return ""
    raw, i = bytearray(), 0
    while i < len(encoded):
        ch = encoded[i]
        if ch in _PLAIN:
            raw.append(ord(ch))
            i += 1
        elif ch == ESCAPE and len(encoded) - i >= 3 and set(encoded[i + 1 : i + 3]) <= _HEX:
            raw.append(int(encoded[i + 1 : i + 3], 16))
            i += 3
        else:
            raise ValueError(f"not an encoded id: {encoded!r}")
    try:
        value = raw.decode("utf-8", "surrogatepass")
    except UnicodeDecodeError:
        raise ValueError(f"not an encoded id: {encoded!r}") from None
    if _escape(value) != encoded:  # one spelling per id: `!41` for `A` is not accepted
        raise ValueError(f"not an encoded id: {encoded!r}")
    return value


def decode_id(key_part: str) -> str:
    """The inverse of encode_id; raises ValueError for anything encode_id never produces."""
    segments = key_part.split("/")
    if any(not s for s in segments):
        raise ValueError(f"not an encoded id: {key_part!r}")
    for s in segments[:-1]:
        if not _is_continued(s) or len(s) > SEGMENT_MAX:
            raise ValueError(f"not an encoded id: {key_part!r}")
    if _is_continued(segments[-1]) or len(segments[-1]) > SEGMENT_MAX:
        raise ValueError(f"not an encoded id: {key_part!r}")
    value = _unescape("".join(s[:-1] for s in segments[:-1]) + segments[-1])
    if encode_id(value) != key_part:  # the chunking is canonical too
        raise ValueError(f"not an encoded id: {key_part!r}")
    return value


def take_id(parts: list[str], i: int) -> tuple[str, int]:
    """Decode the id starting at parts[i]; return it and the index after its last segment."""
    j = i
    while j < len(parts) and _is_continued(parts[j]):
        j += 1
    if j >= len(parts):
        raise ValueError("id runs past the end of the key")
    return decode_id("/".join(parts[i : j + 1])), j + 1
