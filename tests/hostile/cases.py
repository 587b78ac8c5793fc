"""One small, valid set of inputs and parameters per check, cut from the demo's healthy data.

The hostile tests start from these and break one thing at a time, so a refusal can be traced
to the thing that was broken rather than to an input that was never valid.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from airflow_evalguard.demo.data import generate

PINNED_JUDGE = "judge-2026-05-13"
CONTRACT = Path(__file__).resolve().parents[2] / "dags" / "contracts" / "escalate_to_human.yaml"


@dataclass
class Case:
    check: str
    inputs: dict[str, pd.DataFrame]
    params: dict = field(default_factory=dict)

    def copy_inputs(self) -> dict[str, pd.DataFrame]:
        return {name: frame.copy() for name, frame in self.inputs.items()}


def _first_ids(frames: list[pd.DataFrame], column: str, count: int) -> list[pd.DataFrame]:
    """The rows of the first `count` ids in every frame, so paired inputs stay paired."""
    keep = frames[0][column].drop_duplicates().iloc[:count]
    return [frame[frame[column].isin(keep)].reset_index(drop=True) for frame in frames]


def build_cases(workdir: Path) -> dict[str, Case]:
    paths = generate(workdir, n_traffic=6_000, n_eval=400)
    tables = {name: pd.read_parquet(path) for name, path in paths.items()}
    teacher, student = _first_ids([tables["distill_teacher"], tables["distill_student"]], "example_id", 3_000)
    ratings = _first_ids([tables["rubric_ratings"]], "item_id", 120)[0]
    labels, gold = _first_ids([tables["labels"], tables["label_gold"]], "item_id", 300)
    requests = tables["serving_requests"].sample(4_000, random_state=0).sort_values("ts", ignore_index=True)
    return {
        case.check: case
        for case in (
            Case(
                "sampling_window",
                {"sample": tables["eval_set"], "reference": tables["reference"]},
                {"dimensions": ["region", "source"], "n_boot": 200},
            ),
            Case(
                "refusal_regression", {"baseline": tables["refusal_baseline"], "candidate": tables["refusal_candidate"]}
            ),
            Case("slice_retention", {"teacher": teacher, "student": student}, {"slice_columns": ["skill"]}),
            Case(
                "assignment_integrity",
                {"units": tables["experiment_units"].iloc[:1_500].reset_index(drop=True)},
                {
                    "covariates": ["prompt_tokens", "user_tier"],
                    "hash_inputs": ["user_id"],
                    "assembler_inputs": ["prompt_tokens", "language"],
                    "n_perm": 99,
                },
            ),
            Case(
                "embedding_drift",
                {
                    "events": tables["embedding_events"],
                    "probe": tables["embedding_probe"].iloc[:200].reset_index(drop=True),
                },
                {"n_boot": 200},
            ),
            Case(
                "judge_drift",
                {
                    "scores": tables["judge_scores"].iloc[:500].reset_index(drop=True),
                    "anchors": tables["judge_anchors"].iloc[:150].reset_index(drop=True),
                },
                {"pinned_judge": [PINNED_JUDGE], "n_boot": 200},
            ),
            Case(
                "rubric_drift",
                {"ratings": ratings},
                {"baseline_period": "2026-10", "candidate_period": "2026-11", "n_boot": 200},
            ),
            Case("labeler_agreement", {"labels": labels, "gold": gold}, {"level": "ordinal", "n_boot": 200}),
            Case(
                "output_contract",
                {
                    "records": tables["tool_calls"].iloc[:400].reset_index(drop=True),
                    "baseline": tables["tool_calls_baseline"].iloc[:400].reset_index(drop=True),
                },
                {"contract": str(CONTRACT)},
            ),
            Case(
                "latency_tail",
                {"requests": requests, "training_windows": tables["training_windows"]},
                {
                    "slo_ms": {"interactive": 2500, "batch": 12000},
                    "baseline_endpoint": "base-8b",
                    "protected_windows": ["07:00-11:00"],
                },
            ),
            Case(
                "feedback_provenance",
                {"candidates": tables["feedback_candidates"].iloc[:600].reset_index(drop=True)},
                {"allowed_surfaces": ["chat_widget", "mobile_app"]},
            ),
        )
    }
