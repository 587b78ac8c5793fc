"""A preset applied to a harness table: its columns checked, derived columns computed, tool calls unrolled.

The preset itself is data (`harnesses.presets`); this module does what data cannot say: seconds
to milliseconds, lm-eval's per-task doc ids made unique across tasks, the one per-doc metric,
and one row per tool call for output_contract. A harness column the preset reads but the log
lacks is refused naming the column, what it is, and the check that needs it.
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from airflow_evalguard.harnesses.presets import DERIVED, Preset
from airflow_evalguard.harnesses.shared import cell, refuse

FIXED_TOOL_COLUMNS = ("id", "epoch", "model", "tool")


def require_sources(
    frame: pd.DataFrame, preset: Preset, check: str, columns: dict[str, str], where: str, input_name: str
) -> None:
    """Every harness column the preset maps (and the input does not remap) is in the table."""
    for target, source in columns.items():
        if source in frame.columns or preset.columns.get(target) != source:
            continue
        what = preset.why.get(source, f"the harness column the {check} preset maps onto '{target}'")
        raise refuse(
            where,
            f"has no column '{source}' ({what}), which {check} needs as '{target}'; "
            f'map \'{target}\' to another column with "columns": {{"{target}": ...}}',
            input_name,
            column=source,
        )


def derive(
    frame: pd.DataFrame, preset: Preset, check: str, own_columns: dict[str, str], where: str, input_name: str
) -> pd.DataFrame:
    """The preset's derived columns (those the input does not map itself) added to `frame`."""
    out = frame
    for target, name in preset.derived.items():
        if target in own_columns:
            continue
        if name == "tool_calls":
            out = tool_call_rows(out, check, where, input_name)
            continue
        source = DERIVED[name][0]
        if source != "metric.*" and source not in out.columns:
            raise refuse(
                where,
                f"has no column '{source}' ({DERIVED[name][1]}), which {check} needs as '{target}'",
                input_name,
                column=source,
            )
        out = out.copy() if out is frame else out
        out[target] = _derived_column(out, name, target, check, where, input_name)
    return out


def _derived_column(frame: pd.DataFrame, name: str, target: str, check: str, where: str, input_name: str) -> Any:
    if name == "seconds_to_ms":
        return pd.to_numeric(frame["total_time"], errors="coerce") * 1000.0
    if name == "task_doc_id":
        filters = sorted(map(str, frame["filter"].dropna().unique())) if "filter" in frame.columns else []
        if len(filters) > 1:
            raise refuse(
                where,
                f"holds each doc once per filter {filters}, so '{target}' would repeat; "
                'choose one with "filter": NAME',
                input_name,
                column="filter",
            )
        return frame["task"].astype(str) + "/" + frame["doc_id"].astype(str)
    metrics = sorted(column for column in frame.columns if str(column).startswith("metric."))
    if len(metrics) != 1:
        raise refuse(
            where,
            f"holds {len(metrics)} per-doc metrics {metrics}; say which one is {check}'s '{target}' with "
            f'"columns": {{"{target}": "<metric column>"}} (and "task": NAME if the tasks differ)',
            input_name,
            column=target,
        )
    return frame[metrics[0]]


def tool_call_rows(frame: pd.DataFrame, check: str, where: str, input_name: str) -> pd.DataFrame:
    """One row per tool call: id, epoch, model, tool (the function) and each argument as a column."""
    if "tool_calls" not in frame.columns:
        raise refuse(where, f"has no column 'tool_calls', which the {check} preset reads", input_name)
    rows: list[dict[str, Any]] = []
    for sample in frame[["id", "epoch", "model", "tool_calls"]].itertuples(index=False):
        for call in json.loads(sample.tool_calls or "[]"):
            arguments = call.get("arguments") or {}
            clash = sorted(set(arguments) & set(FIXED_TOOL_COLUMNS))
            if clash:
                raise refuse(
                    where,
                    f"sample {sample.id!r}: tool {call.get('function')!r} has argument(s) {clash} named like "
                    f"the columns {list(FIXED_TOOL_COLUMNS)} the {check} preset writes; map the rows yourself",
                    input_name,
                )
            fixed = {"id": sample.id, "epoch": sample.epoch, "model": sample.model, "tool": call.get("function")}
            rows.append({**fixed, **{key: cell(value) for key, value in arguments.items()}})
    if not rows:
        raise refuse(where, f"records no tool calls, which the {check} preset reads", input_name, column="tool_calls")
    out = pd.DataFrame(rows)
    out.attrs.update(frame.attrs, tool_calls=len(rows))
    return out


def require_numbers(frame: pd.DataFrame, preset: Preset, check: str, where: str, input_name: str) -> None:
    """A column the check reads as a number holds numbers (or nothing) after the `values` recoding."""
    for column in preset.numeric:
        values = frame[column].dropna()
        numbers = pd.to_numeric(values, errors="coerce")
        bad = sorted({str(value) for value in values[numbers.isna()]})
        if bad:
            raise refuse(
                where,
                f"gives {check}'s '{column}' values that are not numbers: {bad[:6]}; recode them with "
                f'"values": {{"{column}": {{"{bad[0]}": <number>, ...}}}}',
                input_name,
                column=column,
            )


def require_single(frame: pd.DataFrame, preset: Preset, check: str, where: str, input_name: str) -> None:
    """A column whose every value repeats the sample ids (promptfoo's providers) holds one value."""
    for column in preset.single:
        values = sorted(map(str, frame[column].dropna().unique())) if column in frame.columns else []
        if len(values) > 1:
            raise refuse(
                where,
                f"holds the results of {len(values)} {column}s {values[:6]}, so each sample appears once per "
                f'{column}; choose one for {check} with "{column}": NAME',
                input_name,
                column=column,
            )
