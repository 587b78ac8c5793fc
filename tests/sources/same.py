"""Comparing the results of one check run on rows and on their sufficient statistics."""

import math

import pytest


def flat(metrics: dict) -> dict:
    return {f"{name}.{field}": v for name, m in metrics.items() for field, v in m.items()}


def same(a, b):
    """Identical verdict, metrics, slices and findings."""
    assert a.verdict == b.verdict
    assert {k: m.to_dict() for k, m in a.metrics.items()} == {k: m.to_dict() for k, m in b.metrics.items()}
    assert [s.to_dict() for s in a.slices] == [s.to_dict() for s in b.slices]
    assert [f.to_dict() for f in a.findings] == [f.to_dict() for f in b.findings]


def _numbers(d: dict) -> dict:
    return {k: (v if not (isinstance(v, float) and math.isnan(v)) else "nan") for k, v in flat(d).items()}


def approx_same(a, b, rel=1e-9):
    """Same verdicts, findings codes and slices; numbers equal up to floating-point summation order."""
    assert a.verdict == b.verdict
    assert _numbers(b.to_dict()["metrics"]) == pytest.approx(_numbers(a.to_dict()["metrics"]), rel=rel, abs=1e-12)
    assert [(s.slice, s.verdict) for s in a.slices] == [(s.slice, s.verdict) for s in b.slices]
    for sa, sb in zip(a.slices, b.slices, strict=True):
        assert _numbers(sb.to_dict()["metrics"]) == pytest.approx(_numbers(sa.to_dict()["metrics"]), rel=rel, abs=1e-12)
    assert [(f.severity, f.code, f.slice) for f in a.findings] == [(f.severity, f.code, f.slice) for f in b.findings]


def duckdb_source(tmp_path, **tables):
    """A DuckDB file holding the given DataFrames as tables, and a SqlSource on it."""
    import duckdb

    from airflow_evalguard.sources.sql import SqlSource

    db = str(tmp_path / "tables.duckdb")
    with duckdb.connect(db) as con:
        for name, frame in tables.items():
            con.register("frame", frame)
            con.execute(f'CREATE OR REPLACE TABLE "{name}" AS SELECT * FROM frame')
            con.unregister("frame")
    return SqlSource(database=db)
