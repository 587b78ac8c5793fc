"""Eval-hygiene gates for Apache Airflow 3.

Kept import-free on purpose: the scheduler imports provider metadata and DAG files in a loop, so
nothing here may pull in pandas, scipy or Airflow itself.
"""

__version__ = "0.1.0"

_OPERATOR_MODULES = (
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
)


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
                "python-modules": list(_OPERATOR_MODULES),
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
        # Listed so `airflow config list` shows them; every reader keeps its own fallback, so an
        # Airflow that never loads provider configuration behaves the same.
        "config": {
            "evalguard": {
                "description": "EvalGuard gates: where artifacts go and the limits on what inputs may do.",
                "options": _config_options(),
            }
        },
    }


def _config_options() -> dict[str, dict[str, str]]:
    """The `[evalguard]` options, a fresh dict per call like the rest of the metadata."""
    return {
        "artifact_root": {
            "description": "Local directory or s3://bucket/prefix for results and reports when a "
            "task does not set artifact_root (empty: $AIRFLOW_HOME/evalguard).",
            "version_added": "0.1.0",
            "type": "string",
            "example": "s3://evals/evalguard",
            "default": "",
        },
        "aws_conn_id": {
            "description": "Airflow connection the report pages use to read an s3:// artifact root.",
            "version_added": "0.1.0",
            "type": "string",
            "example": "aws_default",
            "default": "aws_default",
        },
        "max_decompressed_bytes": {
            "description": "The most bytes one compressed (.gz) input may expand to; checked while "
            "decompressing. A larger input is refused as bad input.",
            "version_added": "0.1.0",
            "type": "integer",
            "example": "8589934592",
            "default": "2147483648",
        },
        "duckdb_directory": {
            "description": "The only directory in which DuckDB databases named by SQL specs "
            "(database=) may be created or written, and temp_directory may point; "
            "any other existing database file is opened read-only.",
            "version_added": "0.1.0",
            "type": "string",
            "example": "/var/lib/evalguard/duckdb",
            "default": "",
        },
    }
