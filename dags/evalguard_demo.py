"""EvalGuard demo: generate data -> train -> evaluate -> the gates -> promote.

Healthy data ({"fault": "none"}) promotes. Each fault is caught by its gate, which fails
without retry so `promote` never runs:
- "cron_window": the eval set was sampled by a 3 am cron (sampling_window_gate);
- "sft_strips_refusals": the fine-tune complies with harmful prompts (refusal_regression_gate);
- "distill_drops_rare_slice": the student loses the rare tool-use skill (slice_retention_gate);
- "assignment_leak": the router reads the prompt length (assignment_integrity_gate);
- "embedding_upgrade_mid_test": the query embedding changes under the index (embedding_drift_gate);
- "judge_silently_updated": the LLM judge endpoint moves to a new snapshot mid-eval (judge_drift_gate);
- "rubric_two_axis_drift": humans and the judge drift on two criteria in opposite directions
  (rubric_drift_gate);
- "labelers_homogenize": labelers converge on a shortcut mark (labeler_agreement_gate);
- "escalation_consumer_automated": the escalation queue got an auto-responder, so escalations meant
  for a person are closed by a bot (output_contract_gate, contract in dags/contracts/);
- "staging_feedback_in_training": the staging thumbs-down button feeds the training table
  (feedback_provenance_gate). That gate is also the filter in front of `train`: training reads
  only the accepted rows it writes, so this fault stops the run before training starts;
- "cold_start_tail": the fine-tune scales to zero and 4% of its requests wait for a model load
  (latency_tail_gate: COLD_START_TAX, and the interactive SLO);
- "training_contention": nightly training overruns into the protected morning and the shared GPU
  pool slows every request (latency_tail_gate: TRAINING_CONTENTION).
Before scoring, `wait_for_pinned_judge` (a deferrable JudgeSnapshotSensor) holds the eval until
the judge endpoint serves the pinned snapshot.
"""

from __future__ import annotations

import datetime as dt
import os

from airflow.sdk import DAG, Param, task

from airflow_evalguard.demo import FAULTS  # the one list of faults (light module)
from airflow_evalguard.operators import (
    AssignmentIntegrityGateOperator,
    EmbeddingDriftGateOperator,
    FeedbackProvenanceGateOperator,
    JudgeDriftGateOperator,
    LabelerAgreementGateOperator,
    LatencyTailGateOperator,
    OutputContractGateOperator,
    RefusalRegressionGateOperator,
    RubricDriftGateOperator,
    SamplingWindowGateOperator,
    SliceRetentionGateOperator,
)
from airflow_evalguard.sensors import JudgeSnapshotSensor

PINNED_JUDGE = "judge-2026-05-13"
ESCALATION_CONTRACT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "contracts", "escalate_to_human.yaml")

with DAG(
    dag_id="evalguard_demo",
    schedule=None,
    start_date=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    catchup=False,
    tags=["evalguard", "demo"],
    params={
        "fault": Param(
            "none",
            enum=["none", *FAULTS],
            description="fault to switch on in the eval data",
        ),
        "seed": Param(0, type="integer"),
    },
    doc_md=__doc__,
) as dag:

    @task
    def generate_data(params=None, run_id=None) -> dict:
        from airflow_evalguard.demo.pipeline import generate_data as run

        return run(run_id, params["fault"], params["seed"])

    @task
    def train(data: dict, feedback: dict) -> dict:
        from airflow_evalguard.demo.pipeline import train as run

        return run(data, training_feedback=feedback["artifacts"]["accepted"])

    @task
    def evaluate(data: dict, model: dict) -> dict:
        from airflow_evalguard.demo.pipeline import evaluate as run

        return run(data, model)

    @task
    def promote(data: dict, model: dict, metrics: dict) -> str:
        from airflow_evalguard.demo.pipeline import promote as run

        return run(data, model, metrics)

    data = generate_data()
    data_path = "{{{{ ti.xcom_pull(task_ids='generate_data')['{}'] }}}}"
    # The provenance gate is the filter in front of training: train reads its accepted rows.
    feedback_gate = FeedbackProvenanceGateOperator(
        task_id="feedback_provenance_gate",
        candidates=data_path.format("feedback_candidates"),
        allowed_surfaces=["chat_widget", "mobile_app"],
    )
    data >> feedback_gate
    model = train(data, feedback_gate.output)
    wait_for_judge = JudgeSnapshotSensor(
        task_id="wait_for_pinned_judge",
        pinned_judge=PINNED_JUDGE,
        snapshot_callable="airflow_evalguard.demo.instruments:judge_endpoint_snapshot",
        callable_kwargs={"run_dir": "{{ ti.xcom_pull(task_ids='generate_data')['run_dir'] }}"},
        poke_interval=30,
        timeout=3600,
    )
    metrics = evaluate(data, model)
    [data, model] >> wait_for_judge >> metrics
    gates = [
        SamplingWindowGateOperator(
            task_id="sampling_window_gate",
            sample="{{ ti.xcom_pull(task_ids='evaluate')['eval_results'] }}",
            reference=data_path.format("reference"),
            dimensions=["region", "source", "is_retry"],
            id_column="request_id",
        ),
        RefusalRegressionGateOperator(
            task_id="refusal_regression_gate",
            baseline=data_path.format("refusal_baseline"),
            candidate=data_path.format("refusal_candidate"),
        ),
        SliceRetentionGateOperator(
            task_id="slice_retention_gate",
            teacher=data_path.format("distill_teacher"),
            student=data_path.format("distill_student"),
            required_slices=data_path.format("required_slices"),
            slice_columns=["skill"],
        ),
        AssignmentIntegrityGateOperator(
            task_id="assignment_integrity_gate",
            units=data_path.format("experiment_units"),
            covariates=["prompt_tokens", "user_tier"],
            hash_inputs=["user_id"],
            assembler_inputs=["prompt_tokens", "language"],
        ),
        EmbeddingDriftGateOperator(
            task_id="embedding_drift_gate",
            events=data_path.format("embedding_events"),
            probe=data_path.format("embedding_probe"),
        ),
        JudgeDriftGateOperator(
            task_id="judge_drift_gate",
            scores=data_path.format("judge_scores"),
            anchors=data_path.format("judge_anchors"),
            pinned_judge=PINNED_JUDGE,
        ),
        RubricDriftGateOperator(
            task_id="rubric_drift_gate",
            ratings=data_path.format("rubric_ratings"),
            baseline_period="2026-10",
            candidate_period="2026-11",
        ),
        LabelerAgreementGateOperator(
            task_id="labeler_agreement_gate",
            labels=data_path.format("labels"),
            gold=data_path.format("label_gold"),
            level="ordinal",
        ),
        OutputContractGateOperator(
            task_id="output_contract_gate",
            records=data_path.format("tool_calls"),
            baseline=data_path.format("tool_calls_baseline"),
            contract=ESCALATION_CONTRACT,
        ),
        LatencyTailGateOperator(
            task_id="latency_tail_gate",
            requests=data_path.format("serving_requests"),
            training_windows=data_path.format("training_windows"),
            slo_ms={"interactive": 2500, "batch": 12000},
            baseline_endpoint="base-8b",
            protected_windows=["07:00-11:00"],
            timezone="UTC",
        ),
    ]
    metrics >> gates >> promote(data, model, metrics)
