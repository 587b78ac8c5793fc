"""families: which groups each decision judges, Bonferroni alphas (hand-computed), param checks."""

import numpy as np
import pytest

from airflow_evalguard.checks.latency_tail.families import check_params, plan
from airflow_evalguard.exceptions import EvalGuardInputError
from tests.checks.latency_tail._samples import PARAMS, sample

X = np.arange(1.0, 11.0)


def test_family_sizes_set_the_alphas():
    samples = [
        sample("base", X, "chat"),
        sample("ft1", X, "chat", cold=X > 8),
        sample("ft2", X, "chat"),
        sample("ft1", X, "batch"),
    ]
    fam = plan(samples, 3, {**PARAMS, "slo_ms": {"chat": 100}, "baseline_endpoint": "base"})
    assert [s.group.endpoint for s in fam.slo] == ["base", "ft1", "ft2"]
    assert [s.group.endpoint for s in fam.cold] == ["ft1"]
    assert [s.group.endpoint for s in fam.tuned] == ["ft1", "ft2"]  # batch has no baseline group
    assert fam.a_slo == pytest.approx(0.05 / 3)
    assert fam.a_cold == pytest.approx(0.05 / 2)
    assert fam.a_train == pytest.approx(0.05 / 6)
    assert fam.a_ft == pytest.approx(0.05 / 4)
    assert fam.alphas_for(samples[3], 0.05) == {0.05, 0.025}
    assert fam.alphas_for(samples[1], 0.05) == {0.05, 0.025, 0.05 / 3, 0.05 / 4}


@pytest.mark.parametrize(
    "params, message",
    [
        ({"warn_at": 0.3}, "warn_at <= fail_at"),
        ({"quantiles": [0.5, 1.0]}, "strictly between 0 and 1"),
        ({"slo_ms": {"chat": -1}}, "positive number of ms"),
        ({"slo_ms": {"nope": 100}}, r"classes in the histogram: \['chat'\]"),
        ({"baseline_endpoint": "nope"}, "has no requests"),
        ({"timezone": "Mars/Olympus"}, "Mars"),
    ],
)
def test_params_naming_groups_the_input_lacks_are_refused(params, message):
    with pytest.raises(EvalGuardInputError, match=message):
        check_params({**PARAMS, "timezone": "UTC", **params}, ["chat"], ["base"], "histogram")
