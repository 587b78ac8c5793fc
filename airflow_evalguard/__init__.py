"""Eval-hygiene gates for Apache Airflow 3.

Kept import-free on purpose: the scheduler imports provider metadata and DAG files in a loop, so
nothing here may pull in pandas, scipy or Airflow itself.
"""

__version__ = "0.1.0"


def get_provider_info() -> dict:
    """Provider metadata read by Airflow's ProvidersManager (entry point `apache_airflow_provider`)."""
    return {
        # Must equal the normalised distribution name, or provider discovery raises ValueError.
        "package-name": "airflow-evalguard",
        "name": "EvalGuard",
        "description": "Gates that refuse to promote a model when its evaluation cannot be trusted.",
        "versions": [__version__],
        "integrations": [
            {
                "integration-name": "EvalGuard",
                "external-doc-url": "https://pypi.org/project/airflow-evalguard/",
                "tags": ["software"],
            }
        ],
        "operators": [
            {
                "integration-name": "EvalGuard",
                "python-modules": [
                    "airflow_evalguard.operators.evalguard",
                    "airflow_evalguard.operators.sampling_window",
                    "airflow_evalguard.operators.refusal_regression",
                    "airflow_evalguard.operators.slice_retention",
                    "airflow_evalguard.operators.assignment_integrity",
                    "airflow_evalguard.operators.embedding_drift",
                    "airflow_evalguard.operators.judge_drift",
                    "airflow_evalguard.operators.rubric_drift",
                    "airflow_evalguard.operators.labeler_agreement",
                    "airflow_evalguard.operators.output_contract",
                    "airflow_evalguard.operators.feedback_provenance",
                    "airflow_evalguard.operators.latency_tail",
                    "airflow_evalguard.operators.summary",
                ],
            }
        ],
        "sensors": [
            {
                "integration-name": "EvalGuard",
                "python-modules": [
                    "airflow_evalguard.sensors.judge_snapshot",
                    "airflow_evalguard.sensors.latency_window",
                    "airflow_evalguard.sensors.sample_coverage",
                ],
            }
        ],
        "triggers": [
            {
                "integration-name": "EvalGuard",
                "python-modules": ["airflow_evalguard.triggers.polling"],
            }
        ],
        "plugins": [{"name": "evalguard", "plugin-class": "airflow_evalguard.plugin.EvalGuardPlugin"}],
    }
