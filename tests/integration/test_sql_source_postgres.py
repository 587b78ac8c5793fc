"""SqlSource against a real PostgreSQL server on 127.0.0.1, through an Airflow connection and the
postgres provider's hook: the pushed-down aggregates equal the pandas ones, and the check gives
the same verdict and metrics as from rows."""

import pytest

from tests.sources.test_equivalence import DIMS, TZ, _pandas_cells, _rr, _same, _sw

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def postgres():
    import shutil
    import tempfile
    from pathlib import Path

    from tests.integration.postgres_server import PostgresServer

    # Not under pytest's tmp dir: that is private to root, and the server runs as `postgres`.
    base = Path(tempfile.mkdtemp(prefix="evalguard-pg-"))
    server = PostgresServer(base / "server")
    server.start()
    yield server
    server.stop()
    shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def pg_conn(postgres, monkeypatch):
    monkeypatch.setenv("AIRFLOW_CONN_EVALGUARD_PG", postgres.conn_uri())
    return "evalguard_pg"


def test_sampling_window_pushed_down_to_postgres(postgres, pg_conn):
    from airflow_evalguard.demo.data import eval_sample, production_traffic, reference_counts
    from airflow_evalguard.sources.sql import SqlSource

    traffic = production_traffic(20_000, seed=9)
    rows = eval_sample(traffic, 2500, fault="cron_window", seed=9)
    postgres.load("eval sample", rows[["ts", *DIMS]])
    source = SqlSource(conn_id=pg_conn)
    assert type(source.hook).__name__ == "PostgresHook"
    counts = source.sampling_window_counts("eval sample", dimensions=DIMS, timezone=TZ)
    assert int(counts["count"].sum()) == len(rows)
    reference = reference_counts(traffic)
    _same(_sw(rows, reference), _sw(counts, reference))


def test_refusal_cells_pushed_down_to_postgres(postgres, pg_conn):
    from airflow_evalguard.demo.behaviour import refusal_labels
    from airflow_evalguard.sources.sql import SqlSource

    base, cand = refusal_labels("sft_strips_refusals", seed=5)
    postgres.load("baseline", base)
    postgres.load("candidate", cand)
    cells = SqlSource(conn_id=pg_conn).refusal_cells("baseline", "candidate")
    expected = _pandas_cells(base, cand)
    key = ["category", "expected", "baseline", "candidate"]
    assert (
        cells.sort_values(key).reset_index(drop=True)[key + ["count"]].astype(str).values.tolist()
        == expected.sort_values(key).reset_index(drop=True)[key + ["count"]].astype(str).values.tolist()
    )
    _same(_rr(baseline=base, candidate=cand), _rr(cells=cells))


def test_assignment_tables_pushed_down_to_postgres(postgres, pg_conn):
    """Quartile edges by percentile_cont, the bins by a CASE with bound edges, moments by SUM."""
    from airflow_evalguard.run import run_check
    from airflow_evalguard.sources.sql import SqlSource
    from tests.sources.same import approx_same
    from tests.sources.test_assignment_aggregates import PARAMS, _units

    units = _units(8000, True, seed=13)
    postgres.load("units", units)
    pushed = SqlSource(conn_id=pg_conn).assignment_tables(
        "units", categorical=["language"], binned=["prompt_tokens"], numeric=["prompt_tokens", "y"]
    )
    approx_same(
        run_check("assignment_integrity", {"units": units}, PARAMS), run_check("assignment_integrity", pushed, PARAMS)
    )


def test_slice_score_moments_and_cells_pushed_down_to_postgres(postgres, pg_conn):
    from airflow_evalguard.run import run_check
    from airflow_evalguard.sources.sql import SqlSource
    from tests.sources.same import approx_same
    from tests.sources.test_slice_score_aggregates import PARAMS, _grades, _moments

    teacher, student = _grades(0.6, seed=14)
    postgres.load("teacher", teacher)
    postgres.load("student", student)
    source = SqlSource(conn_id=pg_conn)
    kw = {"id_column": "example_id", "by": ["skill", "lang"], "value": "score"}
    approx_same(
        run_check("slice_retention", {"teacher": teacher, "student": student}, PARAMS),
        run_check("slice_retention", {"cells": source.paired_cells("teacher", "student", **kw)}, PARAMS),
    )
    approx_same(
        run_check("slice_retention", {"moments": _moments(teacher, student)}, PARAMS),
        run_check("slice_retention", {"moments": source.paired_moments("teacher", "student", **kw)}, PARAMS),
    )


def test_gate_pushes_its_aggregation_down_in_a_real_dag_run(postgres, pg_conn, sync_dag, tmp_path):
    """dag.test(): the gate's input is a spec; the GROUP BY runs in PostgreSQL when the task runs
    (through the Airflow connection), and the gate blocks the promotion."""
    import datetime as dt
    import json

    from airflow.sdk import DAG, task

    from airflow_evalguard.demo.behaviour import refusal_labels
    from airflow_evalguard.operators import RefusalRegressionGateOperator

    base, cand = refusal_labels("sft_strips_refusals", seed=8)
    postgres.load("baseline", base)
    postgres.load("candidate", cand)
    with DAG(
        dag_id="eg_pushdown_pg",
        schedule=None,
        start_date=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        catchup=False,
    ) as dag:
        gate = RefusalRegressionGateOperator(
            task_id="gate",
            artifact_root=str(tmp_path),
            cells={
                "sql": "refusal_cells",
                "conn_id": pg_conn,
                "baseline_table": "baseline",
                "candidate_table": "candidate",
            },
        )

        @task
        def promote():
            return "promoted"

        gate >> promote()
    dr = sync_dag(dag).test()
    assert {ti.task_id: ti.state for ti in dr.get_task_instances()} == {"gate": "failed", "promote": "upstream_failed"}
    (result,) = tmp_path.rglob("result.json")
    doc = json.loads(result.read_text())
    assert doc["verdict"] == "FAIL" and doc["params"]["input_form"] == "cells"
    assert _rr(baseline=base, candidate=cand).verdict.value == "FAIL"


def test_judge_and_rubric_aggregates_pushed_down_to_postgres(postgres, pg_conn):
    import numpy as np

    from airflow_evalguard.demo.instruments import PINNED_JUDGE, judge_records, rubric_ratings
    from airflow_evalguard.run import run_check
    from airflow_evalguard.sources.sql import SqlSource
    from tests.sources.same import approx_same, same

    scores, anchors = judge_records("judge_silently_updated", seed=15)
    scores = scores.assign(parse_error=np.arange(len(scores)) % 89 == 0)
    ratings = rubric_ratings("rubric_two_axis_drift", seed=15)
    postgres.load("scores", scores)
    postgres.load("ratings", ratings)
    source = SqlSource(conn_id=pg_conn)
    params = {"pinned_judge": [PINNED_JUDGE], "n_boot": 300}
    same(
        run_check("judge_drift", {"scores": scores, "anchors": anchors}, params),
        run_check(
            "judge_drift",
            {"score_counts": source.judge_score_counts("scores", parse_error="parse_error"), "anchors": anchors},
            params,
        ),
    )
    approx_same(
        run_check("rubric_drift", {"ratings": ratings}, {"n_boot": 300}),
        run_check("rubric_drift", {"item_sums": source.rubric_item_sums("ratings")}, {"n_boot": 300}),
    )


def _labels_table(postgres, name="labels"):
    quoted = '"' + name.replace('"', '""') + '"'
    with postgres.connect() as conn, conn.cursor() as cur:
        cur.execute(f"DROP TABLE IF EXISTS {quoted}")
        cur.execute(f"CREATE TABLE {quoted} (batch text, item_id integer, label text)")
        cur.execute(f"INSERT INTO {quoted} VALUES ('b1', 1, 'yes'), ('b1', 1, 'no')")


@pytest.mark.parametrize(
    "spec, named",
    [
        ({"table": "no_such_table"}, 'relation "no_such_table" does not exist'),
        ({"table": "missing_schema.labels"}, 'relation "missing_schema.labels" does not exist'),
        ({"table": "labels", "label": "verdict"}, 'column "verdict" does not exist'),
    ],
)
def test_a_missing_table_or_column_is_an_input_error(postgres, pg_conn, spec, named):
    """The same error on every retry: an input error naming the input and what is missing."""
    from airflow_evalguard.exceptions import EvalGuardInputError
    from airflow_evalguard.sources.specs import resolve_inputs

    _labels_table(postgres)
    with pytest.raises(EvalGuardInputError) as caught:
        resolve_inputs({"labels_in": {"sql": "label_counts", "conn_id": pg_conn, **spec}})
    message = str(caught.value)
    assert message.startswith("input 'labels_in' (sql label_counts)") and named in message
    assert caught.value.input_name == "labels_in" and len(message) < 400


def test_a_refused_connection_stays_retryable(postgres, monkeypatch):
    """A server that does not answer may answer on retry: not an input error."""
    from airflow_evalguard.exceptions import EvalGuardInputError
    from airflow_evalguard.sources.specs import resolve_inputs
    from tests.integration.s3_server import free_port

    monkeypatch.setenv("AIRFLOW_CONN_EVALGUARD_PG_DOWN", f"postgresql://evalguard@127.0.0.1:{free_port()}/postgres")
    with pytest.raises(Exception) as caught:
        resolve_inputs({"labels": {"sql": "label_counts", "conn_id": "evalguard_pg_down", "table": "labels"}})
    assert not isinstance(caught.value, EvalGuardInputError)


@pytest.mark.parametrize(
    "name", ['x"; DROP TABLE victims; --', "x\\", 'x\\"', "a -- b", "a /* b */ c", "semi;colon", "it's"]
)
def test_hostile_identifiers_stay_identifiers_in_postgres(postgres, pg_conn, name):
    from airflow_evalguard.sources.sql import SqlSource

    with postgres.connect() as conn, conn.cursor() as cur:
        cur.execute("CREATE TABLE IF NOT EXISTS victims (a integer)")
    _labels_table(postgres, name)
    counts = SqlSource(conn_id=pg_conn).label_counts(name)
    assert sorted(counts["label"]) == ["no", "yes"]
    with postgres.connect() as conn, conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM victims")
        assert cur.fetchone() == (0,)
