"""What the harness readers share: bounded reads, JSON with clear errors, cells, mappings.

Every malformed log is an input error (exit 2, no retry) naming the input and the file; the
network or the disk failing underneath stays an ordinary, retried exception. Nothing here
unpickles or evaluates: logs are parsed with `json` only.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from airflow_evalguard.bounded_read import open_checked
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.settings import max_decompressed_bytes

if TYPE_CHECKING:
    from airflow_evalguard.core.sources import InputReader


class HarnessLogError(EvalGuardInputError):
    """A harness log that cannot be read as its tool wrote it (truncated, corrupt, unknown
    version, a field missing, a repeated sample): bad input, retrying cannot help."""


def label(input_name: str, uri: str) -> str:
    return f"input '{input_name}' ({uri})"


def refuse(where: str, message: str, input_name: str, column: str | None = None) -> HarnessLogError:
    return HarnessLogError(f"{where}: {message}", input_name=input_name, column=column)


def read_whole(reader: InputReader, uri: str, input_name: str) -> bytes:
    """The object's bytes, refused when larger than the decompressed-size limit."""
    data = reader.read_bytes(uri, input_name=input_name)
    limit = max_decompressed_bytes()
    if len(data) > limit:
        raise refuse(
            label(input_name, uri),
            f"is {len(data):,} bytes, more than the {limit:,} allowed "
            "([evalguard] max_decompressed_bytes / EVALGUARD_MAX_DECOMPRESSED_BYTES)",
            input_name,
        )
    return data


def parse_json(data: bytes, where: str, input_name: str) -> Any:
    """One JSON document; a truncated or corrupt one is refused with where it broke."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise refuse(
            where, f"is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})", input_name
        ) from None
    try:
        return json.loads(text, parse_constant=_non_finite)
    except json.JSONDecodeError as exc:
        # The file ends inside a value, or inside a string that never closes: cut short.
        cut = exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated string")
        ending = " (the file ends early: truncated?)" if cut else ""
        raise refuse(
            where, f"is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}{ending}", input_name
        ) from None
    except RecursionError:
        raise refuse(where, "nests JSON too deeply to read", input_name) from None


def _non_finite(token: str) -> float:
    # Inspect and lm-eval write NaN/Infinity for undefined metrics; json accepts them, kept as floats.
    return {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}[token]


def stream_lines(reader: InputReader, uri: str, input_name: str) -> Iterator[tuple[int, bytes]]:
    """(line number, line) of a JSON-lines object, read as a stream (never whole) through the
    reader's filesystem; gunzipped under the size cap when it ends in .gz; UTF-8 checked."""
    filesystem, path = reader.arrow_filesystem(uri)
    if filesystem is None:
        # A regular file only: /dev/zero or a FIFO named like a samples file would never end.
        if not Path(path).is_file():
            raise refuse(label(input_name, uri), "no such file", input_name)
        raw: Any = open(path, "rb")  # noqa: SIM115 - open_checked below owns and closes it
    else:
        raw = filesystem.open_input_stream(path)
    gzipped = uri.lower().endswith(".gz")
    limit = max_decompressed_bytes() if gzipped else None
    with open_checked(
        raw, label=label(input_name, uri), input_name=input_name, gzipped=gzipped, text=True, limit=limit
    ) as stream:
        for number, line in enumerate(stream, start=1):
            if line.strip():
                yield number, line


_SCALARS = frozenset({str, int, float, bool, type(None)})
# One encoder, built once: json.dumps with these options would build a new one per call (a
# million-line samples file spends a third of its time there otherwise).
_ENCODE = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode


def cell(value: Any) -> Any:
    """A table cell: scalars as they are, lists and objects as compact JSON text."""
    if type(value) in _SCALARS or isinstance(value, (str, bool, int, float)):
        return value
    return _ENCODE(value)


def need(record: Mapping[str, Any], key: str, where: str, input_name: str, what: str) -> Any:
    """record[key], or an input error naming the missing field."""
    if not isinstance(record, Mapping) or key not in record:
        raise refuse(where, f"{what} has no '{key}' field; is this a log written by the tool?", input_name)
    return record[key]


def refuse_duplicates(frame: pd.DataFrame, keys: list[str], where: str, input_name: str, hint: str) -> None:
    repeated = frame[frame.duplicated(keys, keep=False)]
    if len(repeated):
        example = repeated.iloc[0][keys].to_dict()
        raise refuse(
            where,
            f"{len(repeated)} rows share their {'/'.join(keys)} (first: {example}); {hint}",
            input_name,
            column=keys[0],
        )


def apply_mappings(frame: pd.DataFrame, spec: Mapping[str, Any], input_name: str) -> pd.DataFrame:
    """`columns` (check column -> harness column) then `values` (column -> {old: new}).

    Mapped columns are added beside the harness's own (the mapping is one-to-one, checked by
    `forms.check_one_to_one`); a mapping naming a column the table lacks is refused with the
    columns it has."""
    columns = spec.get("columns") or {}
    missing = sorted({source for source in columns.values() if source not in frame.columns})
    if missing:
        raise EvalGuardInputError(
            f"input '{input_name}': 'columns' names {missing}, which the harness table lacks; "
            f"it has {sorted(map(str, frame.columns))[:40]}",
            input_name=input_name,
            column=missing[0],
        )
    out = frame.copy()
    for target, source in columns.items():
        out[target] = frame[source]
    for column, recode in (spec.get("values") or {}).items():
        if column not in out.columns:
            raise EvalGuardInputError(
                f"input '{input_name}': 'values' recodes column '{column}', which the table lacks",
                input_name=input_name,
            )
        out[column] = out[column].map(lambda value, table=recode: _recoded(table, value))
    return out


def _recoded(table: Mapping[str, Any], value: Any) -> Any:
    # JSON object keys are text: a 1 or True in the table is looked up as "1" / "True" too.
    if isinstance(value, str):
        return table.get(value, value)
    return table.get(str(value), value) if value is not None else value
