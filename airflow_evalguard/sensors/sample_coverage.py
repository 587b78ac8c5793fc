"""SampleCoverageSensor: hold an eval until its sample covers the production mix."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from airflow_evalguard.sensors.polling import DeferrablePollingSensor


class SampleCoverageSensor(DeferrablePollingSensor):
    """Wait until the eval sample accumulated so far covers the production mix: the
    ``sampling_window`` check's ``coverage`` reaches ``min_coverage`` and ``hours_covered``
    reaches ``min_hours_covered`` (default: every hour the reference has). An eval then no longer
    runs on whatever the 3 am cron happened to see.

    :param sample: the accumulating sample (path or ``s3://`` URI; templated). Missing means "not yet".
    :param reference: production counts or rows, as for ``sampling_window``.
    :param check_params: other ``sampling_window`` params (dimensions, timezone, timestamp_column, ...).
    Each poke runs the check (pandas) in the worker, or in a thread of the triggerer when deferred.
    """

    condition_path = "airflow_evalguard.triggers.sample_coverage:sample_covers_mix"
    waiting_for = "the sample covering the production mix"
    template_fields: Sequence[str] = ("sample", "reference", "check_params")
    ui_color = "#d8f0e0"

    def __init__(
        self,
        *,
        sample: str,
        reference: str,
        check_params: dict | None = None,
        min_coverage: float = 0.95,
        min_hours_covered: int | None = None,
        aws_conn_id: str | None = "aws_default",
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if not 0 < min_coverage <= 1:
            raise ValueError(f"SampleCoverageSensor: min_coverage must be in (0, 1], got {min_coverage}")
        if min_hours_covered is not None and not 0 < min_hours_covered <= 24:
            raise ValueError(f"SampleCoverageSensor: min_hours_covered must be 1-24, got {min_hours_covered}")
        self.sample = sample
        self.reference = reference
        self.check_params = dict(check_params or {})
        self.min_coverage = min_coverage
        self.min_hours_covered = min_hours_covered
        self.aws_conn_id = aws_conn_id

    def condition_kwargs(self) -> dict:
        return {
            "sample": self.sample,
            "reference": self.reference,
            "check_params": self.check_params,
            "min_coverage": self.min_coverage,
            "min_hours_covered": self.min_hours_covered,
            "aws_conn_id": self.aws_conn_id,
        }
