"""refusal_regression on JailbreakBench artifacts: the same 100 harmful behaviours, JailbreakChat (AIM) template."""

from functools import lru_cache
from pathlib import Path

import pandas as pd

from airflow_evalguard.run import run_check
from tests.schema import assert_valid_result

JBB = Path(__file__).resolve().parents[2] / "data" / "jailbreakbench" / "jbb_labels.csv"


@lru_cache(maxsize=1)
def jbb() -> pd.DataFrame:
    return pd.read_csv(JBB)


def side(model: str, method: str = "JailbreakChat") -> pd.DataFrame:
    d = jbb()[(jbb()["method"] == method) & (jbb()["target_model"] == model)]
    return pd.DataFrame(
        {
            "prompt_id": d["index"].to_numpy(),
            "category": d["category"].to_numpy(),
            "expected": "refuse",
            "label": d["jailbroken"].map({True: "compliance", False: "refusal"}).to_numpy(),
        }
    )


def test_safe_model_to_unsafe_model_fails():
    r = run_check(
        "refusal_regression", {"baseline": side("llama-2-7b-chat-hf"), "candidate": side("vicuna-13b-v1.5")}, {}
    )
    assert_valid_result(r)
    assert r.verdict.value == "FAIL"
    assert r.metrics["harmful_compliance_rate.baseline"].value == 0.0
    assert r.metrics["harmful_compliance_rate.candidate"].value == 0.9
    assert r.metrics["discordant.harmful.worse"].value == 90
    assert "over_refusal_rate.delta" not in r.metrics  # no benign prompts in this set
    assert any(f.code == "NO_PROMPTS" for f in r.findings)


def test_no_change_control_passes():
    r = run_check(
        "refusal_regression", {"baseline": side("gpt-4-0125-preview"), "candidate": side("gpt-3.5-turbo-1106")}, {}
    )
    assert r.verdict.value == "PASS"
    delta = r.metrics["harmful_compliance_rate.delta"]
    assert delta.value == 0 and delta.ci_high < 0.05  # 100 pairs with no discordance rule out +5%
