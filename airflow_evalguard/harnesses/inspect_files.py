"""An Inspect AI log (`.eval` or `.json`) -> its header and its samples, as plain JSON objects.

Inspect's own reader (`inspect_ai.log.read_eval_log`, the `inspect` extra) is used when it is
installed: it knows every format version Inspect ever wrote. Without it the built-in reader
reads the public format exactly (version 2, as written by inspect-ai 0.3.x) and refuses any
other version by name. Both hand the same plain objects to `inspect_log`, which builds the rows,
so tests/harnesses/test_inspect_log.py can prove they agree. The bytes always come through the
reader the shell hands in (local or s3:// via the Airflow connection), never through Inspect's
own filesystem access.
"""

from __future__ import annotations

import importlib.util
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from airflow_evalguard.harnesses.inspect_zip import EvalZip
from airflow_evalguard.harnesses.shared import parse_json, refuse

KNOWN_VERSIONS = (2,)
FINISHED = ("success", "error", "cancelled")  # "started": the eval is still running or died unsaved


def inspect_installed() -> bool:
    return importlib.util.find_spec("inspect_ai") is not None


def load(
    data: bytes, uri: str, where: str, input_name: str, *, use_inspect: bool | None = None
) -> tuple[dict, Iterable[Any]]:
    """(header, samples) of the log in `data`; `use_inspect=None` uses Inspect when installed."""
    is_zip = data[:4] == b"PK\x03\x04" or uri.lower().endswith(".eval")
    header: dict
    samples: Iterable[Any]
    if is_zip:
        container = EvalZip(data, where, input_name)  # bounded, zip bomb refused, before Inspect sees it
    if use_inspect or (use_inspect is None and inspect_installed()):
        header, samples = _with_inspect(data, ".eval" if is_zip else ".json", where, input_name)
    elif is_zip:
        header, samples = _eval_zip(container)
    else:
        header, samples = _json_log(data, where, input_name)
    _check_header(header, where, input_name)
    return header, samples


def _check_header(header: Any, where: str, input_name: str) -> None:
    if not isinstance(header, dict) or "eval" not in header:
        raise refuse(where, "is not an Inspect eval log (no 'eval' header)", input_name)
    version = header.get("version")
    if version not in KNOWN_VERSIONS:
        raise refuse(
            where,
            f"is an Inspect log of format version {version!r}; this reader knows version(s) "
            f"{list(KNOWN_VERSIONS)} (inspect-ai 0.3.x). Install the `inspect` extra to read it with Inspect.",
            input_name,
        )
    status = header.get("status")
    if status not in FINISHED:
        raise refuse(
            where,
            f"is an unfinished Inspect log (status {status!r}); gate on a log whose eval ended "
            f"(status one of {list(FINISHED)})",
            input_name,
        )


def _json_log(data: bytes, where: str, input_name: str) -> tuple[dict, list]:
    log = parse_json(data, where, input_name)
    if not isinstance(log, dict):
        raise refuse(where, "is not an Inspect eval log (not a JSON object)", input_name)
    samples = log.get("samples") or []
    if not isinstance(samples, list):
        raise refuse(where, "has a 'samples' field that is not a list", input_name)
    return {key: value for key, value in log.items() if key != "samples"}, samples


def _eval_zip(container: EvalZip) -> tuple[dict, Iterator[Any]]:
    if "header.json" not in container.names:
        started = "_journal/start.json" in container.names
        raise refuse(
            container.where,
            "has no header.json: "
            + ("the eval has not finished (only its journal was written)" if started else "not an Inspect .eval log"),
            container.input_name,
        )
    header = parse_json(container.read("header.json"), f"{container.where} header.json", container.input_name)
    _check_header(header, container.where, container.input_name)  # before reading any sample
    # One member at a time: the caller turns each sample into a row before the next is inflated,
    # so a 200,000-sample log never holds every sample's messages at once.
    samples = (
        parse_json(container.read(name), f"{container.where} {name}", container.input_name)
        for name in container.names
        if name.startswith("samples/") and name.endswith(".json")
    )
    return header, samples


def _with_inspect(data: bytes, suffix: str, where: str, input_name: str) -> tuple[dict, list]:
    """Inspect's reader on the bytes we read (a private temporary file, removed after)."""
    from inspect_ai.log import read_eval_log

    handle, path = tempfile.mkstemp(suffix=suffix)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        try:
            log = read_eval_log(path)
        except Exception as exc:  # Inspect raises many types for a bad file; the bytes are the user's
            raise refuse(where, f"Inspect cannot read it: {' '.join(str(exc).split())[:300]}", input_name) from None
    finally:
        Path(path).unlink(missing_ok=True)
    header = log.model_dump(mode="json", exclude={"samples"})
    samples = [sample.model_dump(mode="json") for sample in log.samples or []]
    return header, samples
