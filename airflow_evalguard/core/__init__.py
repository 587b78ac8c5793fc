"""The shared core every check is written on (pure: no Airflow, no I/O).

- `spec`: how a check declares inputs and parameters (light: importable without pandas, so the
  operators validate literal parameters when a DAG file is parsed).
- `params`: the parameters every check shares (alpha, seed, resamples, warn/fail bands), declared once.
- `part`: what one part of a check hands back (metrics, findings, gated effects, validity verdicts).
- `compose`: the ONE composer: one Holm family per check, the gate rule, underpowered slices,
  the overall verdict.
- `decision`: what a check returns; `run_check` turns it into the immutable `CheckResult`.
- `sources`: what the shell hands in to read inputs (an Airflow-backed reader in a worker, local
  files or fsspec in the CLI); checks never see a connection id.
"""
