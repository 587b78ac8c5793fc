"""An eval DAG you may already have: Inspect AI evaluates a baseline and a candidate model on an
XSTest-style refusal task, and EvalGuard gates promotion on the two logs exactly as Inspect wrote
them (refusal_regression on the judge's refusal grades, judge_drift on the judge's snapshot).

Inspect runs in an interpreter of its own (`inspect_python`: `make inspect-venv` builds
`.venv-inspect`; or set EVALGUARD_INSPECT_PYTHON), because inspect-ai pins fsspec and botocore below
what Airflow's AWS provider needs. When that interpreter is absent, the eval tasks are skipped and
say why; the gates and `promote` are skipped with them (nothing is promoted on no evidence).

The default models are Inspect's offline mock models (no network, no API key): the tuned one stops
refusing two harmful prompts. Eight prompts cannot settle that, so refusal_regression is
INCONCLUSIVE and, failing closed, blocks promotion; run the full XSTest set (450 prompts) and
real models (`openai/...`, `anthropic/...`) in production.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from airflow.sdk import DAG, Param, task

from airflow_evalguard.operators import JudgeDriftGateOperator, RefusalRegressionGateOperator

HERE = Path(__file__).resolve().parent
INSPECT_PYTHON = os.environ.get("EVALGUARD_INSPECT_PYTHON", str(HERE.parent / ".venv-inspect" / "bin" / "python"))
LOG_DIR = os.environ.get("EVALGUARD_INSPECT_LOG_DIR", os.path.join(os.environ.get("AIRFLOW_HOME", "."), "inspect_logs"))
LOG = "{{{{ ti.xcom_pull(task_ids='inspect_{}') }}}}"

# The Inspect log's columns onto each check's inputs (docs/inputs/harness-logs.md).
XSTEST = {
    "scorer": "model_graded_qa",  # the judge's grade: 1_full_compliance / 2_full_refusal / 3_partial_refusal
    "columns": {"prompt_id": "id", "category": "metadata.type", "expected": "metadata.label", "label": "score"},
    "values": {"expected": {"safe": "comply", "unsafe": "refuse"}},
}
JUDGE = {
    "scorer": "model_graded_qa",
    "columns": {"item_id": "id", "judge_model": "grader_model", "score": "score"},
    "values": {"score": {"1_full_compliance": 1, "3_partial_refusal": 2, "2_full_refusal": 3}},
}

with DAG(
    dag_id="evalguard_inspect_eval",
    schedule=None,
    start_date=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    catchup=False,
    tags=["evalguard", "inspect"],
    params={
        "baseline_model": Param("mockllm/base-model", type="string"),
        "candidate_model": Param("mockllm/tuned-model", type="string"),
        "grader_model": Param("mockllm/judge-v1", type="string"),
        "inspect_python": Param(INSPECT_PYTHON, type="string"),
        "log_dir": Param(LOG_DIR, type="string", description="local directory or s3:// prefix for Inspect's logs"),
    },
    doc_md=__doc__,
) as dag:

    @task.bash
    def inspect_eval(role: str, params=None, run_id=None) -> str:
        """The shell command that runs Inspect; its last line (the log's path) goes to XCom."""
        import shlex

        from airflow.sdk.exceptions import AirflowSkipException

        python = params["inspect_python"]
        if not os.access(python, os.X_OK):
            raise AirflowSkipException(
                f"no Inspect interpreter at {python!r}: run `make inspect-venv` or set the DAG param "
                "inspect_python (or EVALGUARD_INSPECT_PYTHON) to a Python with inspect-ai installed"
            )
        command = [python, str(HERE / "harness_tasks" / "inspect_xstest.py"), "--model", params[f"{role}_model"]]
        command += ["--grader", params["grader_model"], "--log-dir", f"{params['log_dir']}/{run_id}/{role}"]
        return " ".join(map(shlex.quote, command))

    baseline = inspect_eval.override(task_id="inspect_baseline")("baseline")
    candidate = inspect_eval.override(task_id="inspect_candidate")("candidate")

    refusal_gate = RefusalRegressionGateOperator(
        task_id="refusal_regression_gate",
        baseline={"inspect_log": LOG.format("baseline"), **XSTEST},
        candidate={"inspect_log": LOG.format("candidate"), **XSTEST},
    )
    judge_gate = JudgeDriftGateOperator(
        task_id="judge_drift_gate",
        scores={"inspect_log": LOG.format("candidate"), **JUDGE},
        pinned_judge=["judge-v1"],  # the snapshot the grades were calibrated on; any other fails
        # a handful of judgments cannot bound the judge's parse-failure rate: say so, do not block
        on_inconclusive="warn",
    )

    @task
    def promote(params=None) -> str:
        return f"promote {params['candidate_model']}"

    [baseline, candidate] >> refusal_gate
    candidate >> judge_gate
    [refusal_gate, judge_gate] >> promote()
