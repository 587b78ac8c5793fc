"""Reading harness logs at scale: a 200,000-sample Inspect `.eval` log and a 1,000,000-line
lm-eval samples file, next to the floor of a plain `json` parse of the same bytes.

The logs are the real fixtures (tests/data/harnesses) replicated under new ids: every Inspect
sample member of the fixture (events dropped, as in its .json copy), every lm-eval line. The
`.eval` members are deflated (Python's zipfile cannot write Inspect's zstd; the reader inflates
both). Each measurement runs in its own subprocess, so the peak RSS printed is its own.
Target (issue 18): within 2x of the floor's time, memory bounded by streaming where the format
allows (the JSON lines are streamed; the zip is read one member at a time).

    python benchmarks/harness_logs_scale.py [--samples 200000] [--lines 1000000] [--dir DIR]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "data" / "harnesses"


def write_eval(path: Path, samples: int) -> None:
    # the .json copy of the fixture: same header and samples, readable without zstd
    real = json.loads((FIXTURES / "inspect" / "baseline.json").read_text())
    members = real.pop("samples")
    header = json.dumps(real)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        out.writestr("header.json", header)
        for index in range(samples):
            sample = dict(members[index % len(members)], id=f"s{index}", epoch=1, events=[])
            out.writestr(f"samples/s{index}_epoch_1.json", json.dumps(sample))


def write_jsonl(path: Path, lines: int) -> None:
    real = (FIXTURES / "lm_eval" / "run" / "samples_mini_safety_bio.jsonl").read_text().splitlines()
    with path.open("w") as out:
        for index in range(lines):
            record = json.loads(real[index % len(real)])
            record["doc_id"] = index
            out.write(json.dumps(record) + "\n")


FLOOR = {
    "eval": "import json, zipfile, sys\nz = zipfile.ZipFile(sys.argv[1])\n"
    "n = sum(1 for name in z.namelist() if name.startswith('samples/') and json.loads(z.read(name)))",
    "jsonl": "import json, sys\nn = sum(1 for line in open(sys.argv[1], 'rb') if json.loads(line))",
}
READER = {
    "eval": "from airflow_evalguard.harnesses.resolve import read_harness_input\n"
    "from airflow_evalguard.sources.local_reader import LocalReader\nimport sys\n"
    "n = len(read_harness_input('b', {'inspect_log': sys.argv[1]}, LocalReader(), use_inspect=False))",
    "jsonl": "from airflow_evalguard.harnesses.resolve import read_harness_input\n"
    "from airflow_evalguard.sources.local_reader import LocalReader\nimport sys\n"
    "n = len(read_harness_input('s', {'lm_eval_samples': sys.argv[1], 'results': sys.argv[2]}, LocalReader()))",
}
TAIL = "\nimport resource\nprint(n, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"


def measure(code: str, *args: str) -> tuple[int, float, float]:
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", code + TAIL, *args],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(ROOT), "EVALGUARD_MAX_DECOMPRESSED_BYTES": str(64 << 30)},
    )
    rows, peak_kib = out.stdout.split()[-2:]
    return int(rows), time.perf_counter() - started, int(peak_kib) / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int, default=200_000)
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--dir", default=str(ROOT / "benchmarks" / ".data"))
    args = parser.parse_args()
    folder = Path(args.dir)
    folder.mkdir(parents=True, exist_ok=True)
    log, samples = folder / f"inspect_{args.samples}.eval", folder / f"samples_mini_safety_bio_{args.lines}.jsonl"
    if not log.exists():
        write_eval(log, args.samples)
    if not samples.exists():
        write_jsonl(samples, args.lines)
    results = str(FIXTURES / "lm_eval" / "run" / "results.json")
    print(f"{'input':<34} {'what':<16} {'rows':>9} {'s':>7} {'rows/s':>10} {'peak MiB':>9}")
    for kind, path, extra in (("eval", log, ()), ("jsonl", samples, (results,))):
        size = path.stat().st_size / 2**20
        for what, code in (("json floor", FLOOR[kind]), ("evalguard", READER[kind])):
            rows, seconds, peak = measure(code, str(path), *extra)
            print(
                f"{path.name + f' ({size:.0f} MiB)':<34} {what:<16} {rows:>9} {seconds:>7.2f} {rows / seconds:>10.0f} {peak:>9.0f}"
            )


if __name__ == "__main__":
    main()
