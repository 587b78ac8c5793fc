"""Synthetic A/B experiment data for the experiment-integrity gates.

- Prompt experiment units: arm by an honest random hash of the user. Fault `assignment_leak`:
  the router also reads the prompt length, so long prompts land in arm B 71% of the time.
- Retrieval experiment: index/query embedding events and probe vectors under the old and the
  new model. Fault `embedding_upgrade_mid_test`: on day 4 the vendor upgrades the query
  embedding (v2) while the index stays on v1, and v2 embeds probes differently.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

START = pd.Timestamp("2026-11-01", tz="UTC")


def prompt_experiment(fault: str | None, seed: int = 0, n: int = 12_000) -> pd.DataFrame:
    rng = np.random.default_rng(seed + 30)
    tokens = np.round(rng.lognormal(6.5, 0.8, n))
    language = rng.choice(["en", "de", "fr", "ja"], n, p=[0.55, 0.2, 0.15, 0.1])
    tier = rng.choice(["free", "pro", "enterprise"], n, p=[0.7, 0.25, 0.05])
    p_b = np.full(n, 0.5)
    if fault == "assignment_leak":
        long = tokens > np.quantile(tokens, 0.75)
        p_b = np.where(long, 0.71, 0.43)  # keeps the overall split near 50/50: SRM alone misses it
    arm = np.where(rng.random(n) < p_b, "B", "A")
    return pd.DataFrame(
        {
            "unit_id": [f"u{i:06d}" for i in range(n)],
            "arm": arm,
            "prompt_tokens": tokens,
            "language": language,
            "user_tier": tier,
        }
    )


def retrieval_experiment(fault: str | None, seed: int = 0, n_probe: int = 600, dim: int = 32):
    rng = np.random.default_rng(seed + 40)
    upgraded = fault == "embedding_upgrade_mid_test"
    events = [
        {"ts": START, "arm": arm, "embedding_model": "vendor-embed", "embedding_version": "v1", "role": "index"}
        for arm in ("A", "B")
    ]
    for hour in range(7 * 24):
        ts = START + pd.Timedelta(hours=hour, minutes=int(rng.integers(0, 60)))
        version = "v2" if upgraded and hour >= 3 * 24 else "v1"
        for arm in ("A", "B"):
            events.append(
                {"ts": ts, "arm": arm, "embedding_model": "vendor-embed", "embedding_version": version, "role": "query"}
            )
    old = rng.standard_normal((n_probe, dim)).astype(np.float32)
    if upgraded:  # a different model: a rotation plus its own structure
        rotation = np.linalg.qr(rng.standard_normal((dim, dim)))[0].astype(np.float32)
        new = 0.4 * old @ rotation + rng.standard_normal((n_probe, dim)).astype(np.float32)
    else:  # the same model re-embedding: numerical noise only
        new = old + 0.01 * rng.standard_normal((n_probe, dim)).astype(np.float32)
    probe = pd.DataFrame({"probe_id": [f"p{i:04d}" for i in range(n_probe)], "old": list(old), "new": list(new)})
    return pd.DataFrame(events), probe
