"""A check gives the same verdict and metrics from rows and from its sufficient statistics,
whether those are aggregated by pandas, streamed from parquet, or pushed down to DuckDB or
PostgreSQL (sampling_window: counts per stratum; refusal_regression: paired cells)."""

import duckdb
import pandas as pd
import pytest

from airflow_evalguard.demo.behaviour import refusal_labels
from airflow_evalguard.demo.data import eval_sample, production_traffic, reference_counts
from airflow_evalguard.run import run_check
from airflow_evalguard.sources import stream
from airflow_evalguard.sources.sql import SqlSource
from tests.sources.same import duckdb_source
from tests.sources.same import flat as _flat
from tests.sources.same import same as _same

DIMS = ["region", "source", "is_retry"]
TZ = "Europe/Berlin"  # local hours; the samples are moved to span the 2026-10-25 DST change


@pytest.fixture(scope="module")
def mix():
    traffic = production_traffic(30_000, seed=4)
    shift = pd.Timedelta(days=17)  # 2026-10-18 .. 2026-11-01: Berlin goes from UTC+2 to UTC+1 inside
    biased, fair = (
        s.assign(ts=s["ts"] + shift)
        for s in (eval_sample(traffic, 3000, fault="cron_window", seed=4), eval_sample(traffic, 3000, seed=4))
    )
    return biased, fair, reference_counts(traffic)


def _sw(sample, reference):
    return run_check(
        "sampling_window",
        {"sample": sample, "reference": reference},
        {"dimensions": DIMS, "timezone": TZ, "n_boot": 400},
    )


def _pandas_counts(rows):
    hours = rows["ts"].dt.tz_convert(TZ).dt.hour.rename("hour_of_day")
    return (
        rows.assign(hour_of_day=hours)
        .groupby(["hour_of_day", *DIMS], observed=True)
        .size()
        .rename("count")
        .reset_index()
    )


@pytest.mark.parametrize("which", [0, 1])
def test_sampling_window_rows_equal_counts(mix, which):
    rows, reference = mix[which], mix[2]
    _same(_sw(rows, reference), _sw(_pandas_counts(rows), reference))


def test_sampling_window_counts_streamed_and_pushed_down_to_duckdb(mix, tmp_path):
    rows, reference = mix[0], mix[2]
    rows.to_parquet(tmp_path / "sample.parquet", row_group_size=700)
    streamed = stream.sampling_window_counts(str(tmp_path / "sample.parquet"), dimensions=DIMS, timezone=TZ)
    db = str(tmp_path / "eval.duckdb")
    with duckdb.connect(db) as con:
        con.register("rows_df", rows)
        con.execute('CREATE TABLE "eval sample" AS SELECT * FROM rows_df')
    pushed = SqlSource(database=db).sampling_window_counts("eval sample", dimensions=DIMS, timezone=TZ)
    expected = _sw(rows, reference)
    for counts in (streamed, pushed):
        _same(expected, _sw(counts, reference))


def _rr(**inputs):
    return run_check("refusal_regression", inputs, {})


def _pandas_cells(base, cand):
    paired = base.merge(cand[["prompt_id", "label"]], on="prompt_id", suffixes=("_b", "_c"))
    return (
        paired.groupby(["category", "expected", "label_b", "label_c"], observed=True)
        .size()
        .rename("count")
        .reset_index()
        .rename(columns={"label_b": "baseline", "label_c": "candidate"})
    )


@pytest.mark.parametrize("fault", [None, "sft_strips_refusals"])
def test_refusal_regression_rows_equal_cells(fault, tmp_path):
    base, cand = refusal_labels(fault, seed=3)
    from_rows = _rr(baseline=base, candidate=cand)
    _same(from_rows, _rr(cells=_pandas_cells(base, cand)))
    # streamed from a paired parquet table, and pushed down to DuckDB
    paired = base.merge(cand[["prompt_id", "label"]], on="prompt_id", suffixes=("", "_candidate")).rename(
        columns={"label": "baseline_label", "label_candidate": "candidate_label"}
    )
    paired.to_parquet(tmp_path / "paired.parquet", row_group_size=100)
    _same(from_rows, _rr(cells=stream.refusal_cells(str(tmp_path / "paired.parquet"))))
    _same(
        from_rows,
        _rr(cells=duckdb_source(tmp_path, baseline=base, candidate=cand).refusal_cells("baseline", "candidate")),
    )


def test_bad_cells_and_mixed_inputs_are_refused():
    from airflow_evalguard.exceptions import EvalGuardInputError

    base, cand = refusal_labels(None)
    cells = _pandas_cells(base, cand)
    with pytest.raises(EvalGuardInputError, match=r"either input\(s\) 'baseline' and 'candidate'"):
        _rr(baseline=base, candidate=cand, cells=cells)
    with pytest.raises(EvalGuardInputError, match="whole number"):
        _rr(cells=cells.assign(count=cells["count"] + 0.5))
    with pytest.raises(EvalGuardInputError, match="whole number"):
        _sw(
            pd.DataFrame(
                {"hour_of_day": [1], "region": ["us"], "source": ["web"], "is_retry": [False], "count": [2.5]}
            ),
            reference_counts(production_traffic(2000)),
        )


def test_identifiers_are_quoted_and_values_bound(tmp_path):
    from airflow_evalguard.sources.sql_tree import table

    assert table('analytics.eval "sample"', "duckdb").sql("duckdb") == '"analytics"."eval ""sample"""'
    db = str(tmp_path / "x.duckdb")
    hostile = 'x"; DROP TABLE victims; --'
    with duckdb.connect(db) as con:
        con.execute("CREATE TABLE victims (a INTEGER)")
        con.execute(f'CREATE TABLE "{hostile.replace(chr(34), chr(34) * 2)}" (ts TIMESTAMPTZ, region TEXT)')
        con.execute(
            f'INSERT INTO "{hostile.replace(chr(34), chr(34) * 2)}" '
            "VALUES (TIMESTAMPTZ '2026-01-01 10:00:00+00', 'us')"
        )
    counts = SqlSource(database=db).sampling_window_counts(hostile, dimensions=["region"], timezone="UTC")
    assert counts.to_dict("records") == [{"hour_of_day": 10, "region": "us", "count": 1}]
    with duckdb.connect(db) as con:
        assert con.execute("SELECT count(*) FROM victims").fetchone() == (0,)


@pytest.mark.parametrize("fault", [None, "distill_drops_rare_slice"])
def test_slice_retention_rows_equal_cells(fault):
    from airflow_evalguard.demo.behaviour import distillation_grades

    teacher, student = distillation_grades(fault, seed=2, n=6000)
    params = {"slice_columns": ["skill"]}
    from_rows = run_check("slice_retention", {"teacher": teacher, "student": student}, params)
    paired = teacher.merge(student[["example_id", "correct"]], on="example_id", suffixes=("_t", "_s"))
    cells = (
        paired.groupby(["skill", "correct_t", "correct_s"], observed=True)
        .size()
        .rename("count")
        .reset_index()
        .rename(columns={"correct_t": "teacher_correct", "correct_s": "student_correct"})
    )
    _same(from_rows, run_check("slice_retention", {"cells": cells}, params))


@pytest.mark.parametrize("fault", [None, "labelers_homogenize"])
def test_labeler_agreement_rows_equal_label_counts(fault, tmp_path):
    from airflow_evalguard.demo.instruments import labeler_batches

    labels, gold = labeler_batches(fault, seed=1)
    params = {"level": "ordinal", "n_boot": 400}
    from_rows = run_check("labeler_agreement", {"labels": labels, "gold": gold}, params)
    counts = labels.groupby(["batch", "item_id", "label"], observed=True).size().rename("count").reset_index()
    db = str(tmp_path / "labels.duckdb")
    with duckdb.connect(db) as con:
        con.register("l", labels)
        con.execute("CREATE TABLE labels AS SELECT * FROM l")
    pushed = SqlSource(database=db).label_counts("labels")
    for aggregated in (counts, pushed):
        from_counts = run_check("labeler_agreement", {"label_counts": aggregated, "gold": gold}, params)
        assert from_rows.verdict == from_counts.verdict
        # equal up to floating-point summation order (items are visited in another order)
        assert _flat(from_counts.to_dict()["metrics"]) == pytest.approx(
            _flat(from_rows.to_dict()["metrics"]), rel=1e-9, abs=1e-12
        )
        # the number of labelers per batch is the one thing counts cannot tell
        strip = [
            {**s.to_dict(), "metrics": {k: v for k, v in s.to_dict()["metrics"].items() if k != "labelers"}}
            for s in from_rows.slices
        ]
        got = [s.to_dict() for s in from_counts.slices]
        assert [s["slice"] for s in got] == [s["slice"] for s in strip]
        for a, b in zip(got, strip, strict=True):
            assert a["verdict"] == b["verdict"]
            assert _flat(a["metrics"]) == pytest.approx(_flat(b["metrics"]), rel=1e-9, abs=1e-12)


def test_generic_streamed_counts_give_slice_cells_and_label_counts(tmp_path):
    """stream.counts over a paired table is slice_retention's `cells`; over labels, `label_counts`."""
    from airflow_evalguard.demo.behaviour import distillation_grades

    teacher, student = distillation_grades("distill_drops_rare_slice", seed=4, n=5000)
    paired = teacher.merge(student[["example_id", "correct"]], on="example_id", suffixes=("", "_s")).rename(
        columns={"correct": "teacher_correct", "correct_s": "student_correct"}
    )
    paired.to_parquet(tmp_path / "paired.parquet", row_group_size=400)
    cells = stream.counts(str(tmp_path / "paired.parquet"), ["skill", "teacher_correct", "student_correct"])
    params = {"slice_columns": ["skill"]}
    _same(
        run_check("slice_retention", {"teacher": teacher, "student": student}, params),
        run_check("slice_retention", {"cells": cells}, params),
    )
    with pytest.raises(Exception, match="at least one column"):
        stream.counts(str(tmp_path / "paired.parquet"), [])
