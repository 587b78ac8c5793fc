"""Gate a distilled student against its teacher on lm-evaluation-harness `--log_samples` output:
slice_retention pairs every doc of the two runs and asks whether the student lost a slice (a
subtask, a difficulty) the teacher handled, while the average stayed flat.

lm-eval runs in an interpreter of its own (`lm_eval_python`, or EVALGUARD_LM_EVAL_PYTHON; `pip
install lm-eval` into any venv): it pulls torch and datasets the scheduler does not need. When that
interpreter is absent the eval tasks are skipped and say why, and the gate and `promote` with them.

The default models are lm-eval's built-in `dummy` (random answers, no network): nine docs settle
no slice, so the gate is INCONCLUSIVE and, failing closed, blocks promotion. Set `model` to `hf`
and `teacher_args` / `student_args` to `pretrained=<teacher>` / `pretrained=<student>`.
The task is a local-data group of two subtasks (harness_tasks/lm_eval/tasks); point
`include_path` and `tasks` at yours.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from airflow.sdk import DAG, Param, task

from airflow_evalguard.operators import SliceRetentionGateOperator

HERE = Path(__file__).resolve().parent
LM_EVAL_PYTHON = os.environ.get("EVALGUARD_LM_EVAL_PYTHON", str(HERE.parent / ".venv-lm-eval" / "bin" / "python"))
OUTPUT_DIR = os.environ.get("EVALGUARD_LM_EVAL_DIR", os.path.join(os.environ.get("AIRFLOW_HOME", "."), "lm_eval_runs"))
RUN = "{{{{ ti.xcom_pull(task_ids='locate_{}')['{}'] }}}}"

# lm-eval's samples onto slice_retention's inputs (docs/inputs/harness-logs.md): a doc's own id
# pairs teacher and student, its accuracy is `correct`, its subtask and difficulty are slices.
DISTILL = {
    "task": "mini_safety",
    "columns": {"example_id": "doc.id", "correct": "metric.acc", "subtask": "task", "difficulty": "doc.difficulty"},
}

with DAG(
    dag_id="evalguard_lm_eval_distill",
    schedule=None,
    start_date=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    catchup=False,
    tags=["evalguard", "lm-eval"],
    # the located samples files reach the gate as a list, not as its text
    render_template_as_native_obj=True,
    params={
        "model": Param("dummy", type="string"),
        "teacher_args": Param("", type="string"),
        "student_args": Param("", type="string"),
        "tasks": Param("mini_safety", type="string"),
        "include_path": Param(str(HERE / "harness_tasks" / "lm_eval" / "tasks"), type="string"),
        "lm_eval_python": Param(LM_EVAL_PYTHON, type="string"),
        "output_dir": Param(OUTPUT_DIR, type="string"),
    },
    doc_md=__doc__,
) as dag:

    @task.bash
    def lm_eval(role: str, params=None, run_id=None) -> str:
        """The shell command that runs lm-eval with --log_samples into <output_dir>/<run>/<role>."""
        import shlex

        from airflow.sdk.exceptions import AirflowSkipException

        python = params["lm_eval_python"]
        if not os.access(python, os.X_OK):
            raise AirflowSkipException(
                f"no lm-eval interpreter at {python!r}: set the DAG param lm_eval_python (or "
                "EVALGUARD_LM_EVAL_PYTHON) to a Python with lm-eval installed"
            )
        command = [python, "-m", "lm_eval", "--model", params["model"], "--tasks", params["tasks"]]
        if params[f"{role}_args"]:
            command += ["--model_args", params[f"{role}_args"]]
        command += ["--include_path", params["include_path"], "--log_samples", "--seed", "1234"]
        command += ["--output_path", f"{params['output_dir']}/{run_id}/{role}"]
        # the tasks' data_files are relative to the folder their YAML sits in; local data, no Hub.
        # (The variables are in the command, not in `env=`: this DAG renders templates as native
        # objects, which would turn "1" into a number.)
        offline = "HF_DATASETS_OFFLINE=1 HF_HUB_OFFLINE=1 "
        return f"cd {shlex.quote(params['include_path'])}/.. && {offline}" + " ".join(map(shlex.quote, command))

    @task
    def locate(role: str, params=None, run_id=None) -> dict:
        """lm-eval names its files by model and time: find the run's results and samples files."""
        run_dir = Path(params["output_dir"]) / run_id / role
        results = sorted(run_dir.glob("*/results_*.json"))
        if not results:
            raise FileNotFoundError(f"lm-eval wrote no results_*.json under {run_dir}")
        samples = sorted(str(path) for path in results[-1].parent.glob("samples_*.jsonl"))
        return {"results": str(results[-1]), "samples": samples}

    teacher = lm_eval.override(task_id="lm_eval_teacher")("teacher") >> locate.override(task_id="locate_teacher")(
        "teacher"
    )
    student = lm_eval.override(task_id="lm_eval_student")("student") >> locate.override(task_id="locate_student")(
        "student"
    )

    gate = SliceRetentionGateOperator(
        task_id="slice_retention_gate",
        teacher={
            "lm_eval_samples": RUN.format("teacher", "samples"),
            "results": RUN.format("teacher", "results"),
            **DISTILL,
        },
        student={
            "lm_eval_samples": RUN.format("student", "samples"),
            "results": RUN.format("student", "results"),
            **DISTILL,
        },
        slice_columns=["subtask", "difficulty"],
        min_n=3,  # a toy set; keep the default 30 (or more) on a real one
    )

    @task
    def promote(params=None) -> str:
        return f"promote the student ({params['student_args'] or params['model']})"

    [teacher, student] >> gate >> promote()
