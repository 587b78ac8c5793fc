"""Every name that moved between Airflow 3.1 and 3.3, resolved in one place.

Only imported by the Airflow shells (operators, gate, plugin), never by checks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from airflow.sdk import BaseOperator

if TYPE_CHECKING:  # the type checker reads the current layout; the fallbacks below serve older 3.x at run time
    from airflow.sdk import BaseSensorOperator, Context
    from airflow.sdk import conf as airflow_conf
    from airflow.sdk.exceptions import (
        AirflowException,
        AirflowFailException,
        AirflowSensorTimeout,
        AirflowSkipException,
    )
else:
    try:  # Airflow >= 3.1 ships the task SDK exceptions here
        from airflow.sdk.exceptions import (
            AirflowException,
            AirflowFailException,
            AirflowSensorTimeout,
            AirflowSkipException,
        )
    except ImportError:  # pragma: no cover - older 3.x layouts
        from airflow.exceptions import (
            AirflowException,
            AirflowFailException,
            AirflowSensorTimeout,
            AirflowSkipException,
        )

    try:
        from airflow.sdk import BaseSensorOperator
    except ImportError:  # 3.3 keeps it under bases
        from airflow.sdk.bases.sensor import BaseSensorOperator

    try:
        from airflow.sdk import Context
    except ImportError:  # pragma: no cover
        from airflow.sdk.definitions.context import Context

    try:
        from airflow.sdk import conf as airflow_conf
    except ImportError:  # pragma: no cover
        from airflow.configuration import conf as airflow_conf

__all__ = [
    "AirflowException",
    "AirflowFailException",
    "AirflowSensorTimeout",
    "AirflowSkipException",
    "BaseOperator",
    "BaseSensorOperator",
    "Context",
    "airflow_conf",
]
