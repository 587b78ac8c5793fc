"""Where a check's input can come from besides a file: aggregated where the data lives.

`SqlSource` pushes a check's GROUP BY into a PostgreSQL or DuckDB connection (DuckDB embedded
by default, locked to its own database file; other dialects are refused until their identifier
quoting is implemented); `stream` aggregates parquet in record batches. Both return the small
pre-aggregated tables the checks accept in place of rows.
"""
