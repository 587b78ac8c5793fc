"""output_contract's inputs and parameters (light: no pandas, read when a DAG file is parsed)."""

from __future__ import annotations

from airflow_evalguard.core import params
from airflow_evalguard.core.spec import CheckSpec, InputSpec, ParamSpec

DEFAULT_RATE_BAND = (0.05, 0.10)

SPEC = CheckSpec(
    name="output_contract",
    summary="Do tool-call outputs (e.g. escalate_to_human) still meet their versioned contract, and are escalations "
    "still answered by a person?",
    inputs={
        "records": InputSpec("tool-call output records, one row each, any columns"),
        "baseline": InputSpec("records from the last accepted run (for the escalation-rate band)", required=False),
    },
    params={
        "contract": ParamSpec(
            None, str, "contract YAML (our language) or GX suite JSON: path or s3:// URI", nullable=True
        ),
        "contract_registry": ParamSpec(
            None,
            str,
            "store root that remembers the last contract version used (operators default it to their artifact root)",
            nullable=True,
        ),
        "warn_at": params.warn_at(
            DEFAULT_RATE_BAND[0], "escalation-rate change that warns, when the contract does not set one", maximum=1
        ),
        "fail_at": params.fail_at(
            DEFAULT_RATE_BAND[1], "escalation-rate change that fails, when the contract does not set one", maximum=1
        ),
        "alpha": params.alpha(),
    },
    decide="airflow_evalguard.checks.output_contract.decide:decide",
    headline=("expectations_failed", "escalation_rate.delta", "human_handled_share"),
    plots=None,
)
