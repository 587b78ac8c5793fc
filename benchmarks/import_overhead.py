"""Import overhead of `airflow_evalguard.operators` on top of `airflow.sdk` (target <= 30 ms).

Each measurement is a fresh interpreter: import airflow.sdk, then time importing our operators,
then time building the first gate with literal check parameters (which loads the check registry
and that check's light spec to validate them at parse time). Prints the medians over several
runs, and for scale the median cost of airflow.sdk itself.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys

RUNS = 9
HEAVY = ("pandas", "numpy", "scipy", "pyarrow", "great_expectations", "matplotlib", "boto3")
PROBE = f"""
import json, sys, time
HEAVY = {HEAVY!r}
t0 = time.perf_counter()
import airflow.sdk
t1 = time.perf_counter()
import airflow_evalguard.operators
t2 = time.perf_counter()
airflow_evalguard.operators.SamplingWindowGateOperator(task_id="gate", sample="s.parquet", reference="r.parquet",
                                                       fail_at=0.2, dimensions=["region"])
t3 = time.perf_counter()
heavy = [m for m in HEAVY if m in sys.modules]
print(json.dumps({{"sdk": t1 - t0, "ours": t2 - t1, "first_gate": t3 - t2, "heavy": heavy}}))
"""


def main() -> int:
    runs = []
    for _ in range(RUNS):
        out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True)
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    sdk = statistics.median(r["sdk"] for r in runs) * 1000
    ours = statistics.median(r["ours"] for r in runs) * 1000
    first_gate = statistics.median(r["first_gate"] for r in runs) * 1000
    heavy = sorted({m for r in runs for m in r["heavy"]})
    print(f"import airflow.sdk:                          median {sdk:8.1f} ms over {RUNS} fresh interpreters")
    print(f"+ import airflow_evalguard.operators:        median {ours:8.1f} ms  (target <= 30 ms)")
    print(f"+ first gate built (literal params checked): median {first_gate:8.1f} ms")
    print(f"overhead ratio (ours / airflow.sdk):         {ours / sdk:8.3f}")
    print(f"heavy modules loaded (import and first gate): {heavy or 'none'}")
    return 0 if ours <= 30 and not heavy else 1


if __name__ == "__main__":
    sys.exit(main())
