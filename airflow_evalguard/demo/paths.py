"""Where the demo DAG keeps its data: $EVALGUARD_DEMO_DIR, else $AIRFLOW_HOME/evalguard_demo."""

from __future__ import annotations

import os
from pathlib import Path

from airflow_evalguard.ids import encode_id


def demo_run_dir(run_id: str) -> Path:
    base = os.environ.get("EVALGUARD_DEMO_DIR") or os.path.join(
        os.environ.get("AIRFLOW_HOME") or os.path.expanduser("~/airflow"), "evalguard_demo"
    )
    return Path(base) / encode_id(run_id)
