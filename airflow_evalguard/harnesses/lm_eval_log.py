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

import json
from typing import TYPE_CHECKING, Any

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


def _doc_row(record: Any, task: str, group: str | None, where: str, input_name: str) -> dict[str, Any]:
    if not isinstance(record, dict):
        raise refuse(where, "holds a line that is not a JSON object", input_name)
    doc = need(record, "doc", where, input_name, "a samples line")
    metrics = need(record, "metrics", where, input_name, "a samples line")
    row: dict[str, Any] = {
        "task": task,
        "group": group,
        "doc_id": need(record, "doc_id", where, input_name, "a samples line"),
        "filter": record.get("filter"),
        **{f"doc.{key}": cell(value) for key, value in (doc.items() if isinstance(doc, dict) else [])},
        "target": cell(record.get("target")),
        "response": cell(record.get("filtered_resps")),
        "doc_hash": record.get("doc_hash"),
        "prompt_hash": record.get("prompt_hash"),
    }
    for metric in metrics if isinstance(metrics, list) else []:
        row[f"metric.{metric}"] = cell(need(record, metric, where, input_name, f"doc {row['doc_id']}'s line"))
    return row


def read_samples_file(
    reader: InputReader, uri: str, results: dict[str, Any], input_name: str, keep_filter: str | None
) -> list[dict[str, Any]]:
    where = label(input_name, uri)
    tasks = sorted(set(results.get("configs") or {}) | set(results.get("results") or {}))
    task = task_of(uri, tasks, where, input_name)
    group = _groups(results).get(task)
    rows = []
    for number, line in stream_lines(reader, uri, input_name):
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise refuse(
                where, f"line {number} is not valid JSON ({exc.msg}); truncated or corrupt?", input_name
            ) from None
        row = _doc_row(record, task, group, f"{where} line {number}", input_name)
        if keep_filter is None or row["filter"] == keep_filter:
            rows.append(row)
    return rows


def read_lm_eval(
    reader: InputReader, spec: dict[str, Any], input_name: str, *, task: str | None = None
) -> pd.DataFrame:
    """All the samples files of `spec["lm_eval_samples"]` (a URI or a list) with the run's results."""
    results = read_results(reader, spec["results"], input_name)
    uris = spec["lm_eval_samples"]
    uris = [uris] if isinstance(uris, str) else list(uris)
    rows = [row for uri in uris for row in read_samples_file(reader, uri, results, input_name, spec.get("filter"))]
    where = f"input '{input_name}'"
    if not rows:
        chosen = f" with filter {spec['filter']!r}" if spec.get("filter") else ""
        raise refuse(where, f"the lm-eval samples files hold no docs{chosen}", input_name)
    frame = _with_run_columns(pd.DataFrame(rows), results)
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
