"""judge_drift's human and position parts on LLMBar's MT-Bench subset (real judges, real humans).

Oracles: LLMBar's published accuracies and swap-consistency counts (statistics.json), and
statsmodels' Cohen's kappa on the same confusion tables.
"""

from pathlib import Path

import pandas as pd
import pytest

from airflow_evalguard.run import run_check
from tests.schema import assert_valid_result

DATA = Path(__file__).parents[2] / "data" / "llmbar_mtbench" / "mtbench_judge_vs_human_labels.csv"
# correct in original order, out of 200 (LLMBar statistics_<judge>_Vanilla_NoRules.json)
PUBLISHED_CORRECT = {"GPT-4": 159, "ChatGPT": 140, "LLaMA2": 146, "PaLM2": 138}
PUBLISHED_EQUAL = {"GPT-4": 174, "ChatGPT": 115}  # verdict unchanged by the swap (no parse failures)


@pytest.fixture(scope="module")
def llmbar():
    d = pd.read_csv(DATA)
    scores = pd.DataFrame(
        {
            "item_id": d["item_idx"],
            "judge_model": d["judge"],
            "winner": d["winner_original_order"],
            "winner_swapped": d["winner_swapped_order"],
        }
    )
    human = d.drop_duplicates("item_idx")[["item_idx", "human_majority_label"]].rename(
        columns={"item_idx": "item_id", "human_majority_label": "human_winner"}
    )
    return scores, human


@pytest.fixture(scope="module")
def result(llmbar):
    scores, human = llmbar
    return run_check("judge_drift", {"scores": scores, "human": human}, {"score_type": "pairwise", "n_boot": 500})


def by_judge(result):
    return {s.slice.split("=", 1)[1]: s.metrics for s in result.slices}


def test_accuracy_reproduces_published_values(result):
    for judge, metrics in by_judge(result).items():
        parsed = metrics["agreement"].n
        assert round(metrics["agreement"].value * parsed) == PUBLISHED_CORRECT[judge], judge


def test_position_consistency_reproduces_published_swap_agreement(result):
    slices = by_judge(result)
    for judge, equal in PUBLISHED_EQUAL.items():
        m = slices[judge]["position_consistency"]
        assert m.n == 200 and round(m.value * 200) == equal
        assert m.ci_low < m.value < m.ci_high
    # GPT-4 keeps its verdict far more often than ChatGPT (0.87 vs 0.575)
    assert slices["GPT-4"]["position_consistency"].value - slices["ChatGPT"]["position_consistency"].value > 0.25


def test_kappa_matches_statsmodels(llmbar, result):
    from statsmodels.stats.inter_rater import cohens_kappa

    scores, human = llmbar
    joined = scores.merge(human, on="item_id").dropna(subset=["winner"])
    for judge, metrics in by_judge(result).items():
        g = joined[joined["judge_model"] == judge]
        table = (
            pd.crosstab(g["winner"].astype(int), g["human_winner"])
            .reindex(index=[1, 2], columns=[1, 2], fill_value=0)
            .to_numpy()
        )
        assert metrics["kappa"].value == pytest.approx(cohens_kappa(table).kappa, abs=1e-12), judge
        assert metrics["kappa"].ci_low < metrics["kappa"].value < metrics["kappa"].ci_high


def test_palm2_parse_failures_counted_over_all_judgments(result):
    # PaLM2 left 8 original-order and 7 swapped-order verdicts unparseable: 15 of 1,600 judgments
    m = result.metrics["judge_parse_failure_rate"]
    assert m.n == 1600 and round(m.value * m.n) == 15
    assert result.metrics["judge_parse_failures[scores]"].value == 15


def test_balanced_classes_do_not_raise_the_prevalence_paradox(result):
    assert "AGREEMENT_PARADOX" not in {f.code for f in result.findings}
    assert_valid_result(result)


def test_position_bias_gate_fails_the_order_sensitive_judge(llmbar):
    scores, human = llmbar
    r = run_check(
        "judge_drift",
        {"scores": scores[scores["judge_model"].isin(["GPT-4", "ChatGPT"])], "human": human},
        {"score_type": "pairwise", "min_position_consistency": 0.8, "n_boot": 300},
    )
    verdicts = {s.slice: s.verdict.value for s in r.slices}
    assert verdicts == {"judge_model=ChatGPT": "FAIL", "judge_model=GPT-4": "PASS"}
    assert any(f.code == "POSITION_BIAS" and f.slice == "judge_model=ChatGPT" for f in r.findings)


def test_pinning_gpt4_fails_on_the_mixed_judge_file(llmbar):
    scores, _ = llmbar
    r = run_check("judge_drift", {"scores": scores}, {"score_type": "pairwise", "pinned_judge": "GPT-4"})
    assert r.verdict.value == "FAIL"
    assert r.metrics["unpinned_share"].value == pytest.approx(0.75)


def test_skewed_classes_raise_the_prevalence_paradox(llmbar):
    """Keep 90% of items where humans preferred answer 1: a judge leaning to answer 1 looks accurate."""
    scores, human = llmbar
    ones = human[human["human_winner"] == 1]["item_id"].tolist()
    twos = human[human["human_winner"] == 2]["item_id"].tolist()[:10]
    keep = set(ones) | set(twos)
    chat = scores[(scores["judge_model"] == "ChatGPT") & scores["item_id"].isin(keep)]
    r = run_check(
        "judge_drift",
        {"scores": chat, "human": human[human["item_id"].isin(keep)]},
        {"score_type": "pairwise", "n_boot": 300},
    )
    assert r.metrics["judge_human_agreement"].value > 0.7
    assert "AGREEMENT_PARADOX" in {f.code for f in r.findings}
    assert r.verdict.value == "WARN"
