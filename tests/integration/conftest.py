"""Fixtures for tests that need a real Airflow metadata DB or a real S3 server."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def sync_dag(airflow_db):
    """Make a DAG built inside a test runnable by `dag.test()` (it must be serialized in the DB)."""
    from airflow.dag_processing.bundles.manager import DagBundlesManager
    from airflow.dag_processing.dagbag import DagBag, sync_bag_to_db

    DagBundlesManager().sync_bundles_to_db()

    def _sync(dag):
        bag = DagBag(collect_dags=False)
        bag.bag_dag(dag)
        sync_bag_to_db(bag, "dags-folder", None)
        return dag

    return _sync


@pytest.fixture(scope="session")
def dag_from_file(airflow_db):
    """A DAG parsed from its file as the DAG processor would (no import errors allowed) and
    serialized in the DB, so `dag.test()` can run it."""
    from airflow.dag_processing.bundles.manager import DagBundlesManager
    from airflow.dag_processing.dagbag import DagBag, sync_bag_to_db

    DagBundlesManager().sync_bundles_to_db()

    def _load(dag_file, dag_id):
        bag = DagBag(dag_folder=str(dag_file))
        assert bag.import_errors == {}
        sync_bag_to_db(bag, "dags-folder", None)
        return bag.get_dag(dag_id)

    return _load


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    """SeaweedFS on 127.0.0.1, with `aws_default` pointing at it through AIRFLOW_CONN_AWS_DEFAULT."""
    import os

    from tests.integration.s3_server import SeaweedS3

    server = SeaweedS3(tmp_path_factory.mktemp("seaweed"))
    server.start()
    os.environ["AIRFLOW_CONN_AWS_DEFAULT"] = server.connection_uri_json()
    yield server
    os.environ.pop("AIRFLOW_CONN_AWS_DEFAULT", None)
    server.stop()


@pytest.fixture
def bucket(s3_server, request):
    import re

    name = re.sub(r"[^a-z0-9-]", "-", request.node.name.lower())[:50].strip("-")
    s3_server.client().create_bucket(Bucket=name)
    return name
