"""feedback_provenance on 1,000,000 rows of 300-character text, every PII detector on.

Target: <= 20 s for the whole check. Printed side by side from one run on the same text:
- a single pandas `str.contains` pass (one plain regex) over the column: the floor;
- our PII scan of the text column alone (RE2 prefilter over the column, then per candidate row an
  RE2 Set naming the detectors that may match and their linear-time RE2 patterns, validation);
- the whole check (provenance rules, PII in every text column, concentration, the
  accepted/quarantine split with the input's dtypes);
- one RE2 pass per precise pattern over the column (pyarrow; no validation, no redaction, so
  also less precise): what the detection alone costs at C speed, for comparison.
Then the GX validation overhead of `output_contract`, reported apart from our own work.

    python benchmarks/feedback_provenance_scale.py [--rows 1000000] [--contract-rows 1000000]
"""

from __future__ import annotations

import argparse
import logging
import time

import numpy as np
import pandas as pd

WORDS = [
    "the",
    "answer",
    "about",
    "my",
    "refund",
    "was",
    "wrong",
    "it",
    "said",
    "five",
    "days",
    "but",
    "took",
    "three",
    "weeks",
    "helpful",
    "solved",
    "login",
    "problem",
    "quickly",
    "kept",
    "repeating",
    "same",
    "troubleshooting",
    "steps",
    "did",
    "not",
    "understand",
    "cancel",
    "pause",
    "great",
    "tracking",
    "link",
    "worked",
    "bot",
    "invented",
    "return",
    "policy",
    "store",
    "open",
    "English",
    "Spanish",
    "order",
    "ticket",
    "version",
    "update",
    "app",
    "crashed",
    "upload",
    "file",
    "error",
    "code",
    "waited",
    "minutes",
    "support",
    "agent",
]
NOISE = (
    "2024-01-15",
    "v1.2.3.4",
    "order 1234 5678 9012 3456",
    "10:30",
    "3.5",
    "#88231",
    "ISBN 978-3-16-148410-0",
    "1,299.99",
    "12/31/2023",
    "build 2.0.0.1",
)
PII = (
    "jane.roe@example.org",
    "+1 415 555 0132",
    "4111 1111 1111 1111",
    "GB82 WEST 1234 5698 7654 32",
    "203.0.113.42",
    "sk-proj-abcdefghijklmnopqrstuvwxyz123456",
)


def make_texts(n: int, seed: int = 0) -> list[str]:
    rng = np.random.default_rng(seed)
    words = np.array(WORDS, dtype=object)
    picks = rng.integers(0, len(words), (n, 60))
    noise = rng.random(n) < 0.15
    pii = rng.random(n) < 0.02
    out = []
    for i in range(n):
        text = " ".join(words[picks[i]])
        if noise[i]:
            text = f"{NOISE[i % len(NOISE)]} {text}"
        if pii[i]:
            text = f"{text[:200]} {PII[i % len(PII)]} {text[200:]}"
        out.append(text[:300])
    return out


def timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def feedback(rows: int) -> None:
    from airflow_evalguard.pii.detectors import DETECTORS
    from airflow_evalguard.pii.scanner import PiiScanner
    from airflow_evalguard.run import run_check

    t_gen, texts = timed(lambda: make_texts(rows))
    rng = np.random.default_rng(1)
    frame = pd.DataFrame(
        {
            "text": pd.array(texts, dtype="str"),
            "environment": np.where(rng.random(rows) < 0.01, "staging", "production"),
            "surface": "chat_widget",
            "author_id": rng.integers(0, 200_000, rows).astype(str),
            "author_type": "customer",
            "consent": True,
            "created_at": pd.Timestamp("2026-11-01", tz="UTC"),
        }
    )
    series = frame["text"]
    print(
        f"feedback_provenance: {rows:,} rows x {int(series.str.len().mean())} chars "
        f"(generated in {t_gen:.1f} s), detectors {list(DETECTORS)}"
    )
    t_contains, _ = timed(lambda: series.str.contains("refund", regex=True))
    t_scan, scan = timed(lambda: PiiScanner().scan(series))
    t_check, result = timed(lambda: run_check("feedback_provenance", {"candidates": frame}, {}))
    import pyarrow as pa
    import pyarrow.compute as pc

    framed = pa.array([f"\n{t}\n" for t in texts], type=pa.large_string())  # the scanner's framing
    patterns = [pattern for d in DETECTORS.values() for pattern in d.patterns]
    t_naive, _ = timed(lambda: [pc.match_substring_regex(framed, pattern) for pattern in patterns])
    print(f"  {'single str.contains pass':<44} {t_contains:7.2f} s   1.0x")
    print(
        f"  {'PII scan, all detectors (ours)':<44} {t_scan:7.2f} s {t_scan / t_contains:5.1f}x   "
        f"rows with PII {int(scan.any_hit().sum()):,}"
    )
    print(
        f"  {'whole feedback_provenance check':<44} {t_check:7.2f} s {t_check / t_contains:5.1f}x   "
        f"target <= 20 s: {'met' if t_check <= 20 else 'MISSED'}   verdict {result.verdict.value}"
    )
    print(
        f"  {'one RE2 pass per pattern, no validation':<44} {t_naive:7.2f} s {t_naive / t_contains:5.1f}x   "
        f"({len(patterns)} patterns)"
    )


def contract(rows: int) -> None:
    from airflow_evalguard.contracts.compile import compile_contract
    from airflow_evalguard.contracts.gx_runner import validate_frame
    from airflow_evalguard.contracts.loader import load_contract
    from airflow_evalguard.demo.data_contracts import tool_calls
    from airflow_evalguard.run import run_check

    path = "dags/contracts/escalate_to_human.yaml"
    records, baseline = tool_calls(None, n=rows), tool_calls(None, n=rows, run="baseline")
    specs = compile_contract(load_contract(path))
    validate_frame(records.head(1000), specs, "warm-up")  # GX's import and first-context cost, once
    t_gx, _ = timed(lambda: validate_frame(records, specs, "bench"))
    t_total, result = timed(
        lambda: run_check("output_contract", {"records": records, "baseline": baseline}, {"contract": path})
    )
    print(f"output_contract: {rows:,} records, {len(specs)} GX expectations + 2 behavioural clauses")
    print(f"  {'GX validation (context, suite, validate)':<44} {t_gx:7.2f} s")
    print(f"  {'ours (load, compile, behaviour, evidence)':<44} {max(t_total - t_gx, 0):7.2f} s")
    print(f"  {'whole check':<44} {t_total:7.2f} s   verdict {result.verdict.value}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--contract-rows", type=int, default=1_000_000)
    args = ap.parse_args()
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("great_expectations").setLevel(logging.WARNING)
    feedback(args.rows)
    contract(args.contract_rows)


if __name__ == "__main__":
    main()
