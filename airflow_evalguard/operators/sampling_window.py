"""SamplingWindowGateOperator: block promotion when the eval set was sampled by a 3 am cron."""

from __future__ import annotations

from typing import Any

from airflow_evalguard.operators.evalguard import EvalGuardOperator


class SamplingWindowGateOperator(EvalGuardOperator):
    """The `sampling_window` check with typed arguments.

    :param sample: the eval set (path, ``s3://`` URI or DataFrame; templated).
    :param reference: production traffic rows, or pre-aggregated counts (templated).
    Every other argument left as None takes the check's default (see ``evalguard list``):
    timestamp_column "ts", timezone "UTC", dimensions [], min_count_per_stratum 5,
    min_coverage 0.95, warn_at 0.1, fail_at 0.2, alpha 0.05, seed 0, n_boot 2000, id_column None.
    """

    def __init__(
        self,
        *,
        sample: Any,
        reference: Any,
        timestamp_column: str | None = None,
        timezone: str | None = None,
        dimensions: list[str] | None = None,
        min_count_per_stratum: int | None = None,
        min_coverage: float | None = None,
        warn_at: float | None = None,
        fail_at: float | None = None,
        alpha: float | None = None,
        seed: int | None = None,
        n_boot: int | None = None,
        id_column: str | None = None,
        **kwargs: Any,
    ) -> None:
        given = {
            "timestamp_column": timestamp_column,
            "timezone": timezone,
            "dimensions": dimensions,
            "min_count_per_stratum": min_count_per_stratum,
            "min_coverage": min_coverage,
            "warn_at": warn_at,
            "fail_at": fail_at,
            "alpha": alpha,
            "seed": seed,
            "n_boot": n_boot,
            "id_column": id_column,
        }
        super().__init__(
            check="sampling_window",
            inputs={"sample": sample, "reference": reference},
            check_params={k: v for k, v in given.items() if v is not None},
            **kwargs,
        )
