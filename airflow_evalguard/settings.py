"""Where artifacts go when a task does not say: `[evalguard] artifact_root`, else $AIRFLOW_HOME/evalguard."""

from __future__ import annotations

import os


def default_artifact_root() -> str:
    from airflow_evalguard.compat import airflow_conf

    configured = airflow_conf.get("evalguard", "artifact_root", fallback=None)
    if configured:
        return configured
    home = os.environ.get("AIRFLOW_HOME") or os.path.expanduser("~/airflow")
    return os.path.join(home, "evalguard")
