"""A history record: the headline metric and thresholds of a real check's result, and validation."""

import json

import numpy as np
import pandas as pd
import pytest

from airflow_evalguard.publish.history_record import build_record, headline, valid_record
from airflow_evalguard.run import run_check
from airflow_evalguard.store.layout import GateKey


def slice_retention_result():
    rng = np.random.default_rng(3)
    n = 2000
    teacher = pd.DataFrame(
        {"example_id": np.arange(n), "slice": rng.integers(0, 4, n), "correct": (rng.random(n) < 0.8).astype(int)}
    )
    student = teacher.assign(correct=np.where(rng.random(n) < 0.1, 0, teacher["correct"]))
    return run_check(
        "slice_retention", {"teacher": teacher, "student": student}, {"slice_columns": ["slice"], "warn_at": 0.03}
    ).to_dict()


def test_a_real_results_headline_is_its_drop_with_interval_and_thresholds():
    result = slice_retention_result()
    head = headline(result)
    drop = result["metrics"]["drop"]
    assert head == {
        "name": "drop",
        "value": drop["value"],
        "ci_low": drop["ci_low"],
        "ci_high": drop["ci_high"],
        "warn_at": 0.03,  # as given
        "fail_at": 0.05,  # the spec's default, echoed in params
    }


def test_judge_drift_thresholds_come_from_its_list_param():
    result = {"check": "judge_drift", "metrics": {"anchor_shift": {"value": 0.2}}, "params": {"max_shift": [0.1, 0.3]}}
    assert headline(result)["warn_at"] == 0.1 and headline(result)["fail_at"] == 0.3


def test_an_unknown_check_plots_its_first_metric_and_a_result_without_metrics_none():
    assert headline({"check": "future_check", "metrics": {"m": {"value": 1.0}}})["name"] == "m"
    assert headline({"check": "slice_retention", "metrics": {}}) is None


def record():
    gate = GateKey("dag", "run", "gate", 2, 3)
    result = slice_retention_result()
    result["findings"] = [
        {"severity": "info", "code": "NOTE", "message": "n"},
        {"severity": "warn", "code": "W1", "message": "warned"},
        {"severity": "fail", "code": "F1", "message": "the fail in words"},
        {"severity": "warn", "code": "F1", "message": "the same code for another slice"},
    ]
    return build_record(gate, result)


def test_the_record_keeps_distinct_serious_finding_codes_most_severe_first():
    built = record()
    assert built["findings"] == ["F1", "W1"] and built["top_finding"] == "the fail in words"
    assert (built["map_index"], built["try_number"]) == (2, 3)
    assert valid_record(json.loads(json.dumps(built)), "dag", built["at"], built["at"])


@pytest.mark.parametrize(
    "change",
    [
        {"dag_id": "other"},  # a record of another DAG in this DAG's folder
        {"token": "0" * 16},
        {"verdict": "<b>"},
        {"map_index": -2},
        {"try_number": True},
        {"findings": "F1"},
        {"headline": {"name": "drop", "value": "NaN"}},
        {"at": "20991231T000000000000Z"},  # outside the range its object's name claims
        {"v": 2},
    ],
)
def test_a_corrupt_or_foreign_record_is_refused(change):
    built = record()
    assert not valid_record({**built, **change}, "dag", built["at"], built["at"])
