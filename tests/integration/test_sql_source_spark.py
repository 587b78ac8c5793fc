"""SqlSource on Apache Spark: a real Spark Connect server on 127.0.0.1 (local[2]), reached through
an Airflow connection of type `spark_connect` and the apache-spark provider's SparkConnectHook.
Every aggregation in SQL_AGGREGATES runs there on the same data as the DuckDB and PostgreSQL
tests, and the check gives the same result as from rows (exactly, or up to floating-point
summation order); a missing table or column is an input error; hostile names stay identifiers.

All Spark tests are in this one file: `make test` runs files whole on a worker (--dist
loadfile), so the JVM starts once."""

import numpy as np
import pandas as pd
import pytest

from tests.sources.test_equivalence import DIMS, TZ, _pandas_cells, _rr, _same, _sw

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def spark(tmp_path_factory):
    from tests.integration.spark_server import SparkConnectServer

    server = SparkConnectServer(tmp_path_factory.mktemp("spark") / "server")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def spark_conn(spark, monkeypatch):
    monkeypatch.setenv("AIRFLOW_CONN_EVALGUARD_SPARK", f"spark-connect://127.0.0.1:{spark.port}")
    return "evalguard_spark"


def _resolve(name: str, spec: dict):
    from airflow_evalguard.sources.specs import resolve_inputs

    return resolve_inputs({name: spec})[name]


def test_sampling_window_across_a_dst_change_pushed_down_to_spark(spark, spark_conn):
    from airflow_evalguard.demo.data import eval_sample, production_traffic, reference_counts
    from airflow_evalguard.run import run_check
    from airflow_evalguard.sources.spark_connect import SparkConnectSource

    traffic = production_traffic(20_000, seed=9)
    shift = pd.Timedelta(days=17)  # 2026-10-18 .. 2026-11-01: Berlin goes from UTC+2 to UTC+1 inside
    rows = eval_sample(traffic, 2500, fault="cron_window", seed=9).assign(ts=lambda r: r["ts"] + shift)
    spark.load("eval_sample", rows[["ts", *DIMS]])
    spec = {"sql": "sampling_window_counts", "conn_id": spark_conn, "table": "eval_sample", "dimensions": DIMS}
    counts = _resolve("sample", {**spec, "timezone": TZ})
    assert int(counts["count"].sum()) == len(rows)
    reference = reference_counts(traffic)
    _same(_sw(rows, reference), _sw(counts, reference))
    result = run_check(
        "sampling_window", {"sample": counts, "reference": reference}, {"dimensions": DIMS, "timezone": TZ}
    )
    source = result.params["input_sources"]["sample"]
    assert source["dialect"] == "spark" and "FROM_UTC_TIMESTAMP" in source["hour_method"] and source["hour_exact"]
    from airflow_evalguard.sources.sql import SqlSource

    assert isinstance(SqlSource(conn_id=spark_conn).hook, SparkConnectSource)


def test_refusal_cells_pushed_down_to_spark(spark, spark_conn):
    from airflow_evalguard.demo.behaviour import refusal_labels

    base, cand = refusal_labels("sft_strips_refusals", seed=5)
    spark.load("baseline", base)
    spark.load("candidate", cand)
    spec = {"sql": "refusal_cells", "conn_id": spark_conn, "baseline_table": "baseline", "candidate_table": "candidate"}
    cells = _resolve("cells", spec)
    key = ["category", "expected", "baseline", "candidate"]
    expected = _pandas_cells(base, cand)
    assert (
        cells.sort_values(key).reset_index(drop=True)[key + ["count"]].astype(str).values.tolist()
        == expected.sort_values(key).reset_index(drop=True)[key + ["count"]].astype(str).values.tolist()
    )
    _same(_rr(baseline=base, candidate=cand), _rr(cells=cells))


def test_slice_score_moments_and_cells_pushed_down_to_spark(spark, spark_conn):
    from airflow_evalguard.run import run_check
    from tests.sources.same import approx_same
    from tests.sources.test_slice_score_aggregates import PARAMS, _grades, _moments

    teacher, student = _grades(0.6, seed=14)
    spark.load("teacher", teacher)
    spark.load("student", student)
    spec = {"conn_id": spark_conn, "left_table": "teacher", "right_table": "student"}
    kw = {"id_column": "example_id", "by": ["skill", "lang"], "value": "score"}
    approx_same(
        run_check("slice_retention", {"teacher": teacher, "student": student}, PARAMS),
        run_check("slice_retention", {"cells": _resolve("cells", {"sql": "paired_cells", **spec, **kw})}, PARAMS),
    )
    approx_same(
        run_check("slice_retention", {"moments": _moments(teacher, student)}, PARAMS),
        run_check("slice_retention", {"moments": _resolve("moments", {"sql": "paired_moments", **spec, **kw})}, PARAMS),
    )


def test_label_counts_pushed_down_to_spark(spark, spark_conn):
    from airflow_evalguard.demo.instruments import labeler_batches
    from airflow_evalguard.run import run_check
    from tests.sources.same import approx_same

    rows, gold = labeler_batches("labelers_homogenize", seed=6, batches=3, items=60)
    spark.load("labels", rows)
    counts = _resolve("label_counts", {"sql": "label_counts", "conn_id": spark_conn, "table": "labels"})
    expected = rows.groupby(["batch", "item_id", "label"]).size().rename("count").reset_index()
    key = ["batch", "item_id", "label"]
    assert counts.sort_values(key)[key + ["count"]].astype(str).values.tolist() == (
        expected.sort_values(key)[key + ["count"]].astype(str).values.tolist()
    )
    params = {"n_boot": 200}
    approx_same(
        run_check("labeler_agreement", {"label_counts": expected, "gold": gold}, params),
        run_check("labeler_agreement", {"label_counts": counts, "gold": gold}, params),
    )


def test_latency_histogram_pushed_down_to_spark(spark, spark_conn):
    from airflow_evalguard.demo import serving
    from airflow_evalguard.run import run_check
    from airflow_evalguard.sources.histograms import latency_histogram
    from tests.sources.same import same
    from tests.sources.test_latency_histograms import PARAMS

    rows = serving.requests("cold_start_tail", seed=4)
    spark.load("requests", rows)
    pushed = _resolve("histogram", {"sql": "latency_histogram", "conn_id": spark_conn, "table": "requests"})
    expected = latency_histogram(rows)
    key = ["endpoint", "latency_class", "is_cold", "bin"]
    assert pushed.sort_values(key)[key + ["count"]].astype(str).values.tolist() == (
        expected.sort_values(key)[key + ["count"]].astype(str).values.tolist()
    )
    same(
        run_check("latency_tail", {"histogram": expected}, PARAMS),
        run_check("latency_tail", {"histogram": pushed}, PARAMS),
    )


def test_judge_and_rubric_aggregates_pushed_down_to_spark(spark, spark_conn):
    from airflow_evalguard.demo.instruments import PINNED_JUDGE, judge_records, rubric_ratings
    from airflow_evalguard.run import run_check
    from tests.sources.same import approx_same, same

    scores, anchors = judge_records("judge_silently_updated", seed=15)
    scores = scores.assign(parse_error=np.arange(len(scores)) % 89 == 0)
    ratings = rubric_ratings("rubric_two_axis_drift", seed=15)
    spark.load("scores", scores)
    spark.load("ratings", ratings)
    params = {"pinned_judge": [PINNED_JUDGE], "n_boot": 300}
    counts = _resolve(
        "score_counts",
        {"sql": "judge_score_counts", "conn_id": spark_conn, "table": "scores", "parse_error": "parse_error"},
    )
    same(
        run_check("judge_drift", {"scores": scores, "anchors": anchors}, params),
        run_check("judge_drift", {"score_counts": counts, "anchors": anchors}, params),
    )
    sums = _resolve("item_sums", {"sql": "rubric_item_sums", "conn_id": spark_conn, "table": "ratings"})
    approx_same(
        run_check("rubric_drift", {"ratings": ratings}, {"n_boot": 300}),
        run_check("rubric_drift", {"item_sums": sums}, {"n_boot": 300}),
    )


def test_assignment_tables_and_exact_quartiles_on_spark(spark, spark_conn):
    """Quartile edges by Spark's exact percentile() (not percentile_approx), equal to numpy's."""
    from airflow_evalguard.run import run_check
    from airflow_evalguard.sources.sql import SqlSource
    from airflow_evalguard.sources.sql_assignment import quartile_edges
    from tests.sources.same import approx_same
    from tests.sources.test_assignment_aggregates import PARAMS, _units

    units = _units(8000, True, seed=13)
    spark.load("units", units)
    source = SqlSource(conn_id=spark_conn)
    pushed = source.assignment_tables(
        "units", categorical=["language"], binned=["prompt_tokens"], numeric=["prompt_tokens", "y"]
    )
    result = run_check("assignment_integrity", pushed, PARAMS)
    approx_same(run_check("assignment_integrity", {"units": units}, PARAMS), result)
    assert result.params["input_sources"]["field_counts"]["quantile_method"] == "percentile"
    assert result.params["input_sources"]["field_counts"]["quantile_exact"] is True
    values = np.round(np.random.default_rng(3).gamma(2.0, 40.0, 801), 0)
    spark.load("lengths", pd.DataFrame({"prompt_len": values}))
    distinct, edges = quartile_edges(source, "lengths", "prompt_len")
    assert distinct == len(np.unique(values))
    np.testing.assert_allclose(edges, np.quantile(values, [0, 0.25, 0.5, 0.75, 1]), rtol=1e-12)


@pytest.fixture(scope="module")
def labels_small(spark):
    spark.load("labels_small", pd.DataFrame({"batch": ["b1", "b1"], "item_id": [1, 1], "label": ["yes", "no"]}))
    return "labels_small"


@pytest.mark.parametrize(
    "spec, named",
    [
        ({"table": "no_such_table"}, "TABLE_OR_VIEW_NOT_FOUND"),
        ({"table": "missing_schema.labels_small"}, "TABLE_OR_VIEW_NOT_FOUND"),
        ({"table": "labels_small", "label": "verdict"}, "`verdict` cannot be resolved"),
    ],
)
def test_a_missing_table_or_column_is_an_input_error(labels_small, spark_conn, spec, named):
    from airflow_evalguard.exceptions import EvalGuardInputError

    with pytest.raises(EvalGuardInputError) as caught:
        _resolve("labels_in", {"sql": "label_counts", "conn_id": spark_conn, **spec})
    message = str(caught.value)
    assert message.startswith("input 'labels_in' (sql label_counts)") and named in message and "(Spark" in message
    assert caught.value.input_name == "labels_in" and len(message) < 500


# Spark's catalog accepts only letters, digits and _ in table names, so the hostile names are columns.
HOSTILE = ['x"; DROP TABLE victims; --', "x\\", "x`; DROP TABLE victims; --", "a -- b", "a /* b */ c", "it's"]


def test_hostile_identifiers_stay_identifiers_on_spark(spark, spark_conn):
    from airflow_evalguard.sources.sql import SqlSource

    spark.load("victims", pd.DataFrame({"a": [1, 2]}))
    frame = pd.DataFrame({"b": ["b1", "b1"], "i": [1, 1]})
    for index, name in enumerate(HOSTILE):
        frame[name] = ["yes", "no"] if index == 0 else ["x", "x"]
    spark.load("hostile", frame)
    source = SqlSource(conn_id=spark_conn)
    for name in HOSTILE:
        counts = source.label_counts("hostile", batch="b", item="i", label=name)
        assert int(counts["count"].sum()) == 2, name
    assert sorted(source.label_counts("hostile", batch="b", item="i", label=HOSTILE[0])["label"]) == ["no", "yes"]
    session = spark.session()
    try:
        assert session.sql("SELECT count(*) AS n FROM victims").collect()[0]["n"] == 2
    finally:
        session.stop()
