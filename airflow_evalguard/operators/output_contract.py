"""OutputContractGateOperator: refuse a run whose tool-call outputs break their contract."""

from __future__ import annotations

from typing import Any

from airflow_evalguard.compat import Context
from airflow_evalguard.operators.evalguard import EvalGuardOperator


class OutputContractGateOperator(EvalGuardOperator):
    """The `output_contract` check with typed arguments.

    :param records: tool-call output records (path, ``s3://`` URI or DataFrame; templated).
    :param contract: contract YAML or GX suite JSON (path or ``s3://`` URI).
    :param baseline: records from the last accepted run, for the escalation-rate band.
    :param contract_registry: store root that remembers the last contract version used; default
        the operator's artifact root, so a contract can never silently go back a version.
        ``track_contract_version=False`` turns the registry off.
    Every other argument left as None takes the check's default (see ``evalguard list``):
    warn_at 0.05, fail_at 0.10 (used when the contract sets no band), alpha 0.05.
    """

    def __init__(
        self,
        *,
        records: Any,
        contract: str,
        baseline: Any = None,
        contract_registry: str | None = None,
        track_contract_version: bool = True,
        warn_at: float | None = None,
        fail_at: float | None = None,
        alpha: float | None = None,
        **kwargs: Any,
    ) -> None:
        given = {
            "contract": contract,
            "contract_registry": contract_registry,
            "warn_at": warn_at,
            "fail_at": fail_at,
            "alpha": alpha,
        }
        super().__init__(
            check="output_contract",
            inputs={k: v for k, v in {"records": records, "baseline": baseline}.items() if v is not None},
            check_params={k: v for k, v in given.items() if v is not None},
            **kwargs,
        )
        self.track_contract_version = track_contract_version

    def execute(self, context: Context) -> None:
        if self.track_contract_version and not self.check_params.get("contract_registry"):
            from airflow_evalguard.settings import default_artifact_root

            self.check_params["contract_registry"] = self.artifact_root or default_artifact_root()
        super().execute(context)
