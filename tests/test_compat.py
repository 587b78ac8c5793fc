"""compat resolves every moved Airflow name to the class this Airflow defines."""

import airflow.sdk

from airflow_evalguard import compat


def test_every_name_resolves():
    for name in compat.__all__:
        assert getattr(compat, name) is not None, name


def test_names_are_the_task_sdks():
    assert compat.BaseOperator is airflow.sdk.BaseOperator
    assert compat.BaseSensorOperator is airflow.sdk.BaseSensorOperator
    assert issubclass(compat.AirflowFailException, compat.AirflowException)
    assert issubclass(compat.AirflowSkipException, compat.AirflowException)
    assert compat.airflow_conf.get("core", "dags_folder") is not None
