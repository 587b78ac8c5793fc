"""The artifact layout, built and parsed here and nowhere else.

    {root}/{dag_id}/{run_id}/summary.html                         the run summary page
    {root}/{dag_id}/{run_id}/{task_id}/try_{n}/result.json        an unmapped gate (map_index -1)
    {root}/{dag_id}/{run_id}/{task_id}/map_{i}/try_{n}/result.json   map index i of a mapped gate

Ids become key segments by a reversible escape (`encode_id` / `decode_id`): the characters
[A-Za-z0-9_-] stay as they are, every other character (`.` included) becomes `!` and the
lowercase hex of its UTF-8 bytes (`café` -> `caf!c3!a9`, `a:b` -> `a!3ab`), and the empty id is
a lone `!`. So two different ids never share a key; a segment is never `.` or `..` and never
holds `/` or `.`, so it cannot collide with a file name such as `summary.html` or
`result.json`; and it is made of characters that are safe on every filesystem and in an S3 key.
An encoded id longer than SEGMENT_MAX characters is cut into several segments, each but the last
ending in `!` (which never ends a complete encoding), so no segment passes the 255-byte limit
of common filesystems.

Not covered: on a case-insensitive filesystem (macOS, Windows defaults) `Gate` and `gate` share
a folder. Readers refuse a result whose own recorded URI names another folder (report/load.py),
so such a collision is refused rather than shown.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable
from dataclasses import dataclass

ESCAPE = "!"
SEGMENT_MAX = 255
_PLAIN = frozenset(string.ascii_letters + string.digits + "_-")
_HEX = frozenset("0123456789abcdef")
_MAP = re.compile(r"^map_(0|[1-9][0-9]*)$")
_TRY = re.compile(r"^try_([1-9][0-9]*)$")
RESULT_FILE = "result.json"
SUMMARY_FILE = "summary.html"


def _escape(value: str) -> str:
    return "".join(ch if ch in _PLAIN else "".join(f"{ESCAPE}{b:02x}" for b in ch.encode("utf-8", "surrogatepass"))
                   for ch in value) or ESCAPE


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
        elif ch == ESCAPE and len(encoded) - i >= 3 and set(encoded[i + 1:i + 3]) <= _HEX:
            raw.append(int(encoded[i + 1:i + 3], 16))
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


def _take_id(parts: list[str], i: int) -> tuple[str, int]:
    """Decode the id starting at parts[i]; return it and the index after its last segment."""
    j = i
    while j < len(parts) and _is_continued(parts[j]):
        j += 1
    if j >= len(parts):
        raise ValueError("id runs past the end of the key")
    return decode_id("/".join(parts[i:j + 1])), j + 1


def run_folder(dag_id: str, run_id: str) -> str:
    """`{dag_id}/{run_id}`: the folder of one DAG run's gates and its summary page."""
    return f"{encode_id(dag_id)}/{encode_id(run_id)}"


def summary_key(dag_id: str, run_id: str) -> str:
    return f"{run_folder(dag_id, run_id)}/{SUMMARY_FILE}"


def _map_index(map_index: int | None) -> int:
    index = -1 if map_index is None else int(map_index)
    if index < -1:
        raise ValueError(f"map_index must be >= -1, not {index}")
    return index


@dataclass(frozen=True)
class GateKey:
    """One try of one (possibly mapped) gate task instance."""

    dag_id: str
    run_id: str
    task_id: str
    map_index: int = -1
    try_number: int = 1

    def __post_init__(self):
        object.__setattr__(self, "map_index", _map_index(self.map_index))
        object.__setattr__(self, "try_number", int(self.try_number))
        if self.try_number < 1:
            raise ValueError(f"try_number starts at 1, not {self.try_number}")

    @property
    def folder(self) -> str:
        return f"{run_folder(self.dag_id, self.run_id)}/{gate_folder(self.task_id, self.map_index, self.try_number)}"

    def key(self, name: str) -> str:
        return f"{self.folder}/{name}"

    @property
    def label(self) -> str:
        """How people see the gate: `task_id`, or `task_id[i]` for a mapped instance."""
        return gate_label(self.task_id, self.map_index)


def gate_label(task_id: str, map_index: int = -1) -> str:
    return task_id if map_index < 0 else f"{task_id}[{map_index}]"


def gate_folder(task_id: str, map_index: int = -1, try_number: int = 1) -> str:
    """`{task_id}[/map_{i}]/try_{n}`, relative to the run folder."""
    index = _map_index(map_index)
    mapped = f"/map_{index}" if index >= 0 else ""
    if int(try_number) < 1:
        raise ValueError(f"try_number starts at 1, not {try_number}")
    return f"{encode_id(task_id)}{mapped}/try_{int(try_number)}"


@dataclass(frozen=True)
class GateFile:
    """A file of one gate try, as parsed from a key relative to a run folder."""

    task_id: str
    map_index: int
    try_number: int
    name: str

    @property
    def label(self) -> str:
        return gate_label(self.task_id, self.map_index)


def parse_gate_file(key: str) -> GateFile | None:
    """Parse `{task}[/map_{i}]/try_{n}/{name}` (relative to a run folder); None if it is not one."""
    parts = key.split("/")
    try:
        task_id, i = _take_id(parts, 0)
    except ValueError:
        return None
    rest = parts[i:]
    map_index = -1
    if len(rest) == 3 and (m := _MAP.match(rest[0])):
        map_index, rest = int(m.group(1)), rest[1:]
    if len(rest) != 2 or not (t := _TRY.match(rest[0])) or not rest[1] or rest[1].startswith("."):
        return None
    return GateFile(task_id, map_index, int(t.group(1)), rest[1])


def parse_run_folder(key: str) -> tuple[str, str, str] | None:
    """Split a key relative to the store root into (dag_id, run_id, rest); None if it has no
    well-formed dag and run ids."""
    parts = key.split("/")
    try:
        dag_id, i = _take_id(parts, 0)
        run_id, j = _take_id(parts, i)
    except ValueError:
        return None
    return dag_id, run_id, "/".join(parts[j:])


def parse_gate_key(key: str) -> tuple[GateKey, str] | None:
    """A key relative to the store root -> (GateKey, file name), or None."""
    split = parse_run_folder(key)
    if split is None:
        return None
    dag_id, run_id, rest = split
    gate = parse_gate_file(rest)
    if gate is None:
        return None
    return GateKey(dag_id, run_id, gate.task_id, gate.map_index, gate.try_number), gate.name


def latest_tries(keys: Iterable[str]) -> dict[tuple[str, int], tuple[int, str]]:
    """(task_id, map_index) -> (try_number, key) of the latest try's result.json among `keys`
    (relative to a run folder). Only result.json counts: a try without it was never committed."""
    best: dict[tuple[str, int], tuple[int, str]] = {}
    for key in keys:
        gate = parse_gate_file(key)
        if gate is None or gate.name != RESULT_FILE:
            continue
        slot = (gate.task_id, gate.map_index)
        if slot not in best or gate.try_number > best[slot][0]:
            best[slot] = (gate.try_number, key)
    return dict(sorted(best.items()))
