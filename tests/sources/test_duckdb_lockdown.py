"""A DuckDB spec comes from a rendered template: it must not reach the worker's files, network or
extension loader, unless the DAG author (not the template) says so."""

import socket
import threading

import duckdb
import pandas as pd
import pytest

from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.sources.specs import resolve_inputs
from airflow_evalguard.sources.sql import SqlSource


def _labels_db(path):
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE labels (batch TEXT, item_id INTEGER, label TEXT)")
        con.execute("INSERT INTO labels VALUES ('b1', 1, 'yes'), ('b1', 1, 'no'), ('b1', 2, 'yes')")
    return str(path)


@pytest.fixture
def csv_file(tmp_path):
    path = tmp_path / "secret.csv"
    path.write_text("batch,item_id,label\nleak,1,leaked\n")
    return str(path)


class _Listener:
    """A TCP port that records whether anything connected to it."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(4)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self):
        self.stop.set()
        self.thread.join()
        self.sock.close()


@pytest.fixture
def listener():
    server = _Listener()
    yield server
    server.close()


def _spec(table, **extra):
    return {"sql": "label_counts", "table": table, **extra}


@pytest.mark.parametrize("table", ["/etc/passwd", "/etc/passwd.csv"])
def test_a_system_path_as_table_is_refused(table):
    # Without a known extension DuckDB does not even try to scan it: then the table does not exist.
    with pytest.raises(EvalGuardInputError, match="external access|does not exist"):
        resolve_inputs({"label_counts": _spec(table)})


def test_a_csv_path_as_table_is_refused_and_not_read(csv_file):
    with pytest.raises(EvalGuardInputError, match="external access") as caught:
        resolve_inputs({"label_counts": _spec(csv_file)})
    assert "leak" not in str(caught.value)


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_a_url_as_table_is_refused_without_a_connection(listener, scheme):
    url = f"{scheme}://127.0.0.1:{listener.port}/x.csv"
    with pytest.raises(EvalGuardInputError, match="external access"):
        resolve_inputs({"label_counts": _spec(url)})
    assert listener.connections == 0


def test_the_trusted_argument_reenables_external_access(csv_file):
    counts = resolve_inputs({"label_counts": _spec(csv_file)}, sql_external_access=True)["label_counts"]
    assert counts.to_dict("records") == [{"batch": "leak", "item_id": 1, "label": "leaked", "count": 1}]


def test_the_trust_flag_must_be_a_real_boolean(csv_file):
    with pytest.raises(EvalGuardInputError, match="sql_external_access"):
        resolve_inputs({"label_counts": _spec(csv_file)}, sql_external_access="false")


def test_python_variables_are_never_scanned(tmp_path):
    frame = pd.DataFrame({"batch": ["x"], "item_id": [1], "label": ["from python"]})  # noqa: F841
    with pytest.raises(EvalGuardInputError, match="frame"):
        SqlSource(external_access=True).label_counts("frame")


@pytest.mark.parametrize(
    "config",
    [
        {"allow_unsigned_extensions": True},
        {"custom_extension_repository": "http://127.0.0.1:1/ext"},
        {"enable_external_access": True},
        {"lock_configuration": False},
        {"memory_limit": "1GB", "autoinstall_known_extensions": True},
    ],
)
def test_duckdb_config_keys_outside_the_allow_list_are_refused(config, tmp_path):
    bad = [key for key in config if key not in ("memory_limit",)][0]
    with pytest.raises(EvalGuardInputError, match=bad):
        resolve_inputs(
            {"label_counts": _spec("labels", database=_labels_db(tmp_path / "x.duckdb"), duckdb_config=config)}
        )


def test_a_bad_config_value_is_an_input_error(tmp_path):
    with pytest.raises(EvalGuardInputError, match="memory_limit"):
        resolve_inputs(
            {
                "label_counts": _spec(
                    "labels", database=_labels_db(tmp_path / "x.duckdb"), duckdb_config={"memory_limit": "lots"}
                )
            }
        )


@pytest.mark.parametrize("threads", [20_000, 0, -1, "4", 1.5, True])
def test_threads_are_capped_at_the_workers_cpus(tmp_path, threads):
    with pytest.raises(EvalGuardInputError, match="threads"):
        SqlSource(database=_labels_db(tmp_path / "x.duckdb"), duckdb_config={"threads": threads})


def test_allowed_config_is_applied_and_then_locked(tmp_path):
    source = SqlSource(
        database=_labels_db(tmp_path / "x.duckdb"), duckdb_config={"threads": 1, "memory_limit": "256MB"}
    )
    conn = source.hook.get_conn()
    try:
        assert conn.execute("SELECT current_setting('threads')").fetchone()[0] == 1
        assert conn.execute("SELECT current_setting('enable_external_access')").fetchone()[0] is False
        with pytest.raises(duckdb.Error, match="locked"):
            conn.execute("SET enable_external_access = true")
    finally:
        conn.close()


def test_an_existing_database_is_opened_read_only(tmp_path):
    db = _labels_db(tmp_path / "x.duckdb")
    counts = resolve_inputs({"label_counts": _spec("labels", database=db)})["label_counts"]
    assert int(counts["count"].sum()) == 3
    conn = SqlSource(database=db).hook.get_conn()
    try:
        with pytest.raises(duckdb.Error, match="read-only"):
            conn.execute("DROP TABLE labels")
    finally:
        conn.close()


def test_a_new_database_outside_the_configured_directory_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("AIRFLOW__EVALGUARD__DUCKDB_DIRECTORY", str(tmp_path / "allowed"))
    target = tmp_path / "elsewhere" / "new.duckdb"
    with pytest.raises(EvalGuardInputError, match="duckdb_directory"):
        resolve_inputs({"label_counts": _spec("labels", database=str(target))})
    assert not target.exists() and not target.parent.exists()
    escape = tmp_path / "allowed" / ".." / "escape.duckdb"
    with pytest.raises(EvalGuardInputError, match="duckdb_directory"):
        SqlSource(database=str(escape)).hook.get_conn()
    assert not (tmp_path / "escape.duckdb").exists()


def test_a_new_database_without_a_configured_directory_is_refused(tmp_path, monkeypatch):
    monkeypatch.delenv("AIRFLOW__EVALGUARD__DUCKDB_DIRECTORY", raising=False)
    with pytest.raises(EvalGuardInputError, match="duckdb_directory"):
        SqlSource(database=str(tmp_path / "new.duckdb")).hook.get_conn()
    assert not (tmp_path / "new.duckdb").exists()


def test_a_database_inside_the_configured_directory_is_writable(tmp_path, monkeypatch):
    allowed = tmp_path / "allowed"
    allowed.mkdir()
    monkeypatch.setenv("AIRFLOW__EVALGUARD__DUCKDB_DIRECTORY", str(allowed))
    conn = SqlSource(database=str(allowed / "scratch.duckdb")).hook.get_conn()
    try:
        conn.execute("CREATE TABLE t AS SELECT 1 AS x")
    finally:
        conn.close()
    assert (allowed / "scratch.duckdb").exists()


@pytest.mark.parametrize("database", ["md:my_db", "s3://bucket/x.duckdb", "/etc/passwd"])
def test_a_database_that_is_not_a_local_duckdb_file_is_refused(database):
    with pytest.raises(EvalGuardInputError, match="database"):
        resolve_inputs({"label_counts": _spec("labels", database=database)})


def test_temp_directory_only_inside_the_configured_directory(tmp_path, monkeypatch):
    monkeypatch.setenv("AIRFLOW__EVALGUARD__DUCKDB_DIRECTORY", str(tmp_path / "allowed"))
    db = _labels_db(tmp_path / "x.duckdb")
    with pytest.raises(EvalGuardInputError, match="temp_directory"):
        SqlSource(database=db, duckdb_config={"temp_directory": str(tmp_path / "spill")})
    SqlSource(database=db, duckdb_config={"temp_directory": str(tmp_path / "allowed" / "spill")}).label_counts("labels")


@pytest.mark.parametrize(
    "name",
    [
        'x"; DROP TABLE victims; --',
        "x\\",
        'x\\"',
        "a -- b",
        "a /* b */ c",
        "semi;colon",
        "it's",
    ],
)
def test_hostile_identifiers_stay_identifiers(tmp_path, name):
    db = str(tmp_path / "h.duckdb")
    quoted = '"' + name.replace('"', '""') + '"'
    with duckdb.connect(db) as con:
        con.execute("CREATE TABLE victims (a INTEGER)")
        con.execute(f"CREATE TABLE {quoted} ({quoted} TEXT, item_id INTEGER, label TEXT)")
        con.execute(f"INSERT INTO {quoted} VALUES ('b', 1, 'yes')")
    counts = SqlSource(database=db).label_counts(name, batch=name)
    assert counts.to_dict("records") == [{"batch": "b", "item_id": 1, "label": "yes", "count": 1}]
    with pytest.raises(EvalGuardInputError, match="does not exist"):
        SqlSource(database=db).label_counts(name + "_missing", batch=name)
    with duckdb.connect(db) as con:
        assert con.execute("SELECT count(*) FROM victims").fetchone() == (0,)


def _run_operator(tmp_path, table, **kwargs):
    from types import SimpleNamespace

    from airflow_evalguard.operators.evalguard import EvalGuardOperator

    operator = EvalGuardOperator(
        task_id="gate",
        check="labeler_agreement",
        artifact_root=str(tmp_path / "artifacts"),
        inputs={"label_counts": _spec(table)},
        **kwargs,
    )
    ti = SimpleNamespace(dag_id="d", run_id="r", task_id="gate", try_number=1, map_index=-1, xcom_push=lambda **_: None)
    try:
        operator.execute({"ti": ti})
    except Exception as exc:  # the gate's verdict on one row does not matter here, only the input
        return exc
    return None


def test_the_operator_keeps_external_access_off_by_default(tmp_path, csv_file):
    from airflow_evalguard.compat import AirflowFailException

    outcome = _run_operator(tmp_path, csv_file)
    assert isinstance(outcome, AirflowFailException) and "external access" in str(outcome)
    assert not list(tmp_path.rglob("result.json"))


def test_the_operator_argument_reenables_external_access(tmp_path):
    from airflow_evalguard.operators.evalguard import EvalGuardOperator

    rows = [
        f"b{batch},{item},{'yes' if (item + rater) % 3 else 'no'}"
        for batch in (1, 2)
        for item in range(40)
        for rater in range(3)
    ]
    labels = tmp_path / "labels.csv"
    labels.write_text("batch,item_id,label\n" + "\n".join(rows) + "\n")
    assert "sql_external_access" not in EvalGuardOperator.template_fields
    outcome = _run_operator(tmp_path, str(labels), sql_external_access=True)
    assert "external access" not in str(outcome)
    assert list(tmp_path.rglob("result.json"))  # the CSV was read and the check ran
    with pytest.raises(ValueError, match="sql_external_access"):
        EvalGuardOperator(task_id="g", check="labeler_agreement", inputs={}, sql_external_access="{{ params.x }}")
