"""Exact neighbour overlap@10 for 20,000 probes over a 100,000 x 384 float32 corpus under two models.

Target: within 2x of the two bare matrix products (probes @ corpus.T, old and new), measured in
the same run, and <= 2 GiB peak RSS. Also printed: numpy argpartition over whole similarity rows
(the naive top-k), timed on a subset of the probes and scaled, because at full size it would
hold a 20,000 x 100,000 score matrix (8 GB) and take minutes.

Each measurement runs in its own subprocess so its peak RSS is its own.

    python benchmarks/embedding_overlap_scale.py [--probes 20000] [--corpus 100000] [--dim 384]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parent / ".data"

SETUP = """
import json, sys, time, resource
import numpy as np
probes, corpus, dim, block = (int(x) for x in sys.argv[1:5])
rng = np.random.default_rng(0)
c_old = rng.standard_normal((corpus, dim), dtype=np.float32)
c_new = (c_old + 0.5 * rng.standard_normal((corpus, dim), dtype=np.float32))
p_old, p_new = c_old[:probes].copy(), c_new[:probes].copy()
def report(seconds, **extra):
    print(json.dumps({"s": seconds, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, **extra}))
"""

MATMUL = (
    SETUP
    + """
t0 = time.perf_counter()
for q, c in ((p_old, c_old), (p_new, c_new)):
    for i in range(0, probes, block):   # blocked so the score matrix fits in memory
        q[i:i + block] @ c.T
report(time.perf_counter() - t0)
"""
)

CHECK = (
    SETUP
    + """
import pandas as pd
from airflow_evalguard.run import run_check
probe = pd.DataFrame({"probe_id": np.arange(probes), "old": list(p_old), "new": list(p_new)})
corpus_df = pd.DataFrame({"doc_id": np.arange(corpus), "old": list(c_old), "new": list(c_new)})
t0 = time.perf_counter()
r = run_check("embedding_drift", {"probe": probe, "corpus": corpus_df}, {"k": 10})
report(time.perf_counter() - t0, overlap=r.metrics["neighbor_overlap@10"].value)
"""
)

ARGPARTITION = (
    SETUP
    + """
sub = int(sys.argv[5])
t0 = time.perf_counter()
for q, c in ((p_old[:sub], c_old), (p_new[:sub], c_new)):
    s = q @ c.T
    np.argpartition(-s, 10, axis=1)[:, :10]
elapsed = time.perf_counter() - t0
report(elapsed * probes / sub, measured_on=sub)
"""
)


def measure(code: str, *args) -> dict:
    out = subprocess.run([sys.executable, "-c", code, *map(str, args)], capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--probes", type=int, default=20_000)
    parser.add_argument("--corpus", type=int, default=100_000)
    parser.add_argument("--dim", type=int, default=384)
    parser.add_argument("--block", type=int, default=2_000)
    parser.add_argument("--argpartition-subset", type=int, default=2_000)
    args = parser.parse_args()
    base = (args.probes, args.corpus, args.dim, args.block)
    mm = measure(MATMUL, *base)
    print(
        f"two bare matrix products (blocked numpy):       {mm['s']:7.1f} s  peak RSS {mm['rss_mb']:6.0f} MiB",
        flush=True,
    )
    chk = measure(CHECK, *base)
    print(
        f"embedding_drift probe part (exact, faiss flat): {chk['s']:7.1f} s  peak RSS {chk['rss_mb']:6.0f} MiB  "
        f"overlap@10 {chk['overlap']:.3f}",
        flush=True,
    )
    ap = measure(ARGPARTITION, *base, args.argpartition_subset)
    print(
        f"numpy product + argpartition over whole rows:   {ap['s']:7.1f} s  (scaled from {ap['measured_on']:,} probes)"
    )
    print()
    print(f"{args.probes:,} probes x {args.corpus:,} corpus x {args.dim} dims, two models")
    print(
        f"ratio check / bare products: {chk['s'] / mm['s']:.2f}x (target <= 2x); "
        f"argpartition / bare products: {ap['s'] / mm['s']:.2f}x; peak RSS {chk['rss_mb']:.0f} MiB (target <= 2048)"
    )
    print("(the setup's random data is part of each process's RSS: two 100,000 x 384 float32 matrices = 293 MiB)")
    return 0 if chk["s"] / mm["s"] <= 2 and chk["rss_mb"] <= 2048 else 1


if __name__ == "__main__":
    sys.exit(main())
