"""An Inspect AI eval log -> one row per sample and epoch.

Columns (docs/inputs/harness-logs.md has the full table): task, model, run_id, log_status, id
(text), epoch, input, target, completion, `metadata.<key>` for each metadata field,
`score.<scorer>` (a dict-valued score gives `score.<scorer>.<key>`), `answer.<scorer>`,
`grader_model.<scorer>` where the scorer graded with a model, started_at, total_time,
working_time, input_tokens / output_tokens / total_tokens (the evaluated model's), model_usage
(every model's, JSON), tool_calls (JSON list of {function, arguments}), tool_call_count, error,
limit, status (ok | error | limit). A sample that errored stays a row with status "error" and
no scores: it is counted (`frame.attrs["errored"]`), never dropped.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from airflow_evalguard.harnesses.inspect_files import load
from airflow_evalguard.harnesses.shared import cell, need, refuse, refuse_duplicates

ATTACHMENT = "attachment://"


def _resolve(value: Any, attachments: dict[str, str]) -> Any:
    """Inspect stores long strings once per sample as `attachment://<hash>`: put them back."""
    if isinstance(value, str) and value.startswith(ATTACHMENT):
        return attachments.get(value[len(ATTACHMENT) :], value)
    return value


def _text(content: Any, attachments: dict[str, str]) -> str:
    """A message's content: a string, or the text parts of a content list."""
    if isinstance(content, list):
        parts = [part.get("text", "") for part in content if isinstance(part, dict) and part.get("type") == "text"]
        return "\n".join(_resolve(part, attachments) for part in parts)
    return str(_resolve(content, attachments) or "")


def _input_text(sample_input: Any, attachments: dict[str, str]) -> str:
    if isinstance(sample_input, list):
        users = [message for message in sample_input if isinstance(message, dict) and message.get("role") == "user"]
        return _text(users[0].get("content"), attachments) if users else ""
    return _text(sample_input, attachments)


def _tool_calls(messages: list, attachments: dict[str, str]) -> list[dict[str, Any]]:
    calls = []
    for message in messages or []:
        if isinstance(message, dict) and message.get("role") == "assistant":
            for call in message.get("tool_calls") or []:
                arguments = {key: _resolve(value, attachments) for key, value in (call.get("arguments") or {}).items()}
                calls.append({"function": call.get("function"), "arguments": arguments})
    return calls


def _grader_model(score: dict[str, Any], roles: dict[str, Any]) -> str | None:
    """The model that graded: the judge's reply in `metadata.grading` (model_graded_qa/fact record
    it), else the eval's `grader` role when the scorer kept a grading transcript without a name."""
    grading = (score.get("metadata") or {}).get("grading")
    if not isinstance(grading, list):
        return None
    for message in reversed(grading):
        if isinstance(message, dict) and message.get("role") == "assistant" and message.get("model"):
            return str(message["model"])
    grader = roles.get("grader") if isinstance(roles, dict) else None
    return grader.get("model") if isinstance(grader, dict) else None


def _scores(scores: dict[str, Any], roles: dict[str, Any], attachments: dict[str, str]) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for name, score in (scores or {}).items():
        value = score.get("value")
        if isinstance(value, dict):
            row.update({f"score.{name}.{key}": cell(part) for key, part in value.items()})
        else:
            row[f"score.{name}"] = cell(value)
        row[f"answer.{name}"] = _resolve(score.get("answer"), attachments)
        grader = _grader_model(score, roles)
        if grader is not None:
            row[f"grader_model.{name}"] = grader
    return row


def _metadata(metadata: dict[str, Any], attachments: dict[str, str]) -> dict[str, Any]:
    return {f"metadata.{key}": cell(_resolve(value, attachments)) for key, value in metadata.items()}


def _usage_without_blanks(model_usage: dict[str, Any]) -> dict[str, Any]:
    # Inspect's reader fills unset counters (cache, reasoning, cost) with null; the file omits them.
    return {
        model: {key: value for key, value in usage.items() if value is not None} if isinstance(usage, dict) else usage
        for model, usage in model_usage.items()
    }


def _usage(model_usage: dict[str, Any], model: str) -> dict[str, Any]:
    own = model_usage.get(model) or {}
    return {key: own.get(key) for key in ("input_tokens", "output_tokens", "total_tokens")}


def sample_row(sample: dict[str, Any], header: dict[str, Any], where: str, input_name: str) -> dict[str, Any]:
    evaluation = header["eval"]
    attachments = sample.get("attachments") or {}
    sample_id = need(sample, "id", where, input_name, "a sample")
    epoch = need(sample, "epoch", where, input_name, f"sample {sample_id!r}")
    error, limit = sample.get("error"), sample.get("limit")
    calls = _tool_calls(sample.get("messages") or [], attachments)
    target = sample.get("target")
    return {
        "task": evaluation.get("task"),
        "model": evaluation.get("model"),
        "run_id": evaluation.get("run_id"),
        "log_status": header.get("status"),
        "id": str(sample_id),
        "epoch": int(epoch),
        "input": _input_text(sample.get("input"), attachments),
        "target": cell(target) if isinstance(target, list) else _resolve(target, attachments),
        "completion": _resolve((sample.get("output") or {}).get("completion"), attachments),
        **_metadata(sample.get("metadata") or {}, attachments),
        **_scores(sample.get("scores") or {}, evaluation.get("model_roles") or {}, attachments),
        "started_at": sample.get("started_at"),
        "total_time": sample.get("total_time"),
        "working_time": sample.get("working_time"),
        **_usage(sample.get("model_usage") or {}, str(evaluation.get("model"))),
        "model_usage": cell(_usage_without_blanks(sample.get("model_usage") or {})),
        "tool_calls": cell(calls),
        "tool_call_count": len(calls),
        "error": (error or {}).get("message") if isinstance(error, dict) else None,
        "limit": (limit or {}).get("type") if isinstance(limit, dict) else None,
        "status": "error" if error else ("limit" if limit else "ok"),
    }


def read_inspect_log(
    data: bytes, uri: str, where: str, input_name: str, *, use_inspect: bool | None = None
) -> pd.DataFrame:
    header, samples = load(data, uri, where, input_name, use_inspect=use_inspect)
    rows = [sample_row(sample, header, where, input_name) for sample in samples]
    if not rows:
        raise refuse(where, "holds no samples (was it written with log_samples=False?)", input_name)
    # Sorted before the frame is built: its columns follow the first row holding each, so the
    # .eval zip (members in completion order) and the .json give the same table.
    frame = pd.DataFrame(sorted(rows, key=lambda row: (row["epoch"], row["id"])))
    refuse_duplicates(
        frame, ["id", "epoch"], where, input_name, "a log holds each sample once per epoch (two logs concatenated?)"
    )
    frame.attrs.update(
        harness="inspect",
        task=header["eval"].get("task"),
        model=header["eval"].get("model"),
        samples=int(frame["id"].nunique()),
        epochs=int(frame["epoch"].max()),
        errored=int((frame["status"] == "error").sum()),
        limited=int((frame["status"] == "limit").sum()),
        log_status=header.get("status"),
    )
    return frame
