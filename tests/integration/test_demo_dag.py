"""The demo DAG end to end under a real Airflow run (`dag.test()` on SQLite)."""

import json
from pathlib import Path

import pytest

from tests.schema import assert_valid_result

pytestmark = pytest.mark.integration

GATES = (
    "sampling_window_gate",
    "refusal_regression_gate",
    "slice_retention_gate",
    "assignment_integrity_gate",
    "embedding_drift_gate",
    "judge_drift_gate",
    "rubric_drift_gate",
    "labeler_agreement_gate",
    "output_contract_gate",
    "feedback_provenance_gate",
    "latency_tail_gate",
)
# Gates that run before training: when one fails, nothing downstream of training runs.
BEFORE_TRAINING = {"feedback_provenance_gate"}


@pytest.fixture(scope="module")
def demo_dag(airflow_db):
    from airflow.dag_processing.bundles.manager import DagBundlesManager
    from airflow.dag_processing.dagbag import DagBag, sync_bag_to_db

    DagBundlesManager().sync_bundles_to_db()
    bag = DagBag(dag_folder=str(Path(__file__).resolve().parents[2] / "dags"))
    assert bag.import_errors == {}
    sync_bag_to_db(bag, "dags-folder", None)
    return bag.get_dag("evalguard_demo")


def _states(dr):
    return {ti.task_id: ti.state for ti in dr.get_task_instances()}


def test_healthy_data_promotes(demo_dag):
    dr = demo_dag.test(run_conf={"fault": "none"})
    states = _states(dr)
    assert all(states[g] == "success" for g in GATES)
    assert states["promote"] == "success"
    assert states["wait_for_pinned_judge"] == "success"
    summary = dr.get_task_instance("sampling_window_gate").xcom_pull(task_ids="sampling_window_gate")
    assert summary["verdict"] == "PASS" and assert_valid_result(summary)
    assert len(json.dumps(summary)) <= 32 * 1024
    result_path = Path(summary["artifacts"]["result"])
    assert result_path.is_file() and json.loads(result_path.read_text())["verdict"] == "PASS"
    assert Path(summary["artifacts"]["weights"]).is_file()
    promoted = dr.get_task_instance("promote").xcom_pull(task_ids="promote")
    assert Path(promoted).is_file()
    # The provenance gate is the filter in front of training: train read its accepted rows.
    feedback = dr.get_task_instance("feedback_provenance_gate").xcom_pull(task_ids="feedback_provenance_gate")
    accepted = Path(feedback["artifacts"]["accepted"])
    card = json.loads(Path(dr.get_task_instance("train").xcom_pull(task_ids="train")["model"]).read_text())
    assert card["training_feedback"] == str(accepted) and accepted.is_file()


@pytest.mark.parametrize(
    "fault, gate, code",
    [
        ("cron_window", "sampling_window_gate", "MIX_SHIFT"),
        ("sft_strips_refusals", "refusal_regression_gate", "HARMFUL_COMPLIANCE_REGRESSION"),
        ("distill_drops_rare_slice", "slice_retention_gate", "SLICE_REGRESSION"),
        ("assignment_leak", "assignment_integrity_gate", "ASSIGNMENT_LEAK"),
        ("embedding_upgrade_mid_test", "embedding_drift_gate", "EMBEDDING_CHANGED_MID_EXPERIMENT"),
        ("judge_silently_updated", "judge_drift_gate", "JUDGE_SNAPSHOT_CHANGED"),
        ("rubric_two_axis_drift", "rubric_drift_gate", "HIDDEN_DRIFT"),
        ("labelers_homogenize", "labeler_agreement_gate", "HOMOGENIZATION"),
        ("escalation_consumer_automated", "output_contract_gate", "CONSUMER_AUTOMATED"),
        ("staging_feedback_in_training", "feedback_provenance_gate", "NON_PRODUCTION_FEEDBACK"),
        ("cold_start_tail", "latency_tail_gate", "COLD_START_TAX"),
        ("training_contention", "latency_tail_gate", "TRAINING_CONTENTION"),
    ],
)
def test_each_fault_is_blocked_by_its_gate_without_retry(demo_dag, fault, gate, code):
    dr = demo_dag.test(run_conf={"fault": fault})
    states = _states(dr)
    assert states[gate] == "failed"
    assert states["promote"] == "upstream_failed"
    others = set(GATES) - {gate}
    if gate in BEFORE_TRAINING:  # training never started, so no later gate ran
        assert states["train"] == "upstream_failed"
        others = BEFORE_TRAINING - {gate}
    assert all(states[o] == "success" for o in others)  # each fault trips only its own gate
    gate_ti = dr.get_task_instance(gate)
    assert gate_ti.try_number == 1  # AirflowFailException: not retried
    summary = gate_ti.xcom_pull(task_ids=gate)  # pushed before the gate raised
    assert summary["verdict"] == "FAIL" and assert_valid_result(summary)
    assert any(f["code"] == code for f in summary["findings"])
    result_path = Path(summary["artifacts"]["result"])
    # stored under {root}/{dag_id}/{sanitized run_id}/{task_id}/try_1/
    assert result_path.parent.name == "try_1" and result_path.parents[1].name == gate
    assert ":" not in str(result_path) and "+" not in str(result_path)
    assert (result_path.parent / "evidence.parquet").is_file()
