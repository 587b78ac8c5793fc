"""The small sampling_window inputs the CLI tests run on, written once for every test file."""

from pathlib import Path

import numpy as np
import pandas as pd


def write_cli_inputs(directory: Path) -> Path:
    """ref.parquet (a week of traffic), fair.csv (a fair sample of it), night.jsonl (only
    02:00-04:00) and tiny.parquet (30 rows) in `directory`."""
    rng = np.random.default_rng(0)
    ts = pd.Timestamp("2026-01-01", tz="UTC") + pd.to_timedelta(rng.integers(0, 7 * 86400, 3000), unit="s")
    ref = pd.DataFrame({"ts": ts, "region": rng.choice(["a", "b"], 3000)})
    ref.to_parquet(directory / "ref.parquet")
    ref.sample(1000, random_state=1).to_csv(directory / "fair.csv", index=False)
    night = ref[ref["ts"].dt.hour.isin([2, 3])]
    night.to_json(directory / "night.jsonl", orient="records", lines=True, date_format="iso")
    ref.head(30).to_parquet(directory / "tiny.parquet")
    return directory
