"""Where a check's input can come from besides a file: aggregated where the data lives.

`SqlSource` pushes a check's GROUP BY into a database through a common.sql DbApiHook, as sqlglot
expression trees rendered for its dialect (postgres, duckdb, spark, bigquery, snowflake, trino,
redshift, mysql; DuckDB embedded by default, locked to its own database file); `stream`
aggregates parquet in record batches. Both return the small pre-aggregated tables the checks
accept in place of rows.
"""
