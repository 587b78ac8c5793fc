"""The DAG ids a user may read, from Airflow's auth manager: what the nav history page may show."""

from __future__ import annotations

from airflow.api_fastapi.app import get_auth_manager
from airflow.api_fastapi.core_api.security import GetUserDep


def readable_dag_ids(user: GetUserDep) -> frozenset[str]:
    """Read access to a DAG's task instances is what the report route asks; the auth manager's
    list of readable DAGs is the same permission at DAG level (Airflow's own DAG list uses it)."""
    return frozenset(get_auth_manager().get_authorized_dag_ids(user=user, method="GET"))
