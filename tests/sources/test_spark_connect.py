"""sources.spark_connect without a Spark server: the URL from an Airflow `spark_connect`
connection, the hook SqlSource picks for it, and which Spark errors are input errors. Spark
itself runs in tests/integration/test_sql_source_spark.py."""

import subprocess
import sys

import pytest


def test_a_spark_connect_connection_gives_a_spark_source(monkeypatch):
    from airflow_evalguard.sources.spark_connect import SparkConnectSource
    from airflow_evalguard.sources.sql import SqlSource

    monkeypatch.setenv("AIRFLOW_CONN_EG_SPARK_UNIT", "spark-connect://spark.internal:15002")
    source = SqlSource(conn_id="eg_spark_unit")
    assert isinstance(source.hook, SparkConnectSource)
    assert source.hook.url.startswith("sc://spark.internal:15002/")
    assert (source.dialect, source.placeholder) == ("spark", None)


def test_the_token_goes_into_the_url_quoted(monkeypatch):
    from airflow_evalguard.sources.spark_connect import SparkConnectSource

    monkeypatch.setenv("AIRFLOW_CONN_EG_SPARK_TOKEN", "spark-connect://user:to%3Bken@127.0.0.1:15002")
    url = SparkConnectSource.from_connection("eg_spark_token").url
    assert url.startswith("sc://127.0.0.1:15002/;") and "token=to%3Bken" in url and "user_id=user" in url


def test_spark_analysis_errors_are_input_errors_and_a_lost_server_is_not():
    from pyspark.errors.exceptions.connect import AnalysisException, ParseException, SparkConnectGrpcException

    from airflow_evalguard.sources.sql_errors import as_input_error

    missing = AnalysisException(
        message="[TABLE_OR_VIEW_NOT_FOUND] The table or view `nope` cannot be found.\nSearch path: ...\nJVM stacktrace",
        errorClass="TABLE_OR_VIEW_NOT_FOUND",
        sql_state="42P01",
    )
    refused = as_input_error(missing)
    assert refused is not None
    assert str(refused) == "[TABLE_OR_VIEW_NOT_FOUND] The table or view `nope` cannot be found. (Spark, SQLSTATE 42P01)"
    assert as_input_error(ParseException(message="[PARSE_SYNTAX_ERROR] Syntax error at or near 'FROM'")) is not None
    assert as_input_error(SparkConnectGrpcException(message="failed to connect to all addresses")) is None


def test_choosing_the_spark_source_imports_no_pyspark():
    """pyspark loads when a query runs, never when a DAG (or SqlSource) is built."""
    code = (
        "import sys\n"
        "from airflow_evalguard.sources.sql import SqlSource\n"
        "from airflow_evalguard.sources.spark_connect import SparkConnectSource\n"
        "SqlSource(hook=SparkConnectSource('sc://127.0.0.1:1'))\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pyspark', 'py4j')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_without_pyspark_the_spec_is_refused_with_the_extra_to_install(monkeypatch):
    from airflow_evalguard.exceptions import EvalGuardInputError
    from airflow_evalguard.sources.spark_connect import SparkConnectSource

    monkeypatch.setitem(sys.modules, "pyspark.sql", None)  # as if pyspark were not installed
    with pytest.raises(EvalGuardInputError, match=r"airflow-evalguard\[spark\]"):
        SparkConnectSource("sc://127.0.0.1:1").get_conn()
