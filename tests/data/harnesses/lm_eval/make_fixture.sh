#!/bin/sh
# Write the lm-evaluation-harness fixtures: a local-data group (two multiple-choice subtasks) and
# a generate_until task with two filters, run with lm-eval's built-in `dummy` model and
# --log_samples. Run from this directory in a venv with `pip install lm-eval==0.4.13` (no torch).
# Offline: the tasks read local JSON lines (dataset_path: json), nothing comes from the Hub.
set -eu
cd "$(dirname "$0")"
rm -rf out
HF_DATASETS_OFFLINE=1 HF_HUB_OFFLINE=1 TOKENIZERS_PARALLELISM=false \
  lm_eval --model dummy --include_path tasks --tasks mini_safety,mini_arith \
  --output_path out --log_samples --seed 1234
# lm-eval names files by model and time; keep one stable layout for the tests.
mkdir -p run
rm -f run/*
for f in out/*/*.json out/*/*.jsonl; do
  base=$(basename "$f")
  case "$base" in
    results_*) cp "$f" run/results.json ;;
    samples_*) cp "$f" "run/$(echo "$base" | sed -E 's/_[0-9T:.-]+\.jsonl$/.jsonl/')" ;;
  esac
done
rm -rf out
ls -l run
