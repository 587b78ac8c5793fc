"""lm-evaluation-harness `--log_samples` output -> one row per doc (and filter).

lm-eval writes, per run, `results_<time>.json` and one `samples_<task>_<time>.jsonl` per task.
The samples lines do not name their task: it is read from the file name, matched against the
tasks the results file lists (the longest name that fits, since task names hold underscores).
Columns: task, group (the group whose subtask it is, else empty), doc_id, filter, `doc.<field>`
for each doc field, target, response (the filtered response, JSON), `metric.<name>` for each
metric the line names, doc_hash, prompt_hash, model, model_source, model_args, lm_eval_version,
n_shot. A task run with several filters has one row per doc and filter; the `filter` selector
keeps one. Lines are streamed, never held as text all at once.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, NoReturn

import msgspec
import pandas as pd

from airflow_evalguard.harnesses.shared import (
    cell,
    label,
    need,
    parse_json,
    read_whole,
    refuse,
    refuse_duplicates,
    stream_lines,
)

if TYPE_CHECKING:
    from airflow_evalguard.core.sources import InputReader

RESULT_FIELDS = ("results", "configs", "lm_eval_version")


def read_results(reader: InputReader, uri: str, input_name: str) -> dict[str, Any]:
    where = label(input_name, uri)
    results = parse_json(read_whole(reader, uri, input_name), where, input_name)
    if not isinstance(results, dict):
        raise refuse(where, "is not an lm-eval results file (not a JSON object)", input_name)
    for key in RESULT_FIELDS:
        need(results, key, where, input_name, "the lm-eval results file")
    return results


def task_of(uri: str, tasks: list[str], where: str, input_name: str) -> str:
    """The task a `samples_<task>_<time>.jsonl` file holds, matched against the results' tasks."""
    stem = uri.rsplit("/", 1)[-1]
    for suffix in (".gz", ".jsonl"):
        stem = stem.removesuffix(suffix)
    stem = stem.removeprefix("samples_")
    fits = [task for task in tasks if stem == task or stem.startswith(task + "_")]
    if not fits:
        raise refuse(
            where,
            f"is not named samples_<task>[_<time>].jsonl for a task of the results file ({sorted(tasks)[:20]})",
            input_name,
        )
    return max(fits, key=len)


def _groups(results: dict[str, Any]) -> dict[str, str]:
    subtasks = results.get("group_subtasks") or {}
    return {task: group for group, members in subtasks.items() for task in members or [] if task != group}


def _with_run_columns(frame: pd.DataFrame, results: dict[str, Any]) -> pd.DataFrame:
    """The run's model and version on every row (set once per column, not once per line)."""
    config = results.get("config") or {}
    frame["model"] = results.get("model_name") or config.get("model")
    frame["model_source"] = results.get("model_source") or config.get("model")
    frame["model_args"] = cell(config.get("model_args"))
    frame["lm_eval_version"] = results.get("lm_eval_version")
    frame["n_shot"] = frame["task"].map(results.get("n-shot") or {})
    return frame


# A line's values are kept as Python objects for at most this many rows, then become a DataFrame
# chunk (pandas' compact column types): memory holds the table, not one dict per line.
CHUNK_ROWS = 65_536
_PLAIN = frozenset({str, int, float, bool, type(None)})
_TRAILING = ("target", "response", "doc_hash", "prompt_hash")
_FIXED = ("doc_id", "filter", *_TRAILING)  # the order of a line's tuple, then its doc fields and metrics
_decode_fast = msgspec.json.Decoder().decode
_encode_fast = msgspec.json.Encoder(order="sorted").encode


def _text_cell(value: Any) -> Any:
    """A cell as `shared.cell` writes it. Lists of text (choices, filtered responses: nearly every
    list in a samples file) go through msgspec, which writes them byte for byte as json does, in a
    sixth of the time; anything holding a number (msgspec writes 1e16 where json writes 1e+16),
    an object, or a lone surrogate goes through `cell`."""
    if type(value) is not list:
        return cell(value)
    for item in value:
        if type(item) is list:
            for inner in item:
                if type(inner) is not str:
                    return cell(value)
        elif type(item) is not str:
            return cell(value)
    try:
        return _encode_fast(value).decode()
    except UnicodeEncodeError:
        return cell(value)


def _decode(line: bytes, number: int, where: str, input_name: str) -> Any:
    """One samples line. msgspec first (about three times json's speed); json decides every line
    msgspec refuses, so what json accepts (NaN, Infinity, 1e400, lone surrogates) reads as before."""
    try:
        return _decode_fast(line)
    except msgspec.MsgspecError:
        pass
    try:
        return json.loads(line)
    except json.JSONDecodeError as exc:
        raise refuse(where, f"line {number} is not valid JSON ({exc.msg}); truncated or corrupt?", input_name) from None
    except RecursionError:
        raise refuse(where, f"line {number} nests JSON too deeply to read", input_name) from None


class _Columns:
    """Columns built a chunk at a time: one list per column, filled line by line with cells (text
    and numbers only, so the garbage collector has nothing to walk), then a DataFrame per chunk.
    A column a line lacks falls behind; it is padded with None whenever the set of columns changes."""

    def __init__(self) -> None:
        self.lists: dict[str, list[Any]] = {}
        self.count = 0
        self.frames: list[pd.DataFrame] = []
        self.tasks: list[tuple[str, str | None, int]] = []  # (task, group, rows) per chunk
        self.seen: dict[str, None] = {}  # every column, in first-seen order

    def targets(self, names: list[str]) -> list[list[Any]]:
        """The lists of these columns, the others padded to the rows so far."""
        for values in self.lists.values():
            values.extend([None] * (self.count - len(values)))
        for name in names:
            if name not in self.lists:
                self.lists[name] = [None] * self.count
                self.seen.setdefault(name, None)
        return [self.lists[name] for name in names]

    def flush(self, task: str, group: str | None) -> None:
        if not self.count:
            return
        self.targets([])
        frame = pd.DataFrame(self.lists)
        # A column with no value in this chunk (object, all None) is left out, so the chunks'
        # concatenation infers its type from the chunks that have values, as one frame would.
        empty = [name for name in frame.columns if frame[name].dtype == object and frame[name].isna().all()]
        self.frames.append(frame.drop(columns=empty))
        self.tasks.append((task, group, self.count))
        self.lists, self.count = {}, 0

    def frame(self) -> pd.DataFrame:
        frame = pd.concat(self.frames, ignore_index=True) if len(self.frames) > 1 else self.frames[0]
        self.frames = []
        for name in self.seen:
            if name not in frame.columns:
                frame[name] = pd.Series([None] * len(frame), dtype=object)
        frame.insert(0, "task", [task for task, _, rows in self.tasks for _ in range(rows)])
        # as one frame would infer it: text (None missing) when some task is in a group, else object
        frame.insert(1, "group", pd.Series([group for _, group, rows in self.tasks for _ in range(rows)]))
        order = ["task", "group", "doc_id", "filter"]
        order += [name for name in self.seen if name.startswith("doc.")]
        order += [*_TRAILING, *(name for name in self.seen if name.startswith("metric."))]
        return frame[order]


_REQUIRED = frozenset({"doc", "metrics", "doc_id"})
_UNSEEN = object()


def _refuse_line(record: Any, where: str, input_name: str) -> NoReturn:
    if type(record) is not dict:
        raise refuse(where, "holds a line that is not a JSON object", input_name)
    for key in ("doc", "metrics", "doc_id"):
        need(record, key, where, input_name, "a samples line")
    raise refuse(where, "is not a samples line", input_name)


def _refuse_metric(record: dict[str, Any], names: list[Any], where: str, input_name: str) -> NoReturn:
    """The error for a line whose named metric is missing or not text."""
    for name in names:
        if not isinstance(name, str):
            raise refuse(where, f"names a metric that is not text ({name!r})", input_name)
        need(record, name, where, input_name, f"doc {record['doc_id']}'s line")
    raise refuse(where, "names its metrics in a way this reader does not know", input_name)


def _read_lines(
    lines: Any, columns: _Columns, task: str, group: str | None, where: str, input_name: str, keep_filter: str | None
) -> None:
    last_metrics: Any = _UNSEEN
    last_doc: Any = None
    names: list[Any] = []
    appends: list[Any] = []  # each column's list.append, in the order of a line's cells
    for number, line in lines:
        record = _decode(line, number, where, input_name)
        if type(record) is not dict or not record.keys() >= _REQUIRED:
            _refuse_line(record, f"{where} line {number}", input_name)
        if record["metrics"] != last_metrics:  # metric names listed once each, as the line orders them
            last_metrics = record["metrics"]
            names = list(dict.fromkeys(last_metrics)) if type(last_metrics) is list else []
            last_doc = None
        try:
            values = tuple(map(record.__getitem__, names))
        except (KeyError, TypeError):
            _refuse_metric(record, names, f"{where} line {number}", input_name)
        if keep_filter is not None and record.get("filter") != keep_filter:
            continue
        doc = record["doc"] if type(record["doc"]) is dict else {}
        doc_keys = tuple(doc)
        if doc_keys != last_doc:
            targets = columns.targets([*_FIXED, *(f"doc.{key}" for key in doc), *(f"metric.{name}" for name in names)])
            appends = [column.append for column in targets]
            last_doc = doc_keys
        line_cells = (
            record["doc_id"],
            record.get("filter"),
            record.get("target"),
            record.get("filtered_resps"),
            record.get("doc_hash"),
            record.get("prompt_hash"),
            *doc.values(),
            *values,
        )
        for append, value in zip(appends, line_cells, strict=True):
            append(value if type(value) in _PLAIN else _text_cell(value))
        columns.count += 1
        if columns.count >= CHUNK_ROWS:
            columns.flush(task, group)
            last_doc = None


def read_samples_file(
    reader: InputReader, uri: str, results: dict[str, Any], input_name: str, keep_filter: str | None, columns: _Columns
) -> None:
    """Stream one samples file's docs into `columns`."""
    where = label(input_name, uri)
    tasks = sorted(set(results.get("configs") or {}) | set(results.get("results") or {}))
    task = task_of(uri, tasks, where, input_name)
    group = _groups(results).get(task)
    _read_lines(stream_lines(reader, uri, input_name), columns, task, group, where, input_name, keep_filter)
    columns.flush(task, group)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Decoded lines are trees (JSON has no cycles) and are freed by reference counting, yet every
    few hundred of them start a cyclic-GC pass: about a sixth of a long read. Paused while reading,
    restored as it was (the process's other threads lose nothing but the timing of a pass)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def read_lm_eval(
    reader: InputReader, spec: dict[str, Any], input_name: str, *, task: str | None = None
) -> pd.DataFrame:
    """All the samples files of `spec["lm_eval_samples"]` (a URI or a list) with the run's results."""
    results = read_results(reader, spec["results"], input_name)
    uris = spec["lm_eval_samples"]
    uris = [uris] if isinstance(uris, str) else list(uris)
    columns = _Columns()
    with _collector_paused():
        for uri in uris:
            read_samples_file(reader, uri, results, input_name, spec.get("filter"), columns)
    where = f"input '{input_name}'"
    if not columns.frames:
        chosen = f" with filter {spec['filter']!r}" if spec.get("filter") else ""
        raise refuse(where, f"the lm-eval samples files hold no docs{chosen}", input_name)
    frame = _with_run_columns(columns.frame(), results)
    if task is not None:
        known = sorted(frame["task"].unique())
        frame = frame[(frame["task"] == task) | (frame["group"] == task)].reset_index(drop=True)
        if frame.empty:
            raise refuse(where, f"no docs of task or group {task!r}; the samples hold {known}", input_name)
    refuse_duplicates(
        frame, ["task", "doc_id", "filter"], where, input_name, "is one samples file given twice, or two runs mixed?"
    )
    frame.attrs.update(
        harness="lm_eval",
        model=str(frame["model"].iloc[0]),
        lm_eval_version=str(frame["lm_eval_version"].iloc[0]),
        tasks=sorted(map(str, frame["task"].unique())),
    )
    return frame
