"""A harness-log input -> the DataFrame a check reads, at execute time, through the shell's reader.

`read_harness_input` checks the input's shape (`forms`), reads the log through the reader the
shell hands in (local files, or s3:// through the Airflow connection), builds the harness's
table, applies the selectors (`scorer`, `task`, `filter`, `provider`) and then the `columns` and
`values` mappings. The frame's `attrs` name the harness, the source URIs and what was counted
(errored samples), for the log line and the input fingerprint.
"""

from __future__ import annotations

import hashlib
import logging
from typing import TYPE_CHECKING, Any

import pandas as pd

from airflow_evalguard.harnesses.forms import PRESET, check_harness_form, harness_paths
from airflow_evalguard.harnesses.inspect_log import read_inspect_log
from airflow_evalguard.harnesses.lm_eval_log import read_lm_eval
from airflow_evalguard.harnesses.preset_rows import derive, require_numbers, require_single, require_sources
from airflow_evalguard.harnesses.presets import Preset, check_preset, merged_mappings
from airflow_evalguard.harnesses.promptfoo_log import read_promptfoo
from airflow_evalguard.harnesses.provenance import logs_sha256, record_log
from airflow_evalguard.harnesses.shared import apply_mappings, label, read_whole, refuse

if TYPE_CHECKING:
    from airflow_evalguard.core.sources import InputReader

log = logging.getLogger(__name__)
SELECTED = ("score", "answer", "grader_model")  # what `scorer` copies to plain column names


def _select_scorer(frame: pd.DataFrame, scorer: str, where: str, input_name: str) -> pd.DataFrame:
    """Copy one scorer's columns to `score`, `answer`, `grader_model` (easier to map)."""
    known = sorted({column.split(".", 1)[1].split(".")[0] for column in frame.columns if column.startswith("score.")})
    if scorer not in known:
        raise refuse(where, f"has no scorer {scorer!r}; its scorers are {known}", input_name)
    out = frame.copy()
    for prefix in SELECTED:
        if f"{prefix}.{scorer}" in out.columns:
            out[prefix] = out[f"{prefix}.{scorer}"]
    return out


def _select_epoch(frame: pd.DataFrame, spec: dict[str, Any], where: str, input_name: str) -> pd.DataFrame:
    """Keep one epoch when asked. Mapping `id` onto a check's id column while several epochs
    remain would hand the check one id per epoch: refused, naming the selector that settles it."""
    epochs = sorted(frame["epoch"].unique().tolist())
    if "epoch" in spec:
        if spec["epoch"] not in epochs:
            raise refuse(where, f"has no epoch {spec['epoch']}; its epochs are {epochs}", input_name)
        return frame[frame["epoch"] == spec["epoch"]].reset_index(drop=True)
    mapped_id = sorted(target for target, source in (spec.get("columns") or {}).items() if source == "id")
    if len(epochs) > 1 and mapped_id:
        raise refuse(
            where,
            f"holds {len(epochs)} epochs, so each sample id appears {len(epochs)} times; mapping 'id' onto "
            f'{mapped_id} would repeat every id. Choose one epoch with "epoch": N (1..{epochs[-1]})',
            input_name,
            column="epoch",
        )
    return frame


def _drop_errored(frame: pd.DataFrame, column: str, errored: str, input_name: str) -> pd.DataFrame:
    """Rows that errored removed, their count and ids kept in `attrs` for the result's finding."""
    mask = frame[column] == errored
    kept = frame[~mask].reset_index(drop=True)
    ids = frame.loc[mask, "id" if "id" in frame.columns else "test_idx"].astype(str).tolist()
    kept.attrs.update(frame.attrs, dropped_errored=int(mask.sum()), errored_ids=ids, errored=0)
    if ids:
        log.warning("input %s: %d errored sample row(s) dropped, counted in the result", input_name, len(ids))
    return kept


def _read(name: str, form: str, spec: dict[str, Any], reader: InputReader, use_inspect: bool | None) -> pd.DataFrame:
    if form == "inspect_log":
        uri = spec["inspect_log"]
        where = label(name, uri)
        data = read_whole(reader, uri, name)
        frame = read_inspect_log(data, uri, where, name, use_inspect=use_inspect)
        frame.attrs.update(log_sha256=hashlib.sha256(data).hexdigest())
        frame = _select_epoch(frame, spec, where, name)
        statuses = frame["status"]  # counted again: an epoch may have been chosen
        frame.attrs.update(errored=int((statuses == "error").sum()), limited=int((statuses == "limit").sum()))
        frame.attrs.update(considered=len(frame))
        if spec.get("errored") == "drop":
            frame = _drop_errored(frame, "status", "error", name)
        return _select_scorer(frame, spec["scorer"], where, name) if "scorer" in spec else frame
    if form == "lm_eval_samples":
        frame = read_lm_eval(reader, spec, name, task=spec.get("task"))
        frame.attrs.update(considered=len(frame), log_sha256=logs_sha256(reader, harness_paths(spec), name))
        return frame
    uri = spec["promptfoo_results"]
    data = read_whole(reader, uri, name)
    frame = read_promptfoo(data, label(name, uri), name, provider=spec.get("provider"))
    frame.attrs.update(considered=len(frame), log_sha256=hashlib.sha256(data).hexdigest())
    return _drop_errored(frame, "failure", "error", name) if spec.get("errored") == "drop" else frame


def _effective(spec: dict[str, Any], form: str, input_name: str) -> tuple[dict[str, Any], Preset | None]:
    """The input with its preset's mappings merged under its own; a preset drops errored rows
    unless told otherwise (its check reads a score they lack; the result counts them)."""
    if PRESET not in spec:
        return spec, None
    preset = check_preset(input_name, form, spec)
    return {"errored": "drop", **spec, **merged_mappings(preset, spec)}, preset


def _with_preset(
    frame: pd.DataFrame, preset: Preset, spec: dict[str, Any], effective: dict[str, Any], input_name: str
) -> pd.DataFrame:
    check, where = spec[PRESET], label(input_name, harness_paths(spec)[0])
    own = dict(spec.get("columns") or {})
    require_single(frame, preset, check, where, input_name)
    frame = derive(frame, preset, check, own, where, input_name)
    require_sources(frame, preset, check, effective["columns"], where, input_name)
    mapped = apply_mappings(frame, effective, input_name)
    require_numbers(mapped, preset, check, where, input_name)
    return mapped


def read_harness_input(
    name: str, spec: dict[str, Any], reader: InputReader, *, use_inspect: bool | None = None
) -> pd.DataFrame:
    """The table a harness log holds, selected and mapped as `spec` (and its preset) say.

    `use_inspect`: None reads Inspect logs with inspect_ai when it is installed, else with the
    built-in reader; True or False forces one (the tests compare them)."""
    form = check_harness_form(name, spec)
    effective, preset = _effective(spec, form, name)
    frame = _read(name, form, effective, reader, use_inspect)
    attrs = dict(frame.attrs)
    if preset is not None:
        frame = _with_preset(frame, preset, spec, effective, name)
    else:
        frame = apply_mappings(frame, effective, name)
    frame.attrs.update(attrs, source=harness_paths(spec), preset=spec.get(PRESET))
    record_log(frame.attrs, harness_paths(spec), attrs["log_sha256"])
    if attrs.get("errored"):
        log.warning("input %s: %d errored row(s) kept (status 'error') from %s", name, attrs["errored"], form)
    log.info("input %s: %d rows from %s %s", name, len(frame), form, frame.attrs["source"])
    return frame
