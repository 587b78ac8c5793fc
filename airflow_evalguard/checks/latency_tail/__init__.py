"""latency_tail (problems 9 and 12): cold starts hide in p99; training steals the morning tail.

Per endpoint and latency class: p50/p95/p99 with exact order-statistic intervals (no bootstrap:
it under-covers in the tail), and four decisions that each compare a p99 with something:
- SLO_BREACH (`slo`): p99 against the class's SLO;
- COLD_START_TAX (`cold_tax`): p99 against p99 without cold starts (a scaled-to-zero fine-tune
  pays the model load in its tail, which a mean never shows);
- TRAINING_CONTENTION (`contention`): p99 while training shares the GPU pool against p99 in the
  same hours of day without training (inside the protected windows when given);
- FINE_TUNE_TAIL_REGRESSION (`baseline`): each endpoint's p99 against the baseline endpoint's.
Intervals for ratios combine two order-statistic intervals at alpha/2 each (conservative, valid
whether or not the samples overlap); each family of decisions is Bonferroni-corrected across its
slices (`families`). A p99 a decision needs from fewer requests than its interval can bound makes
the result INCONCLUSIVE, naming the n it needs (368 at 95% for one p99).

Inputs come as rows (`read_rows`, `group_rows`, with `cold_starts` and `training_windows`) or as
a log-grid histogram (`read_histogram`); both hand the decisions group samples (`tails`).
"""
