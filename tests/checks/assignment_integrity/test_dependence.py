import numpy as np
import pytest
from scipy.stats.contingency import association
from statsmodels.stats.multitest import multipletests

from airflow_evalguard.checks.assignment_integrity.dependence import dependence_part
from airflow_evalguard.stats.dependence import dependence_test
from airflow_evalguard.verdicts import Verdict
from tests.checks.assignment_integrity.arms_of import arms_of, units


def test_cramers_v_matches_scipy_and_p_values_are_holm_adjusted():
    frame = units(3000, 5)
    arms, params = arms_of(frame, assembler_inputs=["language", "prompt_tokens"], n_perm=199)
    result = dependence_part(arms, ["language", "prompt_tokens"], params)
    table = frame.groupby(["language", "arm"]).size().unstack().to_numpy()
    assert result.part.metrics["dependence[language]"].value == pytest.approx(association(table, method="cramer"))
    raw = [dependence_test(arms.fields[name].counts, n_perm=199, seed=0)[1] for name in ("language", "prompt_tokens")]
    adjusted = multipletests(raw, method="holm")[1]
    assert [
        result.part.metrics[f"dependence_p[{name}]"].value for name in ("language", "prompt_tokens")
    ] == pytest.approx(list(adjusted))
    assert result.part.validity == () and result.methods["prompt_tokens"].startswith("cramers_v on quartiles")


def test_an_arm_that_follows_prompt_length_is_a_leak():
    rng = np.random.default_rng(6)
    tokens = rng.lognormal(6.5, 0.8, 5000).round()
    frame = units(5000, 6, p_b=np.where(tokens > np.quantile(tokens, 0.75), 0.75, 0.42)).assign(prompt_tokens=tokens)
    arms, params = arms_of(frame, assembler_inputs=["prompt_tokens"], n_perm=199)
    result = dependence_part(arms, ["prompt_tokens"], params)
    assert result.part.validity == (Verdict.FAIL,) and result.part.findings[0].code == "ASSIGNMENT_LEAK"
    assert result.part.headline[0].startswith("arm B got 7")
