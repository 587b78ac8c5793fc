"""embedding_drift (problem 2): did a vendor embedding upgrade silently break a retrieval A/B test?

Three parts, each run when its input is given:
- events: queries embedded with a different model/version than the index they search
  (EMBEDDING_VERSION_MISMATCH), and an arm whose embedding changed mid-experiment
  (EMBEDDING_CHANGED_MID_EXPERIMENT); both are validity failures.
- probe (+ optional corpus): the same items embedded by the old and the new model; the mean
  Jaccard overlap of exact top-k neighbour sets (NEIGHBORHOOD_SHIFT by the gate rule on 1 -
  overlap) and the Spearman correlation of pairwise similarities.
- relevance: labelled retrieval results under old and new; recall@k and nDCG@k drops with paired
  bootstrap CIs (RETRIEVAL_REGRESSION by the gate rule). The neighbourhood loss and the two drops
  form the check's one family (core.compose); only the drops carry p-values, so Holm runs across
  the two retrieval metrics and the loss is significant when its interval excludes 0.

Modules: `spec` (inputs, parameters), `read` (inputs -> events, probe vectors, relevance rows),
`events` (version mismatch, mid-experiment change), `neighbours` (probe neighbourhood overlap),
`retrieval` (recall@k and nDCG@k drops), `words` (sentences), `decide` (puts them together).
"""
