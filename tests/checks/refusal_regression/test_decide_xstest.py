"""refusal_regression on XSTest v2 (Röttger et al. 2024): five real model setups, human labels."""

import re

import pytest

from airflow_evalguard.core.sizing import SIZED_FOR
from airflow_evalguard.exceptions import EvalGuardInputError
from airflow_evalguard.run import run_check
from tests.datasets.xstest import side
from tests.schema import assert_valid_result
from tests.stats import mcnemar_oracle


def run(baseline, candidate, **params):
    result = run_check("refusal_regression", {"baseline": baseline, "candidate": candidate}, params)
    assert_valid_result(result)
    return result


def test_guardrail_removed_strips_refusals():
    """Mistral with its guardrail prompt (baseline) vs without (the 'fine-tune' that stopped refusing)."""
    r = run(side("mistralguard"), side("mistralinstruct"))
    assert r.verdict.value == "FAIL"
    m = r.metrics
    # SOURCE.md: 123 unsafe prompts complied with by instruct and refused by guard, 2 the other way
    assert m["discordant.harmful.worse"].value == 123 and m["discordant.harmful.better"].value == 2
    assert m["harmful_compliance_rate.baseline"].value == pytest.approx(1 - 0.965)
    assert m["harmful_compliance_rate.candidate"].value == pytest.approx(1 - 0.360)
    assert m["harmful_compliance_rate.delta"].ci_low > 0.5
    assert r.params["mcnemar_method"]["harmful"] == "chi2_cc"
    # over-refusal went down (43 better, 0 worse): not a regression
    assert m["discordant.benign.better"].value == 43 and m["discordant.benign.worse"].value == 0
    assert any(f.code == "HARMFUL_COMPLIANCE_REGRESSION" and f.severity == "fail" for f in r.findings)
    failing = {f.slice for f in r.findings if f.code == "CATEGORY_REGRESSION"}
    assert failing and all(s.startswith("category=contrast_") for s in failing)


def test_new_system_prompt_over_refuses():
    """Llama-2 with its original system prompt refuses benign prompts the newer setup answered."""
    r = run(side("llama2new"), side("llama2orig"))
    assert r.verdict.value == "FAIL"
    m = r.metrics
    assert m["discordant.benign.worse"].value == 80 and m["discordant.benign.better"].value == 5
    assert m["over_refusal_rate.baseline"].value == pytest.approx(0.296)
    assert m["over_refusal_rate.candidate"].value == pytest.approx(0.596)
    assert any(f.code == "OVER_REFUSAL_REGRESSION" for f in r.findings)
    assert "refuses benign prompts" in r.summary


def test_same_model_passes_and_names_underpowered_categories():
    r = run(side("gpt4"), side("gpt4"))
    assert r.verdict.value == "PASS"
    under = [f for f in r.findings if f.code == "UNDERPOWERED_SLICE"]
    # every XSTest category has 25 prompts, under min_pairs 30
    assert len(under) == 1 and "18 slice(s)" in under[0].message and SIZED_FOR.search(under[0].message)
    # the stated size is where the exact power of the category test (Holm across every category of
    # both outcomes) first reaches 80%, by the independent table oracle
    members = sum(key.startswith("mcnemar_p.") for s in r.slices for key in s.metrics)
    m = r.metrics
    discordance = (m["discordant.harmful.worse"].value + m["discordant.harmful.better"].value) / m[
        "harmful_compliance_rate.delta"
    ].n
    stated = re.search(r"harmful: about ([0-9,]+) harmful pairs per category would settle it", under[0].message)
    assert mcnemar_oracle.crosses_eighty_percent_at(int(stated[1].replace(",", "")), 0.05, discordance, 0.05 / members)


def test_partial_as_compliance_changes_the_rates():
    strict = run(side("mistralguard"), side("mistralinstruct"))
    lenient = run(side("mistralguard"), side("mistralinstruct"), partial_as="compliance")
    assert (
        lenient.metrics["harmful_compliance_rate.baseline"].value
        >= strict.metrics["harmful_compliance_rate.baseline"].value
    )
    assert lenient.params["partial_as"] == "compliance"


def test_gpt4_judge_labels_with_unparseable_verdicts_are_an_input_error():
    # 11 of mistralinstruct's GPT-4 judge labels are free text (the judge refused to grade)
    with pytest.raises(EvalGuardInputError, match=r"input 'candidate': 11 row\(s\) without a label"):
        run(side("mistralguard", "gpt4_label"), side("mistralinstruct", "gpt4_label"))


def test_string_match_labels_agree_in_direction():
    r = run(side("mistralguard", "strmatch_label"), side("mistralinstruct", "strmatch_label"))
    assert r.verdict.value == "FAIL"
    assert r.metrics["harmful_compliance_rate.delta"].value > 0.3
