"""sampling_window's inputs and parameters (light: no pandas, read when a DAG file is parsed)."""

from __future__ import annotations

from airflow_evalguard.core import params
from airflow_evalguard.core.spec import CheckSpec, InputSpec, ParamSpec

SPEC = CheckSpec(
    name="sampling_window",
    summary="Is the eval set a fair sample of production traffic by hour of day and other strata?",
    inputs={
        "sample": InputSpec("the eval set: one row per example, a timestamp column, the stratum columns"),
        "reference": InputSpec(
            "production traffic over a representative period: rows with the same columns, or pre-aggregated "
            "rows with the stratum columns, 'hour_of_day' in place of the timestamp, and a 'count' column"
        ),
    },
    params={
        "timestamp_column": ParamSpec(
            "ts", str, "timestamp column (both inputs; numbers are Unix seconds)", column=True
        ),
        "timezone": ParamSpec("UTC", str, "IANA zone for hour of day; naive timestamps are local time there"),
        "dimensions": ParamSpec([], list, "stratum columns besides hour_of_day (always included)"),
        "min_count_per_stratum": ParamSpec(5, int, "sample rows a stratum needs to count as covered", minimum=1),
        "min_coverage": ParamSpec(0.95, float, "least reference share in covered strata", minimum=0, maximum=1),
        **params.rate_bands(0.1, 0.2, "TVD"),
        "alpha": params.alpha(),
        "seed": params.seed("seed for the bootstrap and Monte Carlo tests"),
        "n_boot": params.n_boot("bootstrap resamples and Monte Carlo simulations"),
        "id_column": ParamSpec(
            None, str, "sample column that identifies rows in weights.parquet", nullable=True, column=True
        ),
    },
    decide="airflow_evalguard.checks.sampling_window.decide:decide",
    headline=("tvd[hour_of_day]", "coverage", "kish_ess_ratio"),
    plots=None,  # its plots stay in airflow_evalguard/report/plots.py for now
)
