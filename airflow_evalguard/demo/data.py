"""Synthetic production traffic and an eval sample drawn from it, optionally by a 3 am cron.

The traffic has a diurnal shape (night trough, evening peak), regions whose share follows their
own daytime (APAC traffic peaks during the UTC night), several sources, and overnight retries.
A model answers each prompt; it is worse on APAC prompts and retries, so an eval that samples
the night overstates nothing by accident: its accuracy is simply not production's.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from airflow_evalguard.demo import FAULTS

START = pd.Timestamp("2026-10-01", tz="UTC")
DAYS = 14
REGIONS = ("us", "eu", "apac")
# Local-daytime peak hour (UTC) of each region's traffic.
REGION_PEAK_UTC = {"us": 19, "eu": 13, "apac": 4}
REGION_WEIGHT = {"us": 0.45, "eu": 0.35, "apac": 0.20}
SOURCES = ("web", "api", "mobile")
SOURCE_SHARE = (0.5, 0.3, 0.2)
CRON_HOURS = (2, 3)  # the eval cron samples 02:00-04:00 UTC


def _region_hour_weights() -> np.ndarray:
    """(region, hour) traffic weights: each region a smooth daily wave around its peak."""
    hours = np.arange(24)
    rows = []
    for region in REGIONS:
        distance = np.minimum(np.abs(hours - REGION_PEAK_UTC[region]), 24 - np.abs(hours - REGION_PEAK_UTC[region]))
        wave = 0.35 + np.cos(np.pi * distance / 12) ** 2
        rows.append(REGION_WEIGHT[region] * wave / wave.sum())
    weights = np.array(rows)
    return weights / weights.sum()


def production_traffic(n: int = 60_000, seed: int = 0) -> pd.DataFrame:
    """`n` production requests over 14 days: ts, region, source, is_retry, difficulty."""
    rng = np.random.default_rng(seed)
    weights = _region_hour_weights()
    cell = rng.choice(weights.size, size=n, p=weights.ravel())
    region_idx, hour = np.divmod(cell, 24)
    day = rng.integers(0, DAYS, size=n)
    seconds = rng.integers(0, 3600, size=n)
    ts = START + pd.to_timedelta(day * 86400 + hour * 3600 + seconds, unit="s")
    night = (hour >= 0) & (hour < 6)
    # Overnight batch jobs retry more: 25% retries at night, 5% by day.
    is_retry = rng.random(n) < np.where(night, 0.25, 0.05)
    source = np.array(SOURCES)[rng.choice(len(SOURCES), size=n, p=SOURCE_SHARE)]
    difficulty = rng.beta(2, 5, size=n) + 0.15 * (region_idx == REGIONS.index("apac")) + 0.2 * is_retry
    frame = pd.DataFrame(
        {
            "request_id": [f"req-{i:07d}" for i in range(n)],
            "ts": ts,
            "region": np.array(REGIONS)[region_idx],
            "source": source,
            "is_retry": is_retry,
            "difficulty": difficulty,
        }
    )
    return frame.sort_values("ts", ignore_index=True)


def reference_counts(traffic: pd.DataFrame) -> pd.DataFrame:
    """Production mix pre-aggregated as a warehouse GROUP BY would return it."""
    counts = (
        traffic.assign(hour_of_day=traffic["ts"].dt.hour)
        .groupby(["hour_of_day", "region", "source", "is_retry"], observed=True)
        .size()
    )
    return counts.rename("count").reset_index()


def eval_sample(traffic: pd.DataFrame, n: int = 2_000, fault: str | None = None, seed: int = 0) -> pd.DataFrame:
    """The eval set: a uniform sample of traffic, or (fault `cron_window`) only 02:00-04:00 UTC."""
    if fault not in (None, "none", *FAULTS):
        raise ValueError(f"unknown fault {fault!r}; known: {FAULTS}")
    rng = np.random.default_rng(seed + 1)
    pool = traffic
    if fault == "cron_window":
        pool = traffic[traffic["ts"].dt.hour.isin(CRON_HOURS)]
    picked = rng.choice(len(pool), size=min(n, len(pool)), replace=False)
    return pool.iloc[np.sort(picked)].reset_index(drop=True)


def model_answers(sample: pd.DataFrame, skill: float = 0.75, seed: int = 0) -> pd.DataFrame:
    """Whether the (synthetic) model answers each eval prompt correctly."""
    rng = np.random.default_rng(seed + 2)
    p_correct = np.clip(skill + 0.3 - sample["difficulty"].to_numpy(), 0.02, 0.98)
    return sample.assign(correct=rng.random(len(sample)) < p_correct)


# the files `generate` writes, one parquet each
INPUT_NAMES = (
    "reference",
    "eval_set",
    "refusal_baseline",
    "refusal_candidate",
    "distill_teacher",
    "distill_student",
    "required_slices",
    "experiment_units",
    "embedding_events",
    "embedding_probe",
    "judge_scores",
    "judge_anchors",
    "rubric_ratings",
    "labels",
    "label_gold",
    "tool_calls",
    "tool_calls_baseline",
    "feedback_candidates",
    "serving_requests",
    "training_windows",
)


def generate(
    out_dir: str | Path, fault: str | None = None, seed: int = 0, n_traffic: int = 60_000, n_eval: int = 2_000
) -> dict[str, str]:
    """Write every eval input of the demo into `out_dir` (traffic counts, eval set, refusal labels,
    distillation grades); `fault` switches one failure on. Returns name -> path."""
    from airflow_evalguard.demo import behaviour, data_contracts, experiments, instruments, serving

    if fault not in (None, "none", *FAULTS):
        raise ValueError(f"unknown fault {fault!r}; known: {FAULTS}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    traffic = production_traffic(n_traffic, seed=seed)
    paths = {name: str(out / f"{name}.parquet") for name in INPUT_NAMES}
    reference_counts(traffic).to_parquet(paths["reference"], index=False)
    window_fault = fault if fault == "cron_window" else None
    eval_sample(traffic, n_eval, fault=window_fault, seed=seed).to_parquet(paths["eval_set"], index=False)
    base, cand = behaviour.refusal_labels(fault, seed=seed)
    base.to_parquet(paths["refusal_baseline"], index=False)
    cand.to_parquet(paths["refusal_candidate"], index=False)
    teacher, student = behaviour.distillation_grades(fault, seed=seed)
    teacher.to_parquet(paths["distill_teacher"], index=False)
    student.to_parquet(paths["distill_student"], index=False)
    behaviour.required_slices().to_parquet(paths["required_slices"], index=False)
    experiments.prompt_experiment(fault, seed=seed).to_parquet(paths["experiment_units"], index=False)
    events, probe = experiments.retrieval_experiment(fault, seed=seed)
    events.to_parquet(paths["embedding_events"], index=False)
    probe.to_parquet(paths["embedding_probe"], index=False)
    scores, anchors = instruments.judge_records(fault, seed=seed)
    scores.to_parquet(paths["judge_scores"], index=False)
    anchors.to_parquet(paths["judge_anchors"], index=False)
    # The judge endpoint serves the pinned snapshot when the eval starts; with the fault it
    # updates silently part-way through scoring, which only the records and anchors show.
    (out / "judge_endpoint.txt").write_text(instruments.PINNED_JUDGE)
    instruments.rubric_ratings(fault, seed=seed).to_parquet(paths["rubric_ratings"], index=False)
    labels, gold = instruments.labeler_batches(fault, seed=seed)
    labels.to_parquet(paths["labels"], index=False)
    gold.to_parquet(paths["label_gold"], index=False)
    data_contracts.tool_calls(fault, seed=seed).to_parquet(paths["tool_calls"], index=False)
    data_contracts.tool_calls(fault, seed=seed, run="baseline").to_parquet(paths["tool_calls_baseline"], index=False)
    data_contracts.feedback_candidates(fault, seed=seed).to_parquet(paths["feedback_candidates"], index=False)
    serving.requests(fault, seed=seed).to_parquet(paths["serving_requests"], index=False)
    serving.training_windows(fault).to_parquet(paths["training_windows"], index=False)
    return paths
