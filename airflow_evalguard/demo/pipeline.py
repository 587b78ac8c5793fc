"""The demo pipeline's task bodies: generate -> train -> evaluate -> promote.

Kept out of the DAG file so the DAG parses without pandas; each function runs inside a task.
"""

from __future__ import annotations

import json
from pathlib import Path

from airflow_evalguard.demo.paths import demo_run_dir


def generate_data(run_id: str, fault: str, seed: int) -> dict[str, str]:
    from airflow_evalguard.demo.data import generate

    out = demo_run_dir(run_id)
    paths = generate(out, fault=None if fault == "none" else fault, seed=seed)
    return {**paths, "run_dir": str(out)}


def train(data: dict[str, str], training_feedback: str | None = None) -> dict[str, str]:
    """A stand-in for training: writes a model card the later tasks pass along, naming the
    feedback rows it trained on (the provenance gate's accepted set)."""
    model = {
        "name": "support-assistant",
        "version": "2026.11.25",
        "skill": 0.75,
        "training_feedback": training_feedback,
    }
    path = Path(data["run_dir"]) / "model.json"
    path.write_text(json.dumps(model))
    return {"model": str(path)}


def evaluate(data: dict[str, str], model: dict[str, str]) -> dict:
    import pandas as pd

    from airflow_evalguard.demo.data import model_answers

    card = json.loads(Path(model["model"]).read_text())
    answers = model_answers(pd.read_parquet(data["eval_set"]), skill=card["skill"])
    out = Path(data["run_dir"]) / "eval_results.parquet"
    answers.to_parquet(out, index=False)
    return {"eval_results": str(out), "accuracy": float(answers["correct"].mean()), "n": int(len(answers))}


def promote(data: dict[str, str], model: dict[str, str], metrics: dict) -> str:
    """Writes the marker a deployment would act on; it only exists when every gate let it through."""
    marker = Path(data["run_dir"]) / "promoted.json"
    marker.write_text(json.dumps({"model": model["model"], "accuracy": metrics["accuracy"]}))
    return str(marker)


def serving_log(run_id: str, seed: int) -> dict[str, str]:
    """The serving log the training-window demo reads (healthy: training stays out of the morning)."""
    from airflow_evalguard.demo import serving

    out = demo_run_dir(run_id)
    out.mkdir(parents=True, exist_ok=True)
    paths = {
        "requests": str(out / "serving_requests.parquet"),
        "training_windows": str(out / "training_windows.parquet"),
    }
    serving.requests(None, seed=seed).to_parquet(paths["requests"], index=False)
    serving.training_windows(None).to_parquet(paths["training_windows"], index=False)
    return paths


def train_nightly(log: dict[str, str]) -> str:
    """A stand-in for a training job on the shared GPU pool: writes a marker when it ran."""
    marker = Path(log["requests"]).parent / "trained.json"
    marker.write_text(json.dumps({"trained_after_waiting_for": "protected windows and a calm interactive p99"}))
    return str(marker)
