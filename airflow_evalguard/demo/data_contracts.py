"""Synthetic data for the data-contract gates.

- Tool calls of a support agent (`answer`, `lookup_order`, `issue_refund`, `escalate_to_human`),
  this run and the last accepted run. Fault `escalation_consumer_automated`: the escalation queue
  got an auto-responder, so a third of the escalations meant for a person are closed by a bot,
  while every record still looks valid.
- Feedback rows proposed as training data. Healthy: production chat feedback from many
  customers, a few rows with an e-mail address or a phone number in the text (quarantined).
  Fault `staging_feedback_in_training`: the staging thumbs-down button is wired to the same
  table, so employees testing the product supply a fifth of the rows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

TOOLS = ("answer", "lookup_order", "issue_refund", "escalate_to_human")
TOOL_SHARE = (0.62, 0.18, 0.08, 0.12)
SEVERITIES = ("low", "medium", "high", "critical")
REASONS = (
    "customer reports a double charge and asks for a manager",
    "refund above the automatic limit needs approval",
    "customer mentions a safety issue with the device",
    "legal threat in the conversation; policy requires a person",
    "account locked after identity check failed twice",
)
FEEDBACK_TEXT = (
    "the answer about my refund was wrong, it said 5 days but it took 3 weeks",
    "helpful, solved my login problem quickly",
    "it kept repeating the same troubleshooting steps",
    "did not understand that I wanted to cancel, not pause",
    "great, the tracking link worked",
    "the bot invented a return policy that does not exist",
    "too long, just tell me whether the store is open",
    "it answered in English although I wrote in Spanish",
)


# numpy's stubs refuse None as np.where's fill (numpy makes it an object array): ignored below.
def tool_calls(fault: str | None, seed: int = 0, n: int = 3_000, run: str = "candidate") -> pd.DataFrame:
    rng = np.random.default_rng(seed + (70 if run == "candidate" else 71))
    tool = np.array(TOOLS)[rng.choice(len(TOOLS), size=n, p=TOOL_SHARE)]
    escalate = tool == "escalate_to_human"
    severity = np.where(escalate, np.array(SEVERITIES)[rng.choice(4, size=n, p=(0.3, 0.4, 0.2, 0.1))], None)  # type: ignore[call-overload]
    urgent = np.isin(severity, ["high", "critical"])
    queue = np.array(["queue/billing", "queue/safety", "queue/accounts"])[rng.integers(0, 3, n)]
    resolved = np.where(escalate, np.where(rng.random(n) < 0.9, "human", None), None).astype(object)  # type: ignore[call-overload,attr-defined]
    if fault == "escalation_consumer_automated" and run == "candidate":
        resolved[escalate & (rng.random(n) < 0.35)] = "automation"
    return pd.DataFrame(
        {
            "call_id": [f"{run[:4]}-{i:06d}" for i in range(n)],
            "conversation_id": [f"conv-{i // 2:06d}" for i in range(n)],
            "tool": tool,
            "severity": severity,
            "reason": np.where(escalate, np.array(REASONS)[rng.integers(0, len(REASONS), n)], None),  # type: ignore[call-overload]
            "handoff_target": np.where(urgent | (escalate & (rng.random(n) < 0.5)), queue, None),  # type: ignore[call-overload]
            "confidence": rng.beta(5, 2, n),
            "resolved_by_type": resolved,
        }
    )


def feedback_candidates(fault: str | None, seed: int = 0, n: int = 4_000) -> pd.DataFrame:
    rng = np.random.default_rng(seed + 80)
    text = np.array(FEEDBACK_TEXT, dtype=object)[rng.integers(0, len(FEEDBACK_TEXT), n)]
    with_pii = rng.random(n) < 0.01
    text[with_pii] = [
        f"{t}; reach me at user{i}@example.com or +1 415 555 {i % 10000:04d}"
        for i, t in zip(np.flatnonzero(with_pii), text[with_pii], strict=True)
    ]
    frame = pd.DataFrame(
        {
            "feedback_id": [f"fb-{i:06d}" for i in range(n)],
            "text": text,
            "rating": rng.choice(["thumbs_up", "thumbs_down"], n, p=(0.6, 0.4)),
            "environment": "production",
            "surface": rng.choice(["chat_widget", "mobile_app"], n, p=(0.7, 0.3)),
            "author_id": [f"cust-{a:05d}" for a in rng.integers(0, 3_000, n)],
            "author_type": "customer",
            "consent": rng.random(n) < 0.995,
            "created_at": pd.Timestamp("2026-11-01", tz="UTC")
            + pd.to_timedelta(rng.integers(0, 14 * 86400, n), unit="s"),
        }
    )
    if fault == "staging_feedback_in_training":
        staging = rng.random(n) < 0.2
        frame.loc[staging, "environment"] = "staging"
        frame.loc[staging, "surface"] = "internal_dogfood"
        frame.loc[staging, "author_type"] = "employee"
        frame.loc[staging, "author_id"] = [f"emp-{a:03d}" for a in rng.integers(0, 12, int(staging.sum()))]
    return frame
