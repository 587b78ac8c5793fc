"""baseline: each endpoint's p99 against the baseline endpoint's, class by class (numpy ratio)."""

import numpy as np
import pytest

from airflow_evalguard.checks.latency_tail import baseline
from airflow_evalguard.checks.latency_tail.estimate import estimate
from airflow_evalguard.checks.latency_tail.families import plan
from airflow_evalguard.core.compose import judge_members
from airflow_evalguard.verdicts import Verdict
from tests.checks.latency_tail._samples import PARAMS, sample


@pytest.mark.parametrize("scale, verdict", [(1.0, Verdict.PASS), (1.3, Verdict.FAIL)])
def test_tuned_against_base(scale, verdict):
    rng = np.random.default_rng(5)
    base, tuned = rng.lognormal(6, 0.5, 30_000), rng.lognormal(6, 0.5, 30_000) * scale
    params = {**PARAMS, "baseline_endpoint": "base"}
    samples = [sample("base", base), sample("tuned", tuned)]
    fam = plan(samples, 0, params)
    _, full = estimate(samples, fam, params)
    decided = baseline.decide(fam, full, params)
    [member] = decided.part.gated
    assert member.slice == "endpoint=tuned,latency_class=all"
    assert member.value == pytest.approx(np.quantile(tuned, 0.99) / np.quantile(base, 0.99) - 1)
    assert decided.group_metrics[member.slice]["p99_vs_baseline"].value == pytest.approx(member.value)
    assert judge_members([member], 0.05)[0].verdict is verdict
    assert "on baseline endpoint base" in member.describe(verdict)
