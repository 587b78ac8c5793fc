"""Aggregate row-level parquet in record batches, column-pruned (pyarrow dataset): memory is
bounded by the aggregate (strata, cells), not by the rows.

A malformed file is bad input wherever the scan meets it (the first file's footer at discovery,
a corrupt page or a later file mid-scan): an EvalGuardInputError naming the path. The network,
the disk or permissions failing stay ordinary, retryable errors.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable, Sequence

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds

from airflow_evalguard.core.sources import InputReader
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.input_errors import describe_content_error, malformed_content
from airflow_evalguard.sources.local_reader import LocalReader

log = logging.getLogger(__name__)
BATCH_ROWS = 1 << 20


@contextlib.contextmanager
def _content_errors(path: str):
    try:
        yield
    except EvalGuardInputError:
        raise
    except FileNotFoundError:
        raise EvalGuardInputError(f"{path}: no such file or directory") from None
    except Exception as exc:
        if not malformed_content(exc):
            raise
        raise EvalGuardInputError(f"parquet at {path}: {describe_content_error(exc)}") from exc


def _missing(path: str, missing: list[str], named: dict[str, str], has: list[str]) -> EvalGuardInputError:
    """ "missing column(s) ['ts'] (set timestamp_column=... in the stream spec)": the spec argument
    that names each missing column, as the row path names the check parameter."""
    arguments = list(dict.fromkeys(named[column] for column in missing if column in named))
    hint = f" (set {', '.join(f'{name}=...' for name in arguments)} in the stream spec)" if arguments else ""
    return EvalGuardInputError(f"{path}: missing column(s) {missing}{hint}; it has {has[:20]}", column=missing[0])


def _dataset(path: str, columns: list[str], reader: InputReader | None, named: dict[str, str]) -> ds.Dataset:
    if str(path).lower().endswith(".gz"):
        # A gzip stream cannot be read by row group without inflating all of it first; parquet
        # compresses its own pages (zstd, snappy), so a streamed export is plain .parquet.
        raise EvalGuardInputError(
            f"{path}: is gzip-compressed; streaming reads plain parquet (its pages are "
            "compressed already): export without the outer .gz"
        )
    # The reader the shell handed in names the filesystem (S3 with its connection's credentials
    # and endpoint, or local); without one, local paths only.
    filesystem, where = (reader if reader is not None else LocalReader()).arrow_filesystem(path)
    with _content_errors(path):
        dataset = ds.dataset(where, format="parquet", filesystem=filesystem)
    missing = [c for c in columns if c not in dataset.schema.names]
    if missing:
        raise _missing(path, missing, named, dataset.schema.names)
    return dataset


def _fold(total: dict, table: pa.Table, keys: list[str]) -> None:
    grouped = table.group_by(keys, use_threads=False).aggregate([([], "count_all")])
    for row in grouped.to_pylist():
        key = tuple(row[k] for k in keys)
        total[key] = total.get(key, 0) + row["count_all"]


def _run(
    path: str,
    columns: list[str],
    batch_fn: Callable[[pa.RecordBatch], pa.Table],
    keys: list[str],
    what: str,
    reader: InputReader | None,
    named: dict[str, str],
) -> pd.DataFrame:
    t0 = time.perf_counter()
    dataset = _dataset(path, columns, reader, named)
    total: dict = {}
    dictionaries: dict[str, dict] = {}
    rows = 0
    # One batch in flight and no pre-buffering of whole column chunks (pyarrow's defaults read far
    # ahead: ~1 GiB resident for a 100M-row file), so memory is the aggregate plus about one batch.
    options = ds.ParquetFragmentScanOptions(pre_buffer=False)
    batches = dataset.to_batches(
        columns=columns,
        batch_size=BATCH_ROWS,
        batch_readahead=1,
        fragment_readahead=1,
        fragment_scan_options=options,
        use_threads=False,
    )
    with _content_errors(path):  # a corrupt page or a later file of a directory fails mid-scan
        for batch in batches:
            rows += batch.num_rows
            table = batch_fn(batch)
            _note_dictionaries(dictionaries, table)
            _fold(total, table, keys)
    frame = _frame(total, keys, dataset.schema, dictionaries)
    log.info("streamed %s: %d rows -> %d aggregated rows in %.1f s", what, rows, len(frame), time.perf_counter() - t0)
    return frame


def _note_dictionaries(seen: dict[str, dict], table: pa.Table) -> None:
    """Every value of each dictionary (categorical) column's dictionaries, used or not: pandas reads
    them all as categories, and the row path counts each category as a stratum level."""
    for name, column in zip(table.column_names, table.columns, strict=True):
        if pa.types.is_dictionary(column.type):
            for chunk in column.chunks:
                seen.setdefault(name, {}).update(dict.fromkeys(chunk.dictionary.to_pylist()))


def _frame(total: dict, keys: list[str], schema: pa.Schema, dictionaries: dict[str, dict]) -> pd.DataFrame:
    """The counts as pandas reads the same columns from the file (pq.read_table().to_pandas()): each
    key column keeps the file's type and pandas metadata, so an integer column with nulls is Int64
    where pandas wrote it (its levels print "0", not "0.0"), and a categorical keeps all its
    categories, exactly as on the row path."""
    columns = list(zip(*total.keys(), strict=True)) if total else [()] * len(keys)
    arrays = {}
    for key, values in zip(keys, columns, strict=True):
        if key in dictionaries:
            dictionary = list(dictionaries[key])
            position = {value: index for index, value in enumerate(dictionary)}
            indices = pa.array([None if v is None else position[v] for v in values], type=pa.int32())
            value_type = schema.field(key).type.value_type if key in schema.names else None
            arrays[key] = pa.DictionaryArray.from_arrays(indices, pa.array(dictionary, type=value_type))
        else:
            arrays[key] = pa.array(values, type=schema.field(key).type if key in schema.names else None)
    arrays["count"] = pa.array(list(total.values()), type=pa.int64())
    return pa.table(arrays).replace_schema_metadata(schema.metadata).to_pandas()


def sampling_window_counts(
    path: str,
    *,
    timestamp_column: str = "ts",
    dimensions: Sequence[str] = (),
    timezone: str = "UTC",
    reader: InputReader | None = None,
) -> pd.DataFrame:
    """Like SqlSource.sampling_window_counts, from parquet rows (a file, a directory of files, or
    an s3:// URI). Naive timestamps are local time in `timezone` (as the check reads them)."""
    dims = list(dimensions)

    def per_batch(batch: pa.RecordBatch) -> pa.Table:
        ts = batch.column(timestamp_column)
        if not pa.types.is_timestamp(ts.type):
            raise EvalGuardInputError(
                f"{path}: column '{timestamp_column}' is {ts.type}, not a timestamp; "
                "stream only typed parquet timestamps"
            )
        if ts.null_count:  # as the row path and SqlSource refuse them: a missing time has no hour
            raise EvalGuardInputError(
                f"{path}: column '{timestamp_column}' has missing timestamps ({ts.null_count} in one record batch)",
                column=timestamp_column,
            )
        if ts.type.tz is not None:
            ts = ts.cast(pa.timestamp(ts.type.unit, tz=timezone))  # same instant, local calendar fields
        hour = pc.hour(ts)
        return pa.table({"hour_of_day": hour, **{d: batch.column(d) for d in dims}})

    named = {**dict.fromkeys(dims, "dimensions"), timestamp_column: "timestamp_column"}
    what = "sampling_window sample"
    return _run(path, [timestamp_column, *dims], per_batch, ["hour_of_day", *dims], what, reader, named)


def refusal_cells(
    path: str,
    *,
    by: str = "category",
    expected: str = "expected",
    baseline_label: str = "baseline_label",
    candidate_label: str = "candidate_label",
    reader: InputReader | None = None,
) -> pd.DataFrame:
    """Paired cells from a paired parquet table (one row per prompt with both models' labels)."""
    arguments = {"by": by, "expected": expected, "baseline_label": baseline_label, "candidate_label": candidate_label}
    named = {column: argument for argument, column in reversed(arguments.items())}
    cells = _counts(path, list(arguments.values()), reader, named)
    return cells.set_axis([by, "expected", "baseline", "candidate", "count"], axis=1)


def counts(path: str, columns: list[str], *, reader: InputReader | None = None) -> pd.DataFrame:
    """Rows per combination of `columns` (NULL included), with `count`: the aggregated form of
    every check whose sufficient statistic is a table of counts (slice_retention `cells` from a
    paired table, labeler_agreement `label_counts`, assignment_integrity `arm_counts`, ...)."""
    return _counts(path, columns, reader, dict.fromkeys(columns, "columns"))


def _counts(path: str, columns: list[str], reader: InputReader | None, named: dict[str, str]) -> pd.DataFrame:
    cols = list(dict.fromkeys(columns))
    if not cols:
        raise EvalGuardInputError("stream.counts needs at least one column to group by")
    return _run(
        path, cols, lambda batch: pa.table({c: batch.column(c) for c in cols}), cols, f"counts by {cols}", reader, named
    )
