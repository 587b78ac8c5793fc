"""A table input read under a `columns` mapping (see `airflow_evalguard.columns.mapping`).

The mapping is applied where a file is read, so a parquet file is still read column-pruned: the
check asks for `example_id`, the file is read for `order_id`, and the frame comes back renamed.
A DataFrame is renamed once, up front. `table_input` is the one place a check's input value
(path, URI, DataFrame, or `{"path"|"frame": ..., "columns": {...}}`) becomes a TableInput.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any

import pandas as pd
import pyarrow.parquet as pq

from airflow_evalguard.columns.mapping import check_mapped_table, is_mapped_table, mapped_view, stored_names
from airflow_evalguard.io.formats import detect_format
from airflow_evalguard.io.table import TableInput

if TYPE_CHECKING:
    from airflow_evalguard.core.sources import InputReader

log = logging.getLogger(__name__)


def map_frame(frame: pd.DataFrame, mapping: dict[str, str], input_name: str) -> pd.DataFrame:
    """`frame` with its columns as the check sees them (mapped columns renamed, shadowed ones dropped)."""
    if not mapping:
        return frame
    stored = [str(column) for column in frame.columns]
    view = mapped_view(stored, mapping, input_name)
    out = frame[stored_names(view, mapping)]
    out.columns = view
    return out


class MappedTableInput(TableInput):
    """A file input whose columns the check reads under other names."""

    def __init__(self, name: str, source: Any, reader: InputReader | None, mapping: dict[str, str]):
        super().__init__(name, source, reader)
        self.mapping = mapping

    def _column_names(self) -> list[str]:
        if detect_format(str(self.source), self.name) in ("parquet", "csv"):
            stored = super()._column_names()
        else:  # JSON lines: the parsed frame's own names (TableInput's, not the renamed ones below)
            stored = [str(column) for column in TableInput._read_file(self, None).columns]
        return mapped_view(stored, self.mapping, self.name)

    def _read_file(self, columns: list[str] | None, *, categorical_strings: bool = True) -> pd.DataFrame:
        wanted = self.columns() if columns is None else columns
        frame = super()._read_file(stored_names(wanted, self.mapping), categorical_strings=categorical_strings)
        frame.columns = wanted
        return frame

    def read_arrow(self, columns: list[str]):
        if detect_format(str(self.source), self.name) != "parquet":
            return super().read_arrow(columns)  # reads through read() -> the renaming _read_file
        self.require(columns)
        self._hash_in_background()
        started = time.perf_counter()
        with self._content_errors():
            table = pq.read_table(self._binary_source(), columns=stored_names(columns, self.mapping))
        self.rows = table.num_rows
        log.info("read input '%s' (mapped %s) in %.2f s", self.name, self.mapping, time.perf_counter() - started)
        return table.rename_columns(columns)


def table_input(name: str, value: Any, reader: InputReader | None = None) -> TableInput:
    """The TableInput for one input value, its `columns` mapping (if any) validated and applied."""
    if not is_mapped_table(value):
        return TableInput(name, value, reader)
    mapping = check_mapped_table(name, value)
    if "frame" in value:
        frame = value["frame"]
        return TableInput(name, map_frame(frame, mapping, name) if isinstance(frame, pd.DataFrame) else frame, reader)
    if not mapping:
        return TableInput(name, value["path"], reader)
    return MappedTableInput(name, value["path"], reader, mapping)
