"""A TaskFlow DAG that does its own train/test split, and gates on it (the README's walkthrough).

`split` samples the test set from production requests and writes both, one row per request with
its id (`example_id`) and timestamp (`ts`). `evaluate` scores a teacher and a distilled student on
the test rows and writes one row per example, keyed by the same id. Each task returns the paths it
wrote; the gates take them from XCom (`evaluated["student"]`), so no path is built twice.

Trigger with {"fault": "student_drops_rare_skill"} to see slice_retention block promotion: the
student fails the 5% `rare_units` skill while its average barely moves.
"""

from __future__ import annotations

import datetime as dt
import os

from airflow.sdk import DAG, Param, task

from airflow_evalguard.operators import SamplingWindowGateOperator, SliceRetentionGateOperator

DATA_DIR = os.environ.get("EVALGUARD_SPLIT_DIR", os.path.join(os.environ.get("AIRFLOW_HOME", "."), "evalguard_split"))

with DAG(
    dag_id="evalguard_taskflow_split",
    schedule=None,
    start_date=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    catchup=False,
    tags=["evalguard", "walkthrough"],
    params={
        "fault": Param("none", enum=["none", "student_drops_rare_skill"]),
        "seed": Param(0, type="integer"),
        "data_dir": Param(DATA_DIR, type="string", description="local folder or s3:// prefix"),
    },
    doc_md=__doc__,
) as dag:

    @task
    def split(params=None, run_id=None) -> dict:
        """Production requests -> a random 25% test set. Every row keeps its id and timestamp."""
        import numpy as np
        import pandas as pd

        rng = np.random.default_rng(params["seed"])
        count = 4_000
        production = pd.DataFrame(
            {
                "example_id": [f"req-{index:05d}" for index in range(count)],
                "ts": pd.Timestamp("2026-06-01", tz="UTC") + pd.to_timedelta(rng.uniform(0, 7 * 86_400, count), "s"),
                "region": rng.choice(["eu", "us", "apac"], count, p=[0.5, 0.3, 0.2]),
                "skill": rng.choice(["arithmetic", "lookup", "rare_units"], count, p=[0.6, 0.35, 0.05]),
            }
        )
        test = production.sample(frac=0.25, random_state=params["seed"])
        folder = f"{params['data_dir']}/{run_id}"
        os.makedirs(folder, exist_ok=True)  # for an s3:// prefix, drop this line (pandas writes through s3fs)
        paths = {"production": f"{folder}/production.parquet", "test": f"{folder}/test.parquet"}
        production.to_parquet(paths["production"], index=False)
        test.to_parquet(paths["test"], index=False)
        return paths

    @task
    def evaluate(paths: dict, params=None) -> dict:
        """Score teacher and student on the test rows: one row per example, `correct` 0/1."""
        import numpy as np
        import pandas as pd

        rng = np.random.default_rng(params["seed"] + 1)
        test = pd.read_parquet(paths["test"])
        teacher = test.assign(correct=(rng.random(len(test)) < 0.9).astype(int))
        # the student answers as its teacher, except on 5% of examples, drawn afresh at the same accuracy
        redrawn = (rng.random(len(test)) < 0.9).astype(int)
        student_correct = np.where(rng.random(len(test)) < 0.95, teacher["correct"], redrawn)
        if params["fault"] == "student_drops_rare_skill":
            student_correct = np.where(test["skill"] == "rare_units", 0, student_correct)
        student = test.assign(correct=student_correct)
        folder = paths["test"].rsplit("/", 1)[0]
        written = {"teacher": f"{folder}/teacher.parquet", "student": f"{folder}/student.parquet", **paths}
        teacher.to_parquet(written["teacher"], index=False)
        student.to_parquet(written["student"], index=False)
        return written

    evaluated = evaluate(split())

    representative = SamplingWindowGateOperator(
        task_id="sampling_window_gate",
        sample=evaluated["test"],  # XCom: the path `split` wrote, resolved when the gate runs
        reference=evaluated["production"],
        dimensions=["region", "skill"],  # hour_of_day comes from `ts` and is always checked
    )
    retention = SliceRetentionGateOperator(
        task_id="slice_retention_gate",
        teacher=evaluated["teacher"],
        student=evaluated["student"],
        slice_columns=["skill", "region"],  # rows are paired on example_id (id_column=...)
    )

    @task
    def promote() -> str:
        return "student promoted"

    [representative, retention] >> promote()
