"""The artifact layout: every key is built and parsed here, through `RunLayout`, and nowhere else.

    {root}/{dag_id}/{run_id}/summary.html                         the run summary page
    {root}/{dag_id}/{run_id}/{task_id}/try_{n}/result.json        an unmapped gate (map_index -1)
    {root}/{dag_id}/{run_id}/{task_id}/map_{i}/try_{n}/result.json   map index i of a mapped gate

A gate try's folder holds result.json (the commit marker), report.html, evidence.parquet and one
`{table}.parquet` per extra table. Ids become key segments by the reversible escape of
ids.py, so no two ids share a key and no id can name a file or leave its folder.

Not covered: on a case-insensitive filesystem (macOS, Windows defaults) `Gate` and `gate` share
a folder. Readers refuse a result whose own recorded URI names another folder (publish/read.py),
so such a collision is refused rather than shown.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from airflow_evalguard.ids import SEGMENT_MAX, decode_id, encode_id, take_id
from airflow_evalguard.store.base import folder_prefix

_MAP = re.compile(r"^map_(0|[1-9][0-9]*)$")
_TRY = re.compile(r"^try_([1-9][0-9]*)$")
RESULT_FILE = "result.json"
REPORT_FILE = "report.html"
EVIDENCE_FILE = "evidence.parquet"
SUMMARY_FILE = "summary.html"


def run_folder(dag_id: str, run_id: str) -> str:
    """`{dag_id}/{run_id}`: the folder of one DAG run's gates and its summary page."""
    return f"{encode_id(dag_id)}/{encode_id(run_id)}"


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

    def __post_init__(self) -> None:
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
        task_id, i = take_id(parts, 0)
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
        dag_id, i = take_id(parts, 0)
        run_id, j = take_id(parts, i)
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


@dataclass(frozen=True)
class RunLayout:
    """A folder of a store (relative to its root; "" is the root) and the keys of the files in it.

    `RunLayout.of_run(dag_id, run_id)` is a DAG run's folder: its summary page, and one folder per
    gate try below it (`.gate(task_id, map_index, try_number)`), which holds one stored result.
    The CLI's `--out` is `RunLayout()`: one result at the root of its own store.
    """

    folder: str = ""

    @classmethod
    def of_run(cls, dag_id: str, run_id: str) -> RunLayout:
        return cls(run_folder(dag_id, run_id))

    @classmethod
    def of_dag(cls, dag_id: str) -> RunLayout:
        """The folder of every run of one DAG."""
        return cls(encode_id(dag_id))

    @classmethod
    def of_gate(
        cls, dag_id: str, run_id: str, task_id: str, map_index: int | None = -1, try_number: int = 1
    ) -> RunLayout:
        return cls(GateKey(dag_id, run_id, task_id, _map_index(map_index), try_number).folder)

    def gate(self, task_id: str, map_index: int = -1, try_number: int = 1) -> RunLayout:
        """The folder of one try of a gate task instance of this run."""
        return RunLayout(self.key(gate_folder(task_id, map_index, try_number)))

    def key(self, name: str) -> str:
        """The key of `name` (a file, or a path relative to this folder)."""
        return f"{self.folder}/{name}" if self.folder else name

    @property
    def result_key(self) -> str:
        return self.key(RESULT_FILE)

    @property
    def report_key(self) -> str:
        return self.key(REPORT_FILE)

    @property
    def evidence_key(self) -> str:
        return self.key(EVIDENCE_FILE)

    @property
    def summary_key(self) -> str:
        return self.key(SUMMARY_FILE)

    def table_key(self, table: str) -> str:
        """An extra row-level output (`accepted`, `weights`) as parquet."""
        return self.key(f"{table}.parquet")

    @property
    def listing(self) -> str:
        """The folder as a listing prefix (`a/b/`), so a listing never reaches a sibling `a/bc`."""
        return folder_prefix(self.folder)

    def latest_results(self, keys: Iterable[str]) -> dict[tuple[str, int], tuple[int, str]]:
        """(task_id, map_index) -> (try_number, key of result.json) of the latest committed try of
        every gate among `keys` (relative to the store root, as a listing of this folder gives)."""
        base = self.listing
        rel = [k[len(base) :] for k in keys if k.startswith(base)]
        return {slot: (try_number, base + key) for slot, (try_number, key) in latest_tries(rel).items()}

    def parse_gate(self, relative_key: str) -> GateFile | None:
        """`{task}[/map_{i}]/try_{n}/{name}`, relative to this (run) folder; None if it is not one."""
        return parse_gate_file(relative_key)

    def is_result_uri(self, uri: str) -> bool:
        """Whether a recorded result URI names this folder's result.json (a copied or moved result,
        or two ids meeting on a case-insensitive filesystem, names another)."""
        uri = uri.replace("\\", "/")
        return uri == self.result_key or uri.endswith("/" + self.result_key)

    @staticmethod
    def split_uri(uri: str) -> tuple[str, str]:
        """(folder, file name) of a stored object's URI or key."""
        folder, _, name = uri.replace("\\", "/").rpartition("/")
        return folder, name

    @staticmethod
    def label(task_id: str, map_index: int = -1) -> str:
        """How people see a gate: `task_id`, or `task_id[i]` for a mapped instance."""
        return gate_label(task_id, map_index)

    @staticmethod
    def parse_gate_key(key: str) -> tuple[GateKey, str] | None:
        """A key relative to the store root -> (GateKey, file name), or None."""
        return parse_gate_key(key)


__all__ = [
    "EVIDENCE_FILE",
    "REPORT_FILE",
    "RESULT_FILE",
    "SEGMENT_MAX",
    "SUMMARY_FILE",
    "GateFile",
    "GateKey",
    "RunLayout",
    "decode_id",
    "encode_id",
    "folder_prefix",
    "gate_folder",
    "latest_tries",
    "parse_gate_file",
    "parse_gate_key",
    "parse_run_folder",
    "run_folder",
]
