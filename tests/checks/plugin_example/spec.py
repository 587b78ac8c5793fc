"""The smallest check on the core: does a share of failures exceed its bands?"""

from airflow_evalguard.core import params
from airflow_evalguard.core.spec import CheckSpec, InputSpec

SPEC = CheckSpec(
    name="failure_share",
    summary="The share of failed rows, gated by warn_at/fail_at.",
    inputs={"rows": InputSpec("one row per attempt with a 0/1 column 'failed'")},
    params={"alpha": params.alpha(), **params.rate_bands(0.05, 0.10, "failure share")},
    decide="tests.checks.plugin_example.decide:decide",
    headline=("failure_share",),
)
