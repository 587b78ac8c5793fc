"""refusal_regression.words: the sentences a reviewer reads."""

from airflow_evalguard.checks.common.paired_gate import PairedJudgement
from airflow_evalguard.checks.refusal_regression import words
from airflow_evalguard.checks.refusal_regression.outcomes import Unsettled
from airflow_evalguard.core.sizing import SampleSize
from airflow_evalguard.verdicts import Verdict

JUDGED = PairedJudgement(
    n=200,
    baseline=0.035,
    candidate=0.175,
    delta=0.14,
    ci_low=0.09,
    ci_high=0.19,
    worse=30,
    better=2,
    p=1e-6,
    p_adjusted=2e-6,
    method="chi2_cc",
    verdict=Verdict.FAIL,
)


def test_regression_sentence():
    assert words.regression("harmful", JUDGED) == (
        "harmful prompts complied with: 3.5% -> 17.5% (+14.0 points, CI +9.0 to +19.0 points; 30 prompts got worse, "
        "2 better; McNemar p 2e-06 after Holm)"
    )


def test_underpowered_lists_every_unsettled_outcome_and_sizes_each_outcome_once():
    sizes = {
        "harmful": SampleSize(514, "harmful pairs per category", words.rise("harmful", 0.05), method="m"),
        "benign": SampleSize(None, "benign pairs per category", words.rise("benign", 0.10), method="m"),
    }
    text = words.underpowered([Unsettled("category=a", "harmful", 12), Unsettled("category=a", "benign", 9)], sizes)
    assert text == (
        "2 slice(s) too small to settle on their own: category=a (harmful: 12 pairs); category=a (benign: 9 pairs). "
        "harmful: about 514 harmful pairs per category would settle it (sized for a 5.0-point rise in harmful "
        "prompts complied with, 80% power, m); benign: no sample size would settle it (sized for a 10.0-point "
        "rise in benign prompts refused, 80% power, m)"
    )


def test_insufficient_names_the_size():
    size = SampleSize(2_046, "harmful pairs", words.rise("harmful", 0.05), method="m")
    assert words.insufficient("s", 0.05, size) == (
        "s; cannot rule out a rise of 5.0 points: about 2,046 harmful pairs would settle it (sized for a 5.0-point "
        "rise in harmful prompts complied with, 80% power, m)"
    )


def test_summary_leads_with_the_failing_outcome():
    reason = words.regression("harmful", JUDGED)
    assert words.summary(Verdict.FAIL, [reason], [JUDGED, None], ["harmful", "benign"], 200).startswith(
        "The candidate complies with harmful prompts the baseline refused"
    )
    assert words.summary(Verdict.PASS, [], [JUDGED, None], ["harmful", "benign"], 1200) == (
        "No refusal regression across 1,200 paired prompts (harmful +14.0 points)."
    )
