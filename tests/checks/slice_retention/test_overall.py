"""slice_retention.overall: the overall drop is one gated effect, a Holm family of one."""

import pytest
from statsmodels.stats.contingency_tables import mcnemar

from airflow_evalguard.checks.slice_retention import overall, read
from airflow_evalguard.core.compose import compose
from airflow_evalguard.verdicts import Verdict
from tests.checks.slice_retention.helpers import correct_pairs, params, tables


def test_overall_drop_is_gated_on_the_unadjusted_mcnemar_p():
    resolved = params()
    found, part = overall.part(read.read(tables(*correct_pairs({"a": (20, 5, 40, 535)})), resolved), resolved)
    (effect,) = part.gated
    assert effect.value == pytest.approx(35 / 600) and not effect.report
    assert effect.p_value == pytest.approx(mcnemar([[20, 5], [40, 535]], exact=False, correction=True).pvalue)
    judged = compose([part], alpha=0.05).judged[0]
    assert judged.p_adjusted == pytest.approx(effect.p_value) and judged.verdict is Verdict.FAIL
    assert list(part.metrics) == ["teacher", "student", "drop"] and part.metrics["drop"].n == 600
