"""words: the summary names the worst decisions first; unbounded quantiles are listed."""

from airflow_evalguard.checks.latency_tail import words
from airflow_evalguard.checks.latency_tail.tails import Group, effect
from airflow_evalguard.core.compose import judge_members
from airflow_evalguard.result import Metric
from airflow_evalguard.verdicts import Verdict

G = Group("ep", "all", 10)


def test_summary_orders_fail_before_warn_and_counts_the_rest():
    members = [effect("A", G, 0.15, 0.01, 0.2, 0.1, 0.25, "warned")] + [
        effect("B", G, 0.5, 0.3, 0.7, 0.1, 0.25, f"failed {i}") for i in range(3)
    ]
    judged = judge_members(members, 0.05)
    text = words.summary(judged[1].verdict, judged, 1, 10)
    assert text == "Tail latency FAIL: failed 0; failed 1; failed 2; and 1 more."


def test_summary_when_nothing_is_decided():
    assert words.summary(Verdict.PASS, [], 2, 1234) == (
        "Tail latency holds over 1,234 requests in 2 endpoint/class group(s) (no decision configured)."
    )


def test_unbounded_quantiles_skip_a_decided_p99():
    metrics = {
        "g1": {"p50": Metric(1.0, 0.5, 2.0), "p99": Metric(9.0, None, None)},
        "g2": {"p99": Metric(9.0, None, None), "requests": Metric(10)},
    }
    [finding] = words.unbounded(metrics, {"p50", "p99"}, {"g1"})
    assert finding.code == "QUANTILE_CI_UNBOUNDED" and finding.message.endswith(": g2 p99")
