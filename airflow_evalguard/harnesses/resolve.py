"""A harness-log input -> the DataFrame a check reads, at execute time, through the shell's reader.

`read_harness_input` checks the input's shape (`forms`), reads the log through the reader the
shell hands in (local files, or s3:// through the Airflow connection), builds the harness's
table, applies the selectors (`scorer`, `task`, `filter`, `provider`) and then the `columns` and
`values` mappings. The frame's `attrs` name the harness, the source URIs and what was counted
(errored samples), for the log line and the input fingerprint.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import pandas as pd

from airflow_evalguard.harnesses.forms import check_harness_form, harness_paths
from airflow_evalguard.harnesses.inspect_log import read_inspect_log
from airflow_evalguard.harnesses.lm_eval_log import read_lm_eval
from airflow_evalguard.harnesses.promptfoo_log import read_promptfoo
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


def _read(name: str, form: str, spec: dict[str, Any], reader: InputReader, use_inspect: bool | None) -> pd.DataFrame:
    if form == "inspect_log":
        uri = spec["inspect_log"]
        where = label(name, uri)
        frame = read_inspect_log(read_whole(reader, uri, name), uri, where, name, use_inspect=use_inspect)
        frame = _select_epoch(frame, spec, where, name)
        if spec.get("errored") == "drop":
            kept = frame[frame["status"] != "error"].reset_index(drop=True)
            kept.attrs.update(frame.attrs, dropped_errored=len(frame) - len(kept), errored=0)
            log.warning('input %s: %d errored sample row(s) dropped ("errored": "drop")', name, len(frame) - len(kept))
            frame = kept
        return _select_scorer(frame, spec["scorer"], where, name) if "scorer" in spec else frame
    if form == "lm_eval_samples":
        return read_lm_eval(reader, spec, name, task=spec.get("task"))
    uri = spec["promptfoo_results"]
    return read_promptfoo(read_whole(reader, uri, name), label(name, uri), name, provider=spec.get("provider"))


def read_harness_input(
    name: str, spec: dict[str, Any], reader: InputReader, *, use_inspect: bool | None = None
) -> pd.DataFrame:
    """The table a harness log holds, selected and mapped as `spec` says.

    `use_inspect`: None reads Inspect logs with inspect_ai when it is installed, else with the
    built-in reader; True or False forces one (the tests compare them)."""
    form = check_harness_form(name, spec)
    frame = _read(name, form, spec, reader, use_inspect)
    attrs = dict(frame.attrs)
    frame = apply_mappings(frame, spec, name)
    frame.attrs.update(attrs, source=harness_paths(spec))
    if attrs.get("errored"):
        log.warning("input %s: %d errored row(s) kept (status 'error') from %s", name, attrs["errored"], form)
    log.info("input %s: %d rows from %s %s", name, len(frame), form, frame.attrs["source"])
    return frame
