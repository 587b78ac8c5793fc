"""Deterministic synthetic eval data for an LLM product, with faults that can be switched on.

`generate(out_dir, fault=...)` writes production traffic counts and an eval set; the faults are
the ways an eval lies that the gates must catch. Imports nothing heavy at module level.
"""

FAULTS = (
    "cron_window",
    "sft_strips_refusals",
    "distill_drops_rare_slice",
    "assignment_leak",
    "embedding_upgrade_mid_test",
    "judge_silently_updated",
    "rubric_two_axis_drift",
    "labelers_homogenize",
    "escalation_consumer_automated",
    "staging_feedback_in_training",
    "cold_start_tail",
    "training_contention",
)
