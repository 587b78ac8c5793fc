"""Where a check's input can come from besides a file: aggregated where the data lives.

`SqlSource` pushes a check's GROUP BY into any Airflow SQL connection (common.sql DbApiHook;
DuckDB embedded by default); `stream` aggregates parquet in record batches. Both return the small
pre-aggregated tables the checks accept in place of rows.
"""
